"""A store written before the lean write path (schema 1: each event's JSON repeats its
match id, seq, position and event id) opens, reads as it did, and takes the same sources
again without appending anything.

``fixtures/store-v1.sqlite`` was made by ``fixtures/make_store_v1.py`` with the code at
commit 55abc29; ``fixtures/store-v1.expected.json`` is what that code read back from it.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import orjson
import pytest

from events.models import loads
from events.readers import read_source
from events.sheet import MatchSheet
from replay.ingest import ingest_match
from stream.sqlite import SqliteStore
from stream.sqlite_schema import SCHEMA_VERSION
from tests.stream.contract import line
from tests.stream.fixtures.make_store_v1 import EXAMPLES, EXPECTED, NAMES, STORE, expected


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    """A copy of the schema-1 store (the committed file is never written)."""
    path = tmp_path / "old.sqlite"
    shutil.copyfile(STORE, path)
    assert user_version(path) == 1
    return path


def assert_reads_as_before(got: dict[str, Any], *, read_again: bool = False) -> None:
    """What the store reads equals what the old code read (events compared as events, so a
    field added to the models since reads the same on both sides).  Sources read again
    record where they were read from this time (``meta.source``) and a sheet with the
    fields added since (compared as sheets): the rest of the metadata is as it was."""
    before = orjson.loads(EXPECTED.read_bytes())
    assert [loads(e) for e in got["read_all"]] == [loads(e) for e in before["read_all"]]
    for key in ("read", "to_45", "matches", "meta"):
        mine, theirs = got[key], before[key]
        if key == "meta" and read_again:
            mine, theirs = (
                {m: _as_read_again(meta) for m, meta in x.items()} for x in (mine, theirs)
            )
        assert mine == theirs, key


def _as_read_again(meta: dict[str, Any]) -> dict[str, Any]:
    if "source" not in meta:
        return meta
    sheet = MatchSheet.model_validate(meta["sheet"])
    return {**meta, "source": Path(meta["source"]).name, "sheet": sheet}


def test_an_old_store_reads_as_it_did(old_store: Path) -> None:
    assert_reads_as_before(expected(old_store))
    assert user_version(old_store) == 1  # reading leaves it as it is


def test_an_old_store_opened_read_only_reads_as_it_did(old_store: Path) -> None:
    with SqliteStore(old_store, read_only=True) as store:
        assert store.read_only
        assert len(store.read_all()) == 70
    assert_reads_as_before(expected(old_store))


def test_reingesting_the_same_sources_appends_nothing(old_store: Path) -> None:
    with SqliteStore(old_store) as store:
        for name in NAMES:
            result = ingest_match(store, read_source(EXAMPLES / name))
            assert (result.appended, len(result.duplicates) > 0) == (0, True), name
    assert_reads_as_before(expected(old_store), read_again=True)
    assert user_version(old_store) == SCHEMA_VERSION  # written: now the current schema


def test_new_rows_after_old_ones_read_back(old_store: Path) -> None:
    with SqliteStore(old_store) as store:
        match_id = "inter-juventus-2024-02-04"
        old = store.read(match_id)
        result = store.append(match_id, [line("A new live line.", "90+5")])
        assert [(e.seq, e.position) for e in result.recorded] == [(len(old) + 1, 71)]
        assert store.read(match_id) == [*old, *result.recorded]
        assert store.read_all(from_position=70)[1:] == list(result.recorded)
        assert store.matches()[0].last_clock == result.recorded[0].clock
