"""What travels on the topics, as bytes: lines in, events and states out, dead letters.

``livetext.lines``, key = match id, value = one line or a chunk of lines of one match::

    {"match_id": "m", "text": "Corner, Inter.", "clock": "34'", "id"?: "...", "header"?: {...}}
    {"match_id": "m", "header"?: {...}, "poll"?: {...},
     "lines": [{"text", "clock"?, "clock_inferred"?, "id"?, "line_id"?}
               | {"event": {...}, "id"?}, ...]}

``clock`` is ``"45+2'"``, a minute, ``{"period", "minute", "added", "second"}`` or null;
``id`` is the line's stable id and becomes its ``event_id`` (without one, the id is
computed from match, text, clock and occurrence, as the store does); ``line_id`` is the
source's own id for the line (a feed's ``id``, ESPN's ``sequence``), kept on the event;
``event`` is an already typed event (what a page's line-up annotations become: they are
not lines of text; a ``retraction`` travels this way too, and the worker folds it as the
embedded path does).  ``header`` is the match sheet (teams, line-ups): the first message
of a match should carry it so the projector knows home from away.  ``poll`` is what
``livetext poll`` keeps between snapshots (``{"missing": {event_id: n}}``), so a poller
started again reads it back; the worker ignores it, and a message carrying it may have no
lines (``"lines": []``).

``livetext.events``, key = match id, value = a JSON array of consecutive events of the
match (their public JSON, ``seq`` and ``event_id`` set); headers ``livetext-line`` (the
offset of the line message they came from) and, when it changed, ``livetext-header``.

``livetext.states``, key = match id, value = the state JSON the projector was handed.

``livetext.dead-letter``, key = the original key, value =
``{"reason", "topic", "partition", "offset", "key", "value" | "value_base64"}``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import ValidationError

from events.clock import ClockError, MatchClock
from events.models import EventBase, loads, updated
from events.readers.match import Match
from stream.amend import latest_versions

LINE_HEADER = "livetext-line"
SEQ_HEADER = "livetext-seq"
SHEET_HEADER = "livetext-header"
MAX_LINES_PER_MESSAGE = 10_000

Headers = Sequence[tuple[str, bytes]]


class BadMessage(ValueError):
    """A message the pipeline cannot take; its text is the reason the dead letter gives."""


@dataclass(frozen=True, slots=True)
class LineEntry:
    """One line of a line message: text to parse, or an already typed event."""

    text: str
    clock: MatchClock | None = None
    clock_inferred: bool = False
    id: str | None = None
    event: EventBase | None = None
    line_id: str | None = None


@dataclass(frozen=True, slots=True)
class LineMessage:
    """A decoded ``livetext.lines`` message."""

    match_id: str
    entries: tuple[LineEntry, ...]
    header: dict[str, Any] | None = None
    poll: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class EventsMessage:
    """A decoded ``livetext.events`` message."""

    match_id: str
    events: tuple[EventBase, ...]
    line_offset: int | None = None
    header: dict[str, Any] | None = None


# --- lines --------------------------------------------------------------------------------


def decode_lines(key: bytes | None, value: bytes | None) -> LineMessage:
    """A line message from its key and value; raises :class:`BadMessage` with the reason."""
    obj = _json_object(value)
    match_id = obj.get("match_id")
    if not isinstance(match_id, str) or not match_id.strip():
        raise BadMessage('"match_id" must be a non-empty string')
    if key is None:
        raise BadMessage("no key: lines must be keyed by their match id (one worker per match)")
    if key != match_id.encode():
        raise BadMessage(f"key {key[:80]!r} is not the match id {match_id!r}")
    header = obj.get("header")
    if header is not None and not isinstance(header, dict):
        raise BadMessage('"header" must be an object')
    poll = obj.get("poll")
    if poll is not None and not isinstance(poll, dict):
        raise BadMessage('"poll" must be an object')
    if "lines" in obj:
        raw = obj["lines"]
        if not isinstance(raw, list) or (not raw and poll is None):
            raise BadMessage('"lines" must be a non-empty array')
        if len(raw) > MAX_LINES_PER_MESSAGE:
            raise BadMessage(f'"lines" holds {len(raw)} lines (at most {MAX_LINES_PER_MESSAGE})')
        entries = tuple(_entry(item, i) for i, item in enumerate(raw))
    else:
        entries = (_entry(obj, None),)
    return LineMessage(match_id, entries, header, poll)


def _entry(obj: Any, index: int | None) -> LineEntry:
    where = "" if index is None else f"lines[{index}]: "
    if not isinstance(obj, dict):
        raise BadMessage(f"{where}a line must be an object")
    key = obj.get("id")
    if key is not None and (not isinstance(key, str) or not key):
        raise BadMessage(f'{where}"id" must be a non-empty string')
    line_id = obj.get("line_id")
    if line_id is not None and (not isinstance(line_id, str) or not line_id):
        raise BadMessage(f'{where}"line_id" must be a non-empty string')
    if "event" in obj:
        try:
            event = loads(obj["event"]) if isinstance(obj["event"], dict) else None
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise BadMessage(f'{where}"event" is not an event ({loc}: {first["msg"]})') from None
        if event is None:
            raise BadMessage(f'{where}"event" must be an object')
        return LineEntry(event.text, event.clock, event.clock_inferred, key, event)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadMessage(f'{where}"text" must be a non-empty string')
    inferred = obj.get("clock_inferred", False)
    if not isinstance(inferred, bool):
        raise BadMessage(f'{where}"clock_inferred" must be true or false')
    return LineEntry(text, _clock(obj.get("clock"), where), inferred, key, None, line_id)


def _clock(value: Any, where: str) -> MatchClock | None:
    if value is None:
        return None
    try:
        if isinstance(value, dict):
            return MatchClock.model_validate(value)
        if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            return MatchClock.parse(str(value))
    except (ClockError, ValidationError):
        pass
    raise BadMessage(f'{where}"clock" is not a match clock: {value!r}'[:300])


def _json_object(value: bytes | None) -> dict[str, Any]:
    if value is None:
        raise BadMessage("no value")
    try:
        obj = orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        raise BadMessage(f"not JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise BadMessage(f"a JSON {type(obj).__name__}, not an object")
    return obj


def line_message(
    match_id: str,
    lines: Sequence[Mapping[str, Any]],
    header: Mapping[str, Any] | None = None,
    poll: Mapping[str, Any] | None = None,
) -> bytes:
    """The value of a line message carrying ``lines`` (a chunk; one line is a chunk too;
    none at all only with ``poll``)."""
    obj: dict[str, Any] = {"match_id": match_id, "lines": list(lines)}
    if header is not None:
        obj["header"] = dict(header)
    if poll is not None:
        obj["poll"] = dict(poll)
    return orjson.dumps(obj)


def match_lines(match: Match) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A read source as what ``publish`` sends: the header (the match sheet) and its lines
    (:func:`event_lines`), a line id served twice sent as its last version (as ``ingest``
    stores it)."""
    return match_header(match), event_lines(latest_versions(match.events))


def match_header(match: Match) -> dict[str, Any]:
    """The header a match's first message carries: its sheet."""
    return match.sheet.model_dump(mode="json", exclude_none=True)


def event_lines(events: Iterable[EventBase]) -> list[dict[str, Any]]:
    """Events as line entries: a line of live text as its text, its clock (inferred or
    not, as an object so the period survives), its stable ``event_id`` as ``id`` (sending
    it twice appends nothing) and its ``line_id``; anything else (events made from the
    line-ups, retractions) as a typed event."""
    lines: list[dict[str, Any]] = []
    for event in events:
        if event.source != "live_text" or event.type == "retraction":
            data = event.model_dump(mode="json")
            lines.append({"event": data, "id": event.event_id})
            continue
        line: dict[str, Any] = {"text": event.text, "id": event.event_id}
        if event.clock is not None:
            line["clock"] = event.clock.model_dump(mode="json")
        if event.clock_inferred:
            line["clock_inferred"] = True
        if event.line_id is not None:
            line["line_id"] = event.line_id
        lines.append(line)
    return lines


def entry_event(entry: LineEntry, match_id: str) -> EventBase:
    """The event a line entry stands for, before the worker numbers it: the typed event
    sent, else the line parsed (with its id and line id)."""
    from events.parser import parse_line

    if entry.event is not None:
        event = entry.event
    else:
        event = parse_line(entry.text, entry.clock, clock_inferred=entry.clock_inferred)
    changes: dict[str, Any] = {"match_id": match_id}
    if entry.id is not None:
        changes["event_id"] = entry.id
    if entry.line_id is not None:
        changes["line_id"] = entry.line_id
    return updated(event, changes)


# --- events -------------------------------------------------------------------------------


def encode_events(
    events: Iterable[EventBase], line_offset: int | None, header: Mapping[str, Any] | None
) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The value and headers of an events message."""
    value = orjson.dumps([e.model_dump(mode="json") for e in events])
    headers: list[tuple[str, bytes]] = []
    if line_offset is not None:
        headers.append((LINE_HEADER, str(line_offset).encode()))
    if header is not None:
        headers.append((SHEET_HEADER, orjson.dumps(dict(header))))
    return value, headers


def decode_events(key: bytes | None, value: bytes | None, headers: Headers | None) -> EventsMessage:
    """An events message; raises :class:`BadMessage`.  Every event must belong to the key's
    match and carry a seq."""
    if key is None:
        raise BadMessage("no key: events must be keyed by their match id")
    match_id = key.decode("utf-8", "replace")
    if value is None:
        raise BadMessage("no value")
    try:
        raw = orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        raise BadMessage(f"not JSON: {exc}") from None
    if not isinstance(raw, list):
        raise BadMessage("an events message is a JSON array of events")
    events = []
    for i, item in enumerate(raw):
        try:
            event = loads(item) if isinstance(item, dict) else None
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise BadMessage(f"[{i}] is not an event ({loc}: {first['msg']})") from None
        if event is None:
            raise BadMessage(f"[{i}] is not an object")
        if event.match_id != match_id or event.seq < 1:
            raise BadMessage(
                f"[{i}] is seq {event.seq} of match {event.match_id!r}, not of {match_id!r}"
            )
        events.append(event)
    line_offset: int | None = None
    header: dict[str, Any] | None = None
    for name, data in headers or ():
        if name == LINE_HEADER:
            line_offset = int(data)
        elif name == SHEET_HEADER:
            header = orjson.loads(data)
    return EventsMessage(match_id, tuple(events), line_offset, header)


# --- dead letters -------------------------------------------------------------------------


def dead_letter(
    reason: str, topic: str, partition: int, offset: int, key: bytes | None, value: bytes | None
) -> bytes:
    """The value of a dead letter: the reason and the original message, verbatim."""
    obj: dict[str, Any] = {
        "reason": reason,
        "topic": topic,
        "partition": partition,
        "offset": offset,
        "key": None if key is None else key.decode("utf-8", "replace"),
    }
    if value is None:
        obj["value"] = None
    else:
        try:
            obj["value"] = value.decode("utf-8")
        except UnicodeDecodeError:
            obj["value_base64"] = base64.b64encode(value).decode()
    return orjson.dumps(obj)


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``items`` in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
