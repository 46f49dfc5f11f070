"""Event ids for events that arrive without one.

An id is ``events.identity.event_id(match_id, text, clock, occurrence)``: the occurrence
tells apart genuinely identical lines of one minute (two ``Corner, Inter.`` at 34').  It
counts the earlier events with the same normalised text and clock, starting from
``existing_counts``:

- ``EventStore.append`` starts from the stream's own counts, so a line appended live after
  an identical one of the same minute is a new event;
- a ``Batch(..., whole_source=True)`` (what ``stream.ingest.ingest_events`` appends) is a
  source of its own and starts from zero, so ingesting the same source again gives the
  same ids, and appends nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from events.clock import MatchClock
from events.identity import event_id, normalise_key
from events.models import EventBase
from stream.store import clock_key

OccurrenceKey = tuple[str, int | None]
"""(normalised text, clock key or None): what makes two lines "the same line"."""


def occurrence_key(text: str, clock: MatchClock | None) -> OccurrenceKey:
    return normalise_key(text), None if clock is None else clock_key(clock)


def occurrence_counts(events: Iterable[EventBase]) -> Counter[OccurrenceKey]:
    """How many times each (normalised text, clock) occurs among ``events``."""
    return Counter(occurrence_key(e.text, e.clock) for e in events)


def event_ids(
    match_id: str,
    events: Sequence[EventBase],
    existing_counts: Mapping[OccurrenceKey, int] | None = None,
) -> list[str]:
    """The id of each event: its own when it has one, else the computed stable id.

    Every event, with an id or not, counts as an occurrence for the ones after it.
    """
    if all(e.event_id for e in events):
        return [e.event_id for e in events]
    counts: dict[OccurrenceKey, int] = dict(existing_counts) if existing_counts else {}
    ids: list[str] = []
    for e in events:
        key = occurrence_key(e.text, e.clock)
        occurrence = counts.get(key, 0)
        counts[key] = occurrence + 1
        # key[0] is already normalised; normalising again leaves it unchanged.
        ids.append(e.event_id or event_id(match_id, key[0], e.clock, occurrence))
    return ids


def assign_event_ids(
    match_id: str,
    events: Iterable[EventBase],
    existing_counts: Mapping[OccurrenceKey, int] | None = None,
) -> list[EventBase]:
    """The events, those without an ``event_id`` given theirs (copies; the rest as they are).

    Pure: ``existing_counts`` are the occurrences already in the stream (``{}`` to number
    the events as a source of their own).
    """
    events = list(events)
    return [
        e if e.event_id == eid else e.model_copy(update={"event_id": eid})
        for e, eid in zip(events, event_ids(match_id, events, existing_counts), strict=True)
    ]
