"""`pactlab extract`: readable table, stable JSON shape, clear errors (exit 2) on bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pactlab.cli import app
from pactlab.evidence import extract_file

from .conftest import SEED_000, SEED_000_YEAR, SEED_002

runner = CliRunner()

QUANTITY_KEYS = ["text", "start", "end", "kind", "value", "value_high", "unit", "currency",
                 "usd", "sentence"]


def run(*args: str):
    return runner.invoke(app, ["extract", *args])


def test_table_shows_the_flagged_inconsistency():
    result = run(str(SEED_000), "--year", str(SEED_000_YEAR))
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "paired_amounts" in out and "factor of 10" in out
    assert "14 trillion won" in out and "RMB 7.3 billion" in out
    assert f"FX year {SEED_000_YEAR}" in out and "wi-sung-lac" in out


def test_json_of_one_file_is_one_object_of_the_stable_shape():
    result = run(str(SEED_000), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert list(out)[:4] == ["document", "quantities", "actors", "checks"]
    text = SEED_000.read_text(encoding="utf-8")
    for q in out["quantities"]:
        assert list(q) == QUANTITY_KEYS
        assert text[q["start"]:q["end"]] == q["text"]
        assert q["kind"] in {"money", "percent", "ratio", "count", "date"}
        assert (q["usd"] is not None) == (q["kind"] == "money")
    for a in out["actors"]:
        assert list(a) == ["text", "start", "end", "id", "name"]
    for c in out["checks"]:
        assert list(c) == ["kind", "message", "spans"]
        assert all(len(span) == 2 for span in c["spans"])
    assert out == json.loads(json.dumps(extract_file(SEED_000).to_dict()))


def test_json_of_several_files_is_a_list_in_order():
    result = run(str(SEED_000), str(SEED_002), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert isinstance(out, list) and [d["document"] for d in out] == [str(SEED_000),
                                                                        str(SEED_002)]
    assert out[1]["fx"]["year"] == 2019


def test_year_option_overrides_the_text():
    out = json.loads(run(str(SEED_002), "--json", "--year", "2024").stdout)
    assert out["fx"]["year"] == 2024


@pytest.mark.parametrize(("content", "expected"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content"),
    (bytes(range(256)) * 4, "binary content"),
    ("caf\u00e9 5% of GDP".encode("latin-1"), "not UTF-8"),
    (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f" * 10, "control characters"),
])
def test_binary_and_garbage_give_one_clear_error(tmp_path, content, expected):
    path = tmp_path / "bad.bin"
    path.write_bytes(content)
    result = run(str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert expected in result.output and "bad.bin" in result.output


def test_missing_file_and_directory_give_clear_errors(tmp_path):
    result = run(str(tmp_path / "nope.txt"))
    assert result.exit_code == 2 and "no such file" in result.output
    result = run(str(tmp_path))
    assert result.exit_code == 2 and "not a regular file" in result.output


def test_text_without_quantities_is_fine(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Nothing to count here.\n", encoding="utf-8")
    out = json.loads(run(str(path), "--json").stdout)
    assert out["quantities"] == [] and out["checks"] == []


def test_bytes_given_to_the_api_are_a_clear_error():
    from pactlab.errors import EvidenceError
    from pactlab.evidence import extract

    with pytest.raises(EvidenceError, match="expects the document's text as str"):
        extract(b"$5 billion")  # type: ignore[arg-type]
