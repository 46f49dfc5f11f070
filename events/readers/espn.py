"""An ESPN soccer ``summary`` JSON, as the site API serves it (or wrapped as
``{"summary": {...}, "url", ...}``).

* match id: ESPN's event id (``header.id``); teams, kickoff and status from
  ``header.competitions[0]``; the referee from ``gameInfo.officials``;
* line-ups from ``rosters[]``: formation, starters, bench, jersey numbers, positions;
* the lines: ``commentary[]`` in ``sequence`` order, ``time.displayValue`` as the clock
  (empty: none, inferred), ``play.period.number`` as the period of a boundary minute
  (``45'`` of the second half, ``90'`` of extra time, ``120'`` of the shoot-out) and
  ``sequence`` as the line id;
* ESPN's own facts: the box score (``boxscore.teams[].statistics``) in our stat names, the
  score after extra time, the goals of each period (``linescores``), the shoot-out score
  and its kicks (``shootout[]``).

A field of the wrong type is refused in one line naming it
(``760415.json:1: not an ESPN summary as expected: "header.id" is missing``).
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
from events.sheet import (
    SIDES,
    Lineups,
    MatchSheet,
    Player,
    ShootoutKick,
    Side,
    Status,
    StatValue,
    TeamSheet,
)

STATS = {
    "wonCorners": "corners",
    "totalShots": "shots",
    "shotsOnTarget": "shots_on_target",
    "foulsCommitted": "fouls",
    "yellowCards": "yellow_cards",
    "redCards": "red_cards",
    "offsides": "offsides",
    "saves": "saves",
    "possessionPct": "possession",
}
"""ESPN's box-score stat names and ours."""

_BENCH_POSITIONS = ("SUB", "Substitute")


def summary_of(document: Any) -> dict[str, Any] | None:
    """The summary object of an ESPN payload (bare or wrapped), or None if it is not one."""
    if not isinstance(document, dict):
        return None
    inner = document.get("summary")
    summary = inner if isinstance(inner, dict) else document
    header = summary.get("header")
    return summary if isinstance(header, dict) and "competitions" in header else None


def read_espn(
    source: Mapping[str, Any] | str | bytes,
    *,
    name: str = "<espn>",
    match_id: str | None = None,
) -> Match:
    """Read an ESPN summary (the decoded object or its JSON).  Raises :class:`SourceError`."""
    document: Any = source
    if isinstance(source, str | bytes):
        try:
            document = orjson.loads(source)
        except orjson.JSONDecodeError as exc:
            raise SourceError(name, exc.lineno, f"not JSON: {exc.msg}") from None
    summary = summary_of(document)
    if summary is None:
        raise SourceError(name, 1, 'not an ESPN summary: no "header" with "competitions"')
    try:
        sheet = _sheet(summary)
        lines = _lines(summary)
    except ShapeError as exc:
        raise SourceError(name, 1, f"not an ESPN summary as expected: {exc}") from None
    return assemble(sheet, lines, fmt="espn", name=name, match_id=match_id)


def _side(value: Any, where: str) -> Side:
    side = of(value, str, where)
    if side not in SIDES:
        raise ShapeError(f'"{where}" must be "home" or "away", not {side!r}')
    return "home" if side == "home" else "away"


def _number(value: Any, where: Where, *more: str) -> StatValue | None:
    """A count or a percentage as ESPN writes it (``"7"``, ``"75.6"``, ``3.0``)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ShapeError(f'"{path(where, *more)}" must be a number, not {value!r}')
    try:
        number = float(value)
    except ValueError:
        return None  # "-" and the like: not reported
    return int(number) if number.is_integer() else number


def _sheet(summary: dict[str, Any]) -> MatchSheet:
    header = summary["header"]
    event_id = need(header, "id", (str, int), "header")
    competitions = need(header, "competitions", list, "header")
    if not competitions:
        raise ShapeError('"header.competitions" is empty')
    where = "header.competitions[0]"
    competition = of(competitions[0], dict, where)
    competitors = _competitors(competition, where)
    names = {side: c["name"] for side, c in competitors.items()}
    shootout = _pair(competitors, "shootout")
    return MatchSheet(
        match_id=str(event_id),
        home=names.get("home"),
        away=names.get("away"),
        kickoff=maybe(competition, "date", str, where),
        lineups=_lineups(summary, names),
        referee=_referee(summary),
        reported_stats=_stats(summary),
        reported_score=_pair(competitors, "score"),
        reported_periods=_periods(competitors, shootout is not None),
        reported_shootout=shootout,
        reported_shootout_kicks=_kicks(summary, competitors),
        status=_status(competition, where),
        provider="espn",
    )


def _competitors(competition: dict[str, Any], where: str) -> dict[Side, dict[str, Any]]:
    out: dict[Side, dict[str, Any]] = {}
    at = path(where, "competitors")
    for i, entry in enumerate(need(competition, "competitors", list, where)):
        here = path(at, i)
        entry = of(entry, dict, here)
        side = _side(entry.get("homeAway"), path(here, "homeAway"))
        team = need(entry, "team", dict, here)
        name = maybe(team, "displayName", str, path(here, "team")) or maybe(
            team, "name", str, path(here, "team")
        )
        lines = maybe(entry, "linescores", list, here) or []
        goals = []
        for j, period in enumerate(lines):
            period_at = path(path(here, "linescores"), j)
            period = of(period, dict, period_at)
            value = period.get("displayValue", period.get("value"))
            goals.append(_number(value, path(period_at, "displayValue")))
        out[side] = {
            "name": name,
            "ids": {str(v) for v in (entry.get("id"), team.get("id")) if v is not None},
            "score": _number(entry.get("score"), path(here, "score")),
            "shootout": _number(entry.get("shootoutScore"), path(here, "shootoutScore")),
            "periods": goals,
        }
    return out


def _pair(competitors: Mapping[Side, dict[str, Any]], key: str) -> dict[Side, int] | None:
    """One whole number per side (the score, the shoot-out score), if both sides have it."""
    values = {side: competitors[side][key] for side in SIDES if side in competitors}
    if len(values) < 2 or any(v is None for v in values.values()):
        return None
    return {side: int(v) for side, v in values.items()}


def _periods(
    competitors: Mapping[Side, dict[str, Any]], shootout: bool
) -> tuple[dict[Side, int], ...] | None:
    """Goals per period, first half first; a shoot-out's own entry (the last) dropped."""
    if "home" not in competitors or "away" not in competitors:
        return None
    home, away = competitors["home"]["periods"], competitors["away"]["periods"]
    count = min(len(home), len(away))
    if shootout and count in (3, 5):
        count -= 1
    if not count or any(v is None for v in home[:count] + away[:count]):
        return None
    return tuple({"home": int(home[i]), "away": int(away[i])} for i in range(count))


def _status(competition: dict[str, Any], where: str) -> Status | None:
    status = maybe(competition, "status", dict, where)
    kind = maybe(status or {}, "type", dict, path(where, "status")) or {}
    if kind.get("completed") is True:
        return "final"
    state = kind.get("state")
    if state == "in":
        return "in_progress"
    if state == "pre":
        return "scheduled"
    return None


def _lineups(summary: dict[str, Any], names: Mapping[Side, str | None]) -> Lineups | None:
    rosters = maybe(summary, "rosters", list, "")
    sheets: dict[Side, TeamSheet] = {}
    for i, roster in enumerate(rosters or ()):
        here = ("rosters", i)
        roster = of(roster, dict, here)
        side = _side(roster.get("homeAway"), path(here, "homeAway"))
        team = maybe(roster, "team", dict, here) or {}
        name = names.get(side) or maybe(team, "displayName", str, (*here, "team"))
        if not name:
            continue
        starting: list[Player] = []
        bench: list[Player] = []
        for j, entry in enumerate(maybe(roster, "roster", list, here) or ()):
            at = (*here, "roster", j)
            entry = of(entry, dict, at)
            athlete = need(entry, "athlete", dict, at)
            player_name = maybe(athlete, "displayName", str, (*at, "athlete")) or maybe(
                athlete, "fullName", str, (*at, "athlete")
            )
            if not player_name:
                raise ShapeError(f'"{path(at, "athlete", "displayName")}" is missing')
            jersey = _number(entry.get("jersey"), at, "jersey")
            position = maybe(entry, "position", dict, at) or {}
            label = maybe(position, "displayName", str, (*at, "position"))
            if position.get("abbreviation") in _BENCH_POSITIONS or label in _BENCH_POSITIONS:
                label = None
            player = Player(
                name=player_name,
                number=None if jersey is None else int(jersey),
                position=label,
            )
            (starting if entry.get("starter") is True else bench).append(player)
        sheets[side] = TeamSheet(
            name=name,
            formation=maybe(roster, "formation", str, here),
            starting=tuple(starting),
            bench=tuple(bench),
        )
    return Lineups(**sheets) if sheets else None


def _referee(summary: dict[str, Any]) -> str | None:
    info = maybe(summary, "gameInfo", dict, "") or {}
    for i, official in enumerate(maybe(info, "officials", list, "gameInfo") or ()):
        here = path("gameInfo.officials", i)
        official = of(official, dict, here)
        position = maybe(official, "position", dict, here) or {}
        if position.get("name") == "Referee":
            return maybe(official, "displayName", str, here) or maybe(
                official, "fullName", str, here
            )
    return None


def _stats(summary: dict[str, Any]) -> dict[str, dict[Side, StatValue]] | None:
    box = maybe(summary, "boxscore", dict, "") or {}
    stats: dict[str, dict[Side, StatValue]] = {}
    for i, team in enumerate(maybe(box, "teams", list, "boxscore") or ()):
        here = ("boxscore.teams", i)
        team = of(team, dict, here)
        side = _side(team.get("homeAway"), path(here, "homeAway"))
        for j, stat in enumerate(maybe(team, "statistics", list, here) or ()):
            stat = of(stat, dict, (*here, "statistics", j))
            espn_name = stat.get("name")
            ours = STATS.get(espn_name) if isinstance(espn_name, str) else None
            if ours is None:
                continue
            value = _number(stat.get("displayValue"), (*here, "statistics", j), "displayValue")
            if value is not None:
                stats.setdefault(ours, {})[side] = value
    return stats or None


def _kicks(
    summary: dict[str, Any], competitors: Mapping[Side, dict[str, Any]]
) -> tuple[ShootoutKick, ...] | None:
    """The shoot-out's kicks in kick order: by kick number, then ESPN's play id."""
    teams = maybe(summary, "shootout", list, "")
    if not teams:
        return None
    kicks: list[tuple[int, float, int, ShootoutKick]] = []
    for i, team in enumerate(teams):
        here = path("shootout", i)
        team = of(team, dict, here)
        side = _kick_side(team, competitors, here)
        for j, shot in enumerate(maybe(team, "shots", list, here) or ()):
            shot_at = path(path(here, "shots"), j)
            shot = of(shot, dict, shot_at)
            number = _number(shot.get("shotNumber"), path(shot_at, "shotNumber"))
            play = _number(shot.get("id"), path(shot_at, "id"))
            kick = ShootoutKick(
                side=side,
                player=need(shot, "player", str, shot_at),
                scored=need(shot, "didScore", bool, shot_at),
            )
            kicks.append((int(number or 0), float(play or 0), i, kick))
    kicks.sort(key=lambda k: k[:3])
    return tuple(k[3] for k in kicks)


def _kick_side(team: dict[str, Any], competitors: Mapping[Side, dict[str, Any]], at: str) -> Side:
    """The side a shoot-out team is, by ESPN's team id, else by its name."""
    team_id, name = team.get("id"), team.get("team")
    for side, competitor in competitors.items():
        if team_id is not None and str(team_id) in competitor["ids"]:
            return side
    for side, competitor in competitors.items():
        if name is not None and name == competitor["name"]:
            return side
    raise ShapeError(f'"{at}" names a team that is neither side ({name!r}, id {team_id!r})')


def _lines(summary: dict[str, Any]) -> list[RawLine]:
    items = []
    in_order, previous = True, -1
    for i, item in enumerate(maybe(summary, "commentary", list, "") or ()):
        if type(item) is not dict:
            raise wrong(("commentary", i), item, dict)
        sequence = item.get("sequence")
        if sequence is not None and (type(sequence) is not int):
            sequence = _sequence(sequence, i)
        order = i if sequence is None else sequence
        in_order, previous = in_order and order >= previous, order
        items.append((order, i, item))
    if not in_order:  # ESPN lists them in order: sort only when it did not
        items.sort(key=lambda t: t[:2])
    clocks: dict[tuple[Any, Any], MatchClock | None] = {}
    lines: list[RawLine] = []
    for sequence, i, item in items:
        text = item.get("text")
        if type(text) is not str:
            if text is None:
                continue
            raise wrong(("commentary", i, "text"), text, str)
        if not text or text.isspace():
            continue
        shown, period = _time(item, i)
        if (shown, period) in clocks:
            clock = clocks[shown, period]
        else:
            clock = clocks[shown, period] = _clock(shown, period, i)
        key = None if item.get("sequence") is None else str(sequence)
        lines.append(RawLine(text, 1, clock, key))
    return lines


def _sequence(value: Any, i: int) -> int:
    """A ``sequence`` that is not a whole number: one written as a string (``"12"``)."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise ShapeError(
        f'"{path(("commentary", i, "sequence"))}" must be a whole number, not {value!r}'
    )


def _time(item: dict[str, Any], i: int) -> tuple[str | None, Any]:
    """``time.displayValue`` and ``play.period.number`` of a commentary item."""
    time = item.get("time")
    shown = None
    if time is not None:
        if type(time) is not dict:
            raise wrong(("commentary", i, "time"), time, dict)
        shown = time.get("displayValue")
        if shown is not None and type(shown) is not str:
            raise wrong(("commentary", i, "time", "displayValue"), shown, str)
    play = item.get("play")
    if type(play) is not dict:
        return shown, None
    period = play.get("period")
    return shown, period.get("number") if type(period) is dict else None


def _clock(shown: str | None, period: Any, i: int) -> MatchClock | None:
    """``time.displayValue`` (``45'+2'``; empty: none), in ``play.period.number`` when
    that is where its minute falls (``45'`` of the second half)."""
    if not shown or shown.isspace():
        return None
    try:
        if type(period) is int and 1 <= period <= 5:
            try:
                return MatchClock.parse(shown, period)
            except ClockError:
                pass  # the period contradicts the minute: the minute decides
        return MatchClock.parse(shown)
    except ClockError as exc:
        raise ShapeError(f'"{path(("commentary", i, "time", "displayValue"))}": {exc}') from None


def _detect(payload: Payload) -> float:
    return 1.0 if payload.lead == b"{" and summary_of(payload.document) else 0.0


def _read(payload: Payload, options: ReadOptions) -> Match:
    document = payload.json_document("an ESPN summary")
    return read_espn(document, name=payload.name, match_id=options.match_id)


FORMAT = SourceFormat(
    name="espn",
    shape='an ESPN summary ({"header", "commentary", ...})',
    detect=_detect,
    read=_read,
    line_based=False,
    json=True,
)
