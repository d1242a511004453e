"""Engines: where batches of samples run. `local` (a process pool) or `ray` (a Ray cluster).

Both take a plan and an iterable of batches `(start, design rows)` and yield each batch's
columns as it finishes, keeping a bounded number of batches in flight so that memory
stays flat however many samples a sweep has. Work is shipped in batches, never one task
per sample; the plan is shipped once per worker (pool initializer, `ray.put`). Results do
not depend on the engine or the number of workers: a sample's columns are a pure
function of the plan, its index and its design row.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import shutil
import signal
import socket
import tempfile
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from pactlab.errors import SweepError
from pactlab.pools import stop_pool
from pactlab.sweep.targets import Columns, Plan, evaluate, prepare

Batch = tuple[int, np.ndarray]
ENGINES = ("local", "ray")
CONNECT_TIMEOUT = 10.0  # seconds to reach a Ray cluster: with start-up, an answer within 15 s
HANDSHAKE_TIMEOUT = 5.0  # seconds for a Ray address's gRPC handshake, checked before ray.init
GRACE = 5.0  # seconds busy workers get to finish their batch when a sweep stops early


class Engine(Protocol):
    """What runs batches: a name (stored with the run) and `run`."""

    name: str

    def run(self, plan: Plan, batches: Iterable[Batch]) -> Iterator[Columns]: ...


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


class LocalEngine:
    """A pool of worker processes on this machine (`workers` = 1: run in this process)."""

    name = "local"

    def __init__(self, workers: int | None = None):
        if workers is not None and workers < 1:
            raise SweepError(f"--workers must be at least 1, got {workers}")
        self.workers = workers or default_workers()

    def run(self, plan: Plan, batches: Iterable[Batch]) -> Iterator[Columns]:
        batches = list(batches)
        if self.workers == 1 or len(batches) <= 1:
            for start, u in batches:
                yield evaluate(plan, start, u)
            return
        # fork is fast and needs no `if __name__ == "__main__"` guard in scripts; after
        # other threads have started (Ray, a web server) it is unsafe, so fork a server then
        ctx: Any
        if threading.active_count() == 1:
            ctx = mp.get_context("fork")
            prepare(plan)  # the workers inherit the imports and the compiled plan
        else:
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(["pactlab.sweep.targets", "pactlab.sweep.vector"])
        remove_stale_folders()
        folder = tempfile.TemporaryDirectory(prefix=f"{FOLDER_PREFIX}{os.getpid()}-")
        pool = ProcessPoolExecutor(max_workers=min(self.workers, len(batches)), mp_context=ctx,
                                   initializer=_init_worker, initargs=(plan, folder.name))
        try:
            yield from _bounded(lambda b: pool.submit(_work, *b), batches, 2 * self.workers,
                                lambda fut: _collect(fut.result()))
        except BrokenProcessPool:
            raise SweepError("a worker process died (killed or out of memory); the samples "
                             "committed so far are kept: resume the run to finish it") from None
        finally:
            stop_pool(pool, grace=GRACE)
            folder.cleanup()


_PLAN: Plan | None = None
_FOLDER: str | None = None  # where a worker writes its batches' columns
FOLDER_PREFIX = "pactlab-sweep-"


def remove_stale_folders(root: str | None = None) -> None:
    """Remove the batch folders of sweeps whose process is gone (killed with SIGKILL, which
    runs no clean-up): a folder is named for the process that made it, and only this
    user's folders of dead processes are touched."""
    root = root or tempfile.gettempdir()
    try:
        names = os.listdir(root)
    except OSError:
        return
    for name in names:
        match = re.fullmatch(rf"{FOLDER_PREFIX}(\d+)-\w+", name)
        path = os.path.join(root, name)
        if match is None or int(match.group(1)) == os.getpid():
            continue
        try:
            if os.lstat(path).st_uid != os.getuid():
                continue
            os.kill(int(match.group(1)), 0)  # raises if no such process
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:  # alive but not ours to signal, or gone meanwhile
            continue


def _init_worker(plan: Plan, folder: str) -> None:
    """Worker set-up: the plan once; Ctrl-C is the parent's to handle, not the workers'."""
    global _PLAN, _FOLDER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _PLAN, _FOLDER = plan, folder


def _work(start: int, u: np.ndarray) -> str:
    """Evaluate a batch; its columns go to a file, and only the file's name to the parent.

    A result sent through the pool's pipe can be cut by a worker's death (killed, out of
    memory) in mid-message, and the pool then waits for the rest for ever. A name is far
    below the pipe's atomic write size (PIPE_BUF): it arrives whole or not at all, and a
    dead worker is then seen as dead.
    """
    assert _PLAN is not None and _FOLDER is not None
    cols = evaluate(_PLAN, start, u)
    path = os.path.join(_FOLDER, f"{start}.npz")
    with open(path + ".part", "wb") as f:
        np.savez(f, **cols)  # type: ignore[arg-type]  # numpy's stub: allow_pickle
    os.replace(path + ".part", path)
    return path


def _collect(path: str) -> Columns:
    """A batch's columns from the file a worker wrote (then removed)."""
    with np.load(path) as data:
        cols = {k: data[k] for k in data.files}
    os.unlink(path)
    return cols


def _bounded(submit: Any, batches: list[Batch], limit: int, result: Any) -> Iterator[Columns]:
    """Submit batches keeping at most `limit` in flight; yield results as they finish."""
    it = iter(batches)
    pending: set = set()
    for batch in it:
        pending.add(submit(batch))
        if len(pending) >= limit:
            break
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for fut in done:
            yield result(fut)
            nxt = next(it, None)
            if nxt is not None:
                pending.add(submit(nxt))


class RayEngine:
    """Batches as Ray tasks: `address` None starts a local Ray, `auto` or `ray://host:port`
    joins a running cluster. An address that does not answer fails within 10 s."""

    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None):
        if workers is not None and workers < 1:
            raise SweepError(f"--workers must be at least 1, got {workers}")
        self.address = address
        self.workers = workers

    def connect(self) -> Any:
        try:
            import ray
        except ImportError:
            raise SweepError("the ray engine needs Ray: pip install 'pactlab[ray]'") from None
        if ray.is_initialized():
            return ray
        if self.address not in (None, "auto"):
            _reachable(self.address)
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                  "logging_level": "error"}
        if self.address is None:
            kwargs["num_cpus"] = self.workers or default_workers()
        else:
            kwargs["address"] = self.address
        where = self.address or "a new local Ray instance"
        try:
            with _deadline(CONNECT_TIMEOUT if self.address else None):
                ray.init(**kwargs)
        except TimeoutError:
            raise SweepError(f"Ray at {where} did not answer within {CONNECT_TIMEOUT:g} s; "
                             "check the address (ray://HOST:PORT or auto) and that the "
                             "cluster is up") from None
        except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError...
            text = str(exc).strip().splitlines()
            raise SweepError(f"cannot start or join Ray at {where}: "
                             f"{text[0] if text else type(exc).__name__}") from None
        return ray

    def run(self, plan: Plan, batches: Iterable[Batch]) -> Iterator[Columns]:
        ray = self.connect()
        remote = ray.remote(num_cpus=1, max_retries=3)(evaluate)
        plan_ref = ray.put(plan)
        limit = 2 * max(1, int(ray.cluster_resources().get("CPU", 1)))
        it = iter(batches)
        pending = [remote.remote(plan_ref, *b) for _, b in zip(range(limit), it, strict=False)]
        try:
            while pending:
                done, pending = ray.wait(pending, num_returns=1)
                yield ray.get(done[0])
                nxt = next(it, None)
                if nxt is not None:
                    pending.append(remote.remote(plan_ref, *nxt))
        finally:
            for ref in pending:
                ray.cancel(ref, force=True)


@contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Raise `TimeoutError` in the main thread after `seconds` (Ray must start there)."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _reachable(address: str) -> None:
    """Fail fast (a TCP connect with a timeout) when a Ray address does not answer."""
    url = urlparse(address if "://" in address else f"tcp://{address}")
    host, port = url.hostname, url.port
    if not host or not port:
        raise SweepError(f"Ray address {address!r}: expected ray://HOST:PORT, HOST:PORT or auto")
    try:
        with socket.create_connection((host, port), timeout=min(5.0, CONNECT_TIMEOUT)):
            pass
    except OSError as exc:
        raise SweepError(f"Ray at {address} does not answer ({exc.strerror or exc}); check the "
                         "address and that the cluster is up") from None
    _speaks_grpc(address, host, port)


def _speaks_grpc(address: str, host: str, port: int) -> None:
    """Fail fast when the port accepts connections but does not speak gRPC, as Ray does.

    Ray's client server and its GCS are gRPC servers: an HTTP/2 handshake must complete.
    A port that accepts and stays silent would otherwise leave `ray.init` waiting, and
    only the alarm (a signal, late on a loaded machine) would end it. Skipped with TLS
    (`RAY_USE_TLS`), which this plain handshake cannot complete.
    """
    if os.environ.get("RAY_USE_TLS", "0") not in ("", "0"):
        return
    try:
        import grpc
    except ImportError:  # Ray without gRPC cannot join a cluster anyway; let it say so
        return
    channel = grpc.insecure_channel(f"{host}:{port}")
    try:
        grpc.channel_ready_future(channel).result(timeout=HANDSHAKE_TIMEOUT)
    except grpc.FutureTimeoutError:
        raise SweepError(f"Ray at {address} did not answer within {HANDSHAKE_TIMEOUT:g} s "
                         "(the port accepts connections but does not speak Ray's gRPC); check "
                         "the address (ray://HOST:PORT or auto) and that the cluster is up"
                         ) from None
    finally:
        channel.close()


def make_engine(name: str, workers: int | None = None, address: str | None = None
                ) -> LocalEngine | RayEngine:
    if name == "local":
        if address is not None:
            raise SweepError("--address goes with --engine ray")
        return LocalEngine(workers)
    if name == "ray":
        return RayEngine(address, workers)
    raise SweepError(f"unknown engine {name!r}; expected one of {', '.join(ENGINES)}")
