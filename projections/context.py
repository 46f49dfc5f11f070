"""What a fold knows about a match besides its events: the teams and the line-ups.

A :class:`MatchContext` is built once per match, from the match's metadata (a
:class:`~events.sheet.MatchSheet`) or, without one, from the first line that prints the
score (``{H} {h}, {A} {a}``).  Reducers use it to say which side a team name means and
which line-up entry a player's name means; both answers are memoised per match.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Final, Literal

from events.models import EventBase
from events.names import NONE, team_side, words, words_score
from events.sheet import MatchSheet, Player, TeamSheet
from projections.teams import mentions, pair_teams

HOME: Final = 0
AWAY: Final = 1
SIDE_NAMES: Final = ("home", "away")

TeamsSource = Literal["sheet", "score_line", "first_seen", "none"]


class _Sides(dict[str | None, int | None]):
    """Team name -> side, computed on first use (reducers read it as a plain dict)."""

    __slots__ = ("ctx",)

    def __init__(self, ctx: MatchContext) -> None:
        super().__init__({None: None})
        self.ctx = ctx

    def __missing__(self, team: str | None) -> int | None:
        found = self.ctx.names.get(team) if team is not None else None
        if found is None:
            found = _team_side(team, self.ctx.home, self.ctx.away)
        self[team] = found
        return found


class _Keys(dict[str, str]):
    """Player name as written -> player key of one side, computed on first use."""

    __slots__ = ("ctx", "side")

    def __init__(self, ctx: MatchContext, side: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.side = side

    def __missing__(self, name: str) -> str:
        found = self[name] = self.ctx._resolve(self.side, name)
        return found


class MatchContext:
    """Teams and line-ups of one match, with memoised name resolution.

    Immutable once built (its caches only remember answers of pure functions).
    ``sides[team]`` and ``keys[side][name]`` are the reducers' fast paths.
    """

    __slots__ = (
        "_fingerprint",
        "_lineup_known",
        "_resolvers",
        "_roster_names",
        "_starting",
        "_team_sheets",
        "away",
        "home",
        "keys",
        "match_id",
        "named",
        "names",
        "sheet",
        "sides",
        "teams_source",
    )

    def __init__(
        self,
        match_id: str,
        home: str | None = None,
        away: str | None = None,
        sheet: MatchSheet | None = None,
        teams_source: TeamsSource = "none",
        names: Mapping[str, int] | None = None,
        named: frozenset[str] = frozenset(),
    ) -> None:
        self.match_id = match_id
        self.home = home
        self.away = away
        self.sheet = sheet
        self.teams_source: TeamsSource = teams_source
        self.names: Mapping[str, int] = names or {}
        """Every name the lines use for a team -> its side (``projections.teams``)."""
        self.named = named
        """Every team name the lines the context was built from use, paired or not."""
        # What the reducers ask per event (``team_sheet``, ``has_lineup``), read once.
        self._team_sheets: tuple[TeamSheet | None, TeamSheet | None] = (None, None)
        if sheet is not None:
            self._team_sheets = (sheet.team_sheet("home"), sheet.team_sheet("away"))
        self._lineup_known = tuple(t is not None and bool(t.starting) for t in self._team_sheets)
        self._starting = tuple(
            tuple(p.name for p in t.starting) if t is not None else () for t in self._team_sheets
        )
        self.sides: dict[str | None, int | None] = _Sides(self)
        self.keys: tuple[dict[str, str], dict[str, str]] = (_Keys(self, HOME), _Keys(self, AWAY))
        self._roster_names: tuple[dict[str, int | None], dict[str, int | None]] = (
            {p.name: p.number for p in self.roster(HOME)},
            {p.name: p.number for p in self.roster(AWAY)},
        )
        self._resolvers: tuple[Resolver | None, Resolver | None] = (None, None)
        self._fingerprint: str | None = None

    @property
    def fingerprint(self) -> str:
        """A short digest of everything the fold reads here (snapshots check it)."""
        if self._fingerprint is None:
            sheet = self.sheet.model_dump_json() if self.sheet is not None else ""
            names = "\x1e".join(f"{n}={s}" for n, s in sorted(self.names.items()))
            raw = "\x1f".join((self.match_id, self.home or "", self.away or "", sheet, names))
            self._fingerprint = hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()
        return self._fingerprint

    def team_name(self, side: int) -> str | None:
        """The team name of side 0 (home) or 1 (away)."""
        return self.home if side == HOME else self.away

    def team_names(self, side: int) -> list[str]:
        """Every name of one side: the header's first, then those the lines use."""
        first = self.team_name(side)
        names = [first] if first else []
        return names + sorted(n for n, s in self.names.items() if s == side and n != first)

    def side(self, team: str | None) -> int | None:
        """0 (home), 1 (away) or None for a team name as a line writes it.

        Exact names first, then accent/case-folded, then one name containing the other
        (``Atletico Madrid`` ~ ``Atlético de Madrid``); see :func:`events.names.team_side`.
        """
        return self.sides[team]

    def team_sheet(self, side: int) -> TeamSheet | None:
        """The line-up of one side, when the metadata gave it."""
        return self._team_sheets[side]

    def roster(self, side: int) -> tuple[Player, ...]:
        """Starting XI then bench of one side (empty without a line-up)."""
        sheet = self.team_sheet(side)
        return sheet.players if sheet is not None else ()

    def starting(self, side: int) -> tuple[str, ...]:
        """The names of the starting XI of one side (empty without a line-up)."""
        return self._starting[side]

    def has_lineup(self, side: int) -> bool:
        """True when the starting XI of this side is known."""
        return self._lineup_known[side]

    def player(self, side: int, name: str) -> str:
        """The key of a player in the state: the line-up name it resolves to, else ``name``.

        ``Nicolò Barella`` -> ``Barella`` when the line-up lists ``23 Barella``.
        """
        return self.keys[side][name]

    def _resolve(self, side: int, name: str) -> str:
        key = name
        if self._roster_names[side]:
            resolver = self._resolvers[side]
            if resolver is None:
                resolver = resolver_for(tuple(p.name for p in self.roster(side)))
                pair = list(self._resolvers)
                pair[side] = resolver
                self._resolvers = (pair[0], pair[1])
            key = resolver.resolve(name) or name
        return key

    def number(self, side: int, key: str) -> int | None:
        """The shirt number of a player key, when the line-up gives it."""
        return self._roster_names[side].get(key)

    def player_json(self, side: int, key: str) -> dict[str, Any]:
        """A player as the state JSON writes one: ``{name, number}``."""
        return {"name": key, "number": self._roster_names[side].get(key)}


@lru_cache(maxsize=8192)
def _team_side(team: str, home: str | None, away: str | None) -> int | None:
    if team == home:
        return HOME
    if team == away:
        return AWAY
    named = team_side(team, home, away)
    return None if named is None else SIDE_NAMES.index(named)


@lru_cache(maxsize=2048)
def resolver_for(roster: tuple[str, ...]) -> Resolver:
    """The (memoising) resolver of a roster; a team's roster recurs from match to match."""
    return Resolver(roster)


class Resolver:
    """:func:`events.names.resolve` over one roster, indexed by word.

    Only entries sharing a folded word with the name can score above ``NONE``, so only
    those are scored; the best single match wins, a tie resolves to nothing.
    """

    __slots__ = ("_entries", "_index", "_memo")

    def __init__(self, names: Iterable[str]) -> None:
        self._memo: dict[str, str | None] = {}
        self._entries = [(n, words(n)) for n in names]
        self._index: dict[str, list[int]] = {}
        for i, (_, ws) in enumerate(self._entries):
            for w in set(ws):
                self._index.setdefault(w, []).append(i)

    def resolve(self, name: str) -> str | None:
        """The roster name ``name`` means, or None when none (or several equally) match."""
        try:
            return self._memo[name]
        except KeyError:
            found = self._memo[name] = self._resolve(name)
            return found

    def _resolve(self, name: str) -> str | None:
        wn = words(name)
        candidates = sorted({i for w in wn for i in self._index.get(w, ())})
        best: str | None = None
        best_score, tied = NONE, False
        for i in candidates:
            entry, we = self._entries[i]
            score = words_score(wn, we)
            if score > best_score:
                best, best_score, tied = entry, score, False
            elif score == best_score and score > NONE:
                tied = True
        return None if tied else best


def sheet_from_meta(meta: Any) -> MatchSheet | None:
    """A :class:`MatchSheet` from what a store keeps as a match's metadata.

    Accepts a sheet, a dict in the sheet's shape, or the feed header
    ``{"match": {"id", "home", "away", "lineups"}}`` / its inner object.
    """
    if not meta:
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
        lineups = data.get("lineups")
        if isinstance(lineups, Mapping):
            data["lineups"] = {
                side: _team_sheet_data(value, data.get(side))
                for side, value in lineups.items()
                if side in ("home", "away") and isinstance(value, Mapping)
            }
        return MatchSheet.model_validate({k: v for k, v in data.items() if k in _SHEET_FIELDS})
    sheet = getattr(meta, "sheet", None)
    return sheet_from_meta(sheet) if sheet is not None else None


_SHEET_FIELDS = frozenset(MatchSheet.model_fields)
_TEAM_FIELDS = frozenset(TeamSheet.model_fields)
_PLAYER_FIELDS = frozenset(Player.model_fields)


def _team_sheet_data(value: Mapping[str, Any], team: Any) -> dict[str, Any]:
    out = {k: v for k, v in value.items() if k in _TEAM_FIELDS}
    out.setdefault("name", value.get("name") or (team if isinstance(team, str) else ""))
    for part in ("starting", "bench"):
        out[part] = [_player_data(p) for p in value.get(part, ())]
    return out


def _player_data(p: Any) -> Any:
    if type(p) is dict or isinstance(p, Mapping):  # a dict first: no ABC check per player
        return (
            p if p.keys() <= _PLAYER_FIELDS else {k: v for k, v in p.items() if k in _PLAYER_FIELDS}
        )
    return {"name": str(p)}


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
    """The context of a match: teams from the metadata, else from its lines, and which
    side every name the lines use means (:func:`projections.teams.pair_teams`)."""
    sheet = sheet_from_meta(meta)
    events = events if isinstance(events, Sequence) else list(events)
    home: str | None
    away: str | None
    source: TeamsSource
    if sheet is not None and sheet.home and sheet.away:
        home, away, source = sheet.home, sheet.away, "sheet"
    else:
        home, away, source = teams_from_events(events)
    rosters = tuple(
        tuple(p.name for p in t.players) if (t := sheet and sheet.team_sheet(side)) else ()
        for side in ("home", "away")
    )
    seen = mentions(events)
    names = pair_teams(home, away, events, rosters, seen)
    return MatchContext(match_id, home, away, sheet, source, names, seen.named)
