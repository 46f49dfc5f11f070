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

from events.clock import MatchClock
from events.identity import clock_part, clock_part_of, normalise_key, stable_id
from events.models import EventBase
from stream.store import clock_key, clock_key_of

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
    # The hot path of an append: fields are read from the models' ``__dict__`` (pydantic's
    # attribute access is several times slower), and the normalised text and the clock's
    # fields serve the occurrence key and the id alike (``stable_id`` is ``event_id``
    # without normalising the text a second time; see ``events.identity``).
    if len(events) == 1 and not existing_counts:  # a lone line: its occurrence is 0
        fields = events[0].__dict__
        given_id: str = fields["event_id"]
        if given_id:
            return [given_id]
        return [stable_id(match_id, normalise_key(fields["text"]), clock_part(fields["clock"]), 0)]
    given = list(map(_EVENT_ID, events))
    if all(given):
        return given
    counts: dict[OccurrenceKey, int] = dict(existing_counts) if existing_counts else {}
    ids: list[str] = []
    for event, eid in zip(events, given):  # noqa: B905 (given is the events')
        fields = event.__dict__
        text: str = fields["text"]
        key = " ".join(text.split()).casefold()  # normalise_key
        clock = fields["clock"]
        if clock is None:
            where = None
            part = ""
        else:
            c = clock.__dict__
            period, minute, added, second = c["period"], c["minute"], c["added"], c["second"]
            where = clock_key_of(period, minute, added, second)
            part = clock_part_of(period, minute, added, second)
        occurrence = counts.get((key, where), 0)
        counts[key, where] = occurrence + 1
        ids.append(eid or stable_id(match_id, key, part, occurrence))
    return ids


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
