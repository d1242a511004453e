"""Adversarial text: extraction finishes in bounded time and memory, with the right counts.

Each case runs in a child process under a CPU-time and an address-space limit (see
`limits.py`); before extraction was linear, each of them ran past the limit (the issue
measured 74 s and 3.5 GiB for 10,000 "$1 billion, ", past 120 s for the others). The
counts are checked too: a case that finishes by finding nothing would not pass.
"""

from __future__ import annotations

import json
import os
import sys

import pytest

from pactlab.evidence import extract

from .conftest import SEED_000, SEED_002
from .limits import run_limited

_COUNT = (
    "import json, sys\n"
    "from pactlab.evidence import extract\n"
    "ev = extract(open(sys.argv[1], encoding='utf-8').read())\n"
    "print(json.dumps([len(ev.quantities), len(ev.actors), len(ev.checks)]))\n"
)
_SEEDS = SEED_000.read_text(encoding="utf-8") + "\n" + SEED_002.read_text(encoding="utf-8")
_SEED_COPIES = 10_000_000 // len(_SEEDS.encode()) + 1

# name -> (text, (quantities, actor mentions, checks), CPU seconds allowed)
CASES = {
    "10,000 × '$1 billion, '": ("$1 billion, " * 10_000, (10_000, 0, 0), 10),
    "50,000 × '$1 billion, '": ("$1 billion, " * 50_000, (50_000, 0, 0), 15),
    "10,000 × '$1 billion; '": ("$1 billion; " * 10_000, (10_000, 0, 0), 10),
    "50,000 × '$1 billion; '": ("$1 billion; " * 50_000, (50_000, 0, 0), 15),
    "10,000 pairs": ("$1 billion (about 1 trillion won) " * 10_000, (20_000, 0, 10_000), 15),
    "40,000 × 'Moon Jae-in met Moon. '": ("Moon Jae-in met Moon. " * 40_000, (0, 80_000, 0), 15),
    "100,000 nested '($1 billion ('": ("($1 billion (" * 100_000, (100_000, 0, 0), 20),
    "the seeds repeated to 10 MB": ((_SEEDS + "\n") * _SEED_COPIES, None, 12),
}


@pytest.mark.parametrize("name", list(CASES))
def test_adversarial_text_is_extracted_in_bounded_time_and_memory(tmp_path, name):
    text, counts, cpu = CASES[name]
    if counts is None:  # a repeated document: every count scales with the copies
        one = extract(_SEEDS + "\n")
        counts = tuple(_SEED_COPIES * n for n in (len(one.quantities), len(one.actors),
                                                   len(one.checks)))
    path = tmp_path / "text.txt"
    path.write_text(text, encoding="utf-8")
    result = run_limited("-c", _COUNT, str(path), program=sys.executable,
                         cpu_seconds=cpu, memory_mib=1536)
    assert result.returncode == 0, (result.returncode, result.stderr[-1500:])
    assert tuple(json.loads(result.stdout)) == counts


def test_a_ten_megabyte_line_of_initialisms_through_the_command_line(tmp_path):
    """"U.S. " two million times: two million sentence-end candidates, none a sentence end."""
    path = tmp_path / "us.txt"
    path.write_text("U.S. " * 2_000_000, encoding="utf-8")
    result = run_limited("extract", str(path), "--json", cpu_seconds=40, memory_mib=1536)
    assert result.returncode == 0, (result.returncode, result.stderr[-1500:])
    out = json.loads(result.stdout)
    assert out["quantities"] == [] and out["checks"] == [] and out["actors"] == []


def test_text_beyond_the_limit_is_refused_with_how_to_raise_it(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("$1 billion. " * 100_000, encoding="utf-8")  # 1.2 MB
    result = run_limited("extract", str(path), "--max-mb", "1", cpu_seconds=20,
                         memory_mib=1536)
    assert result.returncode == 2
    assert "larger than the limit of 1.0 MiB" in result.stderr
    assert "--max-mb" in result.stderr and "Traceback" not in result.stderr
    again = run_limited("extract", str(path), "--max-mb", "2", "--json", cpu_seconds=20,
                        memory_mib=1536)
    assert again.returncode == 0 and len(json.loads(again.stdout)["quantities"]) == 100_000


def test_the_default_limit_refuses_a_huge_file_before_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(65 * 1024 * 1024)  # sparse: nothing is written to disk
    result = run_limited("extract", str(path), cpu_seconds=10, memory_mib=1024)
    assert result.returncode == 2 and "larger than the limit of 64.0 MiB" in result.stderr


def test_the_api_refuses_text_beyond_max_chars():
    from pactlab.errors import EvidenceError

    with pytest.raises(EvidenceError, match=r"11 characters, more than the limit of 10; "
                       r"raise it with --max-mb"):
        extract("x" * 11, max_chars=10)
    assert extract("$5 billion", max_chars=10).quantities[0].value == 5_000_000_000


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo"])
def test_special_files_are_refused_without_reading(tmp_path, special):
    if special == "fifo":
        special = str(tmp_path / "fifo.txt")
        os.mkfifo(special)
    result = run_limited("extract", special, cpu_seconds=10, memory_mib=1024)
    assert result.returncode == 2 and "not a regular file" in result.stderr


def test_a_long_sentence_keeps_a_bounded_context_around_each_figure():
    text = "Costs rose " + "and rose " * 200 + "to $5 billion, " + "then fell " * 200 + "."
    q = extract(text).quantities[0]
    start = text.index("$5 billion")
    assert q.sentence == text[start - 100:start + len("$5 billion") + 100]
    short = "Costs rose to $5 billion, then fell."
    assert extract(short).quantities[0].sentence == short
