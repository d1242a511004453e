"""Hostile and careless stakeholder input (issue 15): bounded time and memory, one paragraph
on stderr with the file and the row/column or key path, exit code 2, never a traceback.

Each case runs `pactlab forecast` in a fresh process under a 2 GiB address-space limit and
a time limit, as a user would run it."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

PACTLAB = [sys.executable, "-c", "from pactlab.cli import main; main()"]
GIB = 2**30


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * GIB, 2 * GIB))


def forecast(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*PACTLAB, "forecast", *args], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=_limit_memory)


def refused(r: subprocess.CompletedProcess, *needles: str) -> str:
    """Exit 2, nothing on stdout, one bounded paragraph on stderr containing the needles."""
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr and r.stdout == ""
    text = r.stderr.strip()
    assert text.startswith("error:") and "\n\n" not in text and len(text) < 2000, text
    flat = " ".join(text.split())
    for needle in needles:
        assert needle in flat, flat
    return flat


def _table(n: int, d: int = 1, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    dims = [f"d{k}" for k in range(d)]
    head = "actor,capability," + ",".join(f"position.{x},salience.{x}" for x in dims)
    rows = [f"a{k}," + f"{rng.uniform(1, 100):.3f}," + ",".join(
        f"{rng.uniform(0, 100):.3f},{rng.uniform(0.1, 1) / d:.3f}" for _ in dims)
        for k in range(n)]
    return head + "\n" + "\n".join(rows) + "\n"


def _write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_ten_thousand_actors_are_refused_naming_the_limit(tmp_path):
    r = forecast(_write(tmp_path, "big.csv", _table(10_000)), "--json")
    refused(r, "big.csv", "10,000 actors", "at most 2,000", "--max-actors 10000")


def test_a_thousand_actors_run_in_bounded_memory(tmp_path):
    """BDM and the Condorcet baseline on 1,000 actors: the n×n×n arrays they used to build
    (7.45 GiB) would not fit under the 2 GiB limit; streamed, they run."""
    path = _write(tmp_path, "k.csv", _table(1000))
    for args in (("--model", "bdm", "--rounds", "2"), ("--model", "condorcet")):
        r = forecast(path, *args, "--json", timeout=120)
        assert r.returncode == 0, r.stderr[-2000:]
        assert '"forecast"' in r.stdout


def test_smp_on_a_thousand_actors_is_refused_with_its_limit(tmp_path):
    r = forecast(_write(tmp_path, "k.csv", _table(1000)), "--model", "smp")
    refused(r, "smp: 1,000 actors", "at most 500", "--max-actors 1000")


def test_smp_on_300_actors_is_bounded(tmp_path):
    """300 actors under SMP ran past 120 s and 2.4 GiB: now O(n²) memory, a step in about
    a second, progress on stderr when asked."""
    path = _write(tmp_path, "k.csv", _table(300, 2))
    r = forecast(path, "--model", "smp", "--rounds", "3", "--json", "--progress",
                 timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "smp rounds" in r.stderr and '"iterations": 3' in r.stdout


def test_rounds_past_the_bound_are_refused(tmp_path):
    refused(forecast("sma-2019", "--rounds", "100000000"), "rounds", "10000")


def test_path_memory_is_refused_before_the_run(tmp_path):
    path = _write(tmp_path, "k.csv", _table(2000, 5))
    refused(forecast(path, "--rounds", "10000"), "would keep 100,010,000 positions",
            "use at most 4,999 rounds")


def test_ktab_title_declaring_a_billion_dimensions(tmp_path):
    text = ('Big,"title",2,1000000000,\nActor,Description,Power,Pstn1,Sal1,\n'
            "A,x,1,50,0.5,\nB,y,1,60,0.5,\n")
    refused(forecast(_write(tmp_path, "k.csv", text), "--model", "smp"),
            "k.csv", "row 1", "1,000,000,000 dimensions", "expected 1 to 100")


def test_ten_megabyte_csv_field(tmp_path):
    text = 'actor,capability\n"' + "x" * (10 * 2**20) + '",1\n'
    refused(forecast(_write(tmp_path, "t.csv", text)), "t.csv", "not readable as CSV",
            "at most 65,536 characters")


def test_deeply_nested_stakeholder_toml(tmp_path):
    text = "x = " + "[" * 5000 + "1" + "]" * 5000 + "\n"
    refused(forecast(_write(tmp_path, "s.stakeholders.toml", text)), "s.stakeholders.toml",
            "nested too deeply")


def test_integer_too_large_for_a_float(tmp_path):
    base = (Path(__file__).parent.parent / "data" / "forecast" / "tiny.stakeholders.toml")
    text = base.read_text().replace("capability = 2", "capability = 1" + "0" * 400)
    refused(forecast(_write(tmp_path, "s.stakeholders.toml", text)),
            "actors[0].capability", "actor 'a'", "401 digits")


@pytest.mark.parametrize("make", ["symlink", "fifo"])
def test_csv_that_is_not_a_regular_file(tmp_path, make):
    p = tmp_path / "t.csv"
    if make == "symlink":
        p.symlink_to("/dev/zero")
    else:
        os.mkfifo(p)  # reading it would block forever
    refused(forecast(str(p), timeout=30), "t.csv", "not a regular file")


@pytest.mark.parametrize("name", ["a\x00b", "a\x1b[31mb", "a\nb"])
def test_control_characters_in_actor_names(tmp_path, name):
    quoted = '"' + name + '"'
    text = f"actor,capability,position,salience\n{quoted},1,10,0.5\nc,1,20,0.5\n"
    refused(forecast(_write(tmp_path, "t.csv", text)), "t.csv", "row 2", "column 'actor'",
            "control character")


def test_control_characters_in_toml_names(tmp_path):
    base = (Path(__file__).parent.parent / "data" / "forecast" / "tiny.stakeholders.toml")
    text = base.read_text().replace('id = "b"', 'id = "b\\u0000"')
    refused(forecast(_write(tmp_path, "s.stakeholders.toml", text)), "actors[1].id",
            "U+0000")
