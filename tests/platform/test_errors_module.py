"""Every error class lives in pactlab.errors and is also a ValueError; lists are bounded."""

from __future__ import annotations

import inspect

import pactlab.errors as errors
from pactlab.errors import PactlabError, listing


def test_every_error_is_a_value_error():
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass)
               if issubclass(c, Exception) and c.__module__ == "pactlab.errors"]
    assert len(classes) >= 12
    for cls in classes:
        assert issubclass(cls, PactlabError) and issubclass(cls, ValueError), cls


def test_no_error_class_defined_elsewhere():
    import pkgutil

    import pactlab

    offenders = []
    for info in pkgutil.walk_packages(pactlab.__path__, "pactlab."):
        if info.name == "pactlab.errors" or info.name.startswith(("pactlab.web", "pactlab.cli")):
            continue
        module = __import__(info.name, fromlist=["_"])
        for name, obj in vars(module).items():
            if (inspect.isclass(obj) and issubclass(obj, PactlabError)
                    and obj.__module__ == info.name):
                offenders.append(f"{info.name}.{name}")
    assert offenders == []


def test_listing_is_bounded():
    assert listing(range(3)) == "0, 1, 2"
    text = listing((f"option{i}" for i in range(100_000)), limit=3)
    assert text == "option0, option1, option2 … and 99,997 more"
    assert len(listing(range(10**6))) < 200
