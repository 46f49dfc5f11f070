"""An Opta-style commentary JSON (Stats Perform's commentary feed).

``{"matchInfo": {"id", "date", "time", "contestant": [{"name", "position": "home"}, ...]},
"messages": [{"message": [...]}], "liveData"?: {...}}``; each message
``{"id", "comment", "time": "45'+2'" | "", "minute", "second", "period", "type",
"lastModified"}``, newest first.

* match id: ``matchInfo.id``; teams from ``contestant[].position``; kickoff from
  ``date`` and ``time`` (``2019-11-10Z`` and ``16:30:00Z``);
* the lines: the messages oldest first, ``comment`` as the text, ``time`` as the clock
  (empty: ``minute`` within a match period, else none), ``period`` (1-5) placing a
  boundary minute (``45'`` of the second half), the message ``id`` as the line id.
  Messages of the breaks, before and after the match (periods 10-16) carry no clock;
* status: ``liveData.matchDetails.matchStatus`` when present (``Fixture``, ``Playing``,
  ``Played``), else the messages' periods (post-match 14: final; a match period: in
  progress; pre-match 16 only: scheduled); ``liveData.matchDetails.scores`` (``total``,
  ``pen``) when present as the reported score and shoot-out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from events.clock import ClockError, MatchClock
from events.readers.assemble import assemble
from events.readers.errors import SourceError
from events.readers.fields import ShapeError, Where, maybe, need, of, path, wrong
from events.readers.match import Match, RawLine
from events.readers.payload import Payload
from events.readers.registry import ReadOptions, SourceFormat
from events.sheet import SIDES, MatchSheet, Side, Status

MATCH_PERIODS = range(1, 6)
POST_MATCH, PRE_MATCH = 14, 16
_STATUS: dict[str, Status] = {"Fixture": "scheduled", "Playing": "in_progress", "Played": "final"}


def is_opta(document: Any) -> bool:
    """True for an object with ``matchInfo`` (an object) and ``messages``."""
    return (
        isinstance(document, dict)
        and isinstance(document.get("matchInfo"), dict)
        and "messages" in document
    )


def read_opta(
    source: Mapping[str, Any] | str | bytes,
    *,
    name: str = "<opta>",
    match_id: str | None = None,
) -> Match:
    """Read an Opta commentary (the decoded object or its JSON).  Raises :class:`SourceError`."""
    document: Any = source
    if isinstance(source, str | bytes):
        try:
            document = orjson.loads(source)
        except orjson.JSONDecodeError as exc:
            raise SourceError(name, exc.lineno, f"not JSON: {exc.msg}") from None
    if not is_opta(document):
        raise SourceError(name, 1, 'not an Opta commentary: no "matchInfo" and "messages"')
    try:
        messages = _messages(document)
        sheet = _sheet(document, messages)
        lines = [line for m in reversed(messages) if (line := _line(*m)) is not None]
    except ShapeError as exc:
        raise SourceError(name, 1, f"not an Opta commentary as expected: {exc}") from None
    return assemble(sheet, lines, fmt="opta", name=name, match_id=match_id)


_Message = tuple[dict[str, Any], Where, int | None]
"""A message, where it is, and its period."""


def _messages(document: dict[str, Any]) -> list[_Message]:
    """Every message, as listed (newest first), with its period."""
    out: list[_Message] = []
    for i, block in enumerate(need(document, "messages", list, "")):
        here = ("messages", i)
        block = of(block, dict, here)
        for j, message in enumerate(maybe(block, "message", list, here) or ()):
            at = (*here, "message", j)
            if type(message) is not dict:
                raise wrong(at, message, dict)
            period = message.get("period")
            if type(period) is not int:
                period = _int(period, at, "period")
            out.append((message, at, period))
    return out


def _int(value: Any, where: Where, *more: str) -> int | None:
    """A whole number Opta may write as a string (``"2"``); None when absent or empty."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise ShapeError(f'"{path(where, *more)}" must be a whole number, not {value!r}')


def _sheet(document: dict[str, Any], messages: list[_Message]) -> MatchSheet:
    info = document["matchInfo"]
    teams: dict[Side, str] = {}
    for i, contestant in enumerate(need(info, "contestant", list, "matchInfo")):
        here = path("matchInfo.contestant", i)
        contestant = of(contestant, dict, here)
        position = maybe(contestant, "position", str, here)
        if position not in SIDES:
            raise ShapeError(f'"{here}.position" must be "home" or "away", not {position!r}')
        team = (
            maybe(contestant, "name", str, here)
            or maybe(contestant, "shortName", str, here)
            or maybe(contestant, "officialName", str, here)
        )
        if not team:
            raise ShapeError(f'"{here}.name" is missing')
        teams["home" if position == "home" else "away"] = team
    match_id = maybe(info, "id", (str, int), "matchInfo")
    details = maybe(maybe(document, "liveData", dict, "") or {}, "matchDetails", dict, "liveData")
    scores = maybe(details or {}, "scores", dict, "liveData.matchDetails") or {}
    return MatchSheet(
        match_id=None if match_id is None else str(match_id),
        home=teams.get("home"),
        away=teams.get("away"),
        kickoff=_kickoff(info),
        reported_score=_score(scores, "total"),
        reported_shootout=_score(scores, "pen"),
        status=_status(details, messages),
        provider="opta",
    )


def _kickoff(info: dict[str, Any]) -> str | None:
    """``2019-11-10Z`` and ``16:30:00Z`` -> ``2019-11-10T16:30:00Z``."""
    date = maybe(info, "date", str, "matchInfo")
    if not date:
        return None
    time = maybe(info, "time", str, "matchInfo")
    day = date.rstrip("Z")
    return f"{day}T{time}" if time else day


def _score(scores: dict[str, Any], key: str) -> dict[Side, int] | None:
    pair = maybe(scores, key, dict, "liveData.matchDetails.scores")
    if not pair:
        return None
    at = ("liveData.matchDetails.scores", key)
    values = {side: _int(pair.get(side), at, side) for side in SIDES}
    if values["home"] is None or values["away"] is None:
        return None
    return {"home": values["home"], "away": values["away"]}


def _status(details: dict[str, Any] | None, messages: list[_Message]) -> Status | None:
    if details is not None:
        status = details.get("matchStatus")
        if isinstance(status, str) and status in _STATUS:
            return _STATUS[status]
    periods = {period for _, _, period in messages}
    if POST_MATCH in periods:
        return "final"
    if periods & set(MATCH_PERIODS):
        return "in_progress"
    if PRE_MATCH in periods:
        return "scheduled"
    return None


def _line(message: dict[str, Any], where: Where, period: int | None) -> RawLine | None:
    comment = maybe(message, "comment", str, where)
    if not comment or not comment.strip():
        return None
    key = maybe(message, "id", (str, int), where)
    return RawLine(
        text=comment,
        line=1,
        clock=_clock(message, where, period),
        key=None if key is None else str(key),
    )


def _clock(message: dict[str, Any], where: Where, period: int | None) -> MatchClock | None:
    """``time`` (``90'+5'``) within the message's period; without one, ``minute`` within a
    match period; none before, between or after the periods."""
    in_match = period in MATCH_PERIODS
    shown = maybe(message, "time", str, where)
    try:
        if shown and shown.strip():
            if in_match:
                try:
                    return MatchClock.parse(shown, period)
                except ClockError:
                    pass  # the period contradicts the minute: the minute decides
            return MatchClock.parse(shown)
    except ClockError as exc:
        raise ShapeError(f'"{path(where, "time")}": {exc}') from None
    minute = message.get("minute")
    if type(minute) is not int:
        minute = _int(minute, where, "minute")
    if in_match and minute:
        try:
            return MatchClock.of(minute, period=period)
        except ValueError as exc:
            raise ShapeError(f'"{path(where, "minute")}": {exc}') from None
    return None


def _detect(payload: Payload) -> float:
    return 1.0 if payload.lead == b"{" and is_opta(payload.document) else 0.0


def _read(payload: Payload, options: ReadOptions) -> Match:
    document = payload.json_document("an Opta commentary")
    return read_opta(document, name=payload.name, match_id=options.match_id)


FORMAT = SourceFormat(
    name="opta",
    shape='an Opta commentary ({"matchInfo", "messages"})',
    detect=_detect,
    read=_read,
    line_based=False,
    json=True,
)
