"""Reading user files safely and writing results atomically.

Every reader in pactlab goes through :func:`read_bytes` / :func:`read_text`, so that a
FIFO, a device such as ``/dev/zero`` or a multi-gigabyte file is refused with one clear
sentence before any memory is spent, instead of blocking forever or reading until the
machine runs out of memory. Every writer goes through :func:`atomic_write` or
:func:`atomic_directory`: the output appears complete or not at all, so a full disk or an
interrupted export never leaves a truncated JSON file or half a GENIUS profile behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pactlab.errors import InputFileError

MiB = 1024 * 1024
DEFAULT_LIMIT = 64 * MiB
"""Largest input file read by default (bytes). Scenario, stakeholder and GENIUS files are
kilobytes; 64 MiB leaves room for large generated tables and long news text."""


def _size_text(n: int) -> str:
    return f"{n / MiB:,.1f} MiB" if n >= MiB else f"{n:,} bytes"


def check_regular(path: Path, what: str, limit: int = DEFAULT_LIMIT) -> int:
    """The size of `path` after checking it is a regular file no larger than `limit` bytes.

    Parameters
    ----------
    path
        The file to check; symbolic links are followed (a link to ``/dev/zero`` is refused
        because its target is not a regular file).
    what
        What the file is for, used in the message ("scenario file", "stakeholder table").
    limit
        Largest size accepted, in bytes.

    Raises
    ------
    InputFileError
        If the file does not exist, is a directory, a FIFO, a device or a socket, or is
        larger than `limit`.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such {what}.") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read the {what}: {exc.strerror}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputFileError(f"{path}: is a directory; expected a {what}.")
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError(
            f"{path}: is not a regular file (a device, FIFO or socket); a {what} must be an "
            "ordinary file."
        )
    if info.st_size > limit:
        raise InputFileError(
            f"{path}: the {what} is {_size_text(info.st_size)}, larger than the limit of "
            f"{_size_text(limit)}."
        )
    return info.st_size


def read_bytes(path: str | os.PathLike[str], what: str = "file",
               limit: int = DEFAULT_LIMIT) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (see :func:`check_regular`).

    The file is read with a bound as well, so a file that grows while it is read cannot
    exceed the limit either.
    """
    p = Path(path)
    check_regular(p, what, limit)
    try:
        with p.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputFileError(f"{p}: cannot read the {what}: {exc.strerror}.") from None
    if len(data) > limit:
        raise InputFileError(f"{p}: the {what} grew past the limit of {_size_text(limit)} "
                             "while it was read.")
    return data


def read_text(path: str | os.PathLike[str], what: str = "file",
              limit: int = DEFAULT_LIMIT) -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes.

    A byte-order mark is dropped. Text that is not UTF-8 is refused with the offset of the
    first bad byte, since a silent replacement character would corrupt names and quotes.
    """
    data = read_bytes(path, what, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"{path}: the {what} is not UTF-8 text (bad byte at offset {exc.start:,})."
        ) from None


def _umask() -> int:
    """The process's file-creation mask (read by setting it and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write `data` to `path` so that the file appears whole or not at all.

    The data goes to a temporary file in the same folder, is flushed to disk and then
    renamed over `path` (an atomic operation on POSIX file systems). On any failure the
    temporary file is removed and the previous content of `path`, if any, is untouched.

    Returns
    -------
    Path
        The path written.
    """
    target = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputFileError(f"{target}: cannot write: the folder {folder} does not exist.")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputFileError(f"{target}: cannot write: {exc.strerror}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain write would have:
        # the old file's, or the default for new files under the user's umask.
        os.chmod(tmp, stat.S_IMODE(target.stat().st_mode) if target.exists()
                 else 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputFileError(f"{target}: cannot write: {exc.strerror}; nothing was "
                             "written.") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Build a folder of files that appears whole or not at all.

    Yields a temporary folder beside `path`; write every file there. When the block ends
    without an error the folder is moved into place (replacing an existing folder of that
    name); on an error it is deleted and `path` is untouched. Used by multi-file exports
    (a GENIUS domain and its profiles) so that a failure never leaves half an export.
    """
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise InputFileError(f"{target}: cannot write: the folder {parent} does not exist.")
    try:
        tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp"))
    except OSError as exc:
        raise InputFileError(f"{target}: cannot write: {exc.strerror}.") from None
    try:
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes the folder private (0700)
        yield tmp
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.replace(target, old)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputFileError(f"{target}: cannot write: {exc.strerror}; nothing was "
                             "written.") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def inside(folder: str | os.PathLike[str], name: str) -> Path:
    """`folder / name`, refusing a name that would resolve outside `folder`.

    File names built from file content (a scenario id, a GENIUS profile name) must never
    write elsewhere: ``../../x`` or ``/etc/x`` are refused.
    """
    base = Path(folder).resolve()
    candidate = (base / name).resolve()
    if candidate.parent != base and base not in candidate.parents:
        raise InputFileError(f"refusing to write {name!r}: it would land outside {base}.")
    return candidate
