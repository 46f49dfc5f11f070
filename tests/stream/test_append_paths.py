"""``SqliteStore`` and ``MemoryStore`` number appends with the same function
(``stream.numbering.number``) against streams held differently (rows in a file, lists in
memory): they must say exactly the same.

Random appends of lines with odd white space, shared and missing clocks, given ids
(repeated, and equal to the id a line of the batch gets), several batches of one match in
one call, empty batches and continued streams: both stores give the same results and hold
the same events afterwards.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.identity import event_id, normalise_key
from events.models import EventBase, updated
from stream.ids import normalised
from stream.memory import MemoryStore
from stream.numbering import prepare
from stream.record import event_json
from stream.sqlite import SqliteStore
from stream.store import Append, AppendResult, Batch, ConcurrencyError
from tests.stream.contract import clock, line

# white space str.split splits on (and some it does not), around a few words
WHITE = [" ", "  ", "\t", "\n", "\x0b", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000"]
WORDS = ["Corner,", "inter.", "FOUL", "by", "Ömer", "Straße", "(Köln)", "\u200b", "😀", ""]


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(WORDS + WHITE), max_size=6))
    return "".join(parts)


@given(st.one_of(texts(), st.text(max_size=12)))
def test_normalised_is_normalise_key(text: str) -> None:
    assert normalised(text) == normalise_key(text)


CLOCKS = [None, "1", "1", "45+2", "45+2:07", "90"]


@st.composite
def events(draw: st.DrawFn, match_id: str) -> list[EventBase]:
    out: list[EventBase] = []
    for _ in range(draw(st.integers(0, 7))):
        text = draw(st.sampled_from(["a", "A ", "b", "Corner,  Inter."]) | texts())
        at = draw(st.sampled_from(CLOCKS))
        given_id = draw(st.sampled_from(["", "", "", "given-1", "given-2", "computed"]))
        if given_id == "computed":  # the id the first "a" at 1' gets
            given_id = event_id(match_id, "a", clock("1"), 0)
        out.append(line(text, at, event_id=given_id))
    return out


@st.composite
def appends(draw: st.DrawFn) -> list[list[Batch]]:
    calls: list[list[Batch]] = []
    for _ in range(draw(st.integers(1, 4))):
        batches = []
        for _ in range(draw(st.integers(1, 3))):
            match_id = draw(st.sampled_from(["m", "n", "o"]))
            whole = draw(st.booleans())
            batches.append(Batch(match_id, draw(events(match_id)), None, whole))
        calls.append(batches)
    return calls


def test_several_duplicates_in_a_new_stream() -> None:
    a = event_id("m", "a", clock("1"), 0)
    batch = [
        line("x", event_id="g"),
        line("y", event_id="g"),
        line("b", "1", event_id=a),
        line("z", event_id="g"),
        line("a", "1"),
        line("w"),
    ]
    same_results([[Batch("m", batch)]])


def plain(result: AppendResult) -> tuple[object, ...]:
    return (result.match_id, result.recorded, result.duplicates, result.last_seq)


@settings(max_examples=200, deadline=None)
@given(appends())
def test_sqlite_appends_as_memory_does(calls: list[list[Batch]]) -> None:
    same_results(calls)


def same_results(calls: list[list[Batch]]) -> None:
    memory = MemoryStore()
    with (
        tempfile.TemporaryDirectory() as tmp,
        SqliteStore(Path(tmp) / "s.sqlite", durability="normal") as sqlite,
    ):
        for batches in calls:
            expected = [plain(r) for r in memory.append_many(batches)]
            assert [plain(r) for r in sqlite.append_many(batches)] == expected
        assert sqlite.read_all() == memory.read_all()
        assert sqlite.matches() == memory.matches()
        for match_id in ("m", "n", "o"):
            assert sqlite.read(match_id) == memory.read(match_id)


# --- append_each: an append and its metadata in one transaction, as memory does in turn ---

MATCHES = ["m", "n", "o", "p", "q", "r", "s"]


@st.composite
def each_appends(draw: st.DrawFn) -> list[Append[int]]:
    """Appends of new and continued streams, a match twice in one, metadata with the
    events or alone (a new match's stream row without events)."""
    out: list[Append[int]] = []
    for tag in range(draw(st.integers(1, 6))):
        batches = []
        for _ in range(draw(st.integers(0, 3))):
            match_id = draw(st.sampled_from(MATCHES))
            batches.append(Batch(match_id, draw(events(match_id)), None, draw(st.booleans())))
        meta = {
            m: {"home": f"{m}{tag}"} for m in draw(st.lists(st.sampled_from(MATCHES), max_size=2))
        }
        out.append(Append(tag, batches, meta))
    return out


@settings(max_examples=150, deadline=None)
@given(each_appends())
def test_sqlite_append_each_is_memory_appending_in_turn(appends: list[Append[int]]) -> None:
    memory = MemoryStore()
    expected = []
    for tag, batches, meta in appends:
        expected.append((tag, [plain(r) for r in memory.append_many(batches)]))
        for match_id, changes in meta.items():
            memory.update_meta(match_id, changes)
    with (
        tempfile.TemporaryDirectory() as tmp,
        SqliteStore(Path(tmp) / "s.sqlite", durability="normal") as sqlite,
    ):
        got = [(tag, [plain(r) for r in results]) for tag, results in sqlite.append_each(appends)]
        assert got == expected
        assert sqlite.read_all() == memory.read_all()
        assert sqlite.matches() == memory.matches()
        for match_id in MATCHES:
            assert sqlite.get_meta(match_id) == memory.get_meta(match_id)
        # and the next append knows where the streams end
        assert [plain(r) for r in sqlite.append_many([Batch("m", [line("after")])])] == [
            plain(r) for r in memory.append_many([Batch("m", [line("after")])])
        ]


def test_append_each_while_another_handle_writes_to_the_file(tmp_path: Path) -> None:
    """Another connection writing between the appends: each append reads the heads in its
    transaction, so nothing is lost or numbered twice."""
    path = tmp_path / "s.sqlite"
    with SqliteStore(path) as store, SqliteStore(path) as other:
        store.append("old", [line("before")])

        def appends() -> Iterator[Append[int]]:
            for i in range(30):
                if i % 3 == 1:
                    other.append(f"other-{i}", [line(f"other {i}"), line("again")])
                if i % 7 == 2:
                    other.update_meta(f"meta-{i}", {"home": "H"})
                batches = [Batch(f"new-{i}", [line(f"new {i} {k}") for k in range(3)], None, True)]
                if i % 5 == 4:
                    batches.append(Batch("old", [line(f"old {i}")]))
                yield Append(i, batches)

        out = list(store.append_each(appends()))
        assert [tag for tag, _ in out] == list(range(30))
        events = store.read_all()
        assert [e.position for e in events] == list(range(1, len(events) + 1))
        assert len(events) == 1 + 30 * 3 + 6 + 10 * 2
        for i in range(30):
            assert [e.text for e in store.read(f"new-{i}")] == [f"new {i} {k}" for k in range(3)]
        assert [e.text for e in store.read("old")] == ["before"] + [
            f"old {i}" for i in (4, 9, 14, 19, 24, 29)
        ]
        assert [e.seq for e in store.read("old")] == list(range(1, 8))
        assert store.get_meta("meta-2") == {"home": "H"}
        assert other.read_all() == events


# --- a prepared batch (what an ingest worker hands the writer) appends as its batch ------


def bound(batch: Batch) -> Batch:
    """The batch's events bound to its match, as a reader gives them."""
    events = [updated(e, {"match_id": batch.match_id}) for e in batch.events]
    return batch._replace(events=events)


def preparable(batch: Batch) -> bool:
    return batch.whole_source or all(e.event_id for e in batch.events)


@settings(max_examples=150, deadline=None)
@given(appends())
def test_a_prepared_batch_appends_as_the_batch_it_came_from(calls: list[list[Batch]]) -> None:
    """``stream.numbering.prepare`` (ids and JSON made away from the store, seqs and
    positions left) on new and continued streams, with duplicates in the batch and in the
    stream: both stores give the results and hold the events the batch itself gives."""
    memory, prepared_memory = MemoryStore(), MemoryStore()
    with (
        tempfile.TemporaryDirectory() as tmp,
        SqliteStore(Path(tmp) / "s.sqlite", durability="normal") as sqlite,
    ):
        for batches in calls:
            batches = [bound(b) for b in batches]
            expected = [plain(r) for r in memory.append_many(batches)]
            ready = [prepare(b, event_json) if preparable(b) else b for b in batches]
            assert [plain(r) for r in sqlite.append_many(ready)] == expected
            assert [plain(r) for r in prepared_memory.append_many(ready)] == expected
        assert sqlite.read_all() == memory.read_all() == prepared_memory.read_all()
        assert sqlite.matches() == memory.matches()


def test_a_prepared_batch_keeps_the_expected_seq_guard(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "s.sqlite") as store:
        store.append("m", [line("a")])
        stale = prepare(Batch("m", [line("b")], 0, True), event_json)
        with pytest.raises(ConcurrencyError):
            store.append_many([stale])
        assert [e.text for e in store.read("m")] == ["a"]


def test_only_ids_that_do_not_depend_on_the_stream_can_be_prepared() -> None:
    """A live line without an id is numbered against the stream's earlier lines: it cannot
    be prepared without the store; one of another match is refused too."""
    with pytest.raises(ValueError, match="whole source"):
        prepare(Batch("m", [line("a")]), event_json)
    with pytest.raises(ValueError, match="belongs to match"):
        prepare(Batch("m", [updated(line("a"), {"match_id": "n"})], None, True), event_json)
