"""`pactlab serve`: the local web app (pages, a JSON API, OpenAPI at /docs) on loopback."""

from __future__ import annotations

import ipaddress

import typer

from pactlab.cli.app import app, console, err_console

LOOPBACK = "127.0.0.1"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command("serve")
def serve_cmd(
    port: int = typer.Option(8765, "--port", metavar="N", min=1, max=65535,
                             help="TCP port to listen on."),
    host: str = typer.Option(LOOPBACK, "--host", metavar="ADDR",
                             help="Address to bind (default 127.0.0.1, this machine only; any "
                             "other address is used only when given here, with a warning)."),
    store: str | None = typer.Option(None, "--store", metavar="PATH|URL",
                                     help="Run store for sweeps started from the pages "
                                     "(default: the same store as `pactlab sweep`)."),
    workers: int = typer.Option(1, "--workers", "-j", metavar="N", min=1,
                                help="Worker processes of each sweep."),
) -> None:
    """Serve the web app on 127.0.0.1: scenarios, utility space, offers, negotiation,
    forecast, sweeps, backtests and a JSON API.

    Pages: the scenario list with uploads, each scenario's utility space, an offer
    evaluator, a negotiation, the forecast, sweeps (run in the background, followed in
    the run store) and backtests; the JSON API mirrors every --json shape (OpenAPI
    documentation at /docs).

    Example: pactlab serve --port 8765   (then open http://127.0.0.1:8765/)
    """
    import uvicorn

    from pactlab.web import create_app

    if not is_loopback(host):
        err_console.print(f"[yellow]warning:[/] binding to {host}: the app has no "
                          "authentication and anyone who can reach this address can use it "
                          "(and start sweeps).", highlight=False)
    console.print(f"pactlab serving on http://{host}:{port}/ (API documentation at /docs); "
                  "Ctrl-C stops it.", highlight=False)
    uvicorn.run(create_app(store, workers), host=host, port=port, log_level="warning")
