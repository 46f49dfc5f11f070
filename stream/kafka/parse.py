"""The parse step: line messages in, numbered events out, once each (pure, no I/O).

Per match it keeps the last seq, the event ids already emitted, how often each (line,
clock) occurred, and the offset of the last line message it took.  That memory is
rebuilt from the events topic itself (:meth:`LineParser.learn`), never trusted from a
cache: a line message delivered again after a crash (offset at or below the last one
taken) is skipped, and a line sent again (an ``event_id`` already emitted) is not a new
event, so redelivery and re-publishing append nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from events.identity import event_id
from events.models import EventBase
from events.parser import parse_line
from stream.ids import OccurrenceKey, occurrence_key
from stream.kafka.wire import LineMessage


@dataclass(slots=True)
class MatchLines:
    """What the parser remembers of one match."""

    seq: int = 0
    line_offset: int = -1
    ids: set[str] = field(default_factory=set)
    counts: Counter[OccurrenceKey] = field(default_factory=Counter)
    header: dict[str, Any] | None = None
    header_pending: bool = False


@dataclass(frozen=True, slots=True)
class Parsed:
    """What one line message gave: new events (numbered), the duplicates skipped, and the
    header to send along when it is new."""

    match_id: str
    events: list[EventBase]
    duplicates: int
    header: dict[str, Any] | None


class LineParser:
    """Numbers each match's events 1.. as their lines arrive, idempotently."""

    def __init__(self) -> None:
        self.matches: dict[str, MatchLines] = {}

    def accept(self, message: LineMessage, offset: int) -> Parsed | None:
        """The events of a line message read at ``offset`` of its partition; ``None`` when
        that message was taken before (a redelivery)."""
        m = self.matches.get(message.match_id)
        if m is None:
            m = self.matches[message.match_id] = MatchLines()
        if offset <= m.line_offset:
            return None
        m.line_offset = offset
        if message.header is not None and message.header != m.header:
            m.header, m.header_pending = message.header, True
        match_id = message.match_id
        out: list[EventBase] = []
        duplicates = 0
        for entry in message.entries:
            key = occurrence_key(entry.text, entry.clock)
            eid = entry.id or event_id(match_id, key[0], entry.clock, m.counts[key])
            if eid in m.ids:
                duplicates += 1
                continue
            if entry.event is not None:
                event = entry.event
            else:
                event = parse_line(entry.text, entry.clock, clock_inferred=entry.clock_inferred)
            m.seq += 1
            m.ids.add(eid)
            m.counts[key] += 1
            update = {"match_id": match_id, "seq": m.seq, "event_id": eid, "position": 0}
            if entry.line_id is not None:
                update["line_id"] = entry.line_id
            out.append(event.model_copy(update=update))
        header = None
        if out and m.header_pending:
            header, m.header_pending = m.header, False
        return Parsed(match_id, out, duplicates, header)

    def learn(
        self,
        match_id: str,
        events: Iterable[EventBase],
        line_offset: int | None,
        header: dict[str, Any] | None,
    ) -> None:
        """Take in an events message already in the log (rebuilding after a restart)."""
        m = self.matches.get(match_id)
        if m is None:
            m = self.matches[match_id] = MatchLines()
        for event in events:
            if event.event_id not in m.ids:
                m.ids.add(event.event_id)
                m.counts[occurrence_key(event.text, event.clock)] += 1
            m.seq = max(m.seq, event.seq)
        if line_offset is not None:
            m.line_offset = max(m.line_offset, line_offset)
        if header is not None:
            m.header, m.header_pending = header, False

    def forget(self, match_ids: Iterable[str]) -> None:
        """Drop what is known of these matches (their partition moved to another worker)."""
        for match_id in match_ids:
            self.matches.pop(match_id, None)
