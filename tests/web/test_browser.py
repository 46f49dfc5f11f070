"""End to end in a real headless Chromium: ``livetext serve`` in another process, the seed
match's page, the slider, a shared link, and live updates from appends to the store.

Skips (saying why) only where no browser is installed; ``LIVETEXT_REQUIRE_BROWSER=1``
turns the skip into a failure.  ``scripts/install-browser.sh`` installs what it needs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from replay.web import browser

from .conftest import FEED, GOAL, SCRIPT_LINE, SEED, append_elsewhere

if TYPE_CHECKING:
    from playwright.sync_api import Page

WAIT_MS = 5000


def _require_browser() -> None:
    why = browser.missing()
    if why is None:
        return
    if os.environ.get("LIVETEXT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"LIVETEXT_REQUIRE_BROWSER=1 but {why}")
    pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(store_path: Path) -> Iterator[str]:
    """``livetext serve`` on a free 127.0.0.1 port, in its own process."""
    port = _free_port()
    command = "import sys; from replay.cli import main; sys.argv[0] = 'livetext'; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--store", str(store_path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    try:
        while True:
            try:
                httpx.get(f"{base}/api/matches", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read().decode() if proc.stdout else ""
                    pytest.fail(f"livetext serve did not start: {out}")
                time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def page() -> Iterator[Page]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = browser.launch(pw)
        try:
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            yield context.new_page()
        finally:
            chromium.close()


def shown(page: Page, at: str) -> None:
    """Wait until the page shows the state of minute ``at``."""
    page.wait_for_selector(f'#scoreboard[data-at="{at}"]', timeout=WAIT_MS)


def score(page: Page) -> tuple[str, str]:
    return page.inner_text("#home-score"), page.inner_text("#away-score")


def stat(page: Page, name: str) -> tuple[str, str]:
    row = f'.stat[data-stat="{name}"]'
    return page.inner_text(f"{row} .v.home"), page.inner_text(f"{row} .v.away")


def test_seed_match_slider_shared_link_and_live_updates(
    server: str, page: Page, store_path: Path
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server)
    page.click(f'a[href="/matches/{SEED}"]')

    # Opens at the last minute, following live.
    shown(page, "90+4")
    assert page.inner_text("#clock-label") == "90+4'"
    assert score(page) == ("1", "0")
    assert stat(page, "shots") == ("2", "0")
    assert stat(page, "corners") == ("2", "0")
    assert page.inner_text("#home-name") == "Inter Milan"
    assert page.locator("#pitch .half.home .player").count() == 11
    expect(page.locator("#live-badge")).to_be_visible()

    # The arrow keys step back to 90+2: before the corners and the printed 1-0.
    page.focus("#minute-slider")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    shown(page, "90+2")
    assert page.inner_text("#clock-label") == "90+2'"
    assert score(page) == ("0", "0")
    assert stat(page, "corners") == ("0", "0")
    assert stat(page, "shots") == ("1", "0")
    assert page.url.endswith("?at=90+2")
    expect(page.locator("#go-live")).to_be_visible()

    # An append from another process while the user looks back: the page stays put.
    append_elsewhere(store_path, SEED, ("90+5", GOAL))
    expect(page.locator("#go-live")).to_have_class("go-live pending")
    assert page.inner_text("#clock-label") == "90+2'"
    assert score(page) == ("0", "0")

    # The button returns to live, and live now includes 90+5'.
    page.click("#go-live")
    shown(page, "90+5")
    assert score(page) == ("2", "0")
    assert page.inner_text("#slider-end") == "90+5'"

    # Following live: the next append shows by itself, its text as text.
    append_elsewhere(store_path, SEED, ("90+5", SCRIPT_LINE))
    expect(page.locator("#events .ev-text").first).to_have_text(SCRIPT_LINE)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#events script").count() == 0
    assert score(page) == ("2", "0")

    # A shared link opens at its minute: 45+2 of the feed match, then the last minute.
    page.goto(f"{server}/matches/{FEED}?at=45+2")
    shown(page, "45+2")
    assert page.inner_text("#clock-label") == "45+2'"
    assert page.inner_text("#break-label") == "HT"
    assert score(page) == ("1", "0")
    assert stat(page, "corners") == ("0", "1")
    page.focus("#minute-slider")
    page.keyboard.press("End")
    shown(page, "90+4")
    assert score(page) == ("1", "0")
    assert stat(page, "shots") == ("2", "1")
    assert errors == []


def test_screenshot_script_writes_a_png(tmp_path: Path, store_path: Path) -> None:
    _require_browser()
    from replay.web.screenshot import take

    out = take(store_path, SEED, tmp_path / "shot.png", at="90+2", width=800, height=600)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 10_000
