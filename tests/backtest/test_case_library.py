"""Case loading and listing: built-in case ids, `pactlab list` kinds, `--cases`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pactlab.cli import app
from pactlab.model import load_scenario
from pactlab.model.loading import builtin_ids, builtin_path, case_ids

runner = CliRunner()


def test_case_and_scenario_ids_do_not_collide():
    assert not set(builtin_ids()) & set(case_ids())
    assert not any(i.endswith(".stakeholders") for i in builtin_ids() + case_ids())


def test_every_case_loads_by_id_from_the_cases_folder():
    for cid in case_ids():
        assert builtin_path(cid).parent.name == "cases"
        sc = load_scenario(cid)
        assert sc.id == cid and sc.outcome is not None


def test_list_shows_a_kind_and_cases_only_with_the_flag():
    every = json.loads(runner.invoke(app, ["list", "--json"]).stdout)["scenarios"]
    assert [r["kind"] for r in every] == ["scenario"] * len(builtin_ids()) + [
        "case"] * len(case_ids())
    only = json.loads(runner.invoke(app, ["list", "--cases", "--json"]).stdout)["scenarios"]
    assert [r["id"] for r in only] == case_ids()
    assert all(r["outcome_date"] for r in only)


def test_every_case_validates_with_sources():
    """Sources without a local copy are listed as not checked, never as failures; every
    quote-only basis states its numbers; no claim contradicts a dated source."""
    from pactlab.model.claims import check_sources

    for cid in case_ids() + builtin_ids():
        report = check_sources(load_scenario(cid))
        assert report.ok, (cid, report.numbers, report.contradictions)
        assert not any(q.found is False for q in report.quotes), cid
        res = runner.invoke(app, ["validate", "--sources", cid])
        assert res.exit_code == 0, res.stdout
