"""What a fold knows about a match besides its events: the teams and the line-ups.

A :class:`MatchContext` is built once per match, from the match's metadata (a
:class:`~events.sheet.MatchSheet`) or, without one, from the first line that prints the
score (``{H} {h}, {A} {a}``).  Reducers use it to say which side a team name means and
which line-up entry a player's name means; both answers are memoised per match.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal

from events.models import EventBase
from events.names import resolve, team_side
from events.sheet import MatchSheet, Player, TeamSheet

HOME: Final = 0
AWAY: Final = 1
SIDE_NAMES: Final = ("home", "away")

TeamsSource = Literal["sheet", "score_line", "first_seen", "none"]


class MatchContext:
    """Teams and line-ups of one match, with memoised name resolution.

    Immutable once built (its caches only remember answers of pure functions).
    """

    __slots__ = (
        "_fingerprint",
        "_player_cache",
        "_roster_names",
        "_side_cache",
        "away",
        "home",
        "match_id",
        "sheet",
        "teams_source",
    )

    def __init__(
        self,
        match_id: str,
        home: str | None = None,
        away: str | None = None,
        sheet: MatchSheet | None = None,
        teams_source: TeamsSource = "none",
    ) -> None:
        self.match_id = match_id
        self.home = home
        self.away = away
        self.sheet = sheet
        self.teams_source: TeamsSource = teams_source
        self._side_cache: dict[str | None, int | None] = {None: None}
        self._player_cache: tuple[dict[str, str], dict[str, str]] = ({}, {})
        self._roster_names: tuple[dict[str, int | None], dict[str, int | None]] = (
            {p.name: p.number for p in self.roster(HOME)},
            {p.name: p.number for p in self.roster(AWAY)},
        )
        raw = "\x1f".join(
            (
                match_id,
                home or "",
                away or "",
                sheet.model_dump_json() if sheet is not None else "",
            )
        )
        self._fingerprint = hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()

    @property
    def fingerprint(self) -> str:
        """A short digest of everything the fold reads here (snapshots check it)."""
        return self._fingerprint

    def team_name(self, side: int) -> str | None:
        """The team name of side 0 (home) or 1 (away)."""
        return self.home if side == HOME else self.away

    def side(self, team: str | None) -> int | None:
        """0 (home), 1 (away) or None for a team name as a line writes it.

        Exact names first, then accent/case-folded, then one name containing the other
        (``Atletico Madrid`` ~ ``Atlético de Madrid``); see :func:`events.names.team_side`.
        """
        try:
            return self._side_cache[team]
        except KeyError:
            pass
        if team == self.home:
            found: int | None = HOME
        elif team == self.away:
            found = AWAY
        else:
            named = team_side(team, self.home, self.away)
            found = None if named is None else SIDE_NAMES.index(named)
        self._side_cache[team] = found
        return found

    def team_sheet(self, side: int) -> TeamSheet | None:
        """The line-up of one side, when the metadata gave it."""
        if self.sheet is None:
            return None
        return self.sheet.team_sheet(SIDE_NAMES[side])

    def roster(self, side: int) -> tuple[Player, ...]:
        """Starting XI then bench of one side (empty without a line-up)."""
        sheet = self.team_sheet(side)
        return sheet.players if sheet is not None else ()

    def has_lineup(self, side: int) -> bool:
        """True when the starting XI of this side is known."""
        sheet = self.team_sheet(side)
        return sheet is not None and bool(sheet.starting)

    def player(self, side: int, name: str) -> str:
        """The key of a player in the state: the line-up name it resolves to, else ``name``.

        ``Nicolò Barella`` -> ``Barella`` when the line-up lists ``23 Barella``.
        """
        cache = self._player_cache[side]
        try:
            return cache[name]
        except KeyError:
            pass
        entry = resolve(name, self.roster(side)) if self._roster_names[side] else None
        key = entry.name if entry is not None else name
        cache[name] = key
        return key

    def number(self, side: int, key: str) -> int | None:
        """The shirt number of a player key, when the line-up gives it."""
        return self._roster_names[side].get(key)

    def player_json(self, side: int, key: str) -> dict[str, Any]:
        """A player as the state JSON writes one: ``{name, number}``."""
        return {"name": key, "number": self._roster_names[side].get(key)}


def sheet_from_meta(meta: Any) -> MatchSheet | None:
    """A :class:`MatchSheet` from what a store keeps as a match's metadata.

    Accepts a sheet, a dict in the sheet's shape, or the feed header
    ``{"match": {"id", "home", "away", "lineups"}}`` / its inner object.
    """
    if meta is None:
        return None
    if isinstance(meta, MatchSheet):
        return meta
    if isinstance(meta, Mapping):
        data = dict(meta)
        if "match" in data and isinstance(data["match"], Mapping):
            data = dict(data["match"])
        if "id" in data and "match_id" not in data:
            data["match_id"] = data.pop("id")
        if isinstance(data.get("sheet"), Mapping | MatchSheet):
            return sheet_from_meta(data["sheet"])
        known = set(MatchSheet.model_fields)
        lineups = data.get("lineups")
        if isinstance(lineups, Mapping):
            data["lineups"] = {
                side: _team_sheet_data(value, data.get(side))
                for side, value in lineups.items()
                if side in ("home", "away") and isinstance(value, Mapping)
            }
        return MatchSheet.model_validate({k: v for k, v in data.items() if k in known})
    sheet = getattr(meta, "sheet", None)
    return sheet_from_meta(sheet) if sheet is not None else None


def _team_sheet_data(value: Mapping[str, Any], team: Any) -> dict[str, Any]:
    known = set(TeamSheet.model_fields)
    out = {k: v for k, v in value.items() if k in known}
    out.setdefault("name", value.get("name") or (team if isinstance(team, str) else ""))
    for part in ("starting", "bench"):
        out[part] = [
            {k: v for k, v in p.items() if k in Player.model_fields}
            if isinstance(p, Mapping)
            else {"name": str(p)}
            for p in value.get(part, ())
        ]
    return out


def teams_from_events(events: Iterable[EventBase]) -> tuple[str | None, str | None, TeamsSource]:
    """Home and away from the first line printing the score, else the first two teams named."""
    seen: list[str] = []
    for event in events:
        home = getattr(event, "home_team", None)
        away = getattr(event, "away_team", None)
        if home and away:
            return home, away, "score_line"
        team = getattr(event, "team", None)
        if isinstance(team, str) and team and len(seen) < 2 and team not in seen:
            seen.append(team)
    if len(seen) == 2:
        return seen[0], seen[1], "first_seen"
    return None, None, "none"


def build_context(
    match_id: str, meta: Any = None, events: Iterable[EventBase] = ()
) -> MatchContext:
    """The context of a match: teams from the metadata, else from its lines."""
    sheet = sheet_from_meta(meta)
    if sheet is not None and sheet.home and sheet.away:
        return MatchContext(match_id, sheet.home, sheet.away, sheet, "sheet")
    home, away, source = teams_from_events(events)
    return MatchContext(match_id, home, away, sheet, source)
