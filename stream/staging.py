"""Staging an append in memory: what the in-process backends (memory, Kafka) share.

Every batch is numbered against its stream plus what earlier batches of the same call
staged; nothing is recorded unless all of them pass (a stale ``expected_seq`` raises
:class:`~stream.store.ConcurrencyError` before anything changes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import NamedTuple, Protocol

from events.models import EventBase
from stream.ids import event_ids, occurrence_counts
from stream.store import AppendResult, Batch, ConcurrencyError, number_events


class Stream(Protocol):
    """One match's recorded events and their ids, as a backend keeps them."""

    events: list[EventBase]
    ids: set[str]


class Staged(NamedTuple):
    """The new events per match, all of them in order, and one result per batch."""

    per_match: dict[str, list[EventBase]]
    records: list[EventBase]
    results: list[AppendResult]


def stage(
    batches: Sequence[Batch], stream_of: Callable[[str], Stream | None], first_position: int
) -> Staged:
    """Number ``batches`` against their streams; ``first_position`` is the next global one."""
    per_match: dict[str, list[EventBase]] = {}
    staged_ids: dict[str, set[str]] = {}
    records: list[EventBase] = []
    results: list[AppendResult] = []
    for batch in batches:
        stream = stream_of(batch.match_id)
        recorded_before: list[EventBase] = [] if stream is None else stream.events
        ids: set[str] = set() if stream is None else stream.ids
        new = per_match.setdefault(batch.match_id, [])
        known = staged_ids.setdefault(batch.match_id, set())
        last_seq = len(recorded_before) + len(new)
        if batch.expected_seq is not None and batch.expected_seq != last_seq:
            raise ConcurrencyError(batch.match_id, batch.expected_seq, last_seq)
        events = list(batch.events)
        counts = None
        if last_seq and not batch.whole_source and not all(e.event_id for e in events):
            counts = occurrence_counts([*recorded_before, *new])
        recorded, duplicates = number_events(
            batch.match_id,
            events,
            event_ids(batch.match_id, events, counts),
            last_seq,
            first_position + len(records),
            partial(_known, ids, known),
        )
        new.extend(recorded)
        known.update(e.event_id for e in recorded)
        records.extend(recorded)
        results.append(
            AppendResult(
                batch.match_id, tuple(recorded), tuple(duplicates), last_seq + len(recorded)
            )
        )
    return Staged(per_match, records, results)


def _known(ids: set[str], staged_ids: set[str], event_id: str) -> bool:
    return event_id in ids or event_id in staged_ids
