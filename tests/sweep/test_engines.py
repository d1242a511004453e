"""Engines: real local Ray gives the results of the local pool; bad addresses fail fast."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from pactlab.sweep import RayEngine, RunStore, resume, sweep

NOISE = "weights=0.3,reservations=0.05"


def test_ray_gives_the_local_results_and_resumes_local_runs(tmp_path):
    ray = pytest.importorskip("ray")
    engine = RayEngine(workers=2)
    engine.connect()  # a real local Ray instance, started once for this test
    try:
        on_ray = sweep("sma-2019", samples=2000, noise=NOISE, seed=21, engine=engine,
                       batch=250)
        local = sweep("sma-2019", samples=2000, noise=NOISE, seed=21, workers=2)
        assert on_ray.meta["engine"] == "ray"
        for k in local.columns:
            np.testing.assert_array_equal(on_ray.columns[k], local.columns[k], err_msg=k)
        # a run stopped half-way on the local engine is finished on Ray, identically
        store = str(tmp_path / "runs.sqlite")
        st = RunStore(store)
        done = sweep("sma-2019", samples=2000, noise=NOISE, seed=21, workers=1, batch=250,
                     store=st)
        run_id = done.meta["run_id"]
        with st.engine.begin() as conn:  # forget the second half, as a crash would
            conn.execute(st.batches.delete().where(st.batches.c.start >= 1000))
            conn.execute(st.runs.update().values(done=1000, status="interrupted"))
        again = resume(run_id, st, engine=engine)
        assert st.get(run_id).engine == "ray"
        for k in local.columns:
            np.testing.assert_array_equal(again.columns[k], local.columns[k], err_msg=k)
        negotiated = [sweep("sma-2019", "negotiate", samples=6, noise=NOISE, seed=2, engine=e,
                            strategies={"us": "boulware"}, rounds=60) for e in (engine, "local")]
        for k in negotiated[1].columns:
            np.testing.assert_array_equal(negotiated[0].columns[k], negotiated[1].columns[k])
    finally:
        ray.shutdown()


@pytest.mark.parametrize("silent", [False, True])
def test_an_address_that_does_not_answer_fails_within_15_seconds(tmp_path, silent):
    pytest.importorskip("ray")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the TCP handshake, never speaks Ray
    port = listener.getsockname()[1]
    if not silent:
        listener.close()  # nothing listens: connection refused
    exe = str(Path(sys.executable).parent / "pactlab")
    start = time.monotonic()
    out = subprocess.run([exe, "sweep", "sma-2019", "--noise", NOISE, "-n", "10", "--engine",
                          "ray", "--address", f"ray://127.0.0.1:{port}", "--store",
                          str(tmp_path / "r.sqlite")], capture_output=True, text=True,
                         timeout=60)
    elapsed = time.monotonic() - start
    listener.close()
    assert out.returncode == 2 and elapsed < 15, (elapsed, out.stderr)
    assert f"ray://127.0.0.1:{port}" in out.stderr and "Traceback" not in out.stderr
