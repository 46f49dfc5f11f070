"""Headless Chromium for the page's end-to-end test and its screenshot.

Playwright for Python drives the system's Chromium (Debian's ``chromium`` package; put
another path in ``LIVETEXT_CHROMIUM``): Playwright's own browser download is not used.
``scripts/install-browser.sh`` installs both.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ARGS = (
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def find_chromium() -> str | None:
    """The Chromium executable: ``$LIVETEXT_CHROMIUM``, else the first on ``PATH``."""
    if path := os.environ.get("LIVETEXT_CHROMIUM"):
        return path if os.access(path, os.X_OK) else None
    for name in CANDIDATES:
        if found := shutil.which(name):
            return found
    return None


def missing() -> str | None:
    """Why no browser can run here (None when one can)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (scripts/install-browser.sh)"
    if find_chromium() is None:
        return "no Chromium found (scripts/install-browser.sh, or set LIVETEXT_CHROMIUM)"
    return None


def launch(playwright: Playwright) -> Browser:
    """A headless Chromium with a fresh profile that stays off the network."""
    executable = find_chromium()
    if executable is None:
        raise RuntimeError(missing() or "no Chromium found")
    return playwright.chromium.launch(executable_path=executable, headless=True, args=list(ARGS))
