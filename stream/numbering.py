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
from typing import Any, NamedTuple

from events.models import EventBase
from stream.ids import OccurrenceKey, ids_and_clocks, occurrence_counts
from stream.store import (
    AppendResult,
    Batch,
    ConcurrencyError,
    LazyAppendResult,
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
    batches: Sequence[Batch],
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
    another match ``ValueError``, before anything is returned to write.
    """
    results: list[AppendResult] = []
    rows: list[Row] = []
    add_row = rows.append
    streams: dict[str, _Stream] = {}
    for match_id, events, expected_seq, whole_source in batches:
        if not match_id:
            raise ValueError("match_id must be a non-empty string")
        stream = streams.get(match_id)
        if stream is None:
            stream = streams[match_id] = _Stream(head_of(match_id))
        start, last_seq = stream.start, stream.last_seq
        if expected_seq is not None and expected_seq != last_seq:
            raise ConcurrencyError(match_id, expected_seq, last_seq)
        counts: Counter[OccurrenceKey] | None = None
        if last_seq and not whole_source and not all(e.event_id for e in events):
            counts = Counter(start.counts()) if start.last_seq else Counter()
            counts.update(occurrence_counts(stream.recorded))
        ids, numbers = ids_and_clocks(match_id, events, counts)
        known = start.known(ids) if start.last_seq and ids else frozenset()
        seen = stream.ids
        key_of_stream, seq, last_clock = start.stream, last_seq, stream.last_clock
        first_position = position
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
        results.append(
            LazyAppendResult.numbering(
                match_id, kept, kept_ids, last_seq, first_position, tuple(duplicates)
            )
        )
        if kept:
            stream.recorded += kept
            stream.last_seq, stream.last_clock = seq, last_clock
    written = {
        match_id: Head(start.stream, stream.last_seq, stream.last_clock, start.known, start.counts)
        for match_id, stream in streams.items()
        if stream.recorded and (start := stream.start)
    }
    return Numbered(results, rows, written)


class _Stream:
    """One stream while :func:`number` goes through the batches: its head as the append
    found it, where the batches so far leave it, and what they recorded (events, ids)."""

    __slots__ = ("ids", "last_clock", "last_seq", "recorded", "start")

    def __init__(self, start: Head) -> None:
        self.start = start
        self.last_seq = start.last_seq
        self.last_clock = start.last_clock
        self.recorded: list[EventBase] = []
        self.ids: set[str] = set()
