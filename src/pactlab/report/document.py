"""`pactlab report`: one self-contained HTML file that briefs a reader on a scenario.

The file carries plotly.js inline (taken from the installed plotly package), so
it opens with no network; every user label is escaped by jinja2's autoescape
(and by `pactlab.report.style.esc` inside figures). Sections: the scenario with
every number's basis and the sources, the analysis and its ZOPA, the value of
linkage, one negotiation, the stakeholder forecast when the scenario has a
stakeholder set, the sweep when the scenario has priors (`[[uncertain]]`) or a
sample count is given, and the backtest when it records what happened.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import plotly.io as pio
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from pactlab.analysis.analyze import Analysis, analyze
from pactlab.analysis.linkage import Linkage, linkage_value
from pactlab.backtest.methods import load_case_stakeholders
from pactlab.backtest.results import CaseResult
from pactlab.backtest.run import backtest_case
from pactlab.errors import PactlabError
from pactlab.forecast import run_forecast
from pactlab.forecast.result import ForecastResult
from pactlab.model.loading import load_scenario
from pactlab.model.schema import Scenario
from pactlab.negotiation import SessionResult, run_session
from pactlab.negotiation.protocol import DEFAULT_STRATEGY
from pactlab.report.figures import figure
from pactlab.report.scenario_view import issue_numbers, number_rows
from pactlab.sweep.result import SweepResult

DEFAULT_SAMPLES = 500
DEFAULT_NOISE = "weights=0.3,reservations=0.05"  # when the scenario has no priors

Progress = Callable[[int, int], None]
FORECAST_MODEL = "bdm"
PLOT_CONFIG = {"displaylogo": False, "responsive": True}

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("pactlab.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows; each optional section is None when it does not apply."""

    scenario: Scenario
    analysis: Analysis
    linkage: Linkage | None
    linkage_problem: str | None
    session: SessionResult
    forecast: ForecastResult | None
    backtest: CaseResult | None
    sweep: SweepResult | None = None
    figures: dict[str, Markup] = field(default_factory=dict)


def figure_html(result: Any, name: str, **options: Any) -> Markup:
    """A figure as a `<div>` and its script (plotly.js itself is included once per page)."""
    fig = figure(result, **options)
    return Markup(pio.to_html(fig, full_html=False, include_plotlyjs=False,
                              div_id=f"figure-{name}", config=PLOT_CONFIG))


def collect(scenario: Scenario | str | Path, *, strategies: Mapping[str, str] | None = None,
            others: str = DEFAULT_STRATEGY, rounds: int = 100, seed: int = 0,
            samples: int | None = None, noise: str | None = None,
            progress: Progress | None = None) -> ReportData:
    """Run every analysis the report shows (`progress` is called with (done, total)).

    The sweep runs when the scenario has priors or `samples` is given: `samples`
    (default 500) over the file's priors, plus `noise` (default, for a scenario
    without priors, ``weights=0.3,reservations=0.05``).
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    with_sweep = bool(sc.uncertain) or samples is not None
    total = 6 if with_sweep else 5
    tick = progress or (lambda done, total: None)
    tick(0, total)
    analysis = analyze(sc)
    tick(1, total)
    try:
        linkage, problem = linkage_value(sc), None
    except PactlabError as exc:  # e.g. no status quo on every issue
        linkage, problem = None, str(exc)
    tick(2, total)
    specs = {p.id: (strategies or {}).get(p.id, others) for p in sc.parties}
    session = run_session(sc, specs, rounds=rounds, seed=seed)
    tick(3, total)
    sh = load_case_stakeholders(sc)
    forecast = None if sh is None else run_forecast(sh, FORECAST_MODEL)
    tick(4, total)
    case = None if sc.outcome is None else backtest_case(sc)
    tick(5, total)
    swept = None
    if with_sweep:
        from pactlab.sweep import sweep

        ref = str(sc.origin) if sc.origin is not None else sc.id
        swept = sweep(ref, "analyze", samples=samples or DEFAULT_SAMPLES, seed=seed,
                      noise=noise if noise is not None or sc.uncertain else DEFAULT_NOISE,
                      workers=1)
        tick(6, total)
    figures = {"analysis": figure_html(analysis, "analysis"),
               "session": figure_html(session, "session")}
    if linkage is not None:
        figures["linkage"] = figure_html(linkage, "linkage")
    if forecast is not None:
        figures["forecast"] = figure_html(forecast, "forecast")
    if case is not None:
        figures["backtest"] = figure_html(case, "backtest")
    if swept is not None:
        figures["sweep"] = figure_html(swept, "sweep")
    return ReportData(sc, analysis, linkage, problem, session, forecast, case, swept, figures)


def render(data: ReportData) -> str:
    """The report as one HTML document."""
    from pactlab import __version__

    return _ENV.get_template("report.html.j2").render(
        d=data, sc=data.scenario, rows=number_rows(data.scenario), issue_numbers=issue_numbers,
        plotly_js=Markup(get_plotlyjs()), version=__version__)


def build_report(scenario: Scenario | str | Path, **options: Any) -> str:
    """`collect` then `render`: the whole report of a scenario as HTML text."""
    return render(collect(scenario, **options))
