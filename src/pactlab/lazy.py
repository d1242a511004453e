"""Public names imported on first use (PEP 562), for packages whose start-up must stay light.

`import pactlab` and `pactlab --help` must not pull in numpy, pydantic or the analysis
layers; a package lists its public names and their modules, and this module's loader
imports each one when it is first read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_getattr(package: str, api: Mapping[str, str],
                 namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` for `package` that imports `api[name]` on first use.

    `api` maps a public name to the module defining it, or to ``"module:attribute"`` when
    the public name differs (``pactlab.run_sweep`` is `pactlab.sweep.sweep`: a package
    attribute cannot share its name with a subpackage, which importing would overwrite).
    The value is stored in `namespace` (the package's ``globals()``), so each name is
    imported once and later reads never reach ``__getattr__``.
    """

    def __getattr__(name: str) -> Any:
        spec = api.get(name)
        if spec is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = spec.partition(":")
        value = getattr(importlib.import_module(module), attribute or name)
        namespace[name] = value
        return value

    return __getattr__
