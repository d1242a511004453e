"""The FastAPI application: HTML pages and a JSON API mirroring every `--json` shape.

Every answer is built by the library and serialised by `pactlab.result.to_json` (the
one JSON policy). Input errors are `PactlabError`s: the API answers 400 with
``{"error": message}``, the pages show the message; unknown names answer 404. Long
work (sweeps) runs in the background on the sweep engine and is followed through the
run store. plotly.js is served from the installed package: the pages need no network.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from typing import Annotated, Any

import jinja2
from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from pactlab.errors import PactlabError, RequestError, UnknownNameError
from pactlab.negotiation.registry import party_assignments
from pactlab.report.document import DEFAULT_NOISE
from pactlab.result import to_json
from pactlab.web.workbench import (
    MAX_UPLOAD,
    Workbench,
    check_strategy,
    parse_offer_form,
)

FORECAST_MODELS = ("bdm", "smp", "mean", "median", "condorcet")
SWEEP_TARGETS = ("analyze", "negotiate")

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("pactlab.web", "templates"),
                          autoescape=True, undefined=jinja2.StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True)


class JSONText(Response):
    media_type = "application/json"


def _json(obj: Any, status: int = 200) -> JSONText:
    return JSONText(to_json(obj), status_code=status)


def _cached(bench: Workbench, key: tuple[Any, ...], make: Any) -> JSONText:
    return JSONText(bench.answer(key, make))


def _figure(result: Any, name: str, **options: Any) -> Markup:
    from pactlab.report.document import figure_html

    return figure_html(result, name, **options)


@cache
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def create_app(store: str | None = None, sweep_workers: int = 1) -> FastAPI:
    """The app; `store` is the sweep run store's location (default: the user's store)."""
    bench = Workbench(store, sweep_workers)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        bench.close()

    app = FastAPI(title="pactlab", lifespan=lifespan,
                  description="Analyse, simulate and forecast multi-issue negotiations. "
                  "Every JSON answer has the shape of the matching `pactlab … --json`.")
    app.state.bench = bench

    def page(request: Request, template: str, status: int = 200, **context: Any
             ) -> HTMLResponse:
        html = _ENV.get_template(template).render(request=request, **context)
        return HTMLResponse(html, status_code=status)

    @app.exception_handler(PactlabError)
    async def _input_error(request: Request, exc: PactlabError) -> Response:
        status = 404 if isinstance(exc, UnknownNameError) else 400
        if request.url.path.startswith("/api/"):
            return _json({"error": str(exc)}, status)
        return page(request, "error.html.j2", status, message=str(exc))

    # --- static ----------------------------------------------------------------------
    @app.get("/static/plotly.js", include_in_schema=False)
    def plotly_js() -> Response:
        return Response(_plotly_js(), media_type="text/javascript",
                        headers={"Cache-Control": "max-age=86400"})

    # --- JSON API --------------------------------------------------------------------
    @app.get("/api/scenarios", tags=["scenarios"])
    def api_scenarios() -> Response:
        """Built-in scenarios, cases and uploads (like `pactlab list --json`)."""
        return _json({"scenarios": bench.listing()})

    @app.post("/api/scenarios", tags=["scenarios"])
    async def api_upload(files: Annotated[list[UploadFile], File()]) -> Response:
        """Upload a scenario .toml (or a GENIUS domain .xml and its profiles), ≤ 1 MiB."""
        entry = bench.upload(await _read_uploads(files))
        return _json({"id": entry.id, "title": entry.scenario.title}, 201)

    @app.get("/api/scenarios/{sid}", tags=["scenarios"])
    def api_show(sid: str) -> Response:
        """The scenario (like `pactlab show --json`)."""
        sc = bench.entry(sid).scenario
        return _json(sc.model_dump(mode="json") | {"outcomes": sc.outcome_count})

    @app.get("/api/scenarios/{sid}/analysis", tags=["analysis"])
    def api_analysis(sid: str, full: bool = False) -> Response:
        """Frontier, solutions, status quo (like `pactlab analyze --json`)."""
        return _cached(bench, ("analysis", sid, full), lambda: bench.analysis(sid).to_dict(full))

    @app.get("/api/scenarios/{sid}/evaluate", tags=["analysis"])
    def api_evaluate(sid: str, offer: Annotated[str, Query(max_length=4000)],
                     top: Annotated[int, Query(ge=1, le=100)] = 5) -> Response:
        """An offer `issue=value,…` (like `pactlab evaluate --json`)."""
        from pactlab.analysis.offers import evaluate_offer

        sc = bench.entry(sid).scenario
        return _cached(bench, ("evaluate", sid, offer, top),
                       lambda: evaluate_offer(sc, offer, top).to_dict())

    @app.get("/api/scenarios/{sid}/linkage", tags=["analysis"])
    def api_linkage(sid: str, tracks: Annotated[str | None, Query(max_length=4000)] = None
                    ) -> Response:
        """Separate tracks versus one package (like `pactlab linkage --json`)."""
        from pactlab.analysis.linkage import linkage_value

        sc = bench.entry(sid).scenario
        return _cached(bench, ("linkage", sid, tracks), lambda: linkage_value(sc, tracks).to_dict())

    @app.get("/api/scenarios/{sid}/negotiate", tags=["negotiation"])
    def api_negotiate(sid: str, strategy: Annotated[list[str], Query()] = [],  # noqa: B006
                      others: str = "linear", rounds: Annotated[int, Query(ge=1, le=5000)] = 100,
                      seed: int = 0) -> Response:
        """One session, `strategy=PARTY=NAME` repeatable (like `pactlab negotiate --json`)."""
        chosen = party_assignments(strategy, "strategy")
        return _cached(bench, ("negotiate", sid, tuple(sorted(chosen.items())), others, rounds,
                               seed),
                       lambda: _negotiate(bench, sid, chosen, others, rounds, seed).to_dict())

    @app.get("/api/scenarios/{sid}/forecast", tags=["forecast"])
    def api_forecast(sid: str, model: str = "bdm") -> Response:
        """The stakeholder forecast (like `pactlab forecast --json`)."""
        return _cached(bench, ("forecast", sid, model),
                       lambda: _forecast(bench, sid, model).to_dict())

    @app.get("/api/scenarios/{sid}/backtest", tags=["backtest"])
    def api_backtest(sid: str) -> Response:
        """Every method scored against the recorded outcome (one case of `pactlab backtest`)."""
        return _cached(bench, ("backtest", sid), lambda: _backtest(bench, sid).to_dict())

    @app.post("/api/scenarios/{sid}/sweeps", tags=["sweeps"], status_code=202)
    def api_sweep(sid: str, target: str = "analyze",
                  samples: Annotated[int, Query(ge=1)] = 200,
                  noise: str = DEFAULT_NOISE, seed: int = 0) -> Response:
        """Start a sweep in the background; follow it at /api/runs/{run_id}."""
        return _json({"run_id": _start_sweep(bench, sid, target, samples, noise, seed)}, 202)

    @app.get("/api/runs", tags=["sweeps"])
    def api_runs() -> Response:
        """The run store's runs (like `pactlab runs --json`)."""
        return _json({"runs": [r.to_dict() for r in bench.store.list()]})

    @app.get("/api/runs/{run_id}", tags=["sweeps"])
    def api_run(run_id: str) -> Response:
        """A run's status and progress; with `result` once it has finished."""
        run = bench.run(run_id)
        if run["status"] == "finished":
            run["result"] = bench.result(run_id).to_dict()
        return _json(run)

    # --- pages -----------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> HTMLResponse:
        return page(request, "index.html.j2", scenarios=bench.listing(), limit=MAX_UPLOAD)

    @app.post("/upload", response_class=HTMLResponse, include_in_schema=False)
    async def upload(request: Request, files: Annotated[list[UploadFile], File()]) -> Response:
        try:
            entry = bench.upload(await _read_uploads(files))
        except PactlabError as exc:
            return page(request, "index.html.j2", 400, scenarios=bench.listing(),
                        limit=MAX_UPLOAD, upload_error=str(exc))
        return RedirectResponse(f"/scenarios/{entry.id}", status_code=303)

    @app.get("/scenarios/{sid}", response_class=HTMLResponse, include_in_schema=False)
    def scenario_page(request: Request, sid: str, pair: str | None = None) -> HTMLResponse:
        entry = bench.entry(sid)
        res = bench.analysis(sid)
        chosen = tuple(pair.split(",")) if pair else None
        try:
            fig = _figure(res, "analysis", pair=chosen)
        except ValueError as exc:
            raise RequestError(str(exc)) from None
        return page(request, "scenario.html.j2", entry=entry, sc=entry.scenario, a=res,
                    figure=fig, pair=chosen or res.parties[:2])

    @app.get("/scenarios/{sid}/offer", response_class=HTMLResponse, include_in_schema=False)
    def offer_page(request: Request, sid: str) -> HTMLResponse:
        from pactlab.analysis.offers import evaluate_offer

        entry = bench.entry(sid)
        form = dict(request.query_params)
        ev = fig = error = None
        if any(i.id in form for i in entry.scenario.issues):
            try:
                ev = evaluate_offer(entry.scenario, parse_offer_form(entry, form))
                fig = _figure(ev, "offer")
            except PactlabError as exc:
                error = str(exc)
        return page(request, "offer.html.j2", 400 if error else 200, entry=entry,
                    sc=entry.scenario, form=form, ev=ev, figure=fig, error=error)

    @app.get("/scenarios/{sid}/negotiate", response_class=HTMLResponse,
             include_in_schema=False)
    def negotiate_page(request: Request, sid: str,
                       rounds: Annotated[int, Query(ge=1, le=5000)] = 100,
                       seed: int = 0) -> HTMLResponse:
        from pactlab.negotiation.registry import strategy_names

        entry = bench.entry(sid)
        chosen = {p.id: request.query_params.get(f"s_{p.id}", "linear")
                  for p in entry.scenario.parties}
        res = _negotiate(bench, sid, chosen, "linear", rounds, seed)
        return page(request, "negotiate.html.j2", entry=entry, sc=entry.scenario, res=res,
                    chosen=chosen, names=strategy_names(), rounds=rounds, seed=seed,
                    figure=_figure(res, "session"))

    @app.get("/scenarios/{sid}/forecast", response_class=HTMLResponse,
             include_in_schema=False)
    def forecast_page(request: Request, sid: str, model: str = "bdm") -> HTMLResponse:
        entry = bench.entry(sid)
        res = _forecast(bench, sid, model)
        return page(request, "forecast.html.j2", entry=entry, sc=entry.scenario, res=res,
                    models=FORECAST_MODELS, model=model, figure=_figure(res, "forecast"))

    @app.get("/scenarios/{sid}/backtest", response_class=HTMLResponse,
             include_in_schema=False)
    def backtest_page(request: Request, sid: str) -> HTMLResponse:
        entry = bench.entry(sid)
        res = _backtest(bench, sid)
        return page(request, "backtest.html.j2", entry=entry, sc=entry.scenario, b=res,
                    figure=_figure(res, "backtest"))

    @app.get("/scenarios/{sid}/sweep", response_class=HTMLResponse, include_in_schema=False)
    def sweep_form(request: Request, sid: str) -> HTMLResponse:
        entry = bench.entry(sid)
        return page(request, "sweep.html.j2", entry=entry, sc=entry.scenario,
                    targets=SWEEP_TARGETS, noise=DEFAULT_NOISE)

    @app.post("/scenarios/{sid}/sweep", include_in_schema=False)
    def sweep_start(sid: str, target: Annotated[str, Form()] = "analyze",
                    samples: Annotated[int, Form()] = 200,
                    noise: Annotated[str, Form()] = DEFAULT_NOISE,
                    seed: Annotated[int, Form()] = 0) -> Response:
        run_id = _start_sweep(bench, sid, target, samples, noise, seed)
        return RedirectResponse(f"/runs/{run_id}", status_code=303)

    @app.get("/runs/{run_id}", response_class=HTMLResponse, include_in_schema=False)
    def run_page(request: Request, run_id: str) -> HTMLResponse:
        run = bench.run(run_id)
        res = bench.result(run_id) if run["status"] == "finished" else None
        return page(request, "run.html.j2", run=run, res=res,
                    figure=_figure(res, "sweep") if res is not None else None)

    return app


async def _read_uploads(files: list[UploadFile]) -> list[tuple[str, bytes]]:
    """Each file's name and bytes, reading no more than the upload limit in all."""
    out: list[tuple[str, bytes]] = []
    left = MAX_UPLOAD
    for f in files:
        data = await f.read(left + 1)
        if len(data) > left:
            raise RequestError(f"the upload is larger than {MAX_UPLOAD:,} bytes (1 MiB); "
                              "nothing was read")
        left -= len(data)
        out.append((f.filename or "upload", data))
    return [(n, d) for n, d in out if n or d]


def _negotiate(bench: Workbench, sid: str, chosen: dict[str, str], others: str, rounds: int,
               seed: int) -> Any:
    from pactlab.negotiation import run_session

    sc = bench.entry(sid).scenario
    specs = {p.id: check_strategy(chosen.get(p.id, others)) for p in sc.parties}
    unknown = sorted(set(chosen) - set(specs))
    if unknown:
        raise RequestError(f"unknown party {unknown[0]!r}; the parties are "
                          f"{', '.join(specs)}")
    return run_session(sc, specs, rounds=rounds, seed=seed)


def _forecast(bench: Workbench, sid: str, model: str) -> Any:
    from pactlab.backtest.methods import load_case_stakeholders
    from pactlab.forecast import run_forecast

    if model not in FORECAST_MODELS:
        raise UnknownNameError(f"unknown model {model!r}; expected one of "
                               f"{', '.join(FORECAST_MODELS)}")
    sh = load_case_stakeholders(bench.entry(sid).scenario)
    if sh is None:
        raise UnknownNameError(f"scenario {sid!r} has no stakeholder set to forecast from")
    return run_forecast(sh, model)


def _backtest(bench: Workbench, sid: str) -> Any:
    from pactlab.backtest.run import backtest_case

    sc = bench.entry(sid).scenario
    if sc.outcome is None:
        raise UnknownNameError(f"scenario {sid!r} records no outcome ([outcome]) to backtest")
    return backtest_case(sc)


def _start_sweep(bench: Workbench, sid: str, target: str, samples: int, noise: str,
                 seed: int) -> str:
    if target not in SWEEP_TARGETS:
        raise RequestError(f"unknown target {target!r}; expected one of "
                          f"{', '.join(SWEEP_TARGETS)}")
    return bench.start_sweep(sid, target=target, samples=samples, noise=noise, seed=seed)
