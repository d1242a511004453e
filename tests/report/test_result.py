"""The result protocol: JSON shape, the one NaN policy, escaped HTML, rows and frames."""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pactlab as pl
from pactlab.analysis.results import Point
from pactlab.forecast import forecast_mean, load_stakeholders
from pactlab.model import parse_scenario
from pactlab.negotiation import run_session
from pactlab.result import DETAIL, HIDDEN, Result, finite, flatten, renamed, to_json, write_json

HOSTILE = "<script>alert('x')</script>"


@dataclass(frozen=True)
class Sample(Result):
    derived = {"total": "b"}  # noqa: RUF012 (a test double of a class variable)
    a: float
    b: np.ndarray
    c: float = field(default=1.0, metadata=renamed("from"))
    d: str = field(default="secret", metadata=HIDDEN)
    e: int = field(default=7, metadata=DETAIL)

    @property
    def total(self) -> float:
        return float(self.b.sum())


def test_shape_follows_declared_fields():
    s = Sample(a=0.5, b=np.array([1, 2]), c=2.0)
    assert list(s.to_dict()) == ["a", "b", "total", "from"]
    assert s.to_dict() == {"a": 0.5, "b": [1, 2], "total": 3.0, "from": 2.0}
    assert s.to_dict(full=True)["e"] == 7 and "d" not in s.to_dict(full=True)


def test_json_writes_nan_and_infinity_as_null():
    s = Sample(a=math.nan, b=np.array([np.inf, 1.5]), c=np.float64(-np.inf))
    assert json.loads(s.to_json()) == {"a": None, "b": [None, 1.5], "total": None,
                                       "from": None}
    assert "NaN" not in s.to_json() and "Infinity" not in s.to_json()


@given(st.recursive(st.floats() | st.integers() | st.text(max_size=3) | st.none(),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=12))
def test_to_json_keeps_finite_values_and_nulls_the_rest(value):
    back = json.loads(to_json(value))

    def same(a, b):
        if isinstance(a, float) and not math.isfinite(a):
            return b is None
        if isinstance(a, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        if isinstance(a, list):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
        return a == b

    assert same(value, back)
    assert finite(back) == back


def test_html_escapes_every_user_label():
    sc = parse_scenario({
        "id": "hostile", "title": HOSTILE,
        "issues": [{"id": "deal", "options": [HOSTILE, "<b>no</b>"], "status_quo": "<b>no</b>"}],
        "parties": [
            {"id": p, "reservation": 0.0, "weights": {"deal": 1.0},
             "values": {"deal": {"kind": "table", "table": {HOSTILE: v, "<b>no</b>": 1 - v}}}}
            for p, v in (("a", 1.0), ("b", 0.4))],
    })
    res = pl.analyze(sc)
    page = res._repr_html_()
    assert "<script>" not in page and "<b>no</b>" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;no&lt;/b&gt;" in page
    point = Point({"deal": HOSTILE}, {"<i>a</i>": 0.5})
    assert "<i>" not in point._repr_html_()


def test_analysis_frontier_as_rows_frame_and_array():
    res = pl.analyze("sma-2019")
    rows = res.records()
    assert len(rows) == len(res.pareto) > 10
    assert rows[0] == flatten(res.pareto[0].to_dict())
    frame = res.to_frame()
    assert frame.shape[0] == len(res.pareto)
    cols = [f"utilities.{p}" for p in res.parties]
    np.testing.assert_array_equal(frame[cols].to_numpy(), res.frontier_utilities)
    assert res.frontier_utilities.shape == (len(res.pareto), 3)
    assert res.to_dict()["pareto"][5]["utilities"]["rok"] == res.frontier_utilities[5, 1]


def test_session_trace_and_forecast_path_frames():
    ses = run_session("sma-2019", seed=3)
    frame = ses.to_frame()
    assert len(frame) == len(ses.trace)
    assert list(frame["action"]) == [s.action for s in ses.trace]
    fc = forecast_mean(load_stakeholders("sma-2019"))
    rows = fc.records()
    sh = fc.stakeholders
    assert len(rows) == fc.path.size == (fc.rounds + 1) * sh.n_actors * sh.n_dimensions
    last = {(r["actor"], r["dimension"]): r["position"] for r in rows if r["round"] == fc.rounds}
    assert last[(sh.actors[1], sh.dimensions[2].id)] == fc.path[-1, 1, 2]


def test_non_tabular_results_and_unknown_figures_say_so():
    point = Point({"x": 1}, {"a": 0.5})
    with pytest.raises(TypeError, match="not tabular"):
        point.records()
    with pytest.raises(TypeError, match="no figure for a Point"):
        point.plot()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5)
    | st.floats(allow_nan=True, allow_infinity=True),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner,
                                                                max_size=4),
    max_leaves=30)


@given(JSON_VALUES)
def test_streamed_json_is_to_json_byte_for_byte(value):
    out = io.StringIO()
    write_json(value, out)
    assert out.getvalue() == to_json(value)

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in strict JSON")

    json.loads(out.getvalue(), parse_constant=refuse)  # no NaN or Infinity literals


def test_finite_copies_only_what_holds_a_non_finite_number():
    clean = {"frontier": [{"u": [0.5, 0.25]}, {"u": [1.0, 0.0]}], "name": "x"}
    assert finite(clean) is clean
    dirty = {"frontier": [{"u": [0.5, float("nan")]}, {"u": [1.0, 0.0]}], "kept": [1, 2]}
    out = finite(dirty)
    assert out == {"frontier": [{"u": [0.5, None]}, {"u": [1.0, 0.0]}], "kept": [1, 2]}
    assert out["kept"] is dirty["kept"] and out["frontier"][1] is dirty["frontier"][1]
    assert dirty["frontier"][0]["u"][1] != dirty["frontier"][0]["u"][1]  # input untouched


def test_print_json_streams_a_large_frontier_in_pieces(monkeypatch):
    """`--json` writes a large result piece by piece (the text is never held whole)."""
    from pactlab.cli.app import print_json

    sizes: list[int] = []

    class Recording(io.StringIO):
        def write(self, text: str) -> int:
            sizes.append(len(text))
            return super().write(text)

    out = Recording()
    monkeypatch.setattr("sys.stdout", out)
    print_json({"frontier": [{"outcome": {"i": k}, "u": [k / 7, 1 - k / 7]}
                             for k in range(20_000)]})
    assert len(sizes) > 10 and max(sizes) < 2 * 65_536
    assert json.loads(out.getvalue())["frontier"][19_999]["outcome"] == {"i": 19_999}
