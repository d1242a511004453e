"""`pactlab backtest`: every method scored against what actually happened."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from pactlab.backtest import CaseResult, SummaryRow, backtest
from pactlab.backtest.run import DEFAULT_SAMPLES
from pactlab.cli.app import JSON_OPTION, NOISE_OPTION, app, console, err_console, print_json
from pactlab.cli.progress import PROGRESS_OPTION, progress_bar
from pactlab.model.labels import label_key


def _num(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


@app.command("backtest")
def backtest_cmd(
    cases: list[str] = typer.Argument(
        None, metavar="CASE...",
        help="Built-in case or scenario ids, scenario files, or folders of them "
        "(default: every shipped case with an outcome, see `pactlab list --cases`)."),
    noise: str | None = NOISE_OPTION,
    samples: int = typer.Option(DEFAULT_SAMPLES, "--samples", "-n", metavar="N",
                                help="Draws per case for the probabilistic scores."),
    seed: int = typer.Option(0, "--seed", metavar="S", help="Seed of the draws."),
    as_json: bool = JSON_OPTION,
    progress: bool | None = PROGRESS_OPTION,
) -> None:
    """Score every method against what actually happened: per issue, per case, pooled.

    The error of a prediction is the mean over the recorded issues of |predicted − actual|
    divided by the issue's range (0/1 for categorical issues); `deal` scores whether a
    deal was predicted (0 right, 1 wrong). Cases without an [outcome] are skipped. With
    --noise or [[uncertain]] priors, the spread of each bargaining solution is scored too:
    interval coverage, CRPS, log score and the Brier score of P(deal possible).

    Example: pactlab backtest sma-2019 us-rok-2025 --noise weights=0.3 --json
    """
    with progress_bar("backtest", progress) as bar:
        res = backtest(cases or (), noise=noise, samples=samples, seed=seed, progress=bar)
    for warning in res.skipped:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False,
                          soft_wrap=True)
    if as_json:
        print_json(res.to_dict())
        return
    for case in res.cases:
        console.print(_case_table(case))
    console.print(_summary_table(res.summary, f"Pooled over {len(res.cases)} case(s): "
                                 "mean case error, lowest first"))
    if any(row.cases for row in res.summary_forecast_issues.values()):
        console.print(_summary_table(
            res.summary_forecast_issues,
            "Like for like: every method on the issues the stakeholder forecasts cover"))
    if res.summary_probabilistic is not None:
        console.print(_probabilistic_table(res.summary_probabilistic))


def _label(x: float | str) -> str:
    return x if isinstance(x, str) else f"{x:.4g}"


def _case_table(case: CaseResult) -> Table:
    issues = list(case.actual)
    deal = "deal" if case.agreement else "no deal"
    possible = "possible" if case.deal_possible else "not possible"
    table = Table(title=f"{case.id}: as of {case.as_of}, outcome {case.outcome_date} "
                  f"({deal}; in the model a deal is {possible})")
    table.add_column("method")
    for iid in issues:
        table.add_column(f"{iid}\n= {label_key(case.actual[iid])}", justify="right")
    table.add_column("error", justify="right")
    table.add_column("deal", justify="right")
    ranked = sorted(case.methods.items(),
                    key=lambda kv: (kv[1].error is None, kv[1].error or 0.0))
    for name, m in ranked:
        cells = [f"{_label(m.predicted[iid])} ({m.issues[iid]:.2f})" if iid in m.issues else ""
                 for iid in issues]
        table.add_row(name, *cells, _num(m.error), _num(m.agreement_error, 0))
    return table


def _summary_table(summary: dict[str, SummaryRow], title: str) -> Table:
    table = Table(title=title)
    for col in ("rank", "method", "error", "cases", "deal error", "cases "):
        table.add_column(col, justify="left" if col == "method" else "right")
    for n, row in enumerate(summary.values(), 1):
        table.add_row(str(n), row.method, _num(row.error), str(row.cases),
                      _num(row.agreement_error, 2), str(row.agreement_cases))
    return table


def _probabilistic_table(summary: dict) -> Table:
    table = Table(title=f"Under uncertainty, over {summary['cases']} case(s): Brier score of "
                  f"P(deal possible) {_num(summary['brier'])}")
    for col in ("method", "CRPS", "in 50%", "in 80%", "in 90%", "log score"):
        table.add_column(col, justify="left" if col == "method" else "right")
    for name, row in summary["methods"].items():
        cov = row["coverage"] or {}
        table.add_row(name, _num(row["crps"]), *(_num(cov.get(c), 2) for c in ("50", "80", "90")),
                      _num(row["log_score"], 2))
    return table
