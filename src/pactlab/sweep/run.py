"""Running a sweep: priors, design, batches on an engine, the run store, resume.

`sweep(...)` builds the plan (subject, resolved priors, target options), generates the
whole design from the seed, cuts it into batches and runs them on an engine, committing
each finished batch to the run store. `resume(run_id)` reloads the run's parameters,
refuses if the scenario changed since (content hash), and runs only the batches the
store lacks: a sample is a pure function of the plan, its index and its design row, so
the resumed run's results are those of an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pactlab.errors import PactlabError, SweepError
from pactlab.model.priors import Prior, merge, noise_priors, parse_noise, parse_vary
from pactlab.sweep.design import DESIGNS, saltelli_design, unit_design
from pactlab.sweep.engine import Engine, make_engine
from pactlab.sweep.result import Layout, SweepResult
from pactlab.sweep.store import RunStore
from pactlab.sweep.targets import TARGETS, Columns, Plan, evaluate

Progress = Callable[[int, int], None]
MAX_SAMPLES = 10**9
DEFAULT_MEMORY = 1 << 30
BYTES_PER_VALUE = 8 * 3  # a stored number: the design row, its column and the result copy


@dataclass
class SweepSpec:
    """Everything that defines a sweep's samples and results (stored with the run)."""

    scenario: str  # built-in id or absolute path (a stakeholder source for forecasts)
    target: str = "analyze"
    samples: int = 1000
    design: str = "mc"
    seed: int = 0
    vary: list[str] = field(default_factory=list)
    noise: str | None = None
    sensitivity: bool = False
    batch: int = 0  # samples per batch (0: chosen from the sample count)
    options: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def scenario_ref(scenario: str | Path) -> str:
    """A built-in id as is; a file as its absolute path (so `--resume` finds it anywhere)."""
    text = str(scenario)
    path = Path(text)
    if path.exists():
        return str(path.resolve())
    return text


def content_hash(ref: str, target: str) -> str:
    """SHA-256 of the scenario's (or stakeholder table's) file."""
    path = _source_path(ref, target)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise SweepError(f"cannot read {ref}: {exc.strerror}") from None


def _source_path(ref: str, target: str) -> Path:
    if target == "forecast":
        from pactlab.forecast import readers

        found = readers.builtin_path(ref)
        return Path(ref) if found is None else found
    from pactlab.model import loading

    shipped = ref in loading.builtin_ids() or ref in loading.case_ids()
    return loading.builtin_path(ref) if shipped else Path(ref)


def build_plan(spec: SweepSpec) -> Plan:
    """Load the subject, resolve file and command-line priors, check the options."""
    if spec.target not in TARGETS:
        raise SweepError(f"unknown target {spec.target!r}; expected one of {', '.join(TARGETS)}")
    vary = [parse_vary(v) for v in spec.vary]
    if spec.target == "forecast":
        from pactlab.forecast import load_stakeholders
        from pactlab.sweep.stakeholders import read_uncertain, resolve_stakeholders

        if spec.noise:
            raise SweepError("--noise applies to scenario weights and reservations; for "
                             "stakeholder tables use --vary actors.ID.capability=…")
        sh = load_stakeholders(spec.scenario)
        path = _source_path(spec.scenario, "forecast")
        file_priors = resolve_stakeholders(sh, read_uncertain(path), where=str(path))
        cli = resolve_stakeholders(sh, vary, origin="--vary")
        priors = _combine(file_priors, cli)
        subject: Any = sh
    else:
        from pactlab.model.loading import load_scenario
        from pactlab.model.priors import resolve

        sc = load_scenario(spec.scenario)
        noise = noise_priors(sc, parse_noise(spec.noise)) if spec.noise else []
        file_priors = resolve(sc, sc.uncertain)
        cli = resolve(sc, merge(noise, vary), origin="--vary/--noise")
        priors = _combine(file_priors, cli)
        subject = sc
        _check_options(spec, sc)
    if not priors:
        raise SweepError(
            f"{spec.scenario}: nothing is uncertain; add [[uncertain]] entries to the file, "
            "or give --vary PATH=DIST(…) or --noise weights=0.3,reservations=0.05")
    return Plan(spec.target, subject, tuple(priors), spec.seed, dict(spec.options))


def _combine(file_priors: Sequence[Prior], cli: Sequence[Prior]) -> list[Prior]:
    """File priors, each replaced by a command-line prior on the same path."""
    given = {p.path: p for p in cli}
    out = [given.pop(p.path, p) for p in file_priors]
    return out + list(given.values())


def _check_options(spec: SweepSpec, sc: Any) -> None:
    if spec.target == "negotiate":
        from pactlab.negotiation.protocol import Session

        Session(sc, spec.options.get("strategies"), rounds=spec.options.get("rounds", 100),
                time_limit=spec.options.get("time_limit"))
    if spec.target == "linkage":
        from pactlab.analysis.linkage import _check_partition
        from pactlab.model.domain import compile_domain

        domain = compile_domain(sc)
        if domain.status_quo is None:
            raise SweepError("the linkage target needs a status quo for every issue")
        _check_partition(domain, spec.options.get("tracks"))


def design_rows(spec: SweepSpec, d: int) -> np.ndarray:
    """The whole design of a sweep (Saltelli's when sensitivity indices are wanted)."""
    if spec.sensitivity:
        return saltelli_design(spec.samples, d, spec.seed)
    return unit_design(spec.design, spec.samples, d, spec.seed)


def total_samples(spec: SweepSpec, d: int) -> int:
    return spec.samples * (d + 2) if spec.sensitivity else spec.samples


def check_size(spec: SweepSpec, d: int, n_outputs: int, memory: int | None) -> None:
    """Refuse sample counts that are not positive or do not fit the memory budget."""
    if spec.samples <= 0:
        raise SweepError(f"--samples must be positive, got {spec.samples}")
    if spec.batch < 0:
        raise SweepError(f"--batch must be a positive number of samples (0 or none: chosen "
                         f"from the sample count), got {spec.batch}")
    if spec.design not in DESIGNS:
        raise SweepError(f"unknown design {spec.design!r}; expected one of {', '.join(DESIGNS)}")
    budget = DEFAULT_MEMORY if memory is None else memory
    per = BYTES_PER_VALUE * (d + n_outputs + 1)
    n = total_samples(spec, d)
    if n > MAX_SAMPLES or n * per > budget:
        fits = budget // per // ((d + 2) if spec.sensitivity else 1)
        what = "base samples (×(D+2) with --sensitivity)" if spec.sensitivity else "samples"
        raise SweepError(
            f"{n:,} samples need about {n * per / 2**20:,.0f} MiB for their design and results, "
            f"more than the memory budget of {budget / 2**20:,.0f} MiB; at most {fits:,} "
            f"{what} fit: lower --samples or raise --memory")


def default_batch(n: int, target: str, workers: int) -> int:
    """Samples per batch: a few batches per worker, cheap targets in bigger batches."""
    cap, floor = (4096, 64) if target == "analyze" else (256, 1)
    return int(min(cap, max(floor, math.ceil(n / (4 * max(1, workers))))))


def layout_of(plan: Plan, name: str) -> Layout:
    names = tuple(tuple(p.entry.params[0]) if p.categorical else None for p in plan.priors)
    paths = tuple(p.path for p in plan.priors)
    if plan.target == "forecast":
        sh = plan.subject
        return Layout(name, plan.target, party_ids=tuple(sh.actors),
                      dimensions=tuple(d.id for d in sh.dimensions), prior_paths=paths,
                      prior_names=names)
    from pactlab.model.domain import compile_domain

    sc = plan.subject
    d = compile_domain(sc)
    sq = None if d.status_quo is None else tuple(d.labels[i][k]
                                                 for i, k in enumerate(d.status_quo))
    return Layout(sc.id, plan.target, issue_ids=d.issue_ids, labels=d.labels,
                  numeric=tuple(i.is_numeric for i in sc.issues), status_quo=sq,
                  party_ids=d.party_ids, prior_paths=paths, prior_names=names)


def _prior_meta(plan: Plan) -> list[dict[str, Any]]:
    """Each prior as given, with its 5% and 95% quantiles (the tornado's ends)."""
    from pactlab.sweep.sensitivity import TORNADO_HIGH, TORNADO_LOW

    ends = np.array([TORNADO_LOW, TORNADO_HIGH])
    return [{"path": p.path, "dist": p.entry.dist, "params": p.entry.params,
             "quantiles": [p.label(v) for v in p.values(ends)],
             "basis": None if p.entry.basis is None else p.entry.basis.model_dump(
                 exclude_none=True)} for p in plan.priors]


def sweep(scenario: str | Path, target: str = "analyze", *, samples: int = 1000,
          design: str = "mc", seed: int = 0, vary: Sequence[str] = (), noise: str | None = None,
          sensitivity: bool = False, engine: str | Engine = "local",
          workers: int | None = None, address: str | None = None,
          store: RunStore | str | None = None, batch: int = 0, memory: int | None = None,
          progress: Progress | None = None, command: Sequence[str] = (),
          on_start: Callable[[str], None] | None = None, **options: Any) -> SweepResult:
    """Run a sweep of `target` over the uncertain numbers of `scenario`.

    `scenario` is a built-in id or a file (a stakeholder source for `forecast`); priors come
    from its `[[uncertain]]` block, `vary` (``PATH=DIST(…)`` texts) and `noise`
    (``weights=0.3,reservations=0.05``). `store` (a `RunStore` or a location) records the
    run so that it can be resumed; None keeps everything in memory. `options` go to the
    target: `strategies`, `rounds`, `time_limit` (seconds per call into a user strategy;
    negotiate), `tracks` (linkage), `model`, `rounds`,
    `model_options` (forecast). `on_start` is called with the run id once it is recorded.
    """
    spec = SweepSpec(scenario_ref(scenario), target, int(samples), design, int(seed),
                     list(vary), noise, sensitivity, int(batch), dict(options))
    eng = engine if not isinstance(engine, str) else make_engine(engine, workers, address)
    plan = build_plan(spec)
    d = len(plan.priors)
    layout = layout_of(plan, spec.scenario)
    check_size(spec, d, _n_outputs(layout), memory)
    n = total_samples(spec, d)
    if not spec.batch:
        spec.batch = default_batch(n, target, getattr(eng, "workers", None) or 1)
    run_store = RunStore(store) if isinstance(store, str) else store
    run_id = uuid.uuid4().hex[:12]
    if run_store is not None:
        run_store.create(run_id, scenario=spec.scenario,
                         scenario_hash=content_hash(spec.scenario, target), target=target,
                         samples=n, seed=spec.seed, engine=eng.name,
                         command=list(command), params=spec.to_dict())
    if on_start is not None:
        on_start(run_id)
    return _execute(spec, plan, layout, eng, run_store, run_id, progress)


def resume(run_id: str, store: RunStore | str | None = None, *,
           engine: str | Engine = "local", workers: int | None = None,
           address: str | None = None, progress: Progress | None = None) -> SweepResult:
    """Finish a stored run that was interrupted or killed: only its missing batches run."""
    run_store = store if isinstance(store, RunStore) else RunStore(store)
    run = run_store.get(run_id)
    if run.status == "finished":
        raise SweepError(f"run {run_id} is already finished ({run.done:,} samples); "
                         f"`pactlab runs show {run_id}` shows it")
    spec = SweepSpec(**run.params)
    now = content_hash(spec.scenario, spec.target)
    if now != run.scenario_hash:
        raise SweepError(
            f"{spec.scenario} changed since run {run_id} started (content hash "
            f"{run.scenario_hash[:12]}… then, {now[:12]}… now); resuming would mix samples of "
            "two models: start a new sweep instead")
    eng = engine if not isinstance(engine, str) else make_engine(engine, workers, address)
    plan = build_plan(spec)
    layout = layout_of(plan, spec.scenario)
    run_store.set_status(run_id, "running", engine=eng.name)
    return _execute(spec, plan, layout, eng, run_store, run_id, progress)


def _n_outputs(layout: Layout) -> int:
    if layout.target == "forecast":
        return len(layout.dimensions)
    return 4 * (1 + len(layout.party_ids)) + 3 + len(layout.party_ids)


def _execute(spec: SweepSpec, plan: Plan, layout: Layout, eng: Engine,
             run_store: RunStore | None, run_id: str, progress: Progress | None
             ) -> SweepResult:
    d = len(plan.priors)
    u = design_rows(spec, d)
    n = len(u)
    done = run_store.done_starts(run_id) if run_store is not None else set()
    starts = range(0, n, spec.batch)
    todo = [(s, u[s:s + spec.batch]) for s in starts if s not in done]
    count = sum(min(spec.batch, n - s) for s in done)
    kept: list[Columns] = []
    if progress is not None:
        progress(count, n)
    try:
        for cols in eng.run(plan, todo):
            if run_store is not None:
                run_store.commit_batch(run_id, cols)
            else:
                kept.append(cols)
            count += len(cols["sample"])
            if progress is not None:
                progress(count, n)
    except (KeyboardInterrupt, PactlabError):
        if run_store is not None:
            run_store.set_status(run_id, "interrupted")
        raise
    except BaseException:
        if run_store is not None:
            run_store.set_status(run_id, "failed")
        raise
    batches = list(run_store.read_batches(run_id)) if run_store is not None else sorted(
        kept, key=lambda c: int(c["sample"][0]))
    columns = {k: np.concatenate([b[k] for b in batches]) for k in batches[0]}
    if len(columns["sample"]) != n or not np.array_equal(columns["sample"], np.arange(n)):
        raise SweepError(f"run {run_id}: the store holds {len(columns['sample']):,} of {n:,} "
                         "samples after the run; resume it to finish")
    meta = {"seed": spec.seed, "design": "saltelli" if spec.sensitivity else spec.design,
            "engine": eng.name, "run_id": run_id, "priors": _prior_meta(plan),
            "batch": spec.batch}
    result = SweepResult(layout, columns, meta)
    if spec.sensitivity:
        result = _with_sensitivity(result, plan, layout, spec)
    if run_store is not None and not isinstance(eng, _StoredOnly):
        run_store.set_status(run_id, "finished")
    return result


def _with_sensitivity(result: SweepResult, plan: Plan, layout: Layout, spec: SweepSpec
                      ) -> SweepResult:
    from pactlab.sweep.sensitivity import sobol_indices, tornado

    def oat(u: np.ndarray) -> SweepResult:
        return SweepResult(layout, evaluate(plan, 0, u), result.meta)

    sens = {"method": "sobol (Saltelli design, SALib) and one-at-a-time tornado (5%/95%)",
            "base_samples": spec.samples,
            "sobol": sobol_indices(result, spec.seed), "tornado": tornado(result, oat)}
    return SweepResult(layout, result.columns, result.meta, sens)


def sweep_stakeholders(sh: Any, entries: Sequence[Any], *, model: str = "bdm",
                       model_options: dict[str, Any] | None = None, samples: int = 64,
                       seed: int = 0, sensitivity: bool = False, workers: int | None = None,
                       progress: Progress | None = None) -> SweepResult:
    """A forecast sweep of a stakeholder table held in memory (nothing stored).

    `entries` are `Uncertain` priors on `actors.<id>.capability|salience.<dim>|
    position.<dim>`; `model` and `model_options` choose the forecast model.
    """
    from pactlab.sweep.stakeholders import resolve_stakeholders

    priors = resolve_stakeholders(sh, entries)
    if not priors:
        raise SweepError("nothing is uncertain: give at least one prior")
    spec = SweepSpec(sh.id or sh.origin or "stakeholders", "forecast", samples, "mc", seed,
                     sensitivity=sensitivity)
    plan = Plan("forecast", sh, tuple(priors), seed,
                {"model": model, "model_options": dict(model_options or {})})
    eng = make_engine("local", workers)
    spec.batch = default_batch(total_samples(spec, len(priors)), "forecast", eng.workers or 1)
    result = _execute(spec, plan, layout_of(plan, spec.scenario), eng, None,
                      uuid.uuid4().hex[:12], progress)
    widths = {f"forecast.{d.id}": d.width for d in sh.dimensions}
    return SweepResult(result.layout, result.columns, result.meta | {"widths": widths},
                       result.sensitivity)


def stored_result(run_id: str, store: RunStore | str | None = None) -> SweepResult:
    """The result of a finished stored run, rebuilt from its batches (no sample re-run)."""
    run_store = store if isinstance(store, RunStore) else RunStore(store)
    run = run_store.get(run_id)
    if run.status != "finished":
        raise SweepError(f"run {run_id} is {run.status} ({run.done:,} of {run.samples:,} "
                         f"samples); finish it with `pactlab sweep --resume {run_id}`")
    spec = SweepSpec(**run.params)
    plan = build_plan(spec)
    return _execute(spec, plan, layout_of(plan, spec.scenario),
                    _StoredOnly(run.engine), run_store, run_id, None)


class _StoredOnly:
    """An engine for finished runs: every batch is already stored, nothing runs."""

    def __init__(self, name: str):
        self.name = name

    def run(self, plan: Plan, batches: Any) -> Any:
        if batches:
            raise SweepError("the store lacks batches of a finished run")
        return iter(())

