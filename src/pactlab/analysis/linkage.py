"""The value of linkage: one package deal versus settling issues track by track.

Each track is settled on its own, independently of the others: the Nash
solution over the track's issues with every other issue held at its status
quo (limits of held issues are not part of that track's agreement). A track
with no individually rational outcome stays at the status quo. The tracks'
settlements are then put together into one outcome and compared with the Nash
solution of the whole package.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pactlab.analysis.analyze import analyze_domain
from pactlab.analysis.clock import duration
from pactlab.analysis.results import Point, point
from pactlab.errors import BudgetError, PactlabError
from pactlab.kernel.bargaining import Progress, nash_product
from pactlab.model.domain import Domain, scenario_and_domain
from pactlab.model.schema import Scenario
from pactlab.result import Result

ASSUMPTIONS = (
    "Each track is settled at its Nash solution with the other issues at their status quo.",
    "Tracks are settled independently; a track with no individually rational outcome "
    "stays at its status quo.",
    "The package is settled at the Nash solution over all issues at once.",
    "The disagreement point is each party's reservation value.",
)


@dataclass(frozen=True)
class Track(Result):
    issues: tuple[str, ...]
    agreed: bool
    settlement: dict[str, object]  # the track's issues -> chosen option
    utilities: dict[str, float] | None  # with the other issues at status quo


@dataclass(frozen=True)
class Settlement(Point):
    """The outcome the separate tracks add up to, and whether it respects every limit."""

    feasible: bool


@dataclass(frozen=True)
class Linkage(Result):
    """Each party's utility when issues are settled separately and as one package.

    `nash_product` holds the Nash product Π(u − r) of the "separate" outcome and
    of the "package" (None when no package is individually rational).
    """

    scenario: str
    tracks: tuple[Track, ...]
    separate: Settlement
    package: Point | None
    gain: dict[str, float] | None  # package minus separate, per party
    nash_product: dict[str, float | None]
    assumptions: tuple[str, ...] = ASSUMPTIONS


def parse_tracks(text: str) -> list[list[str]]:
    """Parse ``"payment,weapons|troops"`` into [["payment", "weapons"], ["troops"]]."""
    tracks = [[i.strip() for i in part.split(",") if i.strip()] for part in text.split("|")]
    if any(not t for t in tracks):
        raise PactlabError(
            f"bad tracks {text!r}: expected issue ids separated by ',' within a track "
            "and '|' between tracks, e.g. payment,weapons|troops"
        )
    return tracks


def linkage_value(
    scenario: Scenario | str | Path, tracks: Sequence[Sequence[str]] | str | None = None,
    progress: Progress | None = None, max_seconds: float | None = None,
) -> Linkage:
    """Compare settling `tracks` separately (default: every issue alone) with one package.

    `progress` hears about the package's analysis; `max_seconds` bounds all the analyses
    together, each getting what is left (`pactlab.analysis.clock`; None: no bound).
    """
    sc, domain = scenario_and_domain(scenario)
    if isinstance(tracks, str):
        tracks = parse_tracks(tracks)
    return linkage_domain(domain, tracks, sc.id, progress, max_seconds)


def linkage_domain(
    domain: Domain, tracks: Sequence[Sequence[str]] | None = None, name: str = "",
    progress: Progress | None = None, max_seconds: float | None = None,
) -> Linkage:
    if domain.status_quo is None:
        raise PactlabError(
            "the value of linkage needs a status quo for every issue (set 'status_quo' on each)"
        )
    parts = _check_partition(domain, tracks)
    sq = domain.status_quo
    combined = sq.copy()
    settled: list[Track] = []
    left = _time_left(max_seconds)
    for part in parts:
        row = _settle_track(domain, part, left())
        agreed = row is not None
        if row is None:
            row = sq
        combined[part] = row[part]
        settled.append(
            Track(
                issues=tuple(domain.issue_ids[i] for i in part),
                agreed=agreed,
                settlement={domain.issue_ids[i]: domain.labels[i][row[i]] for i in part},
                utilities=point(domain, row).utilities if agreed else None,
            )
        )
    r = domain.reservations
    separate = point(domain, combined)
    package = analyze_domain(domain, name, progress=progress,
                             max_seconds=left()).solutions["nash"]
    sep_u = np.array(list(separate.utilities.values()))
    return Linkage(
        scenario=name,
        tracks=tuple(settled),
        separate=Settlement(separate.outcome, separate.utilities,
                            feasible=not domain.violations(combined)),
        package=package,
        gain=None if package is None else {
            p: package.utilities[p] - separate.utilities[p] for p in domain.party_ids
        },
        nash_product={
            "separate": float(nash_product(sep_u, r)),
            "package": None if package is None else float(
                nash_product(np.array(list(package.utilities.values())), r)),
        },
    )


def _check_partition(domain: Domain, tracks: Sequence[Sequence[str]] | None) -> list[list[int]]:
    ids = list(domain.issue_ids)
    if tracks is None:
        return [[i] for i in range(len(ids))]
    seen: dict[str, int] = {}
    parts: list[list[int]] = []
    for n, track in enumerate(tracks):
        part = []
        for iid in track:
            if iid not in ids:
                raise PactlabError(f"track {n + 1}: unknown issue {iid!r}; the issues are {ids}")
            if iid in seen:
                where = (f"twice in track {n + 1}" if seen[iid] == n
                         else f"in tracks {seen[iid] + 1} and {n + 1}")
                raise PactlabError(f"issue {iid!r} is {where}")
            seen[iid] = n
            part.append(ids.index(iid))
        parts.append(part)
    missing = [i for i in ids if i not in seen]
    if missing:
        # issues named in no track are settled one by one
        parts.extend([ids.index(i)] for i in missing)
    return parts


def _time_left(max_seconds: float | None) -> Callable[[], float | None]:
    """What is left of a time bound shared by several analyses (None: no bound)."""
    start = time.perf_counter()

    def left() -> float | None:
        if not max_seconds:
            return None
        rest = max_seconds - (time.perf_counter() - start)
        if rest <= 0:
            raise BudgetError(
                f"The value of linkage was stopped after {duration(max_seconds)}, its time "
                "bound. Raise the bound with --max-seconds SECONDS (max_seconds= in Python; "
                "0 for none)."
            )
        return rest

    return left


def _settle_track(domain: Domain, part: list[int], max_seconds: float | None
                  ) -> np.ndarray | None:
    """Nash solution of one track with the other issues at status quo, or None."""
    sq = domain.status_quo
    assert sq is not None
    held = [i for i in range(domain.n_issues) if i not in part]
    sub = domain.restrict({i: np.array([sq[i]]) for i in held}).with_limits_lifted(held)
    nash = analyze_domain(sub, max_seconds=max_seconds).solutions["nash"]
    if nash is None:
        return None
    return domain.row_of(nash.outcome)
