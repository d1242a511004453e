"""Fuzz worker: runs many `pactlab` command lines in one process under hard limits.

Starting a process per input would spend the whole budget on interpreter start-up, so a
worker runs a batch of inputs in-process, through the real command-line entry point, under
an address-space limit (`RLIMIT_AS`) and a per-input wall-clock alarm. Each input must end
with exit code 0 or 2 — never a traceback, a `MemoryError`, a hang past its time limit, a
refusal on stdout or an unbounded message. The worker reads one JSON job on stdin and
prints one JSON report on stdout; it exits 1 when an input broke the promise.

Job keys: ``format`` (a name in ``fuzz_inputs.FORMATS``) with ``examples`` and ``seed`` for
hypothesis-generated inputs, or ``cases`` (a list of fixed inputs: ``args`` with ``{dir}``
placeholders, ``files`` mapping names to text, optionally the ``expect``-ed exit code);
``timeout`` seconds per input and ``memory`` bytes for the whole worker.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

MAX_MESSAGE = 20_000  # characters: a refusal is one paragraph, never a megabyte


class CaseTimeout(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` swallows it."""


def _alarm(signum: int, frame: Any) -> None:
    raise CaseTimeout


def run_case(args: list[str], files: dict[str, str | bytes], timeout: float) -> dict[str, Any]:
    """Run one command line; return its exit code, output sizes, time and any failure."""
    import typer

    from pactlab.cli import app

    command = typer.main.get_command(app)
    with tempfile.TemporaryDirectory() as folder:
        for name, content in files.items():
            path = Path(folder, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
        argv = [a.replace("{dir}", folder) for a in args]
        out, err = io.StringIO(), io.StringIO()
        code: Any = None
        failure = None
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                command.main(argv, prog_name="pactlab", standalone_mode=True)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except CaseTimeout:
            failure = f"timed out after {timeout:g} s"
        except MemoryError:
            failure = "MemoryError (the memory limit was hit)"
        except BaseException:
            failure = "traceback:\n" + traceback.format_exc(limit=-6)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        seconds = time.perf_counter() - start
    stdout, stderr = out.getvalue(), err.getvalue()
    if failure is None:
        if code not in (0, 2):
            failure = f"exit code {code}"
        elif "Traceback (most recent call last)" in stderr + stdout:
            failure = "a traceback was printed"
        elif code == 2 and not stderr.strip() and not _json_report(args, stdout):
            failure = "refused without a message on stderr (or a --json report on stdout)"
        elif code == 2 and len(stderr) > MAX_MESSAGE:
            failure = f"a refusal of {len(stderr):,} characters (unbounded message)"
    return {"args": args, "code": code, "seconds": round(seconds, 3), "failure": failure,
            "stderr": stderr[-1500:] if failure else stderr[:300]}


def _json_report(args: list[str], stdout: str) -> bool:
    """Whether a --json command answered with one JSON object (validate's report of an
    invalid file is data, on stdout, with exit code 2)."""
    if "--json" not in args:
        return False
    try:
        return isinstance(json.loads(stdout), dict)
    except ValueError:
        return False


def _limit_memory(limit: int) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _fuzz(job: dict[str, Any], report: dict[str, Any]) -> None:
    from hypothesis import HealthCheck, Phase, given, settings

    sys.path.insert(0, str(Path(__file__).parent))
    from fuzz_inputs import FORMATS

    strategy = FORMATS[job["format"]]
    timeout = float(job.get("timeout", 20))

    @settings(max_examples=int(job["examples"]), deadline=None, database=None,
              derandomize=bool(job.get("derandomize", True)),
              suppress_health_check=list(HealthCheck),
              phases=[Phase.generate, Phase.shrink] if job.get("shrink") else [Phase.generate])
    @given(strategy)
    def check(case: dict[str, Any]) -> None:
        result = run_case(case["args"], case["files"], timeout)
        _tally(report, result)
        if result["failure"]:
            report["failures"].append(result | {"files": _preview(case["files"])})
            raise AssertionError(result["failure"])

    with contextlib.suppress(Exception):  # the failure is already in the report
        check()


def _preview(files: dict[str, str | bytes]) -> dict[str, str]:
    return {name: (content if isinstance(content, str) else repr(content))[:2000]
            for name, content in files.items()}


def _tally(report: dict[str, Any], result: dict[str, Any]) -> None:
    report["inputs"] += 1
    report["exits"][str(result["code"])] = report["exits"].get(str(result["code"]), 0) + 1
    if result["seconds"] > report["slowest"]["seconds"]:
        report["slowest"] = {"seconds": result["seconds"], "args": result["args"]}


def main() -> int:
    job = json.loads(sys.stdin.read())
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    signal.signal(signal.SIGALRM, _alarm)
    import numpy  # noqa: F401 - load the heavy libraries before the limit applies
    import pydantic  # noqa: F401

    import pactlab.cli  # noqa: F401

    _limit_memory(int(job.get("memory", 3 * 1024**3)))
    report: dict[str, Any] = {"inputs": 0, "exits": {}, "failures": [],
                              "slowest": {"seconds": 0.0, "args": None}}
    if "cases" in job:
        for case in job["cases"]:
            result = run_case(case["args"], case.get("files", {}),
                              float(case.get("timeout", job.get("timeout", 20))))
            expected = case.get("expect")
            if result["failure"] is None and expected is not None and result["code"] != expected:
                result["failure"] = f"exit code {result['code']}, expected {expected}"
            _tally(report, result)
            if result["failure"]:
                report["failures"].append(result)
    else:
        _fuzz(job, report)
    print(json.dumps(report))
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
