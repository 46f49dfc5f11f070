"""A JSONL feed, as DESIGN.md defines it.

An optional first object ``{"match": {"id", "home", "away", "kickoff"?, "lineups"?}}``
(lineups: ``{"home"|"away": {"formation"?, "starting": [player], "bench": [player]}}``, a
player ``{"name", "number"?, "position"?}``), then one object per line:
``{"text": str, "clock": "45'+2'" | 67 | null, "id"?: str, "posted_at"?: str}``.
Lines arrive oldest first unless ``newest_first``.  Blank lines are skipped; unknown
keys are ignored; ``posted_at`` is not kept (events have no field for it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from pydantic import ValidationError

from events.clock import ClockError, MatchClock
from events.readers.assemble import assemble
from events.readers.errors import SourceError
from events.readers.match import Match, RawLine
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
    return assemble(sheet, raws, fmt="feed", name=name, match_id=match_id)


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
    if not isinstance(match, dict):
        raise SourceError(name, n, '"match" must be an object')
    try:
        lineups = match.get("lineups")
        sheets: dict[Side, TeamSheet] = {}
        for side, team in (lineups or {}).items():
            if side not in ("home", "away") or not match.get(side):
                raise SourceError(name, n, f"line-up for {side!r}, which the header does not name")
            sheets[side] = TeamSheet(
                name=match[side],
                formation=team.get("formation"),
                starting=tuple(Player.model_validate(p) for p in team.get("starting", ())),
                bench=tuple(Player.model_validate(p) for p in team.get("bench", ())),
            )
        return MatchSheet(
            match_id=_str(match.get("id")),
            home=match.get("home"),
            away=match.get("away"),
            kickoff=_str(match.get("kickoff")),
            lineups=Lineups(**sheets) if sheets else None,
        )
    except (ValidationError, AttributeError, TypeError) as exc:
        raise SourceError(name, n, f"bad match header: {exc}") from None


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
