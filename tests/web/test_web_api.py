"""The JSON API with FastAPI's TestClient: CLI-identical shapes, errors, uploads, sweeps."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactlab.cli.app import app as cli
from pactlab.model import load_scenario
from pactlab.web import create_app
from pactlab.web.workbench import MAX_UPLOAD

DATA = Path(__file__).parents[1] / "data"
TOY = DATA / "cases" / "toy-2020.toml"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = str(tmp_path_factory.mktemp("store") / "runs.db")
    with TestClient(create_app(store=store)) as c:
        yield c


def cli_json(*args: str) -> str:
    r = CliRunner().invoke(cli, [*args, "--json"])
    assert r.exit_code == 0, r.output
    return r.stdout


def upload(client, *files: tuple[str, bytes]):
    return client.post("/api/scenarios", files=[("files", f) for f in files])


def test_scenario_list_has_builtins_and_cases(client):
    rows = client.get("/api/scenarios").json()["scenarios"]
    kinds = {r["id"]: r["kind"] for r in rows}
    assert kinds["sma-2019"] == "built-in" and kinds["us-rok-2025"] == "built-in"
    assert next(r for r in rows if r["id"] == "sma-2019")["outcomes"] == (
        load_scenario("sma-2019").outcome_count)


@pytest.mark.parametrize(("url", "args"), [
    ("/api/scenarios/sma-2019/analysis", ("analyze", "sma-2019")),
    ("/api/scenarios/sma-2019/evaluate?offer=payment=1.2,troops=keep",
     ("evaluate", "sma-2019", "--offer", "payment=1.2,troops=keep")),
    ("/api/scenarios/sma-2019/linkage", ("linkage", "sma-2019")),
    ("/api/scenarios/sma-2019/negotiate?strategy=us=boulware&rounds=60&seed=3",
     ("negotiate", "sma-2019", "--strategy", "us=boulware", "--rounds", "60", "--seed", "3")),
    ("/api/scenarios/sma-2019/forecast?model=median", ("forecast", "sma-2019", "-m", "median")),
])
def test_api_answers_are_the_cli_json_byte_for_byte(client, url, args):
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.text == cli_json(*args)


def test_unknown_names_and_paths_are_404_never_files(client):
    for sid in ("nope", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", str(TOY).replace("/", "%2F")):
        r = client.get(f"/api/scenarios/{sid}/analysis")
        assert r.status_code == 404, sid
        assert "error" in r.json() or r.json() == {"detail": "Not Found"}
    r = client.get("/api/scenarios/nope")
    assert r.json() == {"error": "unknown scenario 'nope'; see the scenario list"}
    assert client.get("/api/runs/..%2Fx").status_code == 404


def test_bad_parameters_are_400_with_the_message(client):
    r = client.get("/api/scenarios/sma-2019/evaluate?offer=payment")
    assert r.status_code == 400 and "expected issue=value" in r.json()["error"]
    r = client.get("/api/scenarios/sma-2019/negotiate?strategy=us=evil.py:Evil")
    assert r.status_code == 404 and "not accepted over HTTP" in r.json()["error"]
    r = client.get("/api/scenarios/sma-2019/forecast?model=oracle")
    assert r.status_code == 404 and "unknown model" in r.json()["error"]
    assert client.get("/api/scenarios/sma-2019/negotiate?rounds=0").status_code == 422


def test_upload_then_use_it(client):
    r = upload(client, ("toy.toml", TOY.read_bytes()))
    assert r.status_code == 201
    sid = r.json()["id"]
    assert sid.startswith("toy-2020-")
    assert client.get(f"/api/scenarios/{sid}/analysis").json()["outcomes"] == 45
    bt = client.get(f"/api/scenarios/{sid}/backtest").json()
    assert bt["id"] == "toy-2020" and "status_quo" in bt["methods"]
    assert sid in {s["id"] for s in client.get("/api/scenarios").json()["scenarios"]}


def test_upload_errors_are_the_cli_messages(client, tmp_path, monkeypatch):
    bad = TOY.read_text().replace("reservation = 0.2", "reservation = 'high'", 1)
    (tmp_path / "bad.toml").write_text(bad)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, ["analyze", "bad.toml"])
    assert r.exit_code == 2
    got = upload(client, ("bad.toml", bad.encode()))
    assert got.status_code == 400
    assert r.stderr == f"error: {got.json()['error']}\n"
    assert got.json()["error"].startswith("bad.toml: parties[0].reservation")


@pytest.mark.parametrize(("name", "data", "words"), [
    ("big.toml", b"# " + b"x" * MAX_UPLOAD, "larger than 1,048,576 bytes"),
    ("latin1.toml", "id = 'caf\xe9'\n".encode("latin-1"), "UTF-8"),
    ("deep.toml", b"x = " + b"[" * 50_000 + b"]" * 50_000, "deep.toml"),
    ("wide.toml", b"x = [" + b"0," * 200_000 + b"]", "wide.toml"),
    ("notes.txt", b"hello", "expected a scenario .toml file"),
])
def test_hostile_uploads_get_a_clear_400(client, name, data, words):
    r = upload(client, (name, data))
    assert r.status_code == 400, r.text
    message = r.json()["error"]
    assert words in message and len(message) < 5_000
    assert "/tmp" not in message and "pactlab-uploads" not in message
    assert client.get("/api/scenarios").status_code == 200  # still up


def test_genius_upload_with_xml_entities_is_refused(client):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><negotiation_template>&b;'
            b"</negotiation_template>")
    r = upload(client, ("domain.xml", bomb), ("a.xml", bomb), ("b.xml", bomb))
    assert r.status_code == 400
    assert "domain.xml" in r.json()["error"]


def test_sweep_runs_in_the_background_and_lands_in_the_store(client):
    r = client.post("/api/scenarios/sma-2019/sweeps?samples=48&noise=weights=0.3")
    assert r.status_code == 202
    run_id = r.json()["run_id"]
    deadline = time.monotonic() + 120
    while (run := client.get(f"/api/runs/{run_id}").json())["status"] != "finished":
        assert "error" not in run and time.monotonic() < deadline
        time.sleep(0.3)
    assert run["done"] == run["samples"] == 48
    result = run["result"]
    assert result["samples"] == 48 and 0.0 <= result["p_deal_possible"] <= 1.0
    assert run_id in {x["run_id"] for x in client.get("/api/runs").json()["runs"]}
    r = client.post("/api/scenarios/sma-2019/sweeps?samples=10000000")
    assert r.status_code == 400 and "samples" in r.json()["error"]


def test_openapi_documents_every_api_route(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/scenarios", "/api/scenarios/{sid}/analysis", "/api/scenarios/{sid}/evaluate",
            "/api/runs/{run_id}", "/api/scenarios/{sid}/sweeps"} <= paths
    assert not any(p.startswith("/scenarios") for p in paths)
    assert client.get("/docs").status_code == 200
