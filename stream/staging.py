"""Staging an append in memory: what the in-process backends (memory, Kafka) share.

The batches are numbered by ``stream.numbering.number`` (the function ``SqliteStore``
records with) against the streams as the backend holds them; nothing is recorded unless
all of them pass (a stale ``expected_seq`` raises
:class:`~stream.store.ConcurrencyError` before anything changes).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple, Protocol

from events.clock import MatchClock, key_number
from events.models import EventBase
from stream.ids import occurrence_counts
from stream.numbering import Head, number
from stream.store import AppendResult, Batch, Prepared


class Stream(Protocol):
    """One match's recorded events and their ids, as a backend keeps them."""

    events: list[EventBase]
    ids: set[str]
    last_clock: MatchClock | None


class Staged(NamedTuple):
    """The new events per match, all of them in order, and one result per batch."""

    per_match: dict[str, list[EventBase]]
    records: list[EventBase]
    results: list[AppendResult]


def stage(
    batches: Sequence[Batch | Prepared],
    stream_of: Callable[[str], Stream | None],
    last_position: int,
) -> Staged:
    """Number ``batches`` against their streams, after the global ``last_position``."""

    def head_of(match_id: str) -> Head:
        stream = stream_of(match_id)
        if stream is None or not stream.events:
            return Head(match_id)
        clock = stream.last_clock
        return Head(
            match_id,
            len(stream.events),
            None if clock is None else key_number(clock),
            lambda ids: _held(stream.ids, ids),
            lambda: occurrence_counts(stream.events),
        )

    numbered = number(batches, head_of, last_position)
    per_match: dict[str, list[EventBase]] = {}
    records: list[EventBase] = []
    for result in numbered.results:
        per_match.setdefault(result.match_id, []).extend(result.recorded)
        records += result.recorded
    return Staged(per_match, records, numbered.results)


def _held(ids: set[str], wanted: Collection[str]) -> AbstractSet[str]:
    return ids.intersection(wanted)
