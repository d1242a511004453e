"""The API reference builds from the numpydoc docstrings, and every doctest passes."""

from __future__ import annotations

import doctest
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "pactlab"
UNDOCUMENTED = {"cli", "scenarios"}  # the CLI documents itself with --help; data only


def _layer_packages() -> list[str]:
    return sorted(p.name for p in SRC.iterdir()
                  if (p / "__init__.py").exists() and p.name not in UNDOCUMENTED)


def test_every_layer_has_an_api_page():
    pages = "\n".join(p.read_text() for p in (ROOT / "docs" / "api").glob("*.md"))
    missing = [pkg for pkg in _layer_packages()
               if not re.search(rf"^::: pactlab\.{pkg}\b", pages, re.M)]
    assert missing == [], f"add a docs/api page with '::: pactlab.<pkg>' for {missing}"


def test_api_reference_builds(tmp_path):
    pytest.importorskip("mkdocstrings")
    out = tmp_path / "site"
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                          str(ROOT / "mkdocs.yml"), "-d", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    html = "".join(p.read_text() for p in (out / "api").rglob("index.html"))
    for anchor in ("pactlab.model.loading.load_scenario", "pactlab.analysis.analyze.analyze",
                   "pactlab.result.Result.to_dict", "pactlab.fileio.atomic_write",
                   "pactlab.errors.PactlabError"):
        assert f'id="{anchor}"' in html, anchor


def _modules_with_examples() -> list[str]:
    names = []
    for path in sorted(SRC.rglob("*.py")):
        if ">>> " in path.read_text(encoding="utf-8"):
            rel = path.relative_to(SRC.parent).with_suffix("")
            names.append(".".join(rel.parts).removesuffix(".__init__"))
    return names


@pytest.mark.parametrize("name", _modules_with_examples())
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_every_readme_screenshot_is_one_the_browser_tests_take():
    """The README's pictures come from the test run (`make screenshots` refreshes them):
    each one it shows exists and is saved by a `screenshot(..., docs=True)` call."""
    shown = set(re.findall(r"\(docs/screenshots/([\w-]+)\.png\)", (ROOT / "README.md").read_text()))
    taken = set()
    for test in (ROOT / "tests").rglob("test_*.py"):
        taken |= set(re.findall(r'screenshot\(\w+, "([\w-]+)", docs=True\)', test.read_text()))
    assert shown, "the README shows the report and the web app"
    assert shown <= taken, f"README pictures no test takes: {sorted(shown - taken)}"
    missing = [n for n in shown if not (ROOT / "docs" / "screenshots" / f"{n}.png").is_file()]
    assert missing == [], f"run `make screenshots` to take {missing}"
