"""Engines: real local Ray gives the results of the local pool; bad addresses fail fast."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pactlab.sweep import RayEngine, RunStore, resume, sweep

from .conftest import NOISE, same_columns


def test_ray_gives_the_local_results_and_resumes_local_runs(tmp_path):
    ray = pytest.importorskip("ray")
    engine = RayEngine(workers=2)
    engine.connect()  # a real local Ray instance, started once for this test
    try:
        on_ray = sweep("sma-2019", samples=400, noise=NOISE, seed=21, engine=engine,
                       batch=50)
        local = sweep("sma-2019", samples=400, noise=NOISE, seed=21, workers=2)
        assert on_ray.meta["engine"] == "ray"
        same_columns(on_ray, local)
        # a run stopped half-way on the local engine is finished on Ray, identically
        store = str(tmp_path / "runs.sqlite")
        st = RunStore(store)
        done = sweep("sma-2019", samples=400, noise=NOISE, seed=21, workers=1, batch=50,
                     store=st)
        run_id = done.meta["run_id"]
        with st.engine.begin() as conn:  # forget the second half, as a crash would
            conn.execute(st.batches.delete().where(st.batches.c.start >= 200))
            conn.execute(st.runs.update().values(done=200, status="interrupted"))
        again = resume(run_id, st, engine=engine)
        assert st.get(run_id).engine == "ray"
        same_columns(again, local)
        negotiated = [sweep("sma-2019", "negotiate", samples=6, noise=NOISE, seed=2, engine=e,
                            strategies={"us": "boulware"}, rounds=60) for e in (engine, "local")]
        same_columns(*negotiated)
    finally:
        ray.shutdown()


CONNECT = """
import socket, sys, time
import ray  # imported before the clock starts: only the connection is timed
from pactlab.errors import SweepError
from pactlab.sweep import RayEngine
start = time.monotonic()
try:
    RayEngine(address=sys.argv[1]).connect()
except SweepError as exc:
    print(f"{time.monotonic() - start:.2f}", exc)
"""


def test_an_address_that_does_not_answer_fails_within_15_seconds():
    pytest.importorskip("ray")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the TCP handshake, never speaks Ray
    address = f"ray://127.0.0.1:{listener.getsockname()[1]}"
    out = subprocess.run([sys.executable, "-c", CONNECT, address], capture_output=True,
                         text=True, timeout=120)
    listener.close()
    seconds, message = out.stdout.split(" ", 1)
    assert float(seconds) < 15 and "did not answer within" in message, out.stderr[-2000:]


def test_a_refused_address_exits_2_at_once(tmp_path):
    pytest.importorskip("ray")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens: connection refused
    exe = str(Path(sys.executable).parent / "pactlab")
    out = subprocess.run([exe, "sweep", "sma-2019", "--noise", NOISE, "-n", "10", "--engine",
                          "ray", "--address", f"ray://127.0.0.1:{port}", "--store",
                          str(tmp_path / "r.sqlite")], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 2 and "does not answer" in out.stderr
    assert f"ray://127.0.0.1:{port}" in out.stderr and "Traceback" not in out.stderr


def test_the_address_probe_lets_a_grpc_server_through():
    """Ray's client server and GCS speak gRPC: a real gRPC server passes the fail-fast probe
    (and a silent port does not, above), so the probe never refuses a live cluster."""
    grpc = pytest.importorskip("grpc")
    from concurrent.futures import ThreadPoolExecutor

    from pactlab.sweep.engine import _reachable

    server = grpc.server(ThreadPoolExecutor(max_workers=1))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        _reachable(f"ray://127.0.0.1:{port}")
    finally:
        server.stop(None)


def test_batch_folders_of_killed_sweeps_are_removed_by_the_next(tmp_path):
    """A sweep killed with SIGKILL runs no clean-up; the next one removes its folder (named
    for its process) and leaves those of live processes and anything else alone."""
    from pactlab.sweep.engine import FOLDER_PREFIX, remove_stale_folders

    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = tmp_path / f"{FOLDER_PREFIX}{gone.pid}-a1b2c3"
    live = tmp_path / f"{FOLDER_PREFIX}{os.getppid()}-d4e5f6"
    other = tmp_path / "pactlab-sweep-notes"
    for folder in (stale, live, other):
        folder.mkdir()
        (folder / "0.npz").write_bytes(b"batch")
    remove_stale_folders(str(tmp_path))
    assert not stale.exists()
    assert live.exists() and other.exists()
