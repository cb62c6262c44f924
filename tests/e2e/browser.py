"""Headless Chromium for the tests that look at a page as a person would (the HTML report, thidua serve)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def browser_or_skip() -> str:
    """Chromium's path; the test is skipped with the reason where there is none (.ci/run installs
    it), and fails under CI=true."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        reason = "playwright's Python package is not installed"
    else:
        if Path(CHROMIUM).exists():
            return CHROMIUM
        reason = "no Chromium at /usr/bin/chromium (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs the browser test: {reason}")
    pytest.skip(reason)
