"""The run store on SQLite and PostgreSQL; crash safety with real SIGKILLs; resume; refusals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from pactlab.cli import app
from pactlab.errors import StoreError, SweepError
from pactlab.sweep import RunStore, resume, stored_result, sweep

from .conftest import NOISE, same_columns

runner = CliRunner()


def test_a_stored_run_records_everything_and_reads_back(store_location):
    ids: list[str] = []
    res = sweep("sma-2019", samples=60, noise=NOISE, seed=9, workers=1, batch=25,
                store=store_location, command=["pactlab", "sweep"], on_start=ids.append)
    st = RunStore(store_location)
    run = st.get(res.meta["run_id"])
    assert ids == [run.id]
    assert (run.status, run.done, run.samples, run.seed, run.target) == ("finished", 60, 60,
                                                                        9, "analyze")
    assert len(run.scenario_hash) == 64 and run.version and run.finished >= run.started
    assert run.command == ["pactlab", "sweep"] and run.params["noise"] == NOISE
    assert sorted(st.done_starts(run.id)) == [0, 25, 50]
    same_columns(stored_result(run.id, st), res)
    same_columns(res, sweep("sma-2019", samples=60, noise=NOISE, seed=9, workers=1))
    assert run.id in [r.id for r in st.list()]
    st.delete(run.id)
    with pytest.raises(StoreError, match="no run"):
        st.get(run.id)


def test_resume_refuses_unknown_finished_and_changed_runs(tmp_path):
    store = str(tmp_path / "runs.sqlite")
    scenario = tmp_path / "sma.toml"
    from pactlab.model.loading import builtin_path

    scenario.write_text(builtin_path("sma-2019").read_text())
    res = sweep(scenario, samples=20, noise=NOISE, workers=1, store=store)
    run_id = res.meta["run_id"]
    with pytest.raises(SweepError, match="already finished"):
        resume(run_id, store)
    with pytest.raises(StoreError, match="no run 'nope'"):
        resume("nope", store)
    RunStore(store).set_status(run_id, "interrupted")
    scenario.write_text(scenario.read_text().replace("reservation = 0.30", "reservation = 0.31",
                                                     1))
    with pytest.raises(SweepError, match="changed since run"):
        resume(run_id, store)


@pytest.mark.parametrize(("location", "fragment"), [
    ("{file}/runs.sqlite", "cannot create the folder"),
    ("mysql+mysqldb://u@127.0.0.1/x", "installed database drivers cannot open"),
    ("nosuchdialect://x", "installed database drivers cannot open"),
])
def test_unusable_stores_exit_2(tmp_path, location, fragment):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    out = runner.invoke(app, ["sweep", "sma-2019", "--noise", NOISE, "-n", "10", "--store",
                              location.format(file=blocker)])
    assert out.exit_code == 2, out.output
    assert fragment in " ".join(out.output.split()) and "Traceback" not in out.output


def _cli(*args: str, store: str) -> subprocess.Popen:
    env = dict(os.environ, PACTLAB_STORE=store)
    exe = str(Path(sys.executable).parent / "pactlab")
    return subprocess.Popen([exe, "sweep", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _wait_for_samples(store: str, at_least: int, proc: subprocess.Popen) -> str:
    """Wait (on the store, not the clock) until the sweep has committed `at_least` samples.

    The store is opened once and polled cheaply, so that the sweep, however fast or slow
    the machine, is caught a few batches in and long before its end.
    """
    deadline = time.monotonic() + 120
    st = None
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        if st is None and Path(store).exists():
            st = RunStore(store)
        runs = st.list() if st is not None else []
        if runs and runs[0].done >= at_least:
            return runs[0].id
        time.sleep(0.02)
    raise AssertionError("the sweep never committed a batch")


N, BATCH = 3000, 100  # 30 batches: the test stops the sweep after two
ARGS = ("sma-2019", "--noise", NOISE, "-n", str(N), "--seed", "11", "--batch", str(BATCH))


def _freeze(proc: subprocess.Popen) -> None:
    """Stop the sweep where it is (SIGSTOP), so that the test's next signal lands mid-run.

    The store is not read while the sweep is stopped: it may be stopped inside a commit,
    holding SQLite's lock.
    """
    proc.send_signal(signal.SIGSTOP)
    time.sleep(0.2)
    assert proc.poll() is None, "the sweep finished before it could be stopped"


def test_sigkill_then_resume_loses_and_duplicates_nothing(tmp_path):
    store = str(tmp_path / "runs.sqlite")
    proc = _cli(*ARGS, "--workers", "1", store=store)
    run_id = _wait_for_samples(store, 2 * BATCH, proc)
    _freeze(proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    st = RunStore(store)
    killed = st.get(run_id)
    assert killed.status == "running" and 2 * BATCH <= killed.done < N
    assert killed.done == BATCH * len(st.done_starts(run_id))  # counted once per batch
    res = resume(run_id, store, workers=2)
    run = st.get(run_id)
    assert (run.status, run.done) == ("finished", N)
    assert np.array_equal(res.columns["sample"], np.arange(N))
    same_columns(res, sweep("sma-2019", samples=N, noise=NOISE, seed=11, workers=2))


def test_a_killed_worker_loses_no_committed_sample(tmp_path):
    store = str(tmp_path / "runs.sqlite")
    proc = _cli(*ARGS, "--workers", "2", store=store)
    run_id = _wait_for_samples(store, BATCH, proc)
    _freeze(proc)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    assert children
    os.kill(int(children[0]), signal.SIGKILL)
    proc.send_signal(signal.SIGCONT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert "worker process died" in err and "Traceback" not in err
    st = RunStore(store)
    assert st.get(run_id).status == "interrupted" and st.done_starts(run_id)
    out = runner.invoke(app, ["sweep", "--resume", run_id, "--store", store, "--workers", "1",
                              "--json"])
    assert out.exit_code == 0, out.output
    same_columns(stored_result(run_id, st), sweep("sma-2019", samples=N, noise=NOISE, seed=11,
                                           workers=1))


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(tmp_path):
    store = str(tmp_path / "runs.sqlite")
    proc = _cli("sma-2019", "--noise", NOISE, "-n", "30000", "--batch", "100", "--workers",
                "2", store=store)
    run_id = _wait_for_samples(store, 200, proc)
    _freeze(proc)
    proc.send_signal(signal.SIGINT)  # delivered as the sweep resumes
    proc.send_signal(signal.SIGCONT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert f"pactlab sweep --resume {run_id}" in " ".join(err.split())
    assert RunStore(store).get(run_id).status == "interrupted"
    shown = runner.invoke(app, ["runs", "show", run_id, "--store", store])
    assert shown.exit_code == 0 and "interrupted" in shown.stdout
    assert f"pactlab sweep --resume {run_id}" in " ".join(shown.stdout.split())


def test_runs_commands(tmp_path):
    store = str(tmp_path / "runs.sqlite")
    res = sweep("sma-2019", samples=30, noise=NOISE, workers=1, store=store)
    run_id = res.meta["run_id"]
    listed = runner.invoke(app, ["runs", "list", "--store", store, "--json"])
    assert listed.exit_code == 0 and run_id in listed.stdout
    out = tmp_path / "s.parquet"
    exported = runner.invoke(app, ["runs", "export", run_id, "-o", str(out), "--store", store])
    assert exported.exit_code == 0 and out.exists()
    for bad in (["runs", "show"], ["runs", "frobnicate"], ["runs", "export", run_id],
                ["runs", "show", "zzz"]):
        failed = runner.invoke(app, [*bad, "--store", store])
        assert failed.exit_code == 2 and "Traceback" not in failed.output, bad
    assert runner.invoke(app, ["runs", "delete", run_id, "--store", store]).exit_code == 0
    assert run_id not in runner.invoke(app, ["runs", "list", "--store", store]).stdout


def _open_after(barrier, location, errors):
    barrier.wait()
    try:
        RunStore(location)
    except StoreError as exc:
        errors.put(str(exc))


def test_processes_opening_a_new_store_at_once_all_succeed(tmp_path):
    """A sweep and `runs list` (or two sweeps) may create the same new store together."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    for k in range(5):
        location = str(tmp_path / f"runs{k}.sqlite")
        barrier, errors = ctx.Barrier(4), ctx.Queue()
        procs = [ctx.Process(target=_open_after, args=(barrier, location, errors))
                 for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert errors.empty(), errors.get()
        assert all(p.exitcode == 0 for p in procs)
