"""The append's fast paths say exactly what the plain ones say.

- ``numbered`` is ``model_copy(update=...)`` for every event class;
- ``event_json`` (what ``SqliteStore`` writes) is pydantic's JSON of the event without its
  columns, byte for byte, and a row reads back (``stored_event``) as the numbered copy;
- a ``LazyAppendResult`` is the ``AppendResult`` with the same fields in every respect;
- ``event_ids`` is ``events.identity.event_id`` with occurrences counted.
"""

from __future__ import annotations

import dataclasses
import pickle
import sqlite3
import types
import typing
from pathlib import Path
from typing import Any

import orjson
import pytest

from events.clock import MatchClock, key_number
from events.identity import event_id
from events.models import EVENT_TYPES, EventBase, Goal, Score, Unrecognised, dumps
from stream.ids import event_ids
from stream.numbering import Head, number
from stream.record import COLUMNS, event_json, stored_event
from stream.sqlite import SqliteStore
from stream.store import AppendResult, Batch, LazyAppendResult, numbered
from tests.stream.contract import line

ODD_TEXT = ' "Straße"\t\\FOUL\x00 by\u00a0Ömer\u2028(Köln) 😀 </b>  '


def _value(annotation: Any, text: str) -> Any:
    """A value of a field's type: the first choice of a Literal, the inner type of an
    Optional, ``text`` for strings."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if origin in (typing.Union, types.UnionType):
        return _value(next(a for a in typing.get_args(annotation) if a is not type(None)), text)
    if annotation is str:
        return text
    if annotation is bool:
        return True
    if annotation is int:
        return 1
    if annotation is Score:
        return Score(home=2, away=1)
    if annotation is MatchClock:
        return MatchClock.parse("45+2:07")
    raise AssertionError(f"no sample value for {annotation!r}")


def every_event(text: str = ODD_TEXT) -> list[EventBase]:
    """One event of each class with every field set (the envelope aside), and one with
    only what is required."""
    out: list[EventBase] = []
    for cls in EVENT_TYPES.values():
        fields = {
            name: _value(field.annotation, text)
            for name, field in cls.model_fields.items()
            if name not in ("type", "schema_version", "match_id", "seq", "position", "event_id")
        }
        out.append(cls(**fields))
        required = {k: v for k, v in fields.items() if cls.model_fields[k].is_required()}
        out.append(cls(**required))
    return out


def test_every_event_class_has_a_sample() -> None:
    assert {e.type for e in every_event()} == set(EVENT_TYPES)


@pytest.mark.parametrize("event", every_event(), ids=lambda e: e.type)
def test_a_numbered_copy_is_model_copy(event: EventBase) -> None:
    update = {"match_id": "m#1", "seq": 3, "position": 7, "event_id": "abc"}
    copy = numbered(event, "m#1", 3, 7, "abc")
    expected = event.model_copy(update=update)
    assert copy == expected and type(copy) is type(expected)
    assert list(copy.__dict__.items()) == list(expected.__dict__.items())
    assert copy.model_fields_set == expected.model_fields_set
    assert (copy.__pydantic_extra__, copy.__pydantic_private__) == (None, None)
    assert event.seq == 0 and event.match_id == ""  # the input is untouched
    with pytest.raises(ValueError):
        copy.seq = 4  # type: ignore[misc]  # still frozen


def pydantic_json(event: EventBase) -> bytes:
    """The event's JSON without its columns, as pydantic's serialiser writes it."""
    return event.__pydantic_serializer__.to_json(event, exclude=set(COLUMNS))


def read_back(event: EventBase, match_id: str, seq: int, position: int, eid: str) -> EventBase:
    """The event as written to a row and read back with its columns."""
    return stored_event(bytes(event_json(event)), match_id, seq, position, eid)


@pytest.mark.parametrize("event", every_event(), ids=lambda e: e.type)
def test_the_stored_json_is_pydantics_without_the_columns(event: EventBase) -> None:
    data = event_json(event)
    assert data == pydantic_json(event)
    assert not COLUMNS & orjson.loads(data).keys()


@pytest.mark.parametrize("event", every_event(), ids=lambda e: e.type)
def test_a_row_reads_back_as_the_numbered_copy(event: EventBase) -> None:
    copy = numbered(event, 'm\u00e9\x1f"', 2**40, 2**41, ODD_TEXT)
    again = read_back(event, 'm\u00e9\x1f"', 2**40, 2**41, ODD_TEXT)
    assert again == copy and type(again) is type(copy)
    assert again.model_fields_set == set(type(copy).model_fields)


@pytest.mark.parametrize("event", every_event()[:4], ids=lambda e: e.type)
def test_a_schema_1_row_holding_the_columns_reads_the_same(event: EventBase) -> None:
    """Rows written before schema 2 hold ``dumps`` of the numbered copy."""
    copy = numbered(event, "m", 3, 7, "abc")
    assert stored_event(dumps(copy), "m", 3, 7, "abc") == copy


def test_json_of_any_character_reads_back() -> None:
    for start in range(0, 0x110000, 512):
        text = "".join(chr(c) for c in range(start, start + 512) if not 0xD800 <= c <= 0xDFFF)
        event = Unrecognised(text=text or "x", clock=MatchClock.parse("90+4"))
        assert event_json(event) == pydantic_json(event)
        assert read_back(event, "m", 1, 1, "x") == numbered(event, "m", 1, 1, "x")


def test_unserialisable_text_fails_as_dumps_does() -> None:
    event = Unrecognised(text="lone \ud800 surrogate")
    with pytest.raises(Exception) as plain:
        dumps(event)
    with pytest.raises(Exception) as fast:
        event_json(event)
    assert type(fast.value) is type(plain.value)


def test_the_file_holds_the_events_json_and_columns(tmp_path: Path) -> None:
    events = [line("Corner, Inter.", "34"), *every_event()]
    with SqliteStore(tmp_path / "s.sqlite") as store:
        recorded = store.append("m", events).recorded
        assert store.read("m") == list(recorded)
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    stored = conn.execute(
        "SELECT position, seq, event_id, data, clock, type FROM events ORDER BY position"
    ).fetchall()
    conn.close()
    assert stored == [
        (
            e.position,
            e.seq,
            e.event_id,
            pydantic_json(e),
            None if e.clock is None else key_number(e.clock),
            e.type,
        )
        for e in recorded
    ]


def lazy_and_plain() -> tuple[AppendResult, AppendResult]:
    events = [line("a", "1"), line("b", event_id="given")]
    ids = event_ids("m", events)
    lazy = LazyAppendResult.numbering("m", events, ids, 4, 10, (line("dup"),))
    recorded = tuple(
        numbered(e, "m", 5 + i, 11 + i, eid)
        for i, (e, eid) in enumerate(zip(events, ids, strict=True))
    )
    return lazy, AppendResult("m", recorded, (line("dup"),), 6)


def test_a_lazy_result_is_the_plain_one() -> None:
    lazy, plain = lazy_and_plain()
    assert lazy.appended == 2 and lazy.last_seq == 6  # counted without making the copies
    assert lazy == plain and plain == lazy and hash(lazy) == hash(plain)
    assert repr(lazy) == repr(plain)
    assert lazy.recorded == plain.recorded and lazy.recorded is lazy.recorded
    assert [(e.seq, e.position) for e in lazy.recorded] == [(5, 11), (6, 12)]
    assert isinstance(lazy, AppendResult)
    assert dataclasses.asdict(lazy) == dataclasses.asdict(plain)
    assert dataclasses.replace(lazy, last_seq=9) == dataclasses.replace(plain, last_seq=9)
    again = pickle.loads(pickle.dumps(lazy))
    assert again == plain and type(again) is AppendResult
    with pytest.raises(dataclasses.FrozenInstanceError):
        lazy.last_seq = 3  # type: ignore[misc]
    other = LazyAppendResult.numbering("m", [], [], 4, 10, ())
    assert (other.recorded, other.appended, other.last_seq) == ((), 0, 4)
    assert other != plain


def test_ids_of_a_batch_are_identity_event_ids() -> None:
    at = MatchClock.parse("34")
    events = [
        line("Corner,  Inter.", "34"),
        Goal(text="corner, INTER.", clock=at),
        line("x", event_id="feed-1"),
        line(ODD_TEXT),
        line(ODD_TEXT),
        line("Corner, Inter.", "45+2:07"),
    ]
    assert event_ids("m", events) == [
        event_id("m", "Corner, Inter.", at, 0),
        event_id("m", "Corner, Inter.", at, 1),
        "feed-1",
        event_id("m", ODD_TEXT, None, 0),
        event_id("m", ODD_TEXT, None, 1),
        event_id("m", "Corner, Inter.", MatchClock.parse("45+2:07"), 0),
    ]
    assert event_ids("m", events[:1]) == [event_id("m", "Corner, Inter.", at, 0)]


def test_recorded_copies_are_of_the_events_as_appended(tmp_path: Path) -> None:
    """A result made lazily is not fooled by the caller's list changing afterwards."""
    events = [line("a", "1"), line("b", "2")]
    with SqliteStore(tmp_path / "s.sqlite") as store:
        result = store.append("m", events)
        events[0] = line("not appended")
        events.append(line("nor this"))
        assert [e.text for e in result.recorded] == ["a", "b"]
        assert result.recorded == tuple(store.read("m"))


def test_a_source_on_a_new_stream_is_numbered_with_identity_event_ids() -> None:
    """A whole source on a stream without events takes ``number``'s fast path: its rows
    hold ``event_ids`` (the ids every earlier release gave), clock numbers and JSON, and a
    repeated own id is a duplicate, as the general path says."""
    at = MatchClock.parse("34")
    events = [
        line("Corner,  Inter.", "34"),
        Goal(text="corner, INTER.", clock=at),
        line("x", event_id="feed-1"),
        line(ODD_TEXT),
        line("y", event_id="feed-1"),
        line(ODD_TEXT),
        line("Corner, Inter.", "45+2:07"),
    ]
    ids = event_ids("m", events)
    numbered_ = number([Batch("m", events, None, True)], lambda _: Head(7), 10, event_json)
    kept = [i for i in range(len(events)) if i != 4]
    assert numbered_.rows == [
        (11 + n, 7, 1 + n, ids[i], events[i].type, _key(events[i]), event_json(events[i]))
        for n, i in enumerate(kept)
    ]
    (result,) = numbered_.results
    assert result.duplicates == (events[4],)
    assert [e.event_id for e in result.recorded] == [ids[i] for i in kept]
    assert numbered_.heads["m"][:3] == (7, 6, key_number(MatchClock.parse("45+2:07")))


def _key(event: EventBase) -> int | None:
    return None if event.clock is None else key_number(event.clock)
