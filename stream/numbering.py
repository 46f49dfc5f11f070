"""Numbering an append: the one function every backend records with.

:func:`number` turns batches into the rows a backend writes (position, stream, seq,
event id, type, clock number, JSON) and the results it gives back, from what the backend
knows of each stream when the append starts (a :class:`Head`).  ``MemoryStore`` and
``KafkaStore`` call it through ``stream.staging``, ``SqliteStore`` inside its write
transaction; so every backend gives the same ids, seqs, positions and duplicates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from collections.abc import Set as AbstractSet
from itertools import chain
from operator import attrgetter
from typing import Any, NamedTuple, overload

from events.clock import key_number
from events.identity import stable_id
from events.models import EventBase
from stream.ids import (
    CLOCK_PARTS,
    OccurrenceKey,
    clock_part_by_key,
    ids_and_clocks,
    normalised,
    occurrence_counts,
)
from stream.store import (
    AppendResult,
    Batch,
    ConcurrencyError,
    LazyAppendResult,
    Prepared,
    PreparedRow,
    check_match_ids,
    with_id,
)


def _nothing_known(ids: Collection[str]) -> AbstractSet[str]:
    return frozenset()


def _no_counts() -> Mapping[OccurrenceKey, int]:
    return {}


class Head(NamedTuple):
    """What a backend holds of one stream as an append starts.

    ``stream`` is the backend's own key for it (``SqliteStore``: the stream id), given
    back in the rows; ``last_clock`` the :func:`events.clock.key_number` of its latest
    clock; ``known(ids)`` which of ``ids`` the stream holds; ``counts()`` its occurrence
    counts (``stream.ids``).  Both are only asked of a stream that has events.
    """

    stream: Any
    last_seq: int = 0
    last_clock: int | None = None
    known: Callable[[Collection[str]], AbstractSet[str]] = _nothing_known
    counts: Callable[[], Mapping[OccurrenceKey, int]] = _no_counts


Row = tuple[int, Any, int, str, str, int | None, Any]
"""One recorded event: (position, stream, seq, event id, type, clock number or None,
``encode(event)`` or None)."""


class Numbered(NamedTuple):
    """An append numbered: a result per batch, the rows in position order, and the new
    head of every stream it writes to."""

    results: list[AppendResult]
    rows: list[Row]
    heads: dict[str, Head]


def number(
    batches: Sequence[Batch | Prepared],
    head_of: Callable[[str], Head],
    position: int,
    encode: Callable[[EventBase], Any] | None = None,
) -> Numbered:
    """Number ``batches`` after global ``position``, each stream from ``head_of(match_id)``
    (asked once per match) and what the batches before it in the call recorded.

    Ids: an event's own, else ``stream.ids.event_ids`` (occurrences counted within the
    batch when it is a whole source, else against the stream too).  An event whose id the
    stream holds, or an earlier event of the call has, is a duplicate (reported with that
    id).  A stale ``expected_seq`` raises :class:`ConcurrencyError` and an event of
    another match ``ValueError``, before anything is returned to write.  A
    :class:`Prepared` batch comes with its ids and JSON made: only seqs and positions
    are left to give it (and, on a stream that has events, the duplicates to skip).
    """
    results: list[AppendResult] = []
    rows: list[Row] = []
    streams: dict[str, _Stream] = {}
    for batch in batches:
        match_id = batch.match_id
        if not match_id:
            raise ValueError("match_id must be a non-empty string")
        stream = streams.get(match_id)
        if stream is None:
            stream = streams[match_id] = _Stream(head_of(match_id))
        start, last_seq = stream.start, stream.last_seq
        if batch.expected_seq is not None and batch.expected_seq != last_seq:
            raise ConcurrencyError(match_id, batch.expected_seq, last_seq)
        if isinstance(batch, Prepared):
            kept, kept_ids, duplicates = _number_prepared(batch, stream, position, rows)
        elif not last_seq and (batch.whole_source or all(map(_EVENT_ID, batch.events))):
            kept, kept_ids, duplicates = _number_new(batch, stream, position, rows, encode)
        else:
            kept, kept_ids, duplicates = _number_events(batch, stream, position, rows, encode)
        results.append(
            LazyAppendResult.numbering(
                match_id, kept, kept_ids, last_seq, position, tuple(duplicates)
            )
        )
        position += len(kept)
    written = {
        match_id: Head(start.stream, stream.last_seq, stream.last_clock, start.known, start.counts)
        for match_id, stream in streams.items()
        if stream.recorded and (start := stream.start)
    }
    return Numbered(results, rows, written)


def _number_events(
    batch: Batch,
    stream: _Stream,
    position: int,
    rows: list[Row],
    encode: Callable[[EventBase], Any] | None,
) -> tuple[list[EventBase], list[str], list[EventBase]]:
    """A batch of events numbered onto ``stream`` after ``position``: its rows added to
    ``rows``; the events kept, their ids, and the duplicates."""
    match_id, events, _, whole_source = batch
    start, last_seq = stream.start, stream.last_seq
    counts: Counter[OccurrenceKey] | None = None
    if last_seq and not whole_source and not all(e.event_id for e in events):
        counts = Counter(start.counts()) if start.last_seq else Counter()
        counts.update(occurrence_counts(chain.from_iterable(stream.recorded)))
    ids, numbers = ids_and_clocks(match_id, events, counts)
    known = start.known(ids) if start.last_seq and ids else frozenset()
    seen = stream.ids
    add_row = rows.append
    key_of_stream, seq, last_clock = start.stream, last_seq, stream.last_clock
    kept: list[EventBase] = []
    kept_ids: list[str] = []
    duplicates: list[EventBase] = []
    for event, eid, key in zip(events, ids, numbers, strict=True):
        if event.match_id and event.match_id != match_id:
            check_match_ids([Batch(match_id, [event])])  # raises ValueError
        if eid in seen or eid in known:
            duplicates.append(event if event.event_id == eid else with_id(event, eid))
            continue
        seen.add(eid)
        if key is not None and (last_clock is None or key > last_clock):
            last_clock = key
        seq += 1
        position += 1
        data = None if encode is None else encode(event)
        add_row((position, key_of_stream, seq, eid, event.type, key, data))
        kept.append(event)
        kept_ids.append(eid)
    if kept:
        stream.recorded.append(kept)
        stream.last_seq, stream.last_clock = seq, last_clock
    return kept, kept_ids, duplicates


def _number_new(
    batch: Batch,
    stream: _Stream,
    position: int,
    rows: list[Row],
    encode: Callable[[EventBase], Any] | None,
) -> tuple[list[EventBase], list[str], list[EventBase]]:
    """:func:`_number_events` for a batch whose ids do not depend on the stream (a whole
    source, or events with ids) on a stream without events: nearly every batch of a bulk
    ingest.  One loop makes ids (as ``stream.ids.ids_and_clocks``), clock numbers and rows,
    with no occurrence counts or known ids to ask the stream for."""
    match_id, events = batch.match_id, batch.events
    key_of_stream, seq, last_clock = stream.start.stream, 0, None
    counting = not all(map(_EVENT_ID, events))
    counts: dict[OccurrenceKey, int] = {}
    seen = stream.ids
    add_row = rows.append
    kept: list[EventBase] = []
    kept_ids: list[str] = []
    duplicates: list[EventBase] = []
    for event in events:
        if event.match_id and event.match_id != match_id:
            check_match_ids([Batch(match_id, [event])])  # raises ValueError
        clock = event.clock
        key: int | None = None
        part = ""
        if clock is not None:
            key = key_number(clock)
            part = CLOCK_PARTS.get(key) or clock_part_by_key(key, clock)
        eid = event.event_id
        if counting:
            text = normalised(event.text)
            occurrence = counts.get((text, key), 0)
            counts[text, key] = occurrence + 1
            if not eid:
                eid = stable_id(match_id, text, part, occurrence)
        if eid in seen:
            duplicates.append(event if event.event_id == eid else with_id(event, eid))
            continue
        seen.add(eid)
        if key is not None and (last_clock is None or key > last_clock):
            last_clock = key
        seq += 1
        position += 1
        add_row((position, key_of_stream, seq, eid, event.type, key, encode and encode(event)))
        kept.append(event)
        kept_ids.append(eid)
    if kept:
        stream.recorded.append(kept)
        stream.last_seq, stream.last_clock = seq, last_clock
    return kept, kept_ids, duplicates


def _number_prepared(
    batch: Prepared, stream: _Stream, position: int, rows: list[Row]
) -> tuple[Sequence[EventBase], list[str], list[EventBase]]:
    """A prepared batch numbered onto ``stream`` after ``position`` (see
    :func:`_number_events`); its events are decoded only if a result's events are read."""
    start, seq = stream.start, stream.last_seq
    if seq:  # the stream has events: those it holds (or the call gave it) are duplicates
        ready, duplicates, last_clock = _continued(batch, stream)
    else:
        ready, last_clock = batch.rows, batch.last_clock
        duplicates = [event for _, event in batch.duplicates]
    ids = [row[0] for row in ready]
    stream.ids.update(ids)
    key_of_stream = start.stream
    rows += [
        (position + i, key_of_stream, seq + i, eid, kind, key, data)
        for i, (eid, kind, key, data) in enumerate(ready, 1)
    ]
    kept = _Decoded(batch, ready)
    if ready:
        stream.recorded.append(kept)
        stream.last_seq = seq + len(ready)
        if last_clock is not None and (stream.last_clock is None or last_clock > stream.last_clock):
            stream.last_clock = last_clock
    return kept, ids, duplicates


def _continued(
    batch: Prepared, stream: _Stream
) -> tuple[list[PreparedRow], list[EventBase], int | None]:
    """A prepared batch on a stream that has events: the rows it does not hold, every
    duplicate in the batch's order, and the latest clock number of the rows kept."""
    start = stream.start
    known = start.known([row[0] for row in batch.rows]) if start.last_seq else frozenset()
    held = stream.ids | known
    ready: list[PreparedRow] = []
    duplicates: list[EventBase] = []
    repeats = list(batch.duplicates)[::-1]  # (rows before it, event), next one last
    for i, row in enumerate(batch.rows):
        while repeats and repeats[-1][0] <= i:
            duplicates.append(repeats.pop()[1])
        if row[0] in held:
            duplicates += batch.decoded([row])
        else:
            ready.append(row)
    duplicates += [event for _, event in reversed(repeats)]
    clocks = [row[2] for row in ready if row[2] is not None]
    return ready, duplicates, max(clocks, default=None)


def prepare(batch: Batch, encode: Callable[[EventBase], Any]) -> Prepared:
    """``batch`` numbered as :func:`number` numbers it on a stream without events, but for
    seqs and positions: each event's id (its own, or counted within the batch), type,
    clock number and JSON (``encode``).  Only a whole source, or events that all have
    ids, can be prepared: their ids do not depend on the stream."""
    match_id, events, expected_seq, whole_source = batch
    if not whole_source and not all(e.event_id for e in events):
        raise ValueError("only a whole source, or events with ids, can be prepared")
    check_match_ids([batch])
    ids, numbers = ids_and_clocks(match_id, events, None)
    seen: set[str] = set()
    rows: list[PreparedRow] = []
    duplicates: list[tuple[int, EventBase]] = []
    last_clock: int | None = None
    for event, eid, key in zip(events, ids, numbers, strict=True):
        if eid in seen:
            duplicates.append((len(rows), event if event.event_id == eid else with_id(event, eid)))
            continue
        seen.add(eid)
        if key is not None and (last_clock is None or key > last_clock):
            last_clock = key
        rows.append((eid, event.type, key, encode(event)))
    return Prepared(match_id, rows, tuple(duplicates), last_clock, expected_seq)


_EVENT_ID = attrgetter("event_id")


class _Decoded(Sequence[EventBase]):
    """The events of some of a prepared batch's rows, decoded when first read."""

    def __init__(self, batch: Prepared, rows: list[PreparedRow]) -> None:
        self._batch, self._rows = batch, rows
        self._events: list[EventBase] | None = None

    def _all(self) -> list[EventBase]:
        if self._events is None:
            self._events = self._batch.decoded(self._rows)
        return self._events

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> EventBase: ...

    @overload
    def __getitem__(self, index: slice) -> list[EventBase]: ...

    def __getitem__(self, index: int | slice) -> EventBase | list[EventBase]:
        return self._all()[index]


class _Stream:
    """One stream while :func:`number` goes through the batches: its head as the append
    found it, where the batches so far leave it, and what they recorded (events, ids)."""

    __slots__ = ("ids", "last_clock", "last_seq", "recorded", "start")

    def __init__(self, start: Head) -> None:
        self.start = start
        self.last_seq = start.last_seq
        self.last_clock = start.last_clock
        self.recorded: list[Sequence[EventBase]] = []  # (a prepared batch's, decoded if read)
        self.ids: set[str] = set()
