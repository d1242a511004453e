"""`pactlab report`: one self-contained file, escaped, that renders offline in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from browser import screenshot
from pactlab.cli.app import app
from pactlab.model import load_scenario, parse_scenario
from pactlab.report.document import build_report, collect, render

DATA = Path(__file__).parents[1] / "data"
TOY = DATA / "cases" / "toy-2020.toml"
XSS = '<img src=x onerror="window.__pwned = 1">'


@pytest.fixture(scope="module")
def toy_report(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "toy.html"
    r = CliRunner().invoke(app, ["report", str(TOY), "-o", str(path),
                                 "--strategy", "buyer=boulware"])
    assert r.exit_code == 0, r.output
    assert str(path) in r.stdout.replace("\n", "")
    return path


def hostile_scenario():
    """A scenario whose every free-text field tries to inject markup."""
    return parse_scenario({
        "id": "hostile", "title": XSS, "description": XSS,
        "sources": [{"id": "s", "title": XSS, "url": "https://example.org/" + XSS}],
        "issues": [{"id": "deal", "name": XSS, "options": [XSS, "no"], "status_quo": "no",
                    "basis": {"source": "s", "quote": XSS, "assumption": XSS}}],
        "parties": [
            {"id": p, "name": XSS, "reservation": 0.1, "basis": {"assumption": XSS},
             "weights": {"deal": 1.0}, "weights_basis": {"assumption": "only one issue"},
             "values": {"deal": {"kind": "table", "table": {XSS: v, "no": 1 - v},
                                 "basis": {"assumption": "t"}}}}
            for p, v in (("a", 0.9), ("b", 0.6))],
    })


def test_report_holds_every_section_and_no_external_reference(toy_report):
    text = toy_report.read_text(encoding="utf-8")
    for section in ("scenario", "analysis", "zopa", "linkage", "negotiation", "forecast",
                    "backtest"):
        assert f'<section id="{section}">' in text
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", text)
    assert "buyer</code> plays <code>boulware" in text
    assert text.count('class="plotly-graph-div"') == 5
    sc = load_scenario(TOY)
    assert "Test grid." in text and sc.outcome.basis.quote in text


def test_report_sections_follow_the_scenario():
    sc = load_scenario("sma-2019")
    data = collect(sc, rounds=30)
    assert (data.backtest is None) == (sc.outcome is None) and data.forecast is not None
    text = render(data)
    assert ('<section id="backtest">' in text) == (sc.outcome is not None)
    assert '<section id="forecast">' in text and '<section id="sweep">' not in text
    for party in sc.parties:
        assert f"<code>{party.id}</code>" in text


def test_every_user_label_is_escaped():
    text = build_report(hostile_scenario(), rounds=10)
    assert XSS not in text and "<img" not in text
    for absent in ("forecast", "backtest", "sweep"):  # no stakeholders, outcome or priors
        assert f'<section id="{absent}">' not in text
    assert "&lt;img src=x onerror=" in text


def test_report_renders_offline_in_chromium(tab, toy_report, tmp_path):
    page = tab.page
    page.goto(toy_report.as_uri())
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 5", timeout=20_000)
    plots = page.locator(".js-plotly-plot")
    assert plots.count() == 5
    for k in range(5):
        assert plots.nth(k).locator("svg.main-svg").count() >= 1
    assert page.locator(".js-plotly-plot .scatterlayer .point").count() > 0
    assert tab.errors == [] and tab.blocked == []
    screenshot(page, "report-top")
    page.emulate_media(media="print")
    assert not page.locator("nav").is_visible()
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_builtin_report_renders_offline_in_chromium(tab, tmp_path):
    path = tmp_path / "sma-2019.html"
    path.write_text(build_report("sma-2019", rounds=60), encoding="utf-8")
    page = tab.page
    page.goto(path.as_uri())
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=20_000)
    assert page.locator("#figure-analysis .parcoords").count() == 1
    assert tab.errors == [] and tab.blocked == []
    page.locator("#figure-analysis").scroll_into_view_if_needed()
    screenshot(page, "report-analysis", docs=True)
    page.locator("#figure-session").scroll_into_view_if_needed()
    screenshot(page, "report-negotiation", docs=True)


def test_hostile_report_runs_no_injected_script(tab, tmp_path):
    path = tmp_path / "hostile.html"
    path.write_text(build_report(hostile_scenario(), rounds=10), encoding="utf-8")
    tab.page.goto(path.as_uri())
    tab.page.wait_for_function("document.querySelectorAll('.main-svg').length > 0")
    assert tab.page.evaluate("window.__pwned") is None
    assert tab.errors == []


def test_report_refuses_an_unwritable_output(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = CliRunner().invoke(app, ["report", "sma-2019", "-o", str(blocker / "r.html")])
    assert r.exit_code == 2 and "cannot write" in r.output
