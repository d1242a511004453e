"""Start-up budget: `pactlab --help`, `list`, `validate` and `import pactlab` import no
heavy layer they do not use.

This guards the import budget by what is imported, not by a timing (timings belong in
bench/): numpy, pydantic, pandas, pyarrow and the analysis/negotiation/forecast layers must
not be loaded to print the help or to import the package.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest

HEAVY = ("numpy", "pydantic", "pyarrow", "pandas", "scipy", "plotly", "ray", "sqlalchemy",
         "pint", "dateparser", "pactlab.analysis", "pactlab.negotiation", "pactlab.forecast",
         "pactlab.evidence", "pactlab.sweep", "pactlab.report", "pactlab.web")

PROBE = """
import json, sys
{setup}
print(json.dumps(sorted(sys.modules)))
"""


def _modules(setup: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE.format(setup=setup)], check=True,
                         capture_output=True, text=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def _cli_modules(args: list[str], *, succeeds: bool = False) -> set[str]:
    """The modules `pactlab ARGS` imports (its output swallowed); with `succeeds`, the
    command must also exit 0."""
    ending = ("        assert exc.code in (0, None), exc.code\n" if succeeds else "        pass\n")
    return _modules(
        "import contextlib, io\n"
        "from pactlab.cli import app\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        app({args!r})\n"
        "    except SystemExit as exc:\n" + ending)


def _heavy(modules: set[str], allowed: tuple[str, ...] = ()) -> list[str]:
    heavy = [h for h in HEAVY if h not in allowed]
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in heavy))


def test_import_pactlab_is_light():
    assert _heavy(_modules("import pactlab")) == []


@pytest.mark.parametrize(("args", "allowed"), [
    (["--help"], ()),
    (["--version"], ()),
    # A command's own help loads its module: the scenario schema (pydantic), nothing more.
    (["analyze", "--help"], ("pydantic",)),
    (["validate", "--help"], ("pydantic",)),
])
def test_help_imports_no_heavy_layer(args, allowed):
    assert _heavy(_cli_modules(args), allowed) == []


@pytest.mark.parametrize(("args", "allowed"), [
    # `list` reads the shipped files' TOML: no pydantic model, no numpy.
    (["list"], ()),
    (["list", "--cases", "--json"], ()),
    # `validate` builds the schema (pydantic). It compiles the domain (numpy) only to compare
    # reservations with a status quo that stays without a deal (us-rok-2025), not when the
    # status quo lapses (sma-2019: no_deal = "reservations"). The evidence layer only
    # loads with --sources, which reads quotes.
    (["validate", "sma-2019"], ("pydantic",)),
    (["validate", "us-rok-2025"], ("pydantic", "numpy")),
    # `analyze --json` prints JSON only: not even rich (about 50 ms of start-up).
    (["analyze", "sma-2019", "--json"], ("pydantic", "numpy", "pactlab.analysis")),
])
def test_list_and_validate_import_only_what_they_use(args, allowed):
    modules = _cli_modules(args, succeeds=True)
    assert _heavy(modules, allowed) == []
    if args[0] == "list":
        assert "pactlab.model.schema" not in modules  # no scenario is validated to list it
    if "--json" in args:  # JSON only: not even rich (about 50 ms of start-up)
        assert sorted(m for m in modules if m.split(".")[0] == "rich") == []


def test_sources_still_loads_the_evidence_layer():
    """The quote-number checks of `validate --sources` need the evidence layer."""
    assert "pactlab.evidence.quantities" in _cli_modules(["validate", "sma-2019", "--sources"])


def test_lazy_api_names_resolve():
    import pactlab
    import pactlab.backtest
    import pactlab.sweep  # importing a subpackage must not hide a public name

    assert sorted(pactlab.__all__) == sorted(pactlab._API)
    for name in pactlab.__all__:
        assert not inspect.ismodule(getattr(pactlab, name)), name
    assert pactlab.run_sweep is pactlab.sweep.sweep
    assert pactlab.run_backtest is pactlab.backtest.backtest
    with pytest.raises(AttributeError):
        pactlab.no_such_name  # noqa: B018

