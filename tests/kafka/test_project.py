"""The project step with the projections' fold, on an in-memory log and tables.

What Kafka adds (redelivery, a table older than the offsets, a header arriving late) is
played out here on plain lists; the real broker runs the same code in test_pipeline.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson

from events.clock import MatchClock
from events.models import EventBase, Retraction, Unrecognised
from events.readers.source import read_source
from projections import new_registry, state_at
from projections.incremental import ProjectionFold
from replay.ingest import ingest_match
from stream.kafka.project import Projector
from stream.kafka.wire import EventsMessage
from stream.memory import MemoryStore
from tests.kafka.conftest import EXAMPLES, long_match, write_feed


class Tables:
    def __init__(self) -> None:
        self.records: dict[str, bytes] = {}
        self.headers: dict[str, bytes] = {}

    def load(self, match_id: str) -> tuple[bytes | None, bytes | None]:
        return self.records.get(match_id), self.headers.get(match_id)

    def save(self, match_id: str, partition: int, record: bytes, header: bytes | None) -> None:
        self.records[match_id] = record
        if header is not None:
            self.headers[match_id] = header


class Log:
    """The events topic: (partition, offset, message) in offset order."""

    def __init__(self) -> None:
        self.records: list[tuple[int, int, EventsMessage]] = []
        self.reads = 0

    def append(self, message: EventsMessage, partition: int = 0) -> tuple[int, int, EventsMessage]:
        record = (partition, len(self.records), message)
        self.records.append(record)
        return record

    async def read(
        self, match_id: str, partition: int, start: int, stop: int
    ) -> list[tuple[int, EventsMessage]]:
        self.reads += 1
        return [
            (o, m)
            for p, o, m in self.records
            if p == partition and start <= o <= stop and m.match_id == match_id
        ]


def numbered(events: list[EventBase] | tuple[EventBase, ...]) -> list[EventBase]:
    return [e.model_copy(update={"seq": i}) for i, e in enumerate(events, 1)]


def embedded(path: Path) -> dict[str, Any]:
    match = read_source(path)
    store = MemoryStore()
    ingest_match(store, match)
    return state_at(store, match.match_id).to_json()


def run(projector: Projector[Any], records: list[tuple[int, int, EventsMessage]]) -> dict[str, Any]:
    updates = asyncio.run(projector.project(records))
    return orjson.loads(updates[-1].value) if updates else {}


def messages(path: Path, per: int) -> tuple[str, list[EventsMessage], dict[str, Any]]:
    match = read_source(path)
    header = match.sheet.model_dump(mode="json", exclude_none=True)
    events = numbered(match.events)
    out = [
        EventsMessage(match.match_id, tuple(events[i : i + per]), i, header if i == 0 else None)
        for i in range(0, len(events), per)
    ]
    return match.match_id, out, header


def test_folding_as_events_arrive_equals_the_embedded_state(tmp_path: Path) -> None:
    for path in (
        EXAMPLES / "inter-milan-derby.txt",
        EXAMPLES / "feed-example.jsonl",
        write_feed(tmp_path / "long.jsonl", "long", long_match()),
    ):
        _, msgs, _ = messages(path, per=3)
        log, projector = Log(), Projector(ProjectionFold(), Tables(), Log().read)
        state: dict[str, Any] = {}
        for m in msgs:
            state = run(projector, [log.append(m)]) or state
        assert state == embedded(path), path.name
        assert projector.counters.rebuilt == 0


def test_redelivered_events_are_skipped() -> None:
    _, msgs, _ = messages(EXAMPLES / "feed-example.jsonl", per=4)
    log = Log()
    records = [log.append(m) for m in msgs]
    projector = Projector(ProjectionFold(), Tables(), log.read)
    once = run(projector, records)
    assert run(projector, records[1:]) == {}  # nothing new: no state to publish
    assert projector.counters.skipped == sum(len(m.events) for m in msgs[1:])
    assert once == embedded(EXAMPLES / "feed-example.jsonl")


def test_a_restart_with_an_older_table_reads_the_missing_events_back() -> None:
    """The table came back one record behind while the offsets had moved on: the projector
    sees a gap in the seqs and folds the missing events from the log."""
    _, msgs, _ = messages(EXAMPLES / "feed-example.jsonl", per=3)
    log, tables = Log(), Tables()
    records = [log.append(m) for m in msgs]
    first = Projector(ProjectionFold(), tables, log.read)
    run(first, records[:2])
    saved = dict(tables.records)
    run(first, records[2:4])
    tables.records = saved  # the last changelog record was lost on recovery
    restarted = Projector(ProjectionFold(), tables, log.read)
    state = run(restarted, records[4:])
    assert restarted.counters.repaired == len(msgs[2].events) + len(msgs[3].events)
    assert state == embedded(EXAMPLES / "feed-example.jsonl")


def test_a_state_from_the_table_continues_the_fold() -> None:
    _, msgs, _ = messages(EXAMPLES / "inter-milan-derby.txt", per=5)
    log, tables = Log(), Tables()
    records = [log.append(m) for m in msgs]
    run(Projector(ProjectionFold(), tables, log.read), records[:3])
    restarted = Projector(ProjectionFold(), tables, log.read)
    assert run(restarted, records[3:]) == embedded(EXAMPLES / "inter-milan-derby.txt")
    assert (restarted.counters.rebuilt, log.reads) == (0, 0)


def test_other_reducers_rebuild_the_state_from_the_log() -> None:
    """A stored state folded by other projection versions is not trusted."""
    _, msgs, _ = messages(EXAMPLES / "feed-example.jsonl", per=6)
    log, tables = Log(), Tables()
    records = [log.append(m) for m in msgs]
    run(Projector(ProjectionFold(), tables, log.read), records[:2])
    from projections.builtins import BUILTINS
    from projections.registry import Projection

    extra = Projection("corners_seen", version=1, initial=0)

    @extra.on(EventBase)
    def _count(state: int, event: EventBase, ctx: object) -> int:
        return state + (event.type == "corner")

    upgraded = Projector(ProjectionFold(new_registry(extra)), tables, log.read)
    state = run(upgraded, records[2:])
    assert upgraded.counters.rebuilt == 1
    assert state["custom"]["corners_seen"] == sum(
        e.type == "corner" for m in msgs for e in m.events
    )
    assert BUILTINS  # the built-ins are untouched


def test_a_late_line_and_a_retraction_fold_as_the_embedded_path_does() -> None:
    """Out of match order, or correcting history: the match is rebuilt from the log."""
    match = read_source(EXAMPLES / "feed-example.jsonl")
    events = numbered(match.events)
    goal = next(e for e in events if e.type == "goal")
    late = Unrecognised(
        text="A line for minute 2.",
        clock=MatchClock.parse("2"),
        match_id=match.match_id,
        event_id="late",
    )
    retract = Retraction(
        text="Post retracted.", retracts=goal.event_id, match_id=match.match_id, event_id="r"
    )
    extra = numbered([*events, late, retract])
    header = match.sheet.model_dump(mode="json", exclude_none=True)
    log = Log()
    records = [log.append(EventsMessage(match.match_id, tuple(extra[:-2]), 0, header))]
    records.append(log.append(EventsMessage(match.match_id, (extra[-2],), 1, None)))
    records.append(log.append(EventsMessage(match.match_id, (extra[-1],), 2, None)))
    projector = Projector(ProjectionFold(), Tables(), log.read)
    state: dict[str, Any] = {}
    for r in records:
        state = run(projector, [r]) or state
    store = MemoryStore()
    store.put_meta(match.match_id, header)
    store.append(match.match_id, extra)
    assert projector.counters.rebuilt == 2
    assert state == state_at(store, match.match_id).to_json()
    assert state["score"]["counted"] == {"home": 0, "away": 0}  # the goal was retracted


def test_without_a_header_the_teams_come_from_the_first_score_line() -> None:
    """Events before the first score line are folded again once it names home and away."""
    match = read_source(EXAMPLES / "lines-example.txt")
    events = numbered(match.events)
    log = Log()
    projector = Projector(ProjectionFold(), Tables(), log.read)
    state: dict[str, Any] = {}
    for i, e in enumerate(events):
        state = run(projector, [log.append(EventsMessage(match.match_id, (e,), i, None))]) or state
    store = MemoryStore()
    store.append(match.match_id, events)
    assert state == state_at(store, match.match_id).to_json()
    assert state["teams"] == {"home": "Inter Milan", "away": "Juventus"}
