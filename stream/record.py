"""An event as ``SqliteStore`` keeps it: its JSON without the columns held apart.

The match id, seq, position and event id are columns of the row; the event's JSON holds
everything else (:func:`event_json`), and a read puts the columns back
(:func:`stored_event`).  Rows written before schema 2 hold the columns in their JSON too,
with the same values: they read the same.
"""

from __future__ import annotations

from typing import Any

import orjson

from events.clock import MatchClock
from events.models import EVENT_TYPES, EventBase, Score, loads

COLUMNS = frozenset({"match_id", "seq", "position", "event_id"})
"""The event's fields the row holds as columns."""

_ORJSON_CLASSES = frozenset(EVENT_TYPES.values())
"""The event classes whose JSON orjson writes from their fields: JSON types, a clock and
scores (``tests/stream/test_numbering.py`` holds each of them to pydantic's JSON)."""


def _nested(value: Any) -> Any:
    if isinstance(value, MatchClock | Score):
        return value.__dict__
    raise TypeError(f"{type(value).__name__} is not JSON")


def event_json(event: EventBase) -> bytearray:
    """The event's JSON without :data:`COLUMNS`: orjson from its fields for the classes of
    ``events.models`` (several times faster than pydantic's serialiser), pydantic's for
    anything else and for what orjson refuses.  A ``bytearray``, which the sqlite3 module
    binds as it is (``bytes`` go through its adapter look-up)."""
    if type(event) in _ORJSON_CLASSES:
        fields = event.__dict__.copy()
        del fields["match_id"], fields["seq"], fields["position"], fields["event_id"]
        clock = fields["clock"]
        if clock is not None:  # the commonest nested value, without orjson's call back
            fields["clock"] = clock.__dict__
        try:
            return bytearray(orjson.dumps(fields, default=_nested))
        except orjson.JSONEncodeError:
            pass  # let pydantic's serialiser say what is wrong
    return bytearray(event.__pydantic_serializer__.to_json(event, exclude=set(COLUMNS)))


def stored_event(data: bytes, match_id: str, seq: int, position: int, eid: str) -> EventBase:
    """The event of a row: its JSON read, the columns put back (a row written before
    schema 2 holds them in its JSON too, with the same values).  Raises
    ``pydantic.ValidationError`` for JSON that is not an event."""
    event = loads(data)
    # The event was made just now and is seen by no one else yet: its fields are set in
    # place (``updated`` would copy them all, which costs a read of 100,000 events 20%).
    fields = event.__dict__
    fields["match_id"] = match_id
    fields["seq"] = seq
    fields["position"] = position
    fields["event_id"] = eid
    event.__pydantic_fields_set__.update(COLUMNS)
    return event
