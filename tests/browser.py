"""Headless Chromium for the report and web tests: Debian's /usr/bin/chromium, no download.

Playwright drives the system browser (`make test` installs the `chromium` package through
tools/debian-packages.txt). Pages get a context with the network cut off: only file: URLs
and the loopback test server may load, anything else is aborted and recorded, so a test
can assert that nothing tried to leave the machine.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).parents[1] / "out" / "screenshots"
LOCAL = ("file:", "http://127.0.0.1", "data:", "about:", "blob:")


@dataclass
class Tab:
    """A page with what went wrong on it: console errors, page errors, blocked requests."""

    page: object
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Chromium per test process."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (tools/debian-packages.txt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def tab(chromium) -> Iterator[Tab]:
    """A fresh offline page; console errors and off-machine requests are collected."""
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    tab = Tab(page)

    def route(r) -> None:
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            tab.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


def screenshot(page, name: str, docs: bool = False) -> Path:
    """Save a screenshot under out/screenshots/; with PACTLAB_DOCS_SCREENSHOTS=1 also copy
    the `docs` ones into docs/screenshots/ (the README's pictures, committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    if docs and os.environ.get("PACTLAB_DOCS_SCREENSHOTS") == "1":
        target = Path(__file__).parents[1] / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / path.name)
    return path
