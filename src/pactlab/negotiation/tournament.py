"""Tournaments: every assignment of strategies to parties × scenarios × repetitions, in parallel.

Each session gets its own seed, derived from the tournament seed and the
session's coordinates (scenario, pairing, repetition), so results do not
depend on the number of worker processes or on scheduling. Offer spaces are
built once in the parent and handed to the workers (inherited on fork).
"""

from __future__ import annotations

import functools
import itertools
import math
import multiprocessing as mp
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from pactlab.errors import PactlabError, ProtocolError, StrategyError, listing
from pactlab.negotiation.batch import ENDS, run_batch
from pactlab.negotiation.protocol import (
    ScenarioLike,
    Session,
    check_time_limit,
    resolve_scenario,
)
from pactlab.negotiation.registry import make_strategy, strategy_factory
from pactlab.negotiation.space import OfferSpace
from pactlab.pools import stop_pool
from pactlab.result import HIDDEN, Result

COLUMNS = (
    "scenario", "session", "rep", "seed", "pairing", "party", "strategy", "agreement", "end",
    "agreement_round", "rounds_used", "utility", "discounted", "reservation", "surplus",
    "welfare", "pareto_distance", "nash_distance",
)
Job = tuple[int, int, tuple[str, ...], int, int]  # session id, scenario, strategies, rep, seed
Progress = Callable[[int, int], None]
DEFAULT_TIME_LIMIT = 10.0  # seconds per call into a user strategy
CHUNK = 2000  # sessions per batch: large enough to amortise a turn's numpy calls
STOP_GRACE = 0.5  # seconds busy workers get to hand in their batch when a tournament stops

_WORKER_SPACES: list[tuple[str, OfferSpace]] = []
_WORKER_SETTINGS: dict[str, Any] = {}


@dataclass(frozen=True, eq=False)
class TournamentResult(Result):
    """One row per party per session (a tidy table), with summaries by strategy and pairing.

    `to_dict()` is the `tournament --json` object (the summaries, not the table);
    `records()` / `to_frame()` give the table's rows.
    """

    derived: ClassVar = {"sessions": "seed", "summary": "sessions", "pairings": "summary"}

    columns: Mapping[str, list[Any]] = field(metadata=HIDDEN, repr=False)  # the table, by column
    scenarios: tuple[str, ...]
    strategies: tuple[str, ...]
    reps: int
    rounds: int
    seed: int
    outputs: tuple[str, ...] = field(default=())

    @property
    def sessions(self) -> int:
        return len(set(self.columns["session"]))

    @functools.cached_property
    def table(self) -> Any:
        """The tidy table as a `pyarrow.Table` (pyarrow is imported only when asked for)."""
        import pyarrow as pa

        return pa.table(dict(self.columns))

    def records(self) -> list[dict[str, Any]]:
        """One dict per party per session: the rows of the tidy table."""
        return [dict(zip(COLUMNS, row, strict=True))
                for row in zip(*(self.columns[c] for c in COLUMNS), strict=True)]

    def summary(self) -> list[dict[str, Any]]:
        """Per strategy, over every role it played: agreement rate and mean results."""
        return _group(self.columns, ("strategy",), order=self.strategies)

    def pairings(self) -> list[dict[str, Any]]:
        """Per scenario and pairing (who played what), the same means."""
        return _group(self.columns, ("scenario", "pairing"))

    def write(self, path: str | Path) -> Path:
        """Write the table as Parquet or CSV, chosen by the file's suffix."""
        path = check_output(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix.lower() == ".parquet":
                import pyarrow.parquet as pq

                pq.write_table(self.table, path)
            else:
                import pyarrow.csv as pa_csv

                pa_csv.write_csv(self.table, path)
        except OSError as exc:
            raise PactlabError(f"cannot write {path}: {exc.strerror or exc}") from None
        return path

    def __repr__(self) -> str:
        lines = [f"TournamentResult({self.sessions} sessions on {', '.join(self.scenarios)})"]
        for s in self.summary():
            lines.append(f"  {s['strategy']}: agreement {s['agreement_rate']:.0%}, "
                         f"utility {s['utility']:.3f}, surplus {s['surplus']:+.3f}")
        return "\n".join(lines)


def check_output(path: str | Path) -> Path:
    """`path` if results can be written there: a known suffix, not a folder, and a writable
    folder at or above its parent (missing folders are created on writing)."""
    path = Path(path)
    if path.suffix.lower() not in (".parquet", ".csv"):
        raise PactlabError(f"cannot write {path}: the file name must end in .parquet or .csv")
    if path.is_dir():
        raise PactlabError(f"cannot write {path}: it is a directory")
    if path.exists() and not os.access(path, os.W_OK):
        raise PactlabError(f"cannot write {path}: the file is not writable")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise PactlabError(f"cannot write {path}: {folder} is not a directory")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PactlabError(f"cannot write {path}: the folder {folder} is not writable")
    return path


def tournament(
    scenarios: ScenarioLike | Sequence[ScenarioLike],
    strategies: Sequence[str],
    *,
    reps: int = 20,
    rounds: int = 100,
    seed: int = 0,
    workers: int = 2,
    discount: float | Mapping[str, float] | None = None,
    complete_information: bool = False,
    progress: Progress | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> TournamentResult:
    """Run every assignment of `strategies` to the parties of every scenario, `reps` times.

    Strategies are spec strings (so that worker processes can rebuild them);
    `workers` = 1 runs in this process. Each call into a user strategy may take
    `time_limit` seconds (None: unbounded). Returns the tidy results table.
    """
    if isinstance(scenarios, str | Path) or not isinstance(scenarios, Sequence):
        scenarios = [scenarios]
    specs = tuple(dict.fromkeys(s.strip() for s in strategies if s.strip()))
    if not specs:
        raise ProtocolError("a tournament needs at least one strategy")
    for name, value in (("reps", reps), ("workers", workers)):
        if not isinstance(value, int) or value < 1:
            raise ProtocolError(f"{name} must be a positive integer, got {value!r}")
    for spec in specs:
        strategy_factory(spec)  # validate every spec here, not in a worker
    spaces = _named_spaces(scenarios)
    _check_fit(specs, spaces)
    jobs = _jobs(spaces, specs, reps, seed)
    settings = {"rounds": rounds, "discount": discount,
                "complete_information": complete_information,
                "time_limit": check_time_limit(time_limit)}
    Session(spaces[0][1], None, name=spaces[0][0], rounds=rounds, discount=discount,
            complete_information=complete_information)  # validate settings once here
    columns = _run(jobs, spaces, settings, workers, progress)
    return TournamentResult(columns=columns, scenarios=tuple(n for n, _ in spaces),
                            strategies=specs, reps=reps, rounds=rounds, seed=seed)


def _named_spaces(scenarios: Sequence[ScenarioLike]) -> list[tuple[str, OfferSpace]]:
    out: list[tuple[str, OfferSpace]] = []
    for k, sc in enumerate(scenarios):
        name, space = resolve_scenario(sc)
        name = name or f"scenario-{k}"
        if any(name == n for n, _ in out):
            name = f"{name}#{k}"
        out.append((name, space))
    return out


def _check_fit(specs: tuple[str, ...], spaces: list[tuple[str, OfferSpace]]) -> None:
    for spec in specs:
        if not make_strategy(spec).bilateral_only:
            continue
        for name, space in spaces:
            if space.n_parties != 2:
                raise ProtocolError(f"strategy {spec!r} plays two-party negotiations only, "
                                    f"but {name} has {space.n_parties} parties")


def _jobs(spaces: list[tuple[str, OfferSpace]], specs: tuple[str, ...], reps: int,
          seed: int) -> list[Job]:
    jobs: list[Job] = []
    for s, (_, space) in enumerate(spaces):
        for c, combo in enumerate(itertools.product(specs, repeat=space.n_parties)):
            for rep in range(reps):
                child = np.random.SeedSequence([seed, s, c, rep]).generate_state(1)[0]
                jobs.append((len(jobs), s, combo, rep, int(child)))
    return jobs


def _run(jobs: list[Job], spaces: list[tuple[str, OfferSpace]], settings: dict[str, Any],
         workers: int, progress: Progress | None) -> dict[str, list[Any]]:
    """The table's columns over every job, in job order (sessions in order, parties in
    scenario order)."""
    total = len(jobs)
    if progress:
        progress(0, total)
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}

    def add(chunk: list[Job], part: dict[str, list[Any]]) -> None:
        for name in COLUMNS:
            columns[name] += part[name]
        if progress:
            progress(chunk[-1][0] + 1, total)

    if workers == 1 or total < 2:
        _init(spaces, settings)
        for k in range(0, total, CHUNK):
            add(jobs[k : k + CHUNK], _run_chunk(jobs[k : k + CHUNK]))
        return columns
    size = max(1, min(CHUNK, math.ceil(total / (workers * 8))))
    chunks = [jobs[k : k + size] for k in range(0, total, size)]
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"),
                               initializer=_init_worker, initargs=(spaces, settings))
    finished = False
    try:
        futures = [pool.submit(_run_chunk, chunk) for chunk in chunks]
        for chunk, fut in zip(chunks, futures, strict=True):
            add(chunk, fut.result())
        finished = True
    except BrokenProcessPool:
        users = sorted({spec for job in jobs for spec in job[2] if ".py:" in spec})
        raise StrategyError(
            "a tournament worker process died"
            + (f" while playing {listing(users)}" if users else "")
            + "; a strategy that calls os._exit, crashes the interpreter or runs out of memory "
            "ends its worker (run with workers=1 / -j 1 to see the failure in this process)"
        ) from None
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:  # Ctrl-C or an error: end the workers now, even one stuck in a strategy
            stop_pool(pool, grace=STOP_GRACE)
    return columns


def _init(spaces: list[tuple[str, OfferSpace]], settings: dict[str, Any]) -> None:
    _WORKER_SPACES[:] = spaces
    _WORKER_SETTINGS.clear()
    _WORKER_SETTINGS.update(settings)


def _init_worker(spaces: list[tuple[str, OfferSpace]], settings: dict[str, Any]) -> None:
    """A worker: Ctrl-C is the parent's to handle (it ends the workers), and what strategies
    print goes to stderr, so the parent's stdout (--json) stays clean."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _init(spaces, settings)


def _run_chunk(jobs: list[Job]) -> dict[str, list[Any]]:
    """One batch per scenario in the chunk (jobs come scenario by scenario, so the rows stay
    in job order); one row per party per session."""
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for s in sorted({job[1] for job in jobs}):
        mine = [job for job in jobs if job[1] == s]
        name, space = _WORKER_SPACES[s]
        parties = space.domain.party_ids
        res = run_batch(space, [job[2] for job in mine], seeds=[job[4] for job in mine],
                        name=name, **_WORKER_SETTINGS)
        n = len(parties)
        each = functools.partial(_repeat, times=n)
        columns["scenario"] += [name] * (len(mine) * n)
        columns["session"] += each([job[0] for job in mine])
        columns["rep"] += each([job[3] for job in mine])
        columns["seed"] += each([job[4] for job in mine])
        columns["pairing"] += each([",".join(f"{p}={c}" for p, c in zip(parties, job[2],
                                                                         strict=True))
                                    for job in mine])
        columns["party"] += list(parties) * len(mine)
        columns["strategy"] += [spec for job in mine for spec in job[2]]
        columns["agreement"] += each(res.agreement.tolist())
        columns["end"] += each([ENDS[e] for e in res.end.tolist()])
        columns["agreement_round"] += each([r if r >= 0 else None
                                            for r in res.agreement_round.tolist()])
        columns["rounds_used"] += each(res.rounds_used.tolist())
        columns["utility"] += res.utilities.ravel().tolist()
        columns["discounted"] += res.discounted.ravel().tolist()
        columns["reservation"] += res.settings.reservations.tolist() * len(mine)
        columns["surplus"] += (res.utilities - res.settings.reservations).ravel().tolist()
        columns["welfare"] += each(res.welfare.tolist())
        columns["pareto_distance"] += each(res.pareto_distance.tolist())
        columns["nash_distance"] += each([None if np.isnan(d) else d
                                          for d in res.nash_distance.tolist()])
    return columns


def _repeat(values: Sequence[Any], times: int) -> list[Any]:
    """Each value `times` times in a row (a session's value on each of its party rows)."""
    return [v for v in values for _ in range(times)]


MEANS = ("utility", "discounted", "surplus", "rounds_used", "welfare", "pareto_distance",
         "nash_distance")


def _group(cols: Mapping[str, list[Any]], keys: tuple[str, ...], order: Sequence[str] = ()
           ) -> list[dict[str, Any]]:
    """Mean of the result columns per group; agreement rate per session, not per row."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, key in enumerate(zip(*(cols[k] for k in keys), strict=True)):
        groups.setdefault(key, []).append(i)
    rank = {name: i for i, name in enumerate(order)}
    out = []
    for key in sorted(groups, key=lambda g: (rank.get(g[0], len(rank)), g)):
        idx = groups[key]
        entry: dict[str, Any] = dict(zip(keys, key, strict=True))
        entry["rows"] = len(idx)
        sessions = {cols["session"][i]: cols["agreement"][i] for i in idx}
        entry["agreement_rate"] = float(np.mean(list(sessions.values())))
        for m in MEANS:
            vals = [cols[m][i] for i in idx if cols[m][i] is not None]
            entry[m] = float(np.mean(vals)) if vals else None
        out.append(entry)
    return out
