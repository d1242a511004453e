"""Running a pactlab command in a child process under CPU-time and address-space limits.

Hostile-input tests assert that a command finishes (or refuses) within bounded time and
memory. The bounds are resource limits on a child process, not timings: a quadratic
algorithm is killed by the kernel (SIGXCPU) or fails to allocate, whatever the load on
the machine, while the linear one finishes well inside them.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

PACTLAB = Path(sys.executable).parent / "pactlab"
MiB = 1024 * 1024


def run_limited(*args: str, cpu_seconds: int, memory_mib: int, cwd: Path | None = None,
                program: str = str(PACTLAB)) -> subprocess.CompletedProcess[str]:
    """`pactlab ARGS...` (or `program ARGS...`) with at most `cpu_seconds` of CPU and
    `memory_mib` of address space.

    The wall-clock timeout is generous (a loaded 2-core machine), so that only the CPU
    limit decides; a process killed by it has return code -SIGXCPU or -SIGKILL.
    """
    limit = memory_mib * MiB

    def apply_limits() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    try:
        return subprocess.run([program, *args], capture_output=True, text=True, cwd=cwd,
                              preexec_fn=apply_limits, timeout=10 * cpu_seconds + 60,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"{program} {' '.join(args)[:200]} ran past "
                             f"{exc.timeout:.0f} s of wall time") from None
