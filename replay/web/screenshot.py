"""Take the README's screenshot of a match page with the test's headless Chromium.

``python -m replay.web.screenshot`` ingests the bundled example page into a temporary
store, serves it on 127.0.0.1 and writes ``docs/screenshot.png``; ``--store``, ``--match``,
``--at`` and ``--output`` choose another page.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "inter-milan-derby.txt"


def take(
    store_path: Path,
    match_id: str,
    output: Path,
    at: str | None = None,
    width: int = 1280,
    height: int = 900,
) -> Path:
    """Serve ``store_path`` and save the page of ``match_id`` (at ``at``) as a PNG."""
    from playwright.sync_api import sync_playwright

    from replay.web import create_app
    from replay.web.browser import launch
    from replay.web.server import running
    from stream import open_store

    store = open_store(store_path, create=False)
    try:
        with running(create_app(store)) as base, sync_playwright() as pw:
            browser = launch(pw)
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                query = f"?at={at}" if at else ""
                page.goto(f"{base}/matches/{match_id}{query}")
                page.wait_for_selector("#scoreboard[data-at]")
                page.wait_for_selector(".connection.on")
                output.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(output), full_page=True)
            finally:
                browser.close()
    finally:
        store.close()
    return output


def main(argv: list[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m replay.web.screenshot", description=__doc__)
    parser.add_argument("--store", type=Path, help="a store (default: the example, ingested)")
    parser.add_argument("--match", default="inter-milan-derby", help="the match id")
    parser.add_argument("--at", help="the minute shown (default: the latest, live)")
    parser.add_argument("--output", "-o", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store_path = args.store
        if store_path is None:
            from events.readers import read_source
            from replay.ingest import ingest_match
            from stream import open_store

            store_path = Path(tmp) / "livetext.sqlite"
            store = open_store(store_path)
            try:
                ingest_match(store, read_source(EXAMPLE))
            finally:
                store.close()
        out = take(store_path, args.match, args.output, args.at, args.width, args.height)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
