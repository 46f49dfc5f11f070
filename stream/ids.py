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
from operator import attrgetter

from events.clock import MatchClock, key_number
from events.identity import clock_part_of, normalise_key, stable_id
from events.models import EventBase

OccurrenceKey = tuple[str, int | None]
"""(normalised text, ``events.clock.key_number`` of the clock or None): what makes two
lines "the same line"."""


def occurrence_key(text: str, clock: MatchClock | None) -> OccurrenceKey:
    return normalise_key(text), None if clock is None else key_number(clock)


def occurrence_counts(events: Iterable[EventBase]) -> Counter[OccurrenceKey]:
    """How many times each (normalised text, clock) occurs among ``events``."""
    return Counter(occurrence_key(e.text, e.clock) for e in events)


def normalised(text: str) -> str:
    """``events.identity.normalise_key(text)``, cheaper for the common line: one whose only
    white space is single ASCII spaces inside it is already folded (``str.split`` splits on
    characters that are all unprintable but for the ASCII space), so only ``casefold``
    is left to do."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text.casefold()
    return " ".join(text.split()).casefold()


CLOCK_PARTS: dict[int, str] = {}
"""``clock_part`` by ``key_number``: a match has a few hundred clocks, shared by matches."""
_MAXCLOCK_PARTS = 1 << 16


def clock_part_by_key(key: int, clock: MatchClock) -> str:
    """``events.identity.clock_part`` of a clock whose ``key_number`` is ``key``,
    remembered."""
    part = CLOCK_PARTS.get(key)
    if part is None:
        if len(CLOCK_PARTS) >= _MAXCLOCK_PARTS:
            CLOCK_PARTS.clear()
        part = CLOCK_PARTS[key] = clock_part_of(
            clock.period, clock.minute, clock.added, clock.second
        )
    return part


def event_ids(
    match_id: str,
    events: Sequence[EventBase],
    existing_counts: Mapping[OccurrenceKey, int] | None = None,
) -> list[str]:
    """The id of each event: its own when it has one, else the computed stable id.

    Every event, with an id or not, counts as an occurrence for the ones after it.
    """
    return ids_and_clocks(match_id, events, existing_counts)[0]


def ids_and_clocks(
    match_id: str,
    events: Sequence[EventBase],
    existing_counts: Mapping[OccurrenceKey, int] | None = None,
) -> tuple[list[str], list[int | None]]:
    """:func:`event_ids`, and the ``events.clock.key_number`` of each event's clock (None
    without one): what an append numbers its rows with."""
    # The hot path of an append: the normalised text and the clock's number serve the
    # occurrence key and the id alike.
    numbers: list[int | None] = []
    ids: list[str] = []
    parts = CLOCK_PARTS
    counting = not all(map(_EVENT_ID, events))
    counts: dict[OccurrenceKey, int] = dict(existing_counts) if existing_counts else {}
    for event in events:
        clock = event.clock
        where = None if clock is None else key_number(clock)
        numbers.append(where)
        eid = event.event_id
        if counting:
            key = normalised(event.text)
            occurrence = counts.get((key, where), 0)
            counts[key, where] = occurrence + 1
            if not eid:
                part = ""
                if clock is not None and where is not None:
                    part = parts.get(where) or clock_part_by_key(where, clock)
                eid = stable_id(match_id, key, part, occurrence)
        ids.append(eid)
    return ids, numbers


_EVENT_ID = attrgetter("event_id")


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
