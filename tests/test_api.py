"""The top-level Python API as the README shows it."""

from __future__ import annotations

import pactlab as pl


def test_readme_api_example():
    sc = pl.load_scenario("sma-2019")
    res = pl.analyze(sc)
    nash = res.solutions["nash"]
    assert set(nash.outcome) == set(sc.issue_ids)
    assert res.zopa.exists
    assert res.to_dict()["scenario"] == "sma-2019"
    ev = pl.evaluate_offer(sc, {"payment": 1.2, "troops": "keep"})
    assert ev.feasible and ev.individually_rational["us"]
    link = pl.linkage_value("us-rok-2025", tracks=[["tariff", "investment"], ["cost_share"]])
    assert [t.issues for t in link.tracks][:2] == [("tariff", "investment"), ("cost_share",)]


def test_results_render_for_people():
    res = pl.analyze("sma-2019")
    assert repr(res).startswith("Analysis('sma-2019': 74160 outcomes")
    page = res._repr_html_()
    assert "<table>" in page and "<td>sma-2019</td>" in page


def test_forecast_from_the_top_level():
    sh = pl.load_stakeholders("sma-2019")
    result = pl.run_forecast(sh, "median")
    assert len(result.forecast) == len(sh.dimensions)
    assert result.to_dict()["model"] == "median"


def test_negotiation_from_the_top_level():
    result = pl.run_session("sma-2019", {"us": "boulware", "rok": "conceder"}, rounds=100,
                            seed=7)
    again = pl.run_session("sma-2019", {"us": "boulware", "rok": "conceder"}, rounds=100,
                            seed=7)
    assert result.to_dict() == again.to_dict()
