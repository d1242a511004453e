"""Forecast models by name, each with declared and validated parameters.

`make_model("bdm", rounds=20, mode="clean")` returns a `BDM` whose fields are the model's
parameters; a misspelt option, a value of the wrong type or out of range is a
`PactlabError` naming the model, the option and what it accepts (with a did-you-mean),
raised before any work. `run_forecast` is the one-call form the CLI and the API use.

Limits stated here are checked before a run allocates anything: `MAX_ROUNDS` rounds; a path
of at most `MAX_PATH_FLOATS` positions ((rounds + 1) × actors × dimensions, every round
is kept); SMP on at most `SMP_MAX_ACTORS` actors unless raised (its time grows with
actors³ per step: 300 actors take about half a second a step on one core).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pactlab.errors import PactlabError, UnknownNameError
from pactlab.forecast.baselines import forecast_condorcet, forecast_mean, forecast_median
from pactlab.forecast.result import ForecastResult
from pactlab.forecast.stakeholders import Stakeholders

MAX_ROUNDS = 10_000
MAX_PATH_FLOATS = 50_000_000  # 400 MB of positions
SMP_MAX_ACTORS = 500
Progress = Callable[[int, int], None] | None


class ForecastModel(BaseModel):
    """A forecast model: its fields are its parameters; `run` applies it to a table."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    name: ClassVar[str]
    summary: ClassVar[str]

    def run(self, sh: Stakeholders, progress: Progress = None) -> ForecastResult:
        raise NotImplementedError

    def _check_path(self, sh: Stakeholders, rounds: int) -> None:
        floats = (rounds + 1) * sh.n_actors * sh.n_dimensions
        if floats > MAX_PATH_FLOATS:
            raise PactlabError(
                f"{self.name}: {rounds:,} rounds of {sh.n_actors:,} actors on "
                f"{sh.n_dimensions} dimension(s) would keep {floats:,} positions "
                f"(every round is kept); at most {MAX_PATH_FLOATS:,} fit the memory budget: "
                f"use at most {MAX_PATH_FLOATS // (sh.n_actors * sh.n_dimensions) - 1:,} rounds")


class Baseline(ForecastModel):
    """A static baseline: no parameters, no rounds (the path is the input alone)."""

    def run(self, sh: Stakeholders, progress: Progress = None) -> ForecastResult:
        return BASELINES[self.name](sh)


class Mean(Baseline):
    name: ClassVar[str] = "mean"
    summary: ClassVar[str] = "capability × salience weighted mean (baseline)"


class Median(Baseline):
    name: ClassVar[str] = "median"
    summary: ClassVar[str] = "capability × salience weighted median (baseline)"


class Condorcet(Baseline):
    name: ClassVar[str] = "condorcet"
    summary: ClassVar[str] = "the position no other beats by weighted majority (baseline)"


BASELINES: dict[str, Callable[[Stakeholders], ForecastResult]] = {
    "mean": forecast_mean, "median": forecast_median, "condorcet": forecast_condorcet}


class BDM(ForecastModel):
    """Bueno de Mesquita's expected-utility model (Scholz et al. 2011), `rounds` rounds."""

    name: ClassVar[str] = "bdm"
    summary: ClassVar[str] = "Bueno de Mesquita expected utility (Scholz et al. 2011)"
    rounds: int = Field(10, ge=0, le=MAX_ROUNDS)
    mode: Literal["scholz", "clean"] = "scholz"
    q: float = Field(1.0, ge=0.0, le=1.0)
    tol: float = Field(0.0, ge=0.0, le=1.0)

    def run(self, sh: Stakeholders, progress: Progress = None) -> ForecastResult:
        from pactlab.forecast.bdm import forecast_eu

        self._check_path(sh, self.rounds)
        return forecast_eu(sh, self.rounds, mode=self.mode, q=self.q, tol=self.tol,
                           progress=progress)


class SMP(ForecastModel):
    """KTAB's Spatial Model of Politics, until it converges or at most `rounds` steps."""

    name: ClassVar[str] = "smp"
    summary: ClassVar[str] = "KTAB Spatial Model of Politics (default parameters)"
    rounds: int = Field(100, ge=0, le=MAX_ROUNDS)
    min_iter: int = Field(2, ge=0)
    min_delta_ratio: float = Field(0.02, ge=0.0)
    stop_on_cycle: bool = True
    max_actors: int = Field(SMP_MAX_ACTORS, ge=2)

    def run(self, sh: Stakeholders, progress: Progress = None) -> ForecastResult:
        from pactlab.forecast.smp import forecast_smp

        if sh.n_actors > self.max_actors:
            raise PactlabError(
                f"smp: {sh.n_actors:,} actors; the SMP runs on at most {self.max_actors:,} by "
                "default, since every step weighs every actor's view of every contest "
                f"(actors³ work: about {sh.n_actors**3 * 2e-8:,.0f} s a step here). Raise "
                f"the limit with `pactlab forecast --max-actors {sh.n_actors}` "
                f"(max_actors={sh.n_actors} in Python) or use --model bdm")
        self._check_path(sh, self.rounds)
        return forecast_smp(sh, self.rounds, min_iter=self.min_iter,
                            min_delta_ratio=self.min_delta_ratio,
                            stop_on_cycle=self.stop_on_cycle, progress=progress)


MODEL_CLASSES: dict[str, type[ForecastModel]] = {
    cls.name: cls for cls in (Mean, Median, Condorcet, BDM, SMP)}
MODELS = tuple(MODEL_CLASSES)


def make_model(name: str, **options: Any) -> ForecastModel:
    """The model `name` with `options` as its parameters, validated."""
    cls = MODEL_CLASSES.get(name)
    if cls is None:
        hint = difflib.get_close_matches(str(name), MODELS, n=1)
        raise UnknownNameError(
            f"unknown model {name!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
            + f" (models: {', '.join(MODELS)})")
    fields = list(cls.model_fields)
    for key in options:
        if key not in fields:
            hint = difflib.get_close_matches(key, fields, n=1)
            takes = (f"it takes {', '.join(fields)}" if fields else "it takes no options")
            raise PactlabError(
                f"{name}: unknown option {key!r}"
                + (f"; did you mean {hint[0]!r}?" if hint else "") + f" ({takes})")
    try:
        return cls(**options)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        raise PactlabError(f"{name}: option {where!r}: {err['msg']} (got "
                           f"{err.get('input')!r:.60})") from None


def run_forecast(sh: Stakeholders, model: str = "bdm", rounds: int | None = None, *,
                 progress: Progress = None, **options: Any) -> ForecastResult:
    """Run one model by name; `rounds` defaults to 10 for BDM and a cap of 100 for SMP.

    `options` are the model's parameters (see `MODEL_CLASSES`); `progress(done, total)` is
    called after every round of the dynamic models.
    """
    if rounds is not None:
        options["rounds"] = rounds
    return make_model(model, **options).run(sh, progress)
