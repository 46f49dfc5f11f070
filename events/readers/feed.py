"""A JSONL feed, as DESIGN.md defines it.

An optional first object ``{"match": {"id", "home", "away", "kickoff"?, "lineups"?}}``
(lineups: ``{"home"|"away": {"formation"?, "starting": [player], "bench": [player]}}``, a
player ``{"name", "number"?, "position"?}``), then one object per line:
``{"text": str, "clock": "45'+2'" | 67 | null, "id"?: str, "posted_at"?: str}``.
Lines arrive oldest first unless ``newest_first``.  Blank lines are skipped; unknown
keys are ignored; ``posted_at`` is not kept (events have no field for it).  A header
field of the wrong type is refused in one line naming it
(``f.jsonl:1: bad match header: "match.lineups" must be an object, not a string``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from events.clock import ClockError, MatchClock
from events.readers.assemble import assemble
from events.readers.errors import SourceError
from events.readers.fields import ShapeError, maybe, of, path
from events.readers.match import Match, RawLine
from events.readers.payload import Payload
from events.readers.registry import ReadOptions, SourceFormat
from events.readers.split import numbered
from events.sheet import Lineups, MatchSheet, Player, Side, TeamSheet


def read_feed(
    source: str | Iterable[str],
    *,
    newest_first: bool = False,
    name: str = "<feed>",
    match_id: str | None = None,
) -> Match:
    """Read a JSONL feed (a text or its lines).  Raises :class:`SourceError`."""
    sheet, header_line = MatchSheet(), 0
    raws: list[RawLine] = []
    for n, line in numbered(source):
        if not line.strip():
            continue
        obj = _object(line, n, name)
        if "match" in obj:
            if raws or header_line:
                raise SourceError(name, n, "a match header after the first line")
            sheet, header_line = _header(obj["match"], n, name), n
        else:
            raws.append(_line(obj, n, name))
    if newest_first:
        raws.reverse()
    return assemble(
        sheet, raws, fmt="feed", name=name, match_id=match_id, newest_first=newest_first
    )


def _object(line: str, n: int, name: str) -> dict[str, Any]:
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise SourceError(name, n, f"not a JSON object: {exc}") from None
    if not isinstance(obj, dict):
        raise SourceError(name, n, f"a JSON {type(obj).__name__}, not an object")
    return obj


def _line(obj: dict[str, Any], n: int, name: str) -> RawLine:
    text, clock, key = obj.get("text"), obj.get("clock"), obj.get("id")
    if not isinstance(text, str) or not text.strip():
        raise SourceError(name, n, 'a feed line needs a non-empty "text"')
    if isinstance(clock, bool) or not isinstance(clock, str | int | None):
        raise SourceError(name, n, f'"clock" must be a string, a minute or null, not {clock!r}')
    try:
        parsed = MatchClock.parse(str(clock)) if clock is not None else None
    except ClockError as exc:
        raise SourceError(name, n, str(exc)) from None
    if key is not None and not isinstance(key, str | int):
        raise SourceError(name, n, f'"id" must be a string, not {key!r}')
    return RawLine(text=text, line=n, clock=parsed, key=None if key is None else str(key))


def _header(match: Any, n: int, name: str) -> MatchSheet:
    try:
        return _sheet(match)
    except ShapeError as exc:
        raise SourceError(name, n, f"bad match header: {exc}") from None
    except _Unnamed as exc:
        raise SourceError(name, n, str(exc)) from None


class _Unnamed(ValueError):
    """A line-up for a side the header does not name."""


def _sheet(match: Any) -> MatchSheet:
    where = "match"
    match = of(match, dict, where)
    home = maybe(match, "home", str, where)
    away = maybe(match, "away", str, where)
    names: dict[str, str | None] = {"home": home, "away": away}
    sheets: dict[Side, TeamSheet] = {}
    lineups = maybe(match, "lineups", dict, where)
    for side, team in (lineups or {}).items():
        team_name = names.get(side)
        if team_name is None:
            raise _Unnamed(f"line-up for {side!r}, which the header does not name")
        at = path(path(where, "lineups"), side)
        team = of(team, dict, at)
        sheets["home" if side == "home" else "away"] = TeamSheet(
            name=team_name,
            formation=maybe(team, "formation", str, at),
            starting=_players(team, "starting", at),
            bench=_players(team, "bench", at),
        )
    return MatchSheet(
        match_id=_str(maybe(match, "id", (str, int), where)),
        home=home,
        away=away,
        kickoff=maybe(match, "kickoff", str, where),
        lineups=Lineups(**sheets) if sheets else None,
    )


def _players(team: dict[str, Any], key: str, where: str) -> tuple[Player, ...]:
    players = maybe(team, key, list, where) or []
    at = path(where, key)
    out = []
    for i, player in enumerate(players):
        here = path(at, i)
        player = of(player, dict, here)
        name = maybe(player, "name", str, here)
        if not name or not name.strip():
            raise ShapeError(f'"{path(here, "name")}" must be a non-empty string')
        out.append(
            Player(
                name=name,
                number=maybe(player, "number", int, here),
                position=maybe(player, "position", str, here),
            )
        )
    return tuple(out)


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _detect(payload: Payload) -> float:
    """A first line that is a JSON object (one with ``text`` or ``match`` when the whole
    input is that one object)."""
    if payload.lead != b"{":
        return 0.0
    document = payload.document
    if isinstance(document, dict):
        return 0.9 if "text" in document or "match" in document else 0.0
    return 0.9 if payload.head_is_object else 0.0


def _read(payload: Payload, options: ReadOptions) -> Match:
    return read_feed(
        payload.text,
        newest_first=options.newest_first,
        name=payload.name,
        match_id=options.match_id,
    )


FORMAT = SourceFormat(
    name="feed",
    shape='a feed (JSONL: {"text", "clock"} per line)',
    detect=_detect,
    read=_read,
    json=True,
)
