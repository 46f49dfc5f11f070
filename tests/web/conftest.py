"""A store file with the seed page and the feed example, and an app over it."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from events.clock import MatchClock
from events.models import EventBase
from events.parser import parse_line
from events.readers import read_source
from replay.ingest import ingest_match
from replay.web import create_app
from stream import EventStore, open_store

with warnings.catch_warnings():
    # starlette 1.x prefers the httpx2 package and warns when it finds httpx instead
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEED = "inter-milan-derby"
FEED = "inter-juventus-2024-02-04"
GOAL = (
    "Goal! Inter Milan 2, AC Milan 0. Romelu Lukaku (Inter Milan) right footed shot from "
    "the centre of the box to the bottom left corner."
)
SCRIPT_LINE = "<script>window.__pwned = 1</script> Fans sing <b>loudly</b> & wave flags."


def make_store(path: Path) -> Path:
    """Ingest the seed page and the feed example into a new store file."""
    store = open_store(path)
    try:
        for name in ("inter-milan-derby.txt", "feed-example.jsonl"):
            ingest_match(store, read_source(EXAMPLES / name))
    finally:
        store.close()
    return path


def lines(*pairs: tuple[str, str]) -> list[EventBase]:
    """Events from (clock, text) pairs, as a live feed would append them."""
    return [parse_line(text, MatchClock.parse(clock)) for clock, text in pairs]


def append_elsewhere(path: Path, match_id: str, *pairs: tuple[str, str]) -> int:
    """Append lines through another connection to the store file; the new last seq."""
    store = open_store(path, create=False)
    try:
        return store.append(match_id, lines(*pairs)).last_seq
    finally:
        store.close()


@pytest.fixture(scope="session")
def seed_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared, read-only store (tests that append copy it first)."""
    return make_store(tmp_path_factory.mktemp("web") / "livetext.sqlite")


@pytest.fixture
def store_path(tmp_path: Path, seed_store_path: Path) -> Path:
    """A store of this test's own, to append to."""
    path = tmp_path / "livetext.sqlite"
    path.write_bytes(seed_store_path.read_bytes())
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EventStore]:
    s = open_store(make_store(tmp_path_factory.mktemp("api") / "livetext.sqlite"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store: EventStore) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as c:
        yield c
