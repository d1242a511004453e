"""`pactlab serve` as a user starts it: a real process on loopback, stopped by the test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from pactlab.cli.serve import is_loopback

PACTLAB = Path(sys.executable).with_name("pactlab")


def test_only_loopback_addresses_count_as_local():
    assert all(map(is_loopback, ("127.0.0.1", "127.8.9.1", "::1", "localhost")))
    assert not any(map(is_loopback, ("0.0.0.0", "10.0.0.1", "::", "example.org")))


def test_serve_answers_on_loopback_and_stops(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(PACTLAB), "serve", "--port", str(port), "--store",
                             str(tmp_path / "runs.db")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/scenarios", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
                time.sleep(0.2)
        assert r.status_code == 200 and "sma-2019" in r.text
        assert httpx.get(f"http://127.0.0.1:{port}/docs", timeout=5).status_code == 200
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in out and "warning" not in err
