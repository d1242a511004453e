"""Safe reading of regular files and atomic writes (pactlab.fileio), on the real file system."""

from __future__ import annotations

import os
import stat

import pytest

from pactlab.errors import InputFileError, PactlabError
from pactlab.fileio import atomic_directory, atomic_write, inside, read_bytes, read_text


def test_reads_regular_utf8_file(tmp_path):
    f = tmp_path / "a.toml"
    f.write_bytes("\ufeffid = \"é\"\n".encode())
    assert read_text(f, "scenario file") == 'id = "é"\n'


def test_refuses_devices_fifos_and_directories(tmp_path):
    with pytest.raises(InputFileError, match="not a regular file"):
        read_bytes("/dev/zero", "scenario file")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    with pytest.raises(InputFileError, match="not a regular file"):  # never blocks
        read_text(fifo, "stakeholder table")
    with pytest.raises(InputFileError, match="is a directory"):
        read_text(tmp_path, "scenario file")


def test_symlink_to_device_is_refused(tmp_path):
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputFileError, match="not a regular file"):
        read_text(link, "stakeholder table")


def test_size_cap_names_the_limit(tmp_path):
    f = tmp_path / "big.txt"
    f.write_bytes(b"x" * 2048)
    with pytest.raises(InputFileError, match=r"2,048 bytes, larger than the limit of 1,024"):
        read_bytes(f, "text", limit=1024)
    assert read_bytes(f, "text", limit=2048) == b"x" * 2048


def test_non_utf8_names_the_offset(tmp_path):
    f = tmp_path / "latin1.toml"
    f.write_bytes(b"id = 'caf\xe9'")
    with pytest.raises(InputFileError, match="offset 9"):
        read_text(f, "scenario file")


def test_missing_file_is_an_input_error_and_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="no such scenario file"):
        read_text(tmp_path / "nope.toml", "scenario file")
    assert issubclass(InputFileError, PactlabError)


def test_atomic_write_replaces_whole_or_not_at_all(tmp_path):
    out = tmp_path / "result.json"
    out.write_text("old")
    atomic_write(out, '{"new": 1}')
    assert out.read_text() == '{"new": 1}'
    # A folder that does not exist: refused, nothing created.
    with pytest.raises(InputFileError, match="does not exist"):
        atomic_write(tmp_path / "missing" / "x.json", "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"]


def test_atomic_write_failure_leaves_previous_content(tmp_path):
    out = tmp_path / "result.json"
    out.write_text("old")
    with pytest.raises(TypeError):
        atomic_write(out, 123)  # type: ignore[arg-type]
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]  # no temp file left


def test_atomic_directory_all_or_nothing(tmp_path):
    target = tmp_path / "export"
    with atomic_directory(target) as tmp:
        (tmp / "domain.xml").write_text("<d/>")
        (tmp / "a.xml").write_text("<a/>")
    assert sorted(p.name for p in target.iterdir()) == ["a.xml", "domain.xml"]
    with pytest.raises(RuntimeError), atomic_directory(target) as tmp:
        (tmp / "domain.xml").write_text("<half/>")
        raise RuntimeError("disk full")
    assert (target / "domain.xml").read_text() == "<d/>"  # the old export is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]


def test_inside_refuses_traversal(tmp_path):
    assert inside(tmp_path, "sma-2019.xml") == (tmp_path / "sma-2019.xml").resolve()
    for bad in ("../x.xml", "../../etc/passwd", "/etc/passwd", "a/../../x"):
        with pytest.raises(InputFileError, match="outside"):
            inside(tmp_path, bad)


def test_atomic_writes_keep_ordinary_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        new = atomic_write(tmp_path / "report.html", "<html/>")
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        os.chmod(new, 0o640)
        atomic_write(new, "<html>2</html>")  # a replaced file keeps its mode
        assert stat.S_IMODE(new.stat().st_mode) == 0o640
        with atomic_directory(tmp_path / "export") as folder:
            (folder / "a.xml").write_text("<a/>")
        assert stat.S_IMODE((tmp_path / "export").stat().st_mode) == 0o755
    finally:
        os.umask(old)
