"""The command line: JSON shapes, readable output, exit codes."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pactlab.analysis import analyze
from pactlab.cli import app

runner = CliRunner()


def run_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_analyze_json_has_the_design_shape():
    out = run_json("analyze", "sma-2019")
    assert list(out) == ["scenario", "parties", "outcomes", "feasible",
                         "individually_rational", "pareto", "solutions", "status_quo",
                         "deal_possible"]
    assert out["deal_possible"] is True
    assert out["scenario"] == "sma-2019"
    assert out["parties"] == ["us", "rok", "dpk"]
    assert out["outcomes"] == 103 * 4 * 3 * 3 * 2 * 5 * 2
    assert out["outcomes"] >= out["feasible"] >= out["individually_rational"] > 0
    assert set(out["solutions"]) == {"nash", "kalai_smorodinsky", "utilitarian", "egalitarian"}
    for sol in [*out["solutions"].values(), out["status_quo"], *out["pareto"]]:
        assert set(sol) == {"outcome", "utilities"}
        assert set(sol["utilities"]) == {"us", "rok", "dpk"}
        assert set(sol["outcome"]) == {"payment", "weapons", "cleanup", "troops", "indirect",
                                       "duration", "categories"}
    assert out["status_quo"]["outcome"]["payment"] == 0.92
    # the JSON is the Python API's result
    assert out == json.loads(json.dumps(analyze("sma-2019").to_dict()))


def test_analyze_writes_the_full_result(tmp_path):
    path = tmp_path / "out" / "deeper" / "r.json"
    result = runner.invoke(app, ["analyze", "us-rok-2025", "--output", str(path)])
    assert result.exit_code == 0, result.output
    # missing folders are created, and the user is told (on stderr: stdout may be JSON)
    assert result.stderr == f"Created the folder {path.parent} for r.json.\n"
    again = runner.invoke(app, ["analyze", "us-rok-2025", "--output", str(path), "--json"])
    assert again.stderr == "" and json.loads(again.stdout)["scenario"] == "us-rok-2025"
    blocked = tmp_path / "file"
    blocked.write_text("x")
    refused = runner.invoke(app, ["analyze", "us-rok-2025", "-o", str(blocked / "r.json")])
    assert refused.exit_code == 2 and "cannot create the folder" in refused.stderr
    assert "Zone of possible agreement" in result.stdout
    full = json.loads(path.read_text())
    assert {"zopa", "assumptions", "reservations"} <= set(full)
    assert full["zopa"]["exists"] and full["zopa"]["size"] == full["individually_rational"]


def test_list_and_show():
    listed = run_json("list")["scenarios"]
    assert [s["id"] for s in listed if s["kind"] == "scenario"] == ["sma-2019", "us-rok-2025"]
    assert all(s["kind"] in {"scenario", "case"} for s in listed)
    shown = run_json("show", "us-rok-2025")
    assert shown["id"] == "us-rok-2025" and shown["outcomes"] == 3_032_640
    text = runner.invoke(app, ["show", "sma-2019"]).stdout
    assert "payment" in text and "rokdrop" in text and "74,160 possible outcomes" in text


def test_validate_sources_json(shared_seeds):
    out = run_json("validate", "--sources", "sma-2019", "us-rok-2025", "--docs",
                   str(shared_seeds))
    assert out["valid"]
    # quotes of the seeds are checked; sources without a local copy are listed, not passed
    assert all(q["found"] is not False for f in out["files"] for q in f["quotes"])
    assert sum(q["found"] is True for f in out["files"] for q in f["quotes"]) >= 30
    assert "xinhua-2021" in out["files"][0]["unchecked"]


def test_evaluate_json():
    out = run_json("evaluate", "sma-2019", "--offer", "payment=1.2,troops=keep")
    assert out["offer"]["outcome"]["payment"] == 1.2
    assert out["filled_from_status_quo"] == ["weapons", "cleanup", "indirect", "duration",
                                             "categories"]
    assert set(out) == {"offer", "filled_from_status_quo", "feasible", "violates_limits_of",
                        "individually_rational", "pareto_optimal", "nash_product",
                        "dominated_by", "snapped"}
    assert out["snapped"] == {}


def test_evaluate_says_which_values_were_snapped(scenario_file):
    path = scenario_file(
        'id = "r"\n[[issues]]\nid = "salary"\nrange = [100.0, 120.0]\nsteps = 5\n'
        'status_quo = 100.0\n[[parties]]\nid = "p"\nweights = { salary = 1.0 }\n'
        'values.salary = { kind = "linear", worst = 100.0, best = 120.0 }\n'
        '[[parties]]\nid = "q"\nweights = { salary = 1.0 }\n'
        'values.salary = { kind = "linear", worst = 120.0, best = 100.0 }\n')
    text = runner.invoke(app, ["evaluate", str(path), "--offer", "salary=112"])
    assert text.exit_code == 0, text.output
    assert "Snapped to the nearest grid point: salary 112 → 110." in text.stdout
    out = run_json("evaluate", str(path), "--offer", "salary=112")
    assert out["snapped"] == {"salary": {"given": "112", "used": 110.0}}


def test_evaluate_bad_offer_is_a_clean_error():
    result = runner.invoke(app, ["evaluate", "sma-2019", "--offer", "troops=stay"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: issue 'troops' has no option 'stay'")
    assert "Traceback" not in result.output


def test_linkage_json_and_text():
    out = run_json("linkage", "us-rok-2025")
    assert out["gain"]["us"] > 0 and out["gain"]["rok"] > 0
    text = runner.invoke(app, ["linkage", "sma-2019", "--tracks", "payment,weapons|troops"])
    assert text.exit_code == 0
    assert "Gain of linking" in text.stdout


def test_help_reads_like_documentation():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("list", "show", "validate", "analyze", "evaluate", "linkage"):
        assert command in result.stdout


def test_analyze_method_and_memory_options():
    exact = run_json("analyze", "tests/data/split.toml", "--method", "exact")
    enum = run_json("analyze", "tests/data/split.toml", "--method", "enumerate")
    assert exact["solutions"] == enum["solutions"]
    assert exact["individually_rational"] == enum["individually_rational"] == 11
    text = runner.invoke(app, ["analyze", "tests/data/split.toml", "--method", "exact"])
    assert "11 individually rational" in text.stdout


THREE_WAY = """
id = "three"
[[issues]]
id = "x"
values = [0, 1, 2]
[[issues]]
id = "y"
values = [0, 1]
""" + "".join(f"""
[[parties]]
id = "p{k}"
reservation = 0.1
weights = {{ x = 0.5, y = 0.5 }}
values.x = {{ kind = "linear", worst = {2 * (k % 2)}, best = {2 - 2 * (k % 2)} }}
values.y = {{ kind = "linear", worst = {k // 2}, best = {1 - k // 2} }}
""" for k in range(3))


def test_exact_method_says_why_it_did_not_count(scenario_file):
    path = str(scenario_file(THREE_WAY))
    text = runner.invoke(app, ["analyze", path, "--method", "exact"])
    assert text.exit_code == 0, text.output
    assert "individually rational: not counted" in text.stdout
    assert "not computed" in text.stdout
    full = analyze(path, method="exact").to_dict(full=True)
    assert any("not counted" in a and "3 parties" in a for a in full["assumptions"])
    # (x, y) = (1, 0), (1, 1) and (2, 1) give every party at least 0.1
    assert analyze(path).individually_rational == 3  # auto enumerates small 3-party spaces


def test_analyze_rejects_bad_memory():
    bad = runner.invoke(app, ["analyze", "sma-2019", "--method", "exact"])
    assert bad.exit_code == 2 and "interactions couple issues" in bad.stderr
    bad = runner.invoke(app, ["analyze", "sma-2019", "--memory", "lots"])
    assert bad.exit_code == 2
    assert bad.stderr == "error: memory budget 'lots': expected a size such as 512M, 2G or " \
                         "1.5GiB\n"


def test_version():
    from pactlab import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"pactlab {__version__}\n"


def test_capped_utilities_are_stated(tmp_path):
    data = "tests/data/genius/Lease/"
    out = tmp_path / "lease.toml"
    result = runner.invoke(app, ["import-genius", data + "lease_domain.xml",
                                 data + "lease_tenant.xml",
                                 data + "lease_landlord.xml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    full = analyze(out).to_dict(full=True)
    assert "Utilities are capped: lease_tenant at 1, lease_landlord at 1." in \
        full["assumptions"]
    assert not any("capped" in a for a in analyze("sma-2019").assumptions)


def test_a_terminal_bar_appears_only_once_work_has_run_two_seconds(monkeypatch):
    """Long work (> 2 s) shows a bar; short work leaves no trace on the terminal."""
    from pactlab.cli import progress

    now = [0.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: now[0])
    bar = progress._TerminalBar("analysing", None, progress.QUIET_FOR)
    bar(10, 100)
    now[0] = 1.9
    bar(50, 100)
    assert bar.bar is None
    now[0] = 2.1
    bar(60, 100)
    assert bar.bar is not None and bar.bar.tasks[0].completed == 60
    bar.close()
    asked = progress._TerminalBar("analysing", 100, 0.0)  # --progress: drawn at once
    assert asked.bar is not None
    asked.close()
