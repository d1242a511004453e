"""Ctrl-C stops a long command within 2 s with a one-line message and no traceback."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

BIG = """id = "big"
title = "Eight issues of ten options with a linkage, enumerated"
{issues}
[[parties]]
id = "a"
name = "A"
reservation = 0.1
weights = {{ {wa} }}
[[parties.interactions]]
when = {{ i0 = [0.0, 3.0], i1 = [5.0, 9.0] }}
value = 0.05
{values_a}
[[parties]]
id = "b"
name = "B"
reservation = 0.1
weights = {{ {wa} }}
{values_b}
"""


def _scenario(n_issues: int = 8) -> str:
    issues = "".join(f'[[issues]]\nid = "i{i}"\nname = "I{i}"\nrange = [0.0, 9.0]\nsteps = 10\n'
                     f"status_quo = 0.0\n" for i in range(n_issues))
    weights = ", ".join(f"i{i} = {1 / n_issues!r}" for i in range(n_issues))
    va = "".join(f"[parties.values.i{i}]\nkind = \"linear\"\nworst = 0.0\nbest = 9.0\n"
                 for i in range(n_issues))
    vb = "".join(f"[parties.values.i{i}]\nkind = \"linear\"\nworst = 9.0\nbest = 0.0\n"
                 for i in range(n_issues))
    return BIG.format(issues=issues, wa=weights, values_a=va, values_b=vb)


def test_ctrl_c_stops_a_long_analysis(tmp_path):
    f = tmp_path / "big.toml"
    f.write_text(_scenario())
    proc = subprocess.Popen([sys.executable, "-m", "pactlab.cli", "analyze", str(f),
                             "--method", "enumerate", "--memory", "4G", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(4)  # well into the enumeration of 10^8 outcomes
    assert proc.poll() is None, proc.communicate()
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    elapsed = time.monotonic() - sent
    assert elapsed < 2.0, elapsed
    assert proc.returncode == 130
    assert "Traceback" not in err and "interrupted" in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""
