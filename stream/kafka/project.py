"""The project step: events in, one state per match and batch out, each event folded once.

The fold is handed in (:class:`Fold`): ``stream`` never imports ``projections``.  Per
match the projector keeps ``(last_seq, offset, first_offset, state)``; a faust table with
a changelog holds it across restarts (written at most every ``save_every`` seconds or
``save_events`` events per match: a record behind the log costs a read of the log after
a restart, never a wrong state), an in-process cache saves decoding it per batch.

- an event with ``seq <= last_seq`` was folded already (a redelivery): skipped;
- an event past ``last_seq + 1`` means the table came back older than the offsets (a
  changelog record lost on recovery): the missing events are read from the events topic
  and folded first, so nothing is lost;
- when the fold cannot take the events in arrival order (a retraction, a line for an
  earlier minute), when the match header changes, or when a stored state was folded by
  other reducers, the match is rebuilt from its events in the log.
"""

from __future__ import annotations

import logging
import struct
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import orjson

from events.models import EventBase
from stream.kafka.wire import EventsMessage

log = logging.getLogger(__name__)

S = TypeVar("S")

_RECORD = struct.Struct(">qqq")


class Fold(Protocol[S]):
    """The pure reducers, as the projector needs them (``replay`` hands them in)."""

    def start(self, match_id: str, header: Mapping[str, Any] | None) -> S:
        """The state before the first event."""
        ...

    def apply(self, state: S, events: Sequence[EventBase]) -> S | None:
        """The state after ``events`` (new, in seq order); ``None`` when they cannot be
        folded in arrival order and the match must be rebuilt."""
        ...

    def rebuild(
        self, match_id: str, header: Mapping[str, Any] | None, events: Sequence[EventBase]
    ) -> S:
        """The state after all ``events`` of the match (seq order), folded afresh."""
        ...

    def to_json(self, state: S) -> dict[str, Any]:
        """The state JSON ``livetext.states`` carries."""
        ...

    def dumps(self, state: S) -> bytes:
        """The state as bytes for the table."""
        ...

    def loads(self, match_id: str, header: Mapping[str, Any] | None, data: bytes) -> S | None:
        """A state back from :meth:`dumps`; ``None`` when it no longer fits (reducers
        changed): the match is rebuilt."""
        ...


class Tables(Protocol):
    """Where the projector keeps its per-match records (faust tables in the worker)."""

    def load(self, match_id: str) -> tuple[bytes | None, bytes | None]:
        """The match's record and header (JSON), ``None`` when absent."""
        ...

    def save(self, match_id: str, partition: int, record: bytes, header: bytes | None) -> None:
        """Store the record (and the header, when it changed) on the match's partition."""
        ...


ReadLog = Callable[[str, int, int, int], Awaitable[list[tuple[int, EventsMessage]]]]
"""``read_log(match_id, partition, from_offset, to_offset)``: the match's events messages
in that offset range (inclusive), with their offsets, oldest first."""


@dataclass(slots=True)
class Live(Generic[S]):
    """What the projector holds for one match."""

    seq: int
    offset: int
    first_offset: int
    state: S | None
    header: dict[str, Any] | None
    saved_seq: int = 0
    saved_at: float = 0.0


@dataclass(frozen=True, slots=True)
class Update:
    """The state to publish for one match after a batch."""

    match_id: str
    partition: int
    seq: int
    value: bytes
    folded: int
    repaired: int
    rebuilt: bool


@dataclass(slots=True)
class Counters:
    """What the projector did, for logs and tests."""

    folded: int = 0
    skipped: int = 0
    repaired: int = 0
    rebuilt: int = 0
    missing: int = 0


class Projector(Generic[S]):
    """Folds events messages into states, idempotently, per match."""

    def __init__(
        self,
        fold: Fold[S],
        tables: Tables,
        read_log: ReadLog,
        *,
        save_every: float = 0.0,
        save_events: int = 1,
    ) -> None:
        self.fold = fold
        self.tables = tables
        self.read_log = read_log
        self.save_every = save_every
        self.save_events = save_events
        self.cache: dict[str, Live[S]] = {}
        self.partition_of: dict[str, int] = {}
        self.counters = Counters()

    def forget(self, partitions: set[int]) -> None:
        """Drop the cached matches of partitions this worker no longer owns."""
        for match_id, p in list(self.partition_of.items()):
            if p in partitions:
                self.cache.pop(match_id, None)
                del self.partition_of[match_id]

    async def project(self, records: Sequence[tuple[int, int, EventsMessage]]) -> list[Update]:
        """Fold ``(partition, offset, message)`` records (in offset order per partition)."""
        by_match: dict[str, list[tuple[int, int, EventsMessage]]] = {}
        for record in records:
            by_match.setdefault(record[2].match_id, []).append(record)
        updates = []
        for match_id, recs in by_match.items():
            update = await self._project_match(match_id, recs)
            if update is not None:
                updates.append(update)
        return updates

    async def _project_match(
        self, match_id: str, recs: list[tuple[int, int, EventsMessage]]
    ) -> Update | None:
        partition = recs[0][0]
        self.partition_of[match_id] = partition
        live = self._load(match_id)
        seq = live.seq if live else 0
        header = live.header if live else None
        new_header = next((m.header for _, _, m in reversed(recs) if m.header is not None), None)
        header_changed = new_header is not None and new_header != header
        if header_changed:
            header = new_header
        first_offset = live.first_offset if live else recs[0][1]

        fresh: list[EventBase] = []
        repaired = 0
        after = live.offset if live else -1
        for _, offset, message in recs:
            for event in message.events:
                expected = seq + 1
                if event.seq < expected:
                    self.counters.skipped += 1
                    continue
                if event.seq > expected:
                    missing, first = await self._missing(
                        match_id, partition, after + 1 if live else 0, offset, expected, event.seq
                    )
                    fresh.extend(missing)
                    repaired += len(missing)
                    if first is not None:
                        first_offset = min(first_offset, first)
                    if len(missing) < event.seq - expected:
                        lost = event.seq - expected - len(missing)
                        self.counters.missing += lost
                        log.warning(
                            "match %s: seqs %d..%d are not in the log; folding without them",
                            match_id,
                            expected,
                            event.seq - 1,
                        )
                fresh.append(event)
                seq = event.seq
            after = offset
        last_offset = recs[-1][1]
        if not fresh and not header_changed:
            if live is not None:
                live.offset = max(live.offset, last_offset)
            return None

        state: S | None = None
        rebuilt = False
        if live is not None and live.state is not None and not header_changed:
            state = self.fold.apply(live.state, fresh)
        elif live is None and (not fresh or fresh[0].seq == 1):
            state = self.fold.apply(self.fold.start(match_id, header), fresh)
        if state is None:
            state = await self._rebuild(match_id, partition, first_offset, last_offset, seq, header)
            rebuilt = True
        self.counters.folded += len(fresh)
        self.counters.repaired += repaired
        self.counters.rebuilt += rebuilt
        offset = max(last_offset, live.offset if live else -1)
        saved = (live.saved_seq, live.saved_at) if live else (0, 0.0)
        live = Live(seq, offset, first_offset, state, header, *saved)
        self.cache[match_id] = live
        now = time.monotonic()
        if (
            header_changed
            or rebuilt
            or seq - live.saved_seq >= self.save_events
            or now - live.saved_at >= self.save_every
        ):
            record = _RECORD.pack(live.seq, live.offset, live.first_offset) + self.fold.dumps(state)
            header_json = orjson.dumps(header) if header_changed else None
            self.tables.save(match_id, partition, record, header_json)
            live.saved_seq, live.saved_at = seq, now
        value = orjson.dumps(self.fold.to_json(state))
        return Update(match_id, partition, seq, value, len(fresh), repaired, rebuilt)

    def _load(self, match_id: str) -> Live[S] | None:
        live = self.cache.get(match_id)
        if live is not None:
            return live
        record, header_json = self.tables.load(match_id)
        if record is None:
            return None
        header = orjson.loads(header_json) if header_json else None
        seq, offset, first_offset = _RECORD.unpack_from(record)
        state = self.fold.loads(match_id, header, record[_RECORD.size :])
        live = Live(seq, offset, first_offset, state, header)
        self.cache[match_id] = live
        return live

    async def _missing(
        self, match_id: str, partition: int, start: int, stop: int, first_seq: int, end_seq: int
    ) -> tuple[list[EventBase], int | None]:
        """Events ``first_seq .. end_seq - 1`` of the match, read back from the log."""
        found: dict[int, EventBase] = {}
        first: int | None = None
        for offset, message in await self.read_log(match_id, partition, start, stop):
            for event in message.events:
                if first_seq <= event.seq < end_seq and event.seq not in found:
                    found[event.seq] = event
                    first = offset if first is None else min(first, offset)
        return [found[s] for s in sorted(found)], first

    async def _rebuild(
        self,
        match_id: str,
        partition: int,
        start: int,
        stop: int,
        last_seq: int,
        header: dict[str, Any] | None,
    ) -> S:
        found: dict[int, EventBase] = {}
        for _, message in await self.read_log(match_id, partition, start, stop):
            for event in message.events:
                if event.seq <= last_seq:
                    found.setdefault(event.seq, event)
        log.info("match %s: rebuilt from %d events in the log", match_id, len(found))
        return self.fold.rebuild(match_id, header, [found[s] for s in sorted(found)])
