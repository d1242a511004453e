"""Offer evaluation and the value of linkage, checked by brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, brute_force, build, scenario_dicts
from pactlab.analysis import analyze
from pactlab.analysis.linkage import linkage_value, parse_tracks
from pactlab.analysis.offers import evaluate_offer, parse_offer
from pactlab.errors import OfferError, PactlabError


def dominates(a, b):
    return all(x >= y for x, y in zip(a, b, strict=True)) and any(
        x > y for x, y in zip(a, b, strict=True))


@settings(max_examples=40, deadline=None)
@given(scenario_dicts(), st.data())
def test_offer_evaluation_matches_brute_force(data, draw):
    sc = build(data)
    oracle = brute_force(data)
    offer, u, feasible = draw.draw(st.sampled_from(oracle["outcomes"]))
    ev = evaluate_offer(sc, offer, top=3)
    r = oracle["reservations"]
    assert ev.offer.utilities == pytest.approx(dict(zip(sc.party_ids, u, strict=True)))
    assert ev.feasible == feasible
    assert ev.individually_rational == {  # u ≥ r within 1e-9: the definition, rounding aside
        p: x >= y - 1e-9 * max(1.0, abs(y)) for p, x, y in zip(sc.party_ids, u, r, strict=True)}
    better = [(o, w) for o, w, ok in oracle["outcomes"] if ok and dominates(w, u)]
    assert ev.pareto_optimal == (feasible and not better)
    assert len(ev.dominated_by) == min(3, len(better))
    if better:
        def key(w):
            return math.prod(max(x - y, 0.0) for x, y in zip(w, r, strict=True))
        best = max(key(w) for _, w in better)
        first = list(ev.dominated_by[0].utilities.values())
        assert key(first) == pytest.approx(best, abs=1e-12)
        for p in ev.dominated_by:
            assert dominates(list(p.utilities.values()), u)


def test_partial_offer_takes_status_quo():
    ev = evaluate_offer("sma-2019", {"payment": 1.2, "troops": "keep"})
    assert ev.filled_from_status_quo == ("weapons", "cleanup", "indirect", "duration",
                                         "categories")
    assert ev.offer.outcome["cleanup"] == "us_pays"
    assert ev.feasible


def test_dominated_offer_lists_better_outcomes():
    # cutting troops hurts every party, so keeping them with the rest equal dominates
    ev = evaluate_offer("sma-2019", "payment=1.0,weapons=0,troops=major_cut,duration=1")
    assert not ev.pareto_optimal
    assert ev.dominated_by
    for p in ev.dominated_by:
        assert dominates(list(p.utilities.values()), list(ev.offer.utilities.values()))


@pytest.mark.parametrize("text", ["payment", "payment=", "=1", "a=1,a=2", ""])
def test_bad_offer_text(text):
    with pytest.raises(OfferError):
        parse_offer(text)


def test_parse_tracks():
    assert parse_tracks("payment,weapons|troops") == [["payment", "weapons"], ["troops"]]
    with pytest.raises(PactlabError, match="bad tracks"):
        parse_tracks("payment||troops")


def _best_track_product(data, track):
    """Largest Nash product over the track's IR outcomes, others at status quo (None if none)."""
    oracle = brute_force(data)
    r = oracle["reservations"]
    sq = {iss["id"]: iss["status_quo"] for iss in data["issues"]}
    best = None
    for o, u, _ in oracle["outcomes"]:
        if any(o[i] != sq[i] for i in o if i not in track):
            continue
        if not all(_allowed(data, i, o[i]) for i in track):
            continue
        if not all(x >= y for x, y in zip(u, r, strict=True)):
            continue
        score = math.prod(x - y for x, y in zip(u, r, strict=True))
        best = score if best is None else max(best, score)
    return best


def _allowed(data, issue, option):
    return all(option in lim["allowed"] for p in data["parties"] for lim in p["limits"]
               if lim["issue"] == issue)


@settings(max_examples=30, deadline=None)
@given(scenario_dicts(max_issues=3))
def test_linkage_matches_brute_force(data):
    res = linkage_value(build(data))
    r = brute_force(data)["reservations"]
    sq = {iss["id"]: iss["status_quo"] for iss in data["issues"]}
    combined = dict(sq)
    for track in res.tracks:
        best = _best_track_product(data, track.issues)
        assert track.agreed == (best is not None)
        if best is not None:
            u = list(track.utilities.values())
            assert math.prod(x - y for x, y in zip(u, r, strict=True)) == pytest.approx(
                best, abs=1e-12)
            combined.update(track.settlement)
        else:
            assert track.settlement == {i: sq[i] for i in track.issues}
    assert res.separate.outcome == combined
    # the package: the largest Nash product over all feasible, IR outcomes, by brute force
    products = [math.prod(x - y for x, y in zip(u, r, strict=True))
                for _, u, ok in brute_force(data)["outcomes"]
                if ok and all(x >= y for x, y in zip(u, r, strict=True))]
    if not products:
        assert res.package is None
    else:
        got = list(res.package.utilities.values())
        assert math.prod(x - y for x, y in zip(got, r, strict=True)) == pytest.approx(
            max(products), abs=1e-12)
        assert res.gain == pytest.approx(
            {p: res.package.utilities[p] - res.separate.utilities[p] for p in res.gain})


def test_linkage_gain_in_us_rok_2025():
    res = linkage_value("us-rok-2025")
    assert res.package is not None
    assert all(g > 0 for g in res.gain.values())
    assert res.nash_product["package"] > res.nash_product["separate"]
    assert [t.issues for t in res.tracks] == [(i,) for i in load_ids("us-rok-2025")]


def load_ids(sid):
    from pactlab.model import load_scenario
    return load_scenario(sid).issue_ids


def test_linkage_tracks_group_issues():
    res = linkage_value("sma-2019", "payment,weapons|troops")
    assert [t.issues for t in res.tracks] == [
        ("payment", "weapons"), ("troops",), ("cleanup",), ("indirect",), ("duration",),
        ("categories",)]
    with pytest.raises(PactlabError, match="issue 'troops' is in tracks 1 and 2"):
        linkage_value("sma-2019", "troops|troops")
    with pytest.raises(PactlabError, match="issue 'troops' is twice in track 1"):
        linkage_value("sma-2019", "troops,troops")
    with pytest.raises(PactlabError, match="unknown issue 'tarif'"):
        linkage_value("sma-2019", "tarif")


def test_linkage_on_split_is_neutral():
    res = linkage_value(DATA / "split.toml")
    assert res.gain == {"a": 0.0, "b": 0.0}


def test_nash_product_of_separate_settlement():
    res = linkage_value("sma-2019")
    u = np.array(list(res.separate.utilities.values()))
    r = np.array([0.30, 0.35, 0.30])
    assert res.nash_product["separate"] == pytest.approx(float(np.prod(u - r)))
    assert list(itertools.chain.from_iterable(t.issues for t in res.tracks)) == [
        "payment", "weapons", "cleanup", "troops", "indirect", "duration", "categories"]


def test_offers_in_huge_spaces_are_checked_on_the_exact_frontier(monkeypatch):
    from dataclasses import replace

    import pactlab.analysis.offers as offers
    from pactlab.model.synthetic import random_domain

    small = random_domain(4, 10, reservation=0.3)
    small = replace(small, status_quo=np.zeros(4, dtype=np.int64))
    enumerated = offers.evaluate_offer_domain(small, {}, top=3)
    monkeypatch.setattr(offers, "ENUMERATE_OFFERS_MAX", 100)
    on_frontier = offers.evaluate_offer_domain(small, {}, top=3)
    assert not enumerated.pareto_optimal and not on_frontier.pareto_optimal
    # the best dominating outcome by Nash product is Pareto-optimal: both paths find it
    assert on_frontier.dominated_by[0].utilities == pytest.approx(
        enumerated.dominated_by[0].utilities)
    for p in on_frontier.dominated_by:
        assert dominates(list(p.utilities.values()), list(on_frontier.offer.utilities.values()))
    huge = replace(random_domain(12, 10, reservation=0.3),
                   status_quo=np.zeros(12, dtype=np.int64))
    assert len(offers.evaluate_offer_domain(huge, {}).dominated_by) == 5


def test_nash_product_only_for_rational_offers():
    ev = evaluate_offer("sma-2019", "payment=1.0,weapons=0,troops=major_cut")
    assert not ev.individually_rational["us"]
    assert ev.nash_product is None
    ok = evaluate_offer("sma-2019", "payment=1.2,troops=keep")
    u = np.array(list(ok.offer.utilities.values()))
    assert ok.nash_product == pytest.approx(float(np.prod(u - np.array([0.30, 0.35, 0.30]))))


def test_offers_on_a_range_snap_like_the_status_quo(scenario_file):
    path = scenario_file(
        'id = "r"\n[[issues]]\nid = "a"\nrange = [0.0, 0.3]\nsteps = 4\nstatus_quo = 0.26\n'
        '[[parties]]\nid = "p"\nweights = { a = 1.0 }\n'
        'values.a = { kind = "linear", worst = 0.0, best = 0.3 }\n'
        '[[parties]]\nid = "q"\nweights = { a = 1.0 }\n'
        'values.a = { kind = "linear", worst = 0.3, best = 0.0 }\n')
    ev = evaluate_offer(path, {"a": 0.26})
    assert ev.offer.outcome == {"a": 0.3}
    assert ev.snapped == {"a": {"given": 0.26, "used": 0.3}}  # said, not silent
    assert evaluate_offer(path, "a=0.2").snapped == {}  # on the grid: nothing to say
    assert analyze(path).status_quo.outcome == {"a": 0.3}
    assert analyze(path).pareto[1].outcome == {"a": 0.2}  # no float noise on the grid
    with pytest.raises(OfferError,
                       match=r"issue 'a' has no option 0.5; expected a number in \[0, 0.3\]"):
        evaluate_offer(path, {"a": 0.5})
