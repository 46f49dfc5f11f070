"""Writing a whole source into the store at once (what ``livetext ingest`` runs)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial

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
    # Batch(m, events, expected_seq=None, whole_source=True), one per match: made as a
    # tuple (Batch's own __new__ is a Python call)
    batches = [
        _batch((m, events if isinstance(events, list) else _listed(events), None, True))
        for m, events in sources.items()
    ]
    return dict(zip(sources, store.append_many(batches), strict=True))


def _listed(events: Iterable[EventBase]) -> Sequence[EventBase]:
    """The events as a sequence: a list or tuple as it is (the append only reads it, and
    what it keeps it copies), anything else listed."""
    return events if isinstance(events, list | tuple) else list(events)


_batch: Callable[[tuple[str, Sequence[EventBase], None, bool]], Batch] = partial(
    tuple.__new__, Batch
)
