"""The negotiation commands' help, the strategy catalogue, and what the commands import."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from negotiation_helpers import PIE
from typer.testing import CliRunner

from pactlab.cli import app
from pactlab.cli import negotiation as cli_negotiation
from pactlab.negotiation import make_strategy, protocol, strategy_names

runner = CliRunner()


def test_strategies_lists_every_strategy_with_its_parameters():
    out = runner.invoke(app, ["strategies", "--json"])
    assert out.exit_code == 0, out.output
    catalogue = {s["name"]: s for s in json.loads(out.stdout)}
    assert list(catalogue) == strategy_names()
    for name, entry in catalogue.items():
        params = {p["name"]: p["default"] for p in entry["parameters"]}
        assert params == make_strategy(name).params  # the defaults a fresh strategy gets
        assert entry["description"] and "\n" not in entry["description"]
    assert catalogue["boulware"]["parameters"][0] == {
        "name": "e", "default": 0.2, "allowed": "[0.001, 1000]",
        "help": "concession exponent: <1 Boulware, 1 linear, >1 Conceder"}
    assert "tft" in catalogue["tit-for-tat"]["aliases"]
    assert catalogue["rubinstein"]["two_parties_only"]
    assert catalogue["nash"]["complete_information"]
    table = runner.invoke(app, ["strategies"])
    assert table.exit_code == 0 and "tit-for-tat-absolute" in table.stdout


@pytest.mark.parametrize("command", ["negotiate", "tournament", "strategies"])
def test_help_has_an_example(command):
    out = runner.invoke(app, [command, "--help"])
    assert out.exit_code == 0
    assert f"Example: pactlab {command}" in " ".join(out.stdout.split())


def test_dash_s_means_strategy_in_negotiate_only():
    out = runner.invoke(app, ["tournament", str(PIE), "-s", "linear", "--reps", "1"])
    assert out.exit_code == 2 and "No such option: -s" in out.output


def test_cli_default_strategy_is_the_protocols():
    assert cli_negotiation.DEFAULT_STRATEGY == protocol.DEFAULT_STRATEGY


def test_pyarrow_is_imported_only_to_write_a_table(tmp_path):
    probe = (
        "import sys\n"
        "from pactlab.negotiation import tournament\n"
        f"res = tournament({str(PIE)!r}, ['linear', 'random'], reps=2, rounds=10, workers=1)\n"
        "assert res.summary() and 'pyarrow' not in sys.modules, 'pyarrow imported early'\n"
        f"res.write({str(tmp_path / 'r.parquet')!r})\n"
        "assert 'pyarrow' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, timeout=120)
    assert (tmp_path / "r.parquet").stat().st_size > 0
