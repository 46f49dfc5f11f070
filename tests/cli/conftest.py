"""The example page and feed ingested once into a store file for the command tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from events.readers import read_source
from replay.ingest import ingest_match
from stream import open_store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PAGE = EXAMPLES / "inter-milan-derby.txt"
FEED = EXAMPLES / "feed-example.jsonl"
LINES = EXAMPLES / "lines-example.txt"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "livetext.sqlite"
    store = open_store(path)
    try:
        for source in (PAGE, FEED):
            ingest_match(store, read_source(source))
    finally:
        store.close()
    return path
