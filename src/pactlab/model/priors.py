"""Priors on a scenario's numbers: the `[[uncertain]]` block, its key paths and its draws.

An entry names one number of the scenario by a key path (`parties.us.reservation`), a
distribution and its parameters, and a `basis` like every other number. This module
validates the entries, resolves each path to the number it names (a path that names
nothing gets a did-you-mean), turns points of the unit hypercube into values (inverse
CDFs, so one design serves Monte Carlo, Sobol and Latin-hypercube sampling alike), clips
them to the number's valid range, and applies sampled values to a scenario.

Paths (ids, option labels and 0-based list positions):

- `parties.<party>.reservation` (clipped to [0, 1])
- `parties.<party>.weights.<issue>` (clipped to ≥ 0; the party's weights are renormalised
  to sum 1 after sampling, unless its utility rules keep them as written)
- `parties.<party>.values.<issue>.worst|best|slope|intercept`
- `parties.<party>.values.<issue>.table.<option>` (clipped to [0, 1])
- `parties.<party>.values.<issue>.points.<i>.<j>` (j = 1, a value: clipped to [0, 1];
  j = 0, an x: clipped to the open interval between its neighbours' written x)
- `parties.<party>.interactions.<k>.value`, `parties.<party>.limits.<k>.min|max`
- `issues.<issue>.status_quo` (numeric: clipped to the issue's range and snapped to the
  nearest option; categorical: a `choice` among its options)
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import model_validator

from pactlab.errors import ScenarioError
from pactlab.model.basis import Basis, Strict

if TYPE_CHECKING:  # numpy is imported where samples are drawn: loading a file needs none
    import numpy as np

    from pactlab.model.schema import Scenario

DISTRIBUTIONS = ("uniform", "triangular", "normal", "beta", "choice", "lognormal")
# the smallest and largest unit-interval point fed to an inverse CDF: keeps normal draws finite
_EDGE = 1e-12
_POINT_GAP = 1e-9  # how close a sampled piecewise x may come to its neighbours


class Uncertain(Strict):
    """One `[[uncertain]]` entry: a key path, a distribution, its parameters and a basis.

    `uniform [lo, hi]`, `triangular [lo, mode, hi]`, `normal [mean, sd]`, `beta [a, b]`
    (on [0, 1]), `choice [[v1, v2, …]]`, and `lognormal [median, sigma]` (a multiplicative
    factor, what `--noise weights=…` writes).
    """

    path: str
    dist: Literal["uniform", "triangular", "normal", "beta", "choice", "lognormal"]
    params: list[Any]
    basis: Basis | None = None

    @model_validator(mode="after")
    def _params(self) -> Uncertain:
        check_params(self.dist, self.params)
        return self


def check_params(dist: str, params: Sequence[Any]) -> None:
    """Raise `ValueError` saying what is wrong with a distribution's parameters and the fix."""
    if dist == "choice":
        if len(params) != 1 or not isinstance(params[0], list):
            raise ValueError("choice takes one list of values: params = [[v1, v2, …]]")
        values = params[0]
        if not values:
            raise ValueError("choice needs at least one value: params = [[v1, v2, …]]")
        kinds = {isinstance(v, str) for v in values}
        if len(kinds) > 1 or any(isinstance(v, bool) for v in values):
            raise ValueError("choice values must be all numbers or all option names")
        if any(not isinstance(v, str) and not math.isfinite(v) for v in values):
            raise ValueError("choice values must be finite numbers")
        return
    arity = {"uniform": 2, "triangular": 3, "normal": 2, "beta": 2, "lognormal": 2}[dist]
    shape = {"uniform": "[lo, hi]", "triangular": "[lo, mode, hi]", "normal": "[mean, sd]",
             "beta": "[a, b]", "lognormal": "[median, sigma]"}[dist]
    if (len(params) != arity or any(isinstance(p, bool) or not isinstance(p, int | float)
                                    for p in params)):
        raise ValueError(f"{dist} takes {arity} numbers {shape}, got {params!r}")
    if not all(math.isfinite(p) for p in params):
        raise ValueError(f"{dist} parameters must be finite, got {params!r}")
    p = [float(x) for x in params]
    if dist == "uniform" and p[0] > p[1]:
        raise ValueError(f"uniform needs lo <= hi, got lo={p[0]:g} > hi={p[1]:g}; swap them")
    if dist == "triangular" and not p[0] <= p[1] <= p[2]:
        raise ValueError(f"triangular needs lo <= mode <= hi, got {p}; reorder them")
    if dist == "triangular" and p[0] == p[2]:
        raise ValueError(f"triangular needs lo < hi, got {p}")
    if dist == "normal" and p[1] < 0:
        raise ValueError(f"normal needs sd >= 0, got sd={p[1]:g}")
    if dist == "beta" and (p[0] <= 0 or p[1] <= 0):
        raise ValueError(f"beta needs a > 0 and b > 0, got a={p[0]:g}, b={p[1]:g}")
    if dist == "lognormal" and (p[0] < 0 or p[1] < 0):
        raise ValueError(f"lognormal needs median >= 0 and sigma >= 0, got {p}")


# --- what a path names ----------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The number a key path names, where it lives and the range its samples are clipped to.

    `kind` is one of reservation, weight, value, table, point, interaction, limit,
    status_quo; `party`/`issue` are indices (−1 where the number belongs to none), `key`
    the parameter name, option label, list position or (point, coordinate) pair.
    """

    path: str
    kind: str
    party: int
    issue: int
    key: Any
    nominal: float | str
    low: float = -math.inf
    high: float = math.inf
    options: tuple[str, ...] = ()  # a categorical status quo: its options


def paths(sc: Scenario) -> Iterator[Target]:
    """Every number of a scenario that a prior may name."""
    index = {iid: i for i, iid in enumerate(sc.issue_ids)}
    for i, issue in enumerate(sc.issues):
        if issue.status_quo is None:
            continue
        if issue.is_numeric:
            labels = [float(x) for x in issue.labels()]
            yield Target(f"issues.{issue.id}.status_quo", "status_quo", -1, i, None,
                         float(issue.status_quo), min(labels), max(labels))
        else:
            yield Target(f"issues.{issue.id}.status_quo", "status_quo", -1, i, None,
                         str(issue.status_quo), options=tuple(issue.options or ()))
    for p, party in enumerate(sc.parties):
        base = f"parties.{party.id}"
        yield Target(f"{base}.reservation", "reservation", p, -1, None,
                     party.reservation, 0.0, 1.0)
        for iid, w in party.weights.items():
            yield Target(f"{base}.weights.{iid}", "weight", p, index[iid], iid, w, 0.0)
        for iid, fn in party.values.items():
            vbase = f"{base}.values.{iid}"
            i = index[iid]
            if fn.kind == "table":
                for option, v in fn.table.items():
                    yield Target(f"{vbase}.table.{option}", "table", p, i, option, v, 0.0, 1.0)
            elif fn.kind == "piecewise":
                xs = [pt[0] for pt in fn.points]
                for k, (x, v) in enumerate(fn.points):
                    lo = xs[k - 1] + _POINT_GAP if k > 0 else -math.inf
                    hi = xs[k + 1] - _POINT_GAP if k + 1 < len(xs) else math.inf
                    yield Target(f"{vbase}.points.{k}.0", "point", p, i, (k, 0), x, lo, hi)
                    yield Target(f"{vbase}.points.{k}.1", "point", p, i, (k, 1), v, 0.0, 1.0)
            else:
                for name in ("worst", "best") if fn.kind == "linear" else ("slope", "intercept"):
                    yield Target(f"{vbase}.{name}", "value", p, i, name, getattr(fn, name))
        for k, inter in enumerate(party.interactions):
            yield Target(f"{base}.interactions.{k}.value", "interaction", p, -1, k,
                         inter.value)
        for k, limit in enumerate(party.limits):
            for name in ("min", "max"):
                if limit.allowed is None:
                    yield Target(f"{base}.limits.{k}.{name}", "limit", p,
                                 index[limit.issue], (k, name),
                                 math.nan if getattr(limit, name) is None
                                 else getattr(limit, name))


@dataclass(frozen=True)
class Prior:
    """A resolved prior: the entry and the number it names."""

    entry: Uncertain
    target: Target

    @property
    def path(self) -> str:
        return self.target.path

    @property
    def categorical(self) -> bool:
        """A choice among option names (a categorical status quo)."""
        return self.entry.dist == "choice" and isinstance(self.entry.params[0][0], str)

    def values(self, u: np.ndarray) -> np.ndarray:
        """Values at unit-interval points `u` (inverse CDF), clipped to the valid range.

        A choice returns the chosen value, or for option names the chosen option's index.
        """
        import numpy as np

        u = np.clip(np.asarray(u, dtype=float), _EDGE, 1.0 - _EDGE)
        dist, p = self.entry.dist, self.entry.params
        if dist == "choice":
            k = np.minimum((u * len(p[0])).astype(np.int64), len(p[0]) - 1)
            if self.categorical:
                return k.astype(float)
            x = np.asarray(p[0], dtype=float)[k]
        else:
            x = ppf(dist, [float(v) for v in p], u)
        return np.asarray(np.clip(x, self.target.low, self.target.high), dtype=float)

    def label(self, x: float) -> float | str:
        """The value as a scenario file would write it (an option name for categorical)."""
        return self.entry.params[0][int(x)] if self.categorical else float(x)


def ppf(dist: str, p: list[float], u: np.ndarray) -> np.ndarray:
    """Inverse CDF of a continuous prior at `u` in (0, 1).

    The normal quantile is `scipy.special.ndtri`, the very function `scipy.stats.norm.ppf`
    calls: the same numbers without importing `scipy.stats` (most of a second in every
    sweep worker); triangular and beta still come from `scipy.stats`.
    """
    import numpy as np
    from scipy.special import ndtri

    if dist == "uniform":
        x = p[0] + u * (p[1] - p[0])
    elif dist == "normal":
        x = p[0] + p[1] * ndtri(u)
    elif dist == "lognormal":  # median × exp(sigma · z)
        x = p[0] * np.exp(p[1] * ndtri(u))
    else:
        from scipy import stats

        if dist == "triangular":
            x = stats.triang.ppf(u, (p[1] - p[0]) / (p[2] - p[0]), loc=p[0],
                                 scale=p[2] - p[0])
        else:  # beta
            x = stats.beta.ppf(u, p[0], p[1])
    return np.asarray(x, dtype=float)


def resolve(sc: Scenario, entries: Sequence[Uncertain], *, where: str | None = None,
            origin: str = "uncertain") -> list[Prior]:
    """Match each entry to the number it names; `ScenarioError` with did-you-mean otherwise.

    `origin` names the entries in messages (`uncertain[2]` for the file's block,
    `--vary` for the command line). A path named twice is an error too.
    """
    where = where if where is not None else (str(sc.origin) if sc.origin else sc.id)
    return resolve_targets({t.path: t for t in paths(sc)}, entries, where=where, origin=origin)


def resolve_targets(known: dict[str, Target], entries: Sequence[Uncertain], *, where: str,
                    origin: str = "uncertain") -> list[Prior]:
    """`resolve` against any set of named numbers (a scenario's, a stakeholder table's)."""
    out: list[Prior] = []
    seen: dict[str, str] = {}
    for n, entry in enumerate(entries):
        key = f"{origin}[{n}]" if origin == "uncertain" else origin
        at = f"{key}.path" if origin == "uncertain" else origin
        target = known.get(entry.path)
        if target is None:
            raise ScenarioError(_unknown_path(entry.path, list(known)), where=where, key=at)
        if entry.path in seen:
            raise ScenarioError(f"{entry.path!r} already has a prior ({seen[entry.path]}); "
                                "give each number one prior", where=where, key=at)
        seen[entry.path] = key
        _check_fits(entry, target, where, key)
        out.append(Prior(entry, target))
    return out


def _unknown_path(path: str, known: list[str]) -> str:
    close = difflib.get_close_matches(path, known, n=3, cutoff=0.6)
    head = f"the path {path!r} names no number of this file"
    if close:
        return f"{head}; did you mean {' or '.join(repr(c) for c in close)}?"
    shown = ", ".join(known[:8]) + (f" … and {len(known) - 8} more" if len(known) > 8 else "")
    return f"{head}; paths look like {shown}"


def _check_fits(entry: Uncertain, target: Target, where: str, key: str) -> None:
    """Option-name choices only for a categorical status quo, and only its options."""
    names = entry.dist == "choice" and isinstance(entry.params[0][0], str)
    if target.options and not names:
        raise ScenarioError(
            f"{target.path} is a categorical option: use dist = \"choice\" with option names "
            f"from {list(target.options)}", where=where, key=f"{key}.dist")
    if names:
        bad = [v for v in entry.params[0] if v not in target.options]
        if not target.options or bad:
            expected = (f"one of {list(target.options)}" if target.options
                        else "numbers (this is a numeric value)")
            raise ScenarioError(f"choice values {bad or entry.params[0]} do not fit "
                                f"{target.path}: expected {expected}", where=where,
                                key=f"{key}.params")
    if target.kind == "limit" and isinstance(target.nominal, float) and math.isnan(
            target.nominal):
        name = target.key[1]
        raise ScenarioError(f"{target.path}: this limit has no '{name}' to vary; add one to "
                            "the limit first", where=where, key=f"{key}.path")


# --- applying sampled values to a scenario ---------------------------------------------


def apply(sc: Scenario, priors: Sequence[Prior], values: Sequence[float]) -> Scenario:
    """The scenario with each prior's number replaced by the sampled (clipped) value.

    Weights are renormalised afterwards (parties with `weights = "as-written"` keep
    them); numeric status quos snap to the nearest option. This is the plain, one sample
    at a time form: sweeps of the analysis target use the vectorised compilation in
    `pactlab.sweep`, which tests check against this.
    """
    data = sc.model_dump(exclude_none=True)
    data.pop("uncertain", None)
    touched: set[int] = set()
    for prior, x in zip(priors, values, strict=True):
        t = prior.target
        value: Any = prior.label(float(x))
        if t.kind == "status_quo":
            issue = sc.issues[t.issue]
            data["issues"][t.issue]["status_quo"] = (
                _nearest(issue.labels(), value) if issue.is_numeric else value)
            continue
        party = data["parties"][t.party]
        if t.kind == "reservation":
            party["reservation"] = value
        elif t.kind == "weight":
            party["weights"][t.key] = value
            touched.add(t.party)
        elif t.kind == "value":
            party["values"][sc.issue_ids[t.issue]][t.key] = value
        elif t.kind == "table":
            party["values"][sc.issue_ids[t.issue]]["table"][t.key] = value
        elif t.kind == "point":
            k, j = t.key
            party["values"][sc.issue_ids[t.issue]]["points"][k][j] = value
        elif t.kind == "interaction":
            party["interactions"][t.key]["value"] = value
        elif t.kind == "limit":
            k, name = t.key
            party["limits"][k][name] = value
    for p in touched:
        party = data["parties"][p]
        rules = party.get("utility") or {}
        if rules.get("weights", "normalised") == "as-written":
            continue
        total = sum(party["weights"].values())
        if total > 0:
            party["weights"] = {k: w / total for k, w in party["weights"].items()}
    for party in data["parties"]:
        for limit in party.get("limits", []):
            if "min" in limit and "max" in limit:
                limit["min"] = min(limit["min"], limit["max"])  # min clipped to <= max
    from pactlab.model.loading import parse_scenario

    return parse_scenario(data, where=f"{sc.id} (sampled)")


def _nearest(labels: list[float | str], x: float) -> float:
    import numpy as np

    return float(labels[int(np.abs(np.asarray(labels, dtype=float) - x).argmin())])


# --- priors from the command line ------------------------------------------------------

_VARY = re.compile(r"^\s*([^=\s]+)\s*=\s*([a-z]+)\s*\((.*)\)\s*$")


def parse_vary(text: str) -> Uncertain:
    """`PATH=DIST(p1,p2,…)`, e.g. `parties.us.reservation=uniform(0.2,0.45)`.

    A choice lists its values: `choice(0.3,0.35,0.4)` or `choice(keep,major_cut)`.
    """
    from pactlab.errors import PactlabError

    match = _VARY.match(text)
    if not match:
        raise PactlabError(f"--vary {text!r}: expected PATH=DIST(p1,p2,…), e.g. "
                           "parties.us.reservation=uniform(0.2,0.45)")
    path, dist, inner = match.groups()
    if dist not in DISTRIBUTIONS:
        raise PactlabError(f"--vary {text!r}: unknown distribution {dist!r}; expected one of "
                           f"{', '.join(DISTRIBUTIONS)}")
    items = [s.strip() for s in inner.split(",") if s.strip()]
    values: list[Any] = [_number_or_name(s) for s in items]
    if dist != "choice" and any(isinstance(v, str) for v in values):
        raise PactlabError(f"--vary {text!r}: {dist} takes numbers, got {inner!r}")
    params = [values] if dist == "choice" else values
    try:
        check_params(dist, params)
    except ValueError as exc:
        raise PactlabError(f"--vary {text!r}: {exc}") from None
    return Uncertain(path=path, dist=dist, params=params,  # type: ignore[arg-type]
                     basis=Basis(assumption="given on the command line (--vary)"))


def _number_or_name(text: str) -> float | str:
    try:
        value = float(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text


NOISE_KINDS = ("weights", "reservations")


def parse_noise(text: str) -> dict[str, float]:
    """`weights=0.3,reservations=0.05` → {"weights": 0.3, "reservations": 0.05}."""
    from pactlab.errors import PactlabError

    out: dict[str, float] = {}
    for part in filter(None, (s.strip() for s in text.split(","))):
        name, _, number = part.partition("=")
        name = name.strip()
        if name not in NOISE_KINDS:
            close = difflib.get_close_matches(name, NOISE_KINDS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise PactlabError(f"--noise {text!r}: unknown kind {name!r}{hint}; expected "
                               "weights=SIGMA and/or reservations=HALF_WIDTH")
        try:
            value = float(number)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0:
            raise PactlabError(f"--noise {text!r}: {name} needs a number >= 0, got {number!r}")
        out[name] = value
    if not out:
        raise PactlabError(f"--noise {text!r}: expected weights=SIGMA and/or "
                           "reservations=HALF_WIDTH, e.g. weights=0.3,reservations=0.05")
    return out


def noise_priors(sc: Scenario, noise: dict[str, float]) -> list[Uncertain]:
    """The priors `--noise` stands for.

    `weights=σ`: every positive weight times a log-normal factor exp(N(0, σ)) (the party's
    weights renormalised afterwards); `reservations=a`: every reservation uniform on
    [r − a, r + a] (clipped to [0, 1]).
    """
    out: list[Uncertain] = []
    sigma, half = noise.get("weights"), noise.get("reservations")
    for party in sc.parties:
        if sigma:
            basis = Basis(assumption=f"--noise weights={sigma:g}: log-normal factor")
            out.extend(
                Uncertain(path=f"parties.{party.id}.weights.{iid}", dist="lognormal",
                          params=[w, sigma], basis=basis)
                for iid, w in party.weights.items() if w > 0)
        if half:
            r = party.reservation
            out.append(Uncertain(path=f"parties.{party.id}.reservation", dist="uniform",
                                 params=[r - half, r + half],
                                 basis=Basis(assumption=f"--noise reservations={half:g}")))
    return out


def merge(*groups: Sequence[Uncertain]) -> list[Uncertain]:
    """Later groups override earlier ones path by path (command line over file)."""
    by_path: dict[str, Uncertain] = {}
    for group in groups:
        for entry in group:
            by_path[entry.path] = entry
    return list(by_path.values())
