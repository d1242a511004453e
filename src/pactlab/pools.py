"""Ending a process pool early (Ctrl-C, an error) without a hang and without noise.

Tournaments and sweeps run their work on a `concurrent.futures.ProcessPoolExecutor`.
Stopping one early has two traps that `shutdown()` alone falls into:

- a worker terminated while it sends its result leaves half a message in the result
  pipe, on which the pool's manager thread then waits for ever (and the interpreter's
  exit with it): busy workers get a grace period to finish the work in hand first;
- the interpreter's exit hook wakes every manager thread through a pipe, without the
  pool's lock, and can race a manager that is still closing that pipe (an ``EBADF``
  traceback printed after the one-line "interrupted" message): a manager still alive
  after the workers are gone is taken off the hook's list; interpreter shutdown still
  joins it, and it ends as soon as it sees its dead workers.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import process as futures_process


def stop_pool(pool: ProcessPoolExecutor, *, grace: float) -> None:
    """Cancel the work not started, give busy workers `grace` seconds to finish what they
    hold, then end the rest (terminate, then kill): even a worker stuck in user code that
    never returns is gone within about ``grace + 2`` seconds."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(timeout=max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.terminate()
            process.join(timeout=1.0)
        if process.is_alive():
            process.kill()
            process.join(timeout=1.0)
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(timeout=1.0)
        if manager.is_alive():
            getattr(futures_process, "_threads_wakeups", {}).pop(manager, None)
