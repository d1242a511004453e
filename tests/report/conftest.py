"""Report tests share the headless Chromium fixtures of tests/browser.py."""

from browser import chromium, tab  # noqa: F401 (fixtures)
