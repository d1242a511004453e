"""Hostile and careless input to `negotiate` and `tournament` (issue 15): real processes and
signals, bounded time and memory, one paragraph on stderr, exit code 2, clean stdout."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from negotiation_helpers import DATA, PIE

HOSTILE = DATA / "hostile.py"
PACTLAB = [sys.executable, "-c", "from pactlab.cli import main; main()"]
GIB = 2**30


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * GIB, 3 * GIB))


def pactlab(*args: str, timeout: float = 60, env: dict | None = None
            ) -> subprocess.CompletedProcess:
    """Run the CLI in a fresh process under a 3 GiB address-space limit."""
    return subprocess.run([*PACTLAB, *args], capture_output=True, text=True, timeout=timeout,
                          preexec_fn=_limit_memory, env=env)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A copy of the misbehaving strategies in a folder of its own (to watch for bytecode)."""
    target = tmp_path / "agents" / "hostile.py"
    target.parent.mkdir()
    shutil.copy(HOSTILE, target)
    return target


IMPORTED = "hostile.py imported"  # what the strategy file prints (on stderr) when imported


def _ours(err: str) -> str:
    """stderr without the strategy file's own output."""
    return "\n".join(line for line in err.splitlines() if line != IMPORTED).strip()


def _one_paragraph(err: str, *needles: str) -> None:
    assert "Traceback" not in err, err
    text = _ours(err)
    assert text.startswith("error:"), err
    assert "\n\n" not in text, err
    for needle in needles:
        assert needle in " ".join(text.split()), err


def test_a_billion_rounds_is_refused_at_once():
    """Today the clock for every round is precomputed: 9 GiB in a minute."""
    t0 = time.monotonic()
    out = pactlab("negotiate", str(PIE), "--rounds", "1000000000", timeout=30)
    assert out.returncode == 2, out.stderr
    _one_paragraph(out.stderr, "rounds 1,000,000,000 is above the limit of 1,000,000 turns")
    assert time.monotonic() - t0 < 20


def test_a_long_session_stays_small(tmp_path):
    """A million turns without agreement: memory stays bounded (the trace is 5 bytes a
    turn) and the JSON keeps the trace's first and last 10,000 turns."""
    out = pactlab("negotiate", str(PIE), "-s", "a=random:p=0", "-s", "b=random:p=0",
                  "--rounds", "1000000", "--json", timeout=240)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["rounds_used"] == 1_000_000 and not data["agreement"]
    assert len(data["trace"]) == 20_000 and data["trace_omitted"] == 980_000
    assert data["trace"][-1]["round"] == 999_999
    assert "turns" not in out.stderr  # stderr is not a terminal: no bar unless asked


def test_a_long_session_shows_progress_when_asked():
    out = pactlab("negotiate", str(PIE), "-s", "a=random:p=0", "-s", "b=random:p=0",
                  "--rounds", "100000", "--progress", "--json", timeout=120)
    assert out.returncode == 0, out.stderr
    assert "turns" in out.stderr and "100000/100000" in out.stderr
    json.loads(out.stdout)


def test_tournament_with_a_strategy_that_never_returns_stops_on_ctrl_c(hostile, tmp_path):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) ends the tournament
    and its workers within 2 s, with one line on stderr."""
    marker = tmp_path / "started"
    env = dict(os.environ, PACTLAB_TEST_STARTED=str(marker))
    proc = subprocess.Popen(
        [*PACTLAB, "tournament", str(PIE), "--strategies", f"linear,{hostile}:Forever",
         "--reps", "4", "-j", "2", "--time-limit", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the strategy never started"
            time.sleep(0.05)
        time.sleep(0.3)
        workers = _children(proc.pid)
        assert workers, "the tournament runs no worker processes"
        t0 = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=10)
        took = time.monotonic() - t0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert took < 2.0, took
    assert proc.returncode == 130
    assert "Traceback" not in err and len(_ours(err).splitlines()) == 1, err
    assert _ours(err).startswith("interrupted"), err
    time.sleep(0.2)
    assert not [pid for pid in workers if _running(pid)], "a worker outlived the tournament"


def _children(pid: int) -> list[int]:
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines()
                          if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            out.append(int(status.parent.name))
    return out


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_strategy_call_past_its_time_limit_is_named(hostile, workers):
    t0 = time.monotonic()
    out = pactlab("tournament", str(PIE), "--strategies", f"linear,{hostile}:Forever",
                  "--reps", "1", "-j", workers, "--time-limit", "0.5", timeout=60)
    assert out.returncode == 2, out.stderr
    _one_paragraph(out.stderr, f"strategy '{hostile}:Forever'",
                   "ran past its time limit of 0.5 s per call in propose in round")
    assert time.monotonic() - t0 < 30


def test_negotiate_bounds_user_strategy_calls_too(hostile):
    out = pactlab("negotiate", str(PIE), "-s", f"b={hostile}:Forever", "--time-limit", "0.5",
                  timeout=60)
    assert out.returncode == 2, out.stderr
    _one_paragraph(out.stderr, "of party 'b' ran past its time limit of 0.5 s per call in "
                   "propose in round 1")


def test_a_strategy_that_kills_its_worker(hostile):
    out = pactlab("tournament", str(PIE), "--strategies", f"linear,{hostile}:KillsWorker",
                  "--reps", "2", "-j", "2")
    assert out.returncode == 2, out.stderr
    _one_paragraph(out.stderr, "a tournament worker process died while playing",
                   f"{hostile}:KillsWorker")


@pytest.mark.parametrize("command", ["negotiate", "tournament-1", "tournament-2"])
def test_sys_exit_in_a_strategy_is_an_error_not_an_exit_code(hostile, command):
    if command == "negotiate":
        args = ["negotiate", str(PIE), "-s", f"a={hostile}:Exits"]
    else:
        args = ["tournament", str(PIE), "--strategies", f"{hostile}:Exits", "--reps", "1",
                "-j", command[-1]]
    out = pactlab(*args)
    assert out.returncode == 2, (out.returncode, out.stderr)
    _one_paragraph(out.stderr, "called sys.exit(3) in propose in round 0",
                   "a strategy must return an offer or an answer, never exit")


@pytest.mark.parametrize("command", ["negotiate", "tournament-1", "tournament-2"])
def test_what_a_strategy_prints_goes_to_stderr(hostile, command):
    if command == "negotiate":
        args = ["negotiate", str(PIE), "-s", f"a={hostile}:Chatty", "--json"]
    else:
        args = ["tournament", str(PIE), "--strategies", f"linear,{hostile}:Chatty",
                "--reps", "2", "-j", command[-1], "--json"]
    out = pactlab(*args)
    assert out.returncode == 0, out.stderr
    json.loads(out.stdout)  # nothing but the JSON on stdout
    assert "thinking about my offer..." in out.stderr
    assert IMPORTED in out.stderr


def test_importing_a_strategy_file_writes_no_bytecode_beside_it(hostile):
    out = pactlab("negotiate", str(PIE), "-s", f"a={hostile}:Chatty", "--json")
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in hostile.parent.iterdir()) == ["hostile.py"]


def test_tournament_argument_errors_come_before_any_progress():
    out = pactlab("tournament", str(PIE), "--strategies", "linear,bulware", "--progress")
    assert out.returncode == 2
    _one_paragraph(out.stderr, "unknown strategy 'bulware'")
    assert "sessions" not in out.stderr
    ok = pactlab("tournament", str(PIE), "--strategies", "linear", "--reps", "1", "--progress",
                 "--json")
    assert ok.returncode == 0 and "sessions" in ok.stderr  # the bar does show when all is well
