"""Ingesting a whole source: one transaction, and the same source twice is a no-op."""

from __future__ import annotations

import pytest

from events.models import EventBase
from stream.ingest import ingest_events, ingest_many
from stream.memory import MemoryStore
from stream.store import StoreError
from tests.stream.contract import line, texts


def page() -> list[EventBase]:
    return [line("Kick-off.", "1"), line("Corner, Inter.", "34"), line("Corner, Inter.", "34")]


def test_ingesting_a_source_twice_appends_it_once() -> None:
    store = MemoryStore()
    first = ingest_events(store, "m", page())
    again = ingest_events(store, "m", page())
    assert (first.appended, again.appended, len(again.duplicates)) == (3, 0, 3)
    assert texts(store.read("m")) == ["Kick-off.", "Corner, Inter.", "Corner, Inter."]


def test_a_longer_version_of_the_source_adds_only_the_new_lines() -> None:
    store = MemoryStore()
    ingest_events(store, "m", page())
    later = ingest_events(store, "m", [*page(), line("Corner, Inter.", "34"), line("Goal!", "35")])
    assert texts(list(later.recorded)) == ["Corner, Inter.", "Goal!"]
    assert store.last_seq("m") == 5


def test_ingest_is_all_or_nothing() -> None:
    store = MemoryStore()
    stray = line("belongs elsewhere").model_copy(update={"match_id": "other"})
    with pytest.raises(ValueError):
        ingest_events(store, "m", [*page(), stray])
    assert store.read_all() == []


def test_ingest_many_writes_every_match_or_none() -> None:
    store = MemoryStore()
    results = ingest_many(store, {"a": page(), "b": page()[:1]})
    assert {m: r.appended for m, r in results.items()} == {"a": 3, "b": 1}
    assert [e.position for e in store.read_all()] == [1, 2, 3, 4]
    with pytest.raises((ValueError, StoreError)):
        ingest_many(store, {"c": page(), "": page()})
    assert store.last_seq("c") == 0
