"""The pages in headless Chromium against a real server on loopback."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

import pactlab as pl
from browser import screenshot
from pactlab.web import create_app

TOY = Path(__file__).parents[1] / "data" / "cases" / "toy-2020.toml"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app served by uvicorn on 127.0.0.1 and a free port, in a thread."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = str(tmp_path_factory.mktemp("store") / "runs.db")
    config = uvicorn.Config(create_app(store=store), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def plotted(page, selector: str = ".js-plotly-plot .main-svg", timeout: int = 20_000) -> None:
    page.wait_for_function(f"document.querySelectorAll({selector!r}).length > 0",
                           timeout=timeout)


def test_scenario_list_and_utility_space(tab, server):
    page = tab.page
    page.goto(server + "/")
    rows = page.locator("#scenarios tbody tr")
    assert rows.count() >= 2 and page.locator("#scenarios a", has_text="sma-2019").count() == 1
    screenshot(page, "web-index", docs=True)
    page.locator("#scenarios a", has_text="sma-2019").click()
    plotted(page)
    assert page.locator(".js-plotly-plot .parcoords").count() == 1
    screenshot(page, "web-scenario", docs=True)
    assert tab.errors == [] and tab.blocked == []


def test_offer_form_shows_the_right_utilities(tab, server):
    page = tab.page
    page.goto(server + "/scenarios/sma-2019/offer")
    page.select_option("#i-payment", "1.2")
    page.select_option("#i-troops", "keep")
    page.click("#evaluate")
    page.wait_for_selector("#utilities")
    ev = pl.evaluate_offer("sma-2019", {"payment": 1.2, "troops": "keep"})
    for party, u in ev.offer.utilities.items():
        cell = page.locator(f'#utilities tr.offer td[data-party="{party}"]')
        assert cell.inner_text() == f"{u:.4f}"
    assert page.locator("#utilities tr.better").count() == len(ev.dominated_by)
    plotted(page)
    screenshot(page, "web-offer", docs=True)
    assert tab.errors == []


def test_upload_with_an_error_shows_the_message(tab, server, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(TOY.read_text().replace("reservation = 0.2", "reservation = 'high'", 1))
    page = tab.page
    page.goto(server + "/")
    page.set_input_files("#files", str(bad))
    page.click("#upload")
    error = page.locator("#upload-error")
    error.wait_for()
    assert error.inner_text().startswith("bad.toml: parties[0].reservation")
    screenshot(page, "web-upload-error")
    page.set_input_files("#files", str(TOY))
    page.click("#upload")
    plotted(page)
    assert "/scenarios/toy-2020-" in page.url


def test_negotiation_page_draws_the_trace(tab, server):
    page = tab.page
    page.goto(server + "/scenarios/sma-2019/negotiate?s_us=boulware&rounds=80")
    plotted(page)
    res = pl.run_session("sma-2019", {"us": "boulware", "rok": "linear", "dpk": "linear"},
                         rounds=80)
    assert f"after {res.rounds_used} turns" in page.locator("#summary").inner_text()
    screenshot(page, "web-negotiate", docs=True)


def test_a_sweep_started_from_the_page_finishes_and_shows_its_figure(tab, server):
    page = tab.page
    page.goto(server + "/scenarios/sma-2019/sweep")
    page.fill("input[name=samples]", "64")
    page.click("#start")
    page.wait_for_url("**/runs/*")
    plotted(page, "#sweep-figure .main-svg", timeout=120_000)
    assert "64 of 64 samples" in page.locator("#status").inner_text()
    screenshot(page, "web-sweep", docs=True)
    assert tab.errors == []
