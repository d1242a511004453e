"""`pactlab list` reads the shipped files' TOML without validating them: it must show
exactly what the validated scenarios say."""

from __future__ import annotations

import pytest

from pactlab.model.catalog import builtin_ids, case_ids, catalog
from pactlab.model.loading import load_scenario


def test_the_catalog_lists_every_shipped_file_in_order():
    assert [e.id for e in catalog()] == builtin_ids() + case_ids()
    assert [e.id for e in catalog(cases_only=True)] == case_ids()
    assert {e.kind for e in catalog(cases_only=True)} == {"case"}


@pytest.mark.parametrize("entry", catalog(), ids=lambda e: e.id)
def test_each_entry_is_what_the_validated_scenario_says(entry):
    sc = load_scenario(entry.id)
    assert (entry.id, entry.title, entry.as_of, entry.issues, entry.parties, entry.outcomes) == (
        sc.id, sc.title, sc.as_of, len(sc.issues), sc.party_ids, sc.outcome_count)
    assert entry.outcome_date == (sc.outcome.date if sc.outcome is not None else None)
    assert entry.kind == ("case" if entry.id in case_ids() else "scenario")


def test_a_shipped_file_it_cannot_read_is_refused_by_the_validating_reader(monkeypatch, tmp_path):
    """A broken shipped file gives the scenario loader's one-paragraph error, not a
    KeyError traceback."""
    from pactlab.errors import ScenarioError
    from pactlab.model import catalog as module

    broken = tmp_path / "broken.toml"
    broken.write_text('id = "broken"\ntitle = "no issues"\n', encoding="utf-8")
    monkeypatch.setattr(module, "builtin_path", lambda _sid: broken)
    monkeypatch.setattr("pactlab.model.loading.builtin_path", lambda _sid: broken)
    monkeypatch.setattr(module, "case_ids", lambda: ["broken"])
    monkeypatch.setattr(module, "builtin_ids", list)
    monkeypatch.setattr("pactlab.model.loading.case_ids", lambda: ["broken"])
    monkeypatch.setattr("pactlab.model.loading.builtin_ids", list)
    with pytest.raises(ScenarioError, match="broken"):
        catalog()
