"""Real services for the sweep tests: a throwaway PostgreSQL cluster on a unix socket.

The cluster is created with the Debian packages' `initdb` (tools/debian-packages.txt lists
`postgresql`), started by `pg_ctl` with a socket in a temporary folder and no TCP port, and
removed at the end of the session. As root, PostgreSQL refuses to run, so the commands run
as the `postgres` user (`runuser`).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

NOISE = "weights=0.3,reservations=0.05"
"""The `--noise` shorthand the sweep tests draw their samples with."""


def same_columns(a, b) -> None:
    """Two sweep results hold the same samples: every column, bit for bit."""
    assert a.columns.keys() == b.columns.keys()
    for k in a.columns:
        np.testing.assert_array_equal(a.columns[k], b.columns[k], err_msg=k)


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed: `make test` installs the "
                           "Debian package postgresql (tools/debian-packages.txt)")
    return found[-1]


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def postgres_url():
    """A SQLAlchemy URL of a fresh PostgreSQL database on a private unix socket."""
    root = Path(tempfile.mkdtemp(prefix="pactlab-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
        root.chmod(0o755)
    subprocess.run(_as_postgres([_pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U",
                                 "postgres", "--no-sync"]), check=True, capture_output=True)
    options = f"-k {sock} -c listen_addresses='' -c fsync=off"
    subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-w",
                                 "-l", str(root / "log"), "start"]), check=True,
                   capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@/postgres?host={sock}"
    finally:
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate",
                                     "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request, tmp_path):
    """Each run-store test against a SQLite file and a real PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "runs.sqlite")
    return request.getfixturevalue("postgres_url")
