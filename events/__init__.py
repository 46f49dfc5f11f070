"""The vocabulary of football live text: the clock, the typed events, the parser, the readers."""

from events.clock import ClockError, MatchClock
from events.identity import event_id
from events.models import Event, EventBase, Score, dumps, json_schema, loads

__all__ = [
    "ClockError",
    "Event",
    "EventBase",
    "MatchClock",
    "Score",
    "dumps",
    "event_id",
    "json_schema",
    "loads",
]
