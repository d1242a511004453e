"""Hostile input, every format, every command: exit 0 or 2, no traceback, bounded time and memory.

Two parts:

- generated inputs (hypothesis, `fuzz_inputs.py`) for every input format; `make test` runs
  ``PACTLAB_FUZZ_EXAMPLES`` (default 12) per format, derandomised; ``make fuzz`` runs the
  long profile (10,000 per format, random draws, shrinking on);
- fixed cases: the adversarial patterns reported against earlier versions (deep nesting,
  huge numbers, huge tables, special files, pathological text), each with its own limit
  and, where the input must be refused, the expected exit code 2.

Every input runs in a worker process under an address-space limit with a per-input alarm
(`fuzz_worker.py`), through the real command-line entry point.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from fuzz_inputs import FORMATS  # noqa: E402

EXAMPLES = int(os.environ.get("PACTLAB_FUZZ_EXAMPLES", "12"))
LONG = EXAMPLES > 100
GiB = 1024**3


def _run(job: dict, wall: float) -> dict:
    env = os.environ | {"OPENBLAS_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, str(HERE / "fuzz_worker.py")], input=json.dumps(job),
                          capture_output=True, text=True, timeout=wall, env=env)
    lines = proc.stdout.strip().splitlines()
    assert lines, f"the worker died (exit {proc.returncode}): {proc.stderr[-3000:]}"
    report = json.loads(lines[-1])
    failures = "\n\n".join(
        f"{f['args']} -> {f['failure']}\n{f.get('stderr', '')}\n{f.get('files', '')}"[:4000]
        for f in report["failures"][:3])
    assert not report["failures"], failures
    return report


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_generated_inputs(fmt):
    job = {"format": fmt, "examples": EXAMPLES, "derandomize": not LONG, "shrink": LONG,
           "timeout": 30, "memory": 3 * GiB}
    report = _run(job, wall=max(600, EXAMPLES * 35))
    assert report["inputs"] >= min(EXAMPLES, 5)
    if LONG:  # the long profile's figures, for the record (pytest -s shows them)
        print(f"\n{fmt}: {report['inputs']} inputs, exits {report['exits']}, "
              f"slowest {report['slowest']}")


def _deep(depth: int, opener: str = "[", closer: str = "]") -> str:
    return opener * depth + "1" + closer * depth


def _scenario(extra: str = "", options: str | None = None) -> str:
    from fuzz_inputs import TINY_SCENARIO

    text = TINY_SCENARIO + extra
    if options is not None:
        text = text.replace('options = ["red", "blue"]', f"options = {options}")
    return text


def _wide(parties: int) -> str:
    """An additive scenario of 30 issues × 10 options: the exact method's hard case."""
    from pactlab.model.synthetic import random_domain, scenario_toml

    return scenario_toml(random_domain(30, 10, parties))


def _many_options(n: int) -> str:
    return "[" + ", ".join(f'"o{i}"' for i in range(n)) + ', "red", "blue"]'


FIXED = {
    "deeply nested TOML array": {
        "expect": 2,
        "args": ["validate", "{dir}/s.toml"],
        "files": {"s.toml": _scenario(f"\nzz = {_deep(5000)}\n")}},
    "deeply nested TOML inline table": {
        "expect": 2,
        "args": ["analyze", "{dir}/s.toml"],
        "files": {"s.toml": _scenario("\nzz = " + _deep(3000, "{a = ", "}") + "\n")}},
    "interaction value 1e308": {
        "args": ["analyze", "{dir}/s.toml", "--json"],
        "files": {"s.toml": _scenario().replace("value = 0.1", "value = 1e308")}},
    "table value 1e30": {
        "args": ["analyze", "{dir}/s.toml", "--json"],
        "files": {"s.toml": _scenario().replace("red = 0.2", "red = 1e30")}},
    "categorical issue with 10^6 options": {
        "args": ["validate", "{dir}/s.toml"], "timeout": 20,
        "files": {"s.toml": _scenario(options=_many_options(10**6))}},
    "stakeholder TOML holding 10**400": {
        "expect": 2,
        "args": ["forecast", "{dir}/s.stakeholders.toml", "--json"],
        "files": {"s.stakeholders.toml": "[[actors]]\nid = \"a\"\ncapability = 1" + "0" * 400
                  + "\n"}},
    "stakeholder TOML nested deeply": {
        "expect": 2,
        "args": ["forecast", "{dir}/s.stakeholders.toml", "--json"],
        "files": {"s.stakeholders.toml": f"x = {_deep(5000)}\n"}},
    "10 MB CSV field": {
        "expect": 2,
        "args": ["forecast", "{dir}/t.csv", "--json"],
        "files": {"t.csv": 'actor,capability\n"' + "x" * (10 * 1024 * 1024) + '",1\n'}},
    "KTAB CSV declaring 10^9 dimensions": {
        "expect": 2,
        "args": ["forecast", "{dir}/k.csv", "-m", "smp", "--json"],
        "files": {"k.csv": 'Big,"title",2,1000000000,\nActor,Description,Power,Pstn1,Sal1,\n'
                  "A,x,1,50,0.5,\nB,y,1,60,0.5,\n"}},
    "NUL byte in a CSV actor name": {
        "expect": 2,
        "args": ["forecast", "{dir}/t.csv", "--json"],
        "files": {"t.csv": "actor,name,capability,position.x,salience.x\n"
                  "a\x00b,A,1,10,0.5\nc,C,1,20,0.5\n"}},
    "many '$1 billion, ' on one line": {
        "args": ["extract", "{dir}/n.txt", "--json"], "timeout": 30,
        "files": {"n.txt": "$1 billion, " * 50_000}},
    "many '$1 billion; ' in one sentence": {
        "args": ["extract", "{dir}/n.txt", "--json"], "timeout": 30,
        "files": {"n.txt": "$1 billion; " * 50_000}},
    "many paired amounts": {
        "args": ["extract", "{dir}/n.txt", "--json"], "timeout": 30,
        "files": {"n.txt": "$1 billion (about 1 trillion won) " * 10_000}},
    "surname resolution": {
        "args": ["extract", "{dir}/n.txt", "--json"], "timeout": 30,
        "files": {"n.txt": "Moon Jae-in met Moon. " * 40_000}},
    "one 10 MB line of 'U.S. '": {
        "args": ["extract", "{dir}/n.txt", "--json"], "timeout": 60,
        "files": {"n.txt": "U.S. " * 2_000_000}},
    "nested '($1 billion ('": {
        "args": ["extract", "{dir}/n.txt", "--json"], "timeout": 30,
        "files": {"n.txt": "($1 billion (" * 100_000}},
    "GENIUS profile given as the domain": {
        "expect": 2,
        "args": ["import-genius", "{dir}/a.xml", "{dir}/a.xml", "{dir}/a.xml", "-o",
                 "{dir}/o.toml"],
        "files": {"a.xml": '<utility_space><objective index="0" name="r" type="objective" '
                  'etype="objective"><issue index="1" name="i" etype="discrete" '
                  'type="discrete"><item index="1" value="v" evaluation="1"/></issue>'
                  '<weight index="1" value="1"/></objective></utility_space>'}},
    "negotiation with 10^9 rounds": {
        "args": ["negotiate", "sma-2019", "--rounds", "1000000000", "--json"], "timeout": 30},
    "forecast with 10^8 rounds": {
        "args": ["forecast", "sma-2019", "--rounds", "100000000", "--json"], "timeout": 30},
    # its memory budget held, but its time ran past 120 s: now bounded (--max-seconds)
    **{f"exact method, {k} parties on 30 issues": {
        "args": ["analyze", "{dir}/s.toml", "--json", "--max-seconds", "5"], "timeout": 60,
        "files": {"s.toml": _wide(k)}} for k in (3, 4, 5)},
    "scenario file is /dev/zero": {"expect": 2, "args": ["validate", "/dev/zero"]},
    "stakeholder table is /dev/zero": {"expect": 2, "args": ["forecast", "/dev/zero", "--json"]},
    "text is /dev/urandom": {"expect": 2, "args": ["extract", "/dev/urandom"]},
}


@pytest.mark.parametrize("name", sorted(FIXED))
def test_fixed_adversarial_case(name):
    case = FIXED[name]
    report = _run({"cases": [case], "timeout": case.get("timeout", 20), "memory": 3 * GiB},
                  wall=180)
    assert report["inputs"] == 1
