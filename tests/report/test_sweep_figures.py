"""Sweep figures and the report's sweep section hold the sweep's own numbers."""

from __future__ import annotations

import numpy as np
import pytest

from pactlab.report.document import collect, render
from pactlab.sweep import sweep


@pytest.fixture(scope="module")
def swept():
    return sweep("sma-2019", samples=40, noise="weights=0.3,reservations=0.05",
                 sensitivity=True, workers=1)


def test_boxes_are_the_sweeps_intervals(swept):
    fig = swept.plot()
    s = swept.to_dict()
    boxes = [t for t in fig.data if t.type == "box"]
    dists = s["solutions"]["nash"]["utilities"]
    assert [b.name for b in boxes] == list(dists)
    for b in boxes:
        d = dists[b.name]
        assert (b.q1[0], b.q3[0]) == tuple(d["intervals"]["50"])
        assert (b.lowerfence[0], b.upperfence[0]) == tuple(d["intervals"]["90"])
        assert b.median[0] == d["quantiles"]["50"] and b.mean[0] == d["mean"]
    assert f"P(deal possible) {s['p_deal_possible']:.0%}" in fig.layout.title.text


def test_option_shares_add_up_per_issue(swept):
    fig = swept.plot()
    shares: dict[str, float] = {}
    for t in fig.data:
        if t.type == "bar" and t.orientation == "h" and t.name not in (
                "tornado", "first-order", "total-order"):
            shares[t.y[0]] = shares.get(t.y[0], 0.0) + t.x[0]
    assert set(shares) == set(swept.layout.issue_ids)
    np.testing.assert_allclose(list(shares.values()), 1.0)


def test_tornado_and_sobol_show_the_most_swung_output(swept):
    sens = swept.to_dict()["sensitivity"]
    fig = swept.plot()
    tornado = next(t for t in fig.data if t.name == "tornado")
    out = max(sens["tornado"], key=lambda k: max(r["swing"] for r in sens["tornado"][k]))
    top = max(sens["tornado"][out], key=lambda r: r["swing"])
    assert tornado.y[-1] == top["path"]
    assert tornado.x[-1] == pytest.approx(abs(top["high"] - top["low"]))
    total = next(t for t in fig.data if t.name == "total-order")
    assert len(total.y) == min(10, len(sens["sobol"][out]["total"]))
    with pytest.raises(ValueError, match="no sensitivity"):
        swept.plot(output="nope")


def test_report_adds_a_sweep_when_samples_are_given():
    data = collect("sma-2019", rounds=30, samples=30)
    assert data.sweep is not None and data.sweep.samples == 30
    text = render(data)
    assert '<section id="sweep">' in text and 'id="figure-sweep"' in text
