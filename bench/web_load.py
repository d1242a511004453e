"""Loopback load test of the JSON API: 1,000 requests over 8 concurrent clients.

Starts `pactlab serve`'s app with uvicorn on 127.0.0.1 and a free port (in this
process, in a thread), warms the caches, then sends a fixed mix of requests
(scenario list, analyses of both built-ins, offer evaluations) from 8 client
threads, each with its own HTTP connection, and reports the error count and the
latency quantiles. It talks only to loopback and stops by itself.

    .venv/bin/python bench/web_load.py [--requests 1000] [--clients 8]
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import uvicorn

sys.path.insert(0, str(Path(__file__).parent))
from table import Row, print_table

from pactlab.web import create_app

PATHS = (
    "/api/scenarios",
    "/api/scenarios/sma-2019/analysis",
    "/api/scenarios/us-rok-2025/analysis",
    "/api/scenarios/sma-2019/evaluate?offer=payment=1.2,troops=keep",
    "/api/scenarios/us-rok-2025/evaluate?offer=tariff=15,investment=400",
    "/api/scenarios/sma-2019",
)


def serve(store: str) -> tuple[uvicorn.Server, threading.Thread, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(store=store), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start within 30 s")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def load(base: str, requests: int, clients: int) -> tuple[np.ndarray, int, float]:
    """Latencies (s) of `requests` requests over `clients` threads, errors, wall time."""
    per = [requests // clients + (k < requests % clients) for k in range(clients)]

    def client(k: int) -> tuple[list[float], int]:
        times, errors = [], 0
        with httpx.Client(base_url=base, timeout=60) as http:
            for i in range(per[k]):
                t = time.perf_counter()
                r = http.get(PATHS[(k + i) % len(PATHS)])
                times.append(time.perf_counter() - t)
                errors += r.status_code != 200
        return times, errors

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        done = list(pool.map(client, range(clients)))
    wall = time.perf_counter() - start
    return np.array([t for ts, _ in done for t in ts]), sum(e for _, e in done), wall


def rows(requests: int = 1000, clients: int = 8) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        server, thread, base = serve(str(Path(tmp) / "runs.db"))
        try:
            with httpx.Client(base_url=base, timeout=120) as http:  # warm the caches
                for path in PATHS:
                    http.get(path).raise_for_status()
            times, errors, wall = load(base, requests, clients)
        finally:
            server.should_exit = True
            thread.join(10)
    p50, p95 = np.quantile(times, [0.5, 0.95])
    note = (f"{errors} errors; p50 {p50 * 1e3:.1f} ms, p95 {p95 * 1e3:.1f} ms; "
            f"{requests / wall:,.0f} req/s")
    return [Row("web API, loopback, mixed GETs", f"{requests:,} req × {clients} clients",
                wall, note=note)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    (row,) = print_table(rows(args.requests, args.clients))
    return 1 if not row.note.startswith("0 errors") else 0


if __name__ == "__main__":
    raise SystemExit(main())
