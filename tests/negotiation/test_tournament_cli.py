"""Tournaments (determinism, table, files) and the `negotiate` / `tournament` commands."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from negotiation_helpers import AGENTS, PIE, TRIO, unsorted_trio
from typer.testing import CliRunner

from pactlab.cli import app
from pactlab.errors import PactlabError
from pactlab.negotiation import ProtocolError, StrategyError, run_session, tournament

runner = CliRunner()


def test_tournament_covers_every_pairing_and_rep():
    res = tournament([PIE, TRIO], ["linear", "hardliner"], reps=2, rounds=20, workers=1)
    # pie: 2² pairings, trio: 2³ pairings; 2 reps; one row per party
    assert res.sessions == (4 + 8) * 2
    assert res.table.num_rows == (4 * 2) * 2 + (8 * 2) * 3
    summary = {s["strategy"]: s for s in res.summary()}
    assert set(summary) == {"linear", "hardliner"}
    assert summary["hardliner"]["utility"] >= summary["linear"]["utility"] - 1.0
    assert len(res.pairings()) == 4 + 8


def test_tournament_is_deterministic_across_worker_counts(tmp_path):
    """Same table, rows in the same order (scenario party order, not alphabetical) on 1 or 2
    worker processes."""
    scenario = unsorted_trio(tmp_path)
    kw = {"reps": 3, "rounds": 30, "seed": 7}
    one = tournament(scenario, ["random", "tit-for-tat"], workers=1, **kw)
    two = tournament(scenario, ["random", "tit-for-tat"], workers=2, **kw)
    assert one.table.column("party").to_pylist()[:3] == ["zulu", "y", "z"]
    assert one.table.equals(two.table)
    other = tournament(scenario, ["random", "tit-for-tat"], workers=1, reps=3, rounds=30, seed=8)
    assert not one.table.equals(other.table)


def test_tournament_rows_are_the_sessions_run_alone():
    """The tournament plays on the batched engine; each row is what `run_session` gives."""
    res = tournament([PIE, TRIO], ["random", "tit-for-tat", "boulware", "nash"], reps=2,
                     rounds=25, seed=3, workers=2)
    for row in res.records()[::7]:
        scenario = PIE if row["scenario"] == "pie" else TRIO
        lineup = dict(part.split("=") for part in row["pairing"].split(","))
        alone = run_session(scenario, lineup, rounds=25, seed=row["seed"])
        assert row["agreement"] == alone.agreement and row["end"] == alone.end
        assert row["rounds_used"] == alone.rounds_used
        assert row["agreement_round"] == alone.agreement_round
        assert row["utility"] == alone.utilities[row["party"]]
        assert row["discounted"] == alone.discounted[row["party"]]
        assert row["welfare"] == alone.welfare
        assert row["pareto_distance"] == alone.pareto_distance
        assert row["nash_distance"] == alone.nash_distance


def test_tournament_writes_parquet_and_csv(tmp_path):
    res = tournament(PIE, ["boulware", "conceder"], reps=1, rounds=20, workers=1)
    pq_path = res.write(tmp_path / "out" / "r.parquet")
    csv_path = res.write(tmp_path / "r.csv")
    assert pq.read_table(pq_path).equals(res.table)
    assert pa_csv.read_csv(csv_path).num_rows == res.table.num_rows
    with pytest.raises(Exception, match=r"must end in \.parquet or \.csv"):
        res.write(tmp_path / "r.xlsx")


def test_tournament_progress_and_validation():
    seen = []
    tournament(PIE, ["linear"], reps=3, rounds=10, workers=1,
               progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    with pytest.raises(StrategyError):
        tournament(PIE, ["linear", "linear:e=0"], reps=1)
    with pytest.raises(ProtocolError, match="plays two-party negotiations only"):
        tournament(TRIO, ["rubinstein"], reps=1)
    with pytest.raises(ProtocolError, match="reps must be a positive integer"):
        tournament(PIE, ["linear"], reps=0)
    for workers in (0, -3):
        with pytest.raises(ProtocolError, match=f"workers must be a positive integer, "
                           f"got {workers}"):
            tournament(PIE, ["linear"], reps=1, workers=workers)


def test_cli_tournament_rejects_negative_workers():
    out = runner.invoke(app, ["tournament", str(PIE), "--strategies", "linear", "--reps", "1",
                              "--workers", "-3"])
    assert out.exit_code == 2 and "workers must be a positive integer" in out.output


def test_agreement_rate_is_per_session_even_for_self_pairings():
    """On the trio, three hardliners break down while other pairings agree; a row per party
    would weigh each session by how many roles the strategy played in it."""
    res = tournament(TRIO, ["hardliner", "linear"], reps=1, rounds=20, workers=1)
    rows = res.records()
    for strategy, summary in zip(res.strategies, res.summary(), strict=True):
        mine = [r for r in rows if r["strategy"] == strategy]
        per_session = {r["session"]: r["agreement"] for r in mine}
        assert summary["agreement_rate"] == pytest.approx(np.mean(list(per_session.values())))
        if strategy == "hardliner":  # the test can tell the two apart
            assert summary["agreement_rate"] != pytest.approx(
                np.mean([r["agreement"] for r in mine]))
    for pairing in res.pairings():
        agreed = {r["agreement"] for r in rows if r["pairing"] == pairing["pairing"]}
        assert pairing["agreement_rate"] == float(agreed.pop())


def test_tournament_error_in_a_worker_reaches_the_caller():
    with pytest.raises(StrategyError, match="failed in propose"):
        tournament(PIE, ["linear", f"{AGENTS}:RaisesInPropose"], reps=2, rounds=10, workers=2)


def test_cli_negotiate_json():
    out = runner.invoke(app, ["negotiate", str(TRIO), "--strategy", "x=boulware",
                              "--strategy", "y=conceder", "--rounds", "40", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["strategies"] == {"x": "boulware", "y": "conceder", "z": "linear"}
    assert {"agreement", "outcome", "utilities", "trace", "pareto_distance", "nash_distance",
            "welfare", "surplus", "rounds_used"} <= set(data)
    assert data["trace"][0] == {**data["trace"][0], "round": 0, "party": "x", "action": "offer"}


def test_cli_negotiate_table():
    out = runner.invoke(app, ["negotiate", str(PIE), "-s", "a=hardliner", "-s", "b=conceder",
                              "--rounds", "51", "--discount", "0.99"])
    assert out.exit_code == 0, out.output
    assert "Agreement" in out.stdout and "Pareto frontier" in out.stdout
    assert "more turns" in out.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["-s", "a=bulware"], "did you mean 'boulware'"),
    (["-s", "abulware"], "expected PARTY=VALUE"),
    (["-s", "q=linear"], "strategy given for unknown party 'q'"),
    (["--discount", "fast"], "expected a number or PARTY=NUMBER"),
    (["--rounds", "1"], "rounds must be an integer"),
    (["--reservation", "a=inf"], "reservation of 'a' must be a finite number, got 'inf'"),
    (["--reservation", "nan"], "reservation of 'a' must be a finite number"),
    (["--discount", "b=NaN"], "discount of 'b' must be a finite number"),
])
def test_cli_negotiate_errors(args, message):
    out = runner.invoke(app, ["negotiate", str(PIE), *args])
    assert out.exit_code == 2
    assert message in out.output
    assert "Traceback" not in out.output


def test_cli_tournament(tmp_path):
    target = tmp_path / "results.parquet"
    out = runner.invoke(app, ["tournament", str(PIE), "--strategies", "boulware,linear,hardliner",
                              "--reps", "2", "--rounds", "20", "-j", "1", "-o", str(target),
                              "-o", str(tmp_path / "results.csv"), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["sessions"] == 9 * 2
    assert [s["strategy"] for s in data["summary"]] == ["boulware", "linear", "hardliner"]
    assert pq.read_table(target).num_rows == 9 * 2 * 2
    assert (tmp_path / "results.csv").exists()
    table = runner.invoke(app, ["tournament", str(PIE), "--strategies", "linear,conceder",
                                "--reps", "1", "--rounds", "10", "-j", "1"])
    assert table.exit_code == 0 and "Pairings by social welfare" in table.stdout


def _blocked(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Output paths that cannot be written, and what the error says."""
    (tmp_path / "a-file").write_text("")
    (tmp_path / "folder.csv").mkdir()
    return {
        "suffix": (tmp_path / "r.txt", "must end in .parquet or .csv"),
        "parent is a file": (tmp_path / "a-file" / "sub" / "r.csv", "is not a directory"),
        "path is a folder": (tmp_path / "folder.csv", "is a directory"),
    }


@pytest.mark.parametrize("case", ["suffix", "parent is a file", "path is a folder"])
def test_cli_tournament_bad_output_fails_before_running(tmp_path, case):
    """The strategy raises as soon as it plays: the output error must come first."""
    path, message = _blocked(tmp_path)[case]
    out = runner.invoke(app, ["tournament", str(PIE), "--strategies",
                              f"linear,{AGENTS}:RaisesInPropose", "--reps", "1", "-j", "1",
                              "-o", str(tmp_path / "ok.csv"), "-o", str(path)])
    assert out.exit_code == 2, out.output
    assert message in out.output and "boom" not in out.output
    assert not (tmp_path / "ok.csv").exists()


def test_cli_tournament_read_only_folder(tmp_path, monkeypatch):
    """A folder the user may not write into (simulated: tests may run as root)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != folder and real_access(p, mode))
    out = runner.invoke(app, ["tournament", str(PIE), "--strategies", f"{AGENTS}:RaisesInPropose",
                              "--reps", "1", "-j", "1", "-o", str(folder / "new" / "r.csv")])
    assert out.exit_code == 2 and "locked is not writable" in out.output


def test_write_creates_missing_folders_and_checks_the_rest(tmp_path):
    res = tournament(PIE, ["linear"], reps=1, rounds=10, workers=1)
    assert res.write(tmp_path / "new" / "deeper" / "r.csv").exists()
    for path, message in _blocked(tmp_path).values():
        with pytest.raises(PactlabError, match=message):
            res.write(path)
