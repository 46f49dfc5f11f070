"""Writing a whole source into the store at once (what ``livetext ingest`` runs)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from events.models import EventBase
from stream.store import AppendResult, Batch, EventStore


def ingest_events(store: EventStore, match_id: str, events: Iterable[EventBase]) -> AppendResult:
    """Append one source's events for a match in one transaction: all of them or none.

    Events without an ``event_id`` are numbered as a source of their own (occurrences
    counted within ``events``, not against the stream), so ingesting the same source again,
    or another source with the same lines and clocks, appends nothing new.
    """
    return store.append_many([Batch(match_id, _listed(events), None, True)])[0]


def ingest_many(
    store: EventStore, sources: Mapping[str, Iterable[EventBase]]
) -> dict[str, AppendResult]:
    """:func:`ingest_events` for several matches in one transaction: all or nothing."""
    # Batch(m, events, expected_seq=None, whole_source=True), positionally: one per match
    batches = [Batch(m, _listed(events), None, True) for m, events in sources.items()]
    return {r.match_id: r for r in store.append_many(batches)}


def _listed(events: Iterable[EventBase]) -> Sequence[EventBase]:
    """The events as a sequence: a list or tuple as it is (the append only reads it, and
    what it keeps it copies), anything else listed."""
    return events if isinstance(events, list | tuple) else list(events)
