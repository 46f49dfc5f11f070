"""The ``players`` projection: per-player counters, per side, keyed by line-up name.

A name as a line writes it (``Nicolò Barella``) is resolved to its line-up entry
(``Barella``, 23) when the metadata has a line-up; otherwise the written name is the key.
Goals, assists and own goals come from the ``score`` part, cards from ``cards`` and
substitutions from ``lineups`` when the state is rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from events.models import (
    Attempt,
    DangerousPlay,
    Foul,
    FreeKickWon,
    Goal,
    Handball,
    Offside,
    PenaltyAwarded,
    PenaltyConceded,
    PenaltyMissed,
)
from projections.base import Packed, clock_label, is_shootout_kick
from projections.context import SIDE_NAMES, MatchContext
from projections.registry import Projection

if TYPE_CHECKING:
    from projections.state import MatchState

VERSION = 1


class PlayerStats(NamedTuple):
    """Counters of one player."""

    shots: int = 0
    shots_on_target: int = 0
    shots_off_target: int = 0
    shots_blocked: int = 0
    woodwork: int = 0
    key_passes: int = 0
    fouls: int = 0
    free_kicks_won: int = 0
    offsides: int = 0
    penalties_won: int = 0
    penalties_scored: int = 0
    penalties_missed: int = 0
    penalties_conceded: int = 0
    saves: int = 0
    handballs: int = 0
    dangerous_play: int = 0


COUNTERS = Packed(PlayerStats._fields)
U = {name: COUNTERS.unit(0, name) for name in PlayerStats._fields}
SHOT = {
    "saved": U["shots"] + U["shots_on_target"],
    "missed": U["shots"] + U["shots_off_target"],
    "blocked": U["shots"] + U["shots_blocked"],
    "woodwork": U["shots"] + U["shots_off_target"] + U["woodwork"],
}
PENALTY_MISSED = {
    "saved": U["shots"] + U["shots_on_target"] + U["penalties_missed"],
    "missed": U["shots"] + U["shots_off_target"] + U["penalties_missed"],
    "woodwork": U["shots"] + U["shots_off_target"] + U["woodwork"] + U["penalties_missed"],
}
GOAL = U["shots"] + U["shots_on_target"]
PENALTY_GOAL = GOAL + U["penalties_scored"]
KEY_PASS = U["key_passes"]
SAVE = U["saves"]

_new = tuple.__new__


class PlayersState(NamedTuple):
    """Per side: player key -> packed counters.  Never mutated: reducers copy one side."""

    home: Mapping[str, int] = MappingProxyType({})
    away: Mapping[str, int] = MappingProxyType({})

    def stats(self, side: int, key: str) -> PlayerStats:
        """The counters of one player (zeros when the lines never named him)."""
        return PlayerStats(*COUNTERS.values(self[side].get(key, 0)))


def _add(s: PlayersState, side: int, key: str, unit: int) -> PlayersState:
    # A copy of one side (``.copy()``: a dict, also of the initial read-only proxy).
    if side:
        away = s[1]
        players = away.copy()  # type: ignore[attr-defined]
        players[key] = away.get(key, 0) + unit
        return _new(PlayersState, (s[0], players))
    home = s[0]
    players = home.copy()  # type: ignore[attr-defined]
    players[key] = home.get(key, 0) + unit
    return _new(PlayersState, (players, s[1]))


def _count(s: PlayersState, event: Any, ctx: MatchContext, unit: int) -> PlayersState:
    side = ctx.sides[event.team]
    if side is None or not event.player:
        return s
    return _add(s, side, ctx.keys[side][event.player], unit)


def attempt(s: PlayersState, event: Attempt, ctx: MatchContext) -> PlayersState:
    """The shooter's shot by outcome, the passer's key pass, the named keeper's save."""
    # Up to six fields: read from the model's __dict__ (one pydantic attribute read, then
    # dict reads; each attribute read of a pydantic model costs a type lookup).
    fields = event.__dict__
    side = ctx.sides[fields["team"]]
    shooter = fields["player"]
    if side is None or not shooter:
        return s
    keys = ctx.keys[side]
    home, away = s
    players = (away if side else home).copy()  # type: ignore[attr-defined]
    shooter = keys[shooter]
    outcome = fields["outcome"]
    players[shooter] = players.get(shooter, 0) + SHOT[outcome]
    passer = fields["assist"]
    if passer:
        passer = keys[passer]
        players[passer] = players.get(passer, 0) + KEY_PASS
    if side:
        away = players
    else:
        home = players
    if outcome == "saved":
        keeper = fields["goalkeeper"]
        if keeper:
            keeper_team = fields["goalkeeper_team"]
            keeper_side = ctx.sides[keeper_team] if keeper_team else 1 - side
            if keeper_side is not None:
                keeper = ctx.keys[keeper_side][keeper]
                if keeper_side != side:  # the side not copied yet
                    players = (away if keeper_side else home).copy()  # type: ignore[attr-defined]
                    if keeper_side:
                        away = players
                    else:
                        home = players
                players[keeper] = players.get(keeper, 0) + SAVE
    return _new(PlayersState, (home, away))


def goal(s: PlayersState, event: Goal, ctx: MatchContext) -> PlayersState:
    """The scorer's shot on target (own goals and shoot-out kicks are not shots)."""
    if event.own_goal or is_shootout_kick(event):
        return s
    return _count(s, event, ctx, PENALTY_GOAL if event.penalty else GOAL)


def penalty_missed(s: PlayersState, event: PenaltyMissed, ctx: MatchContext) -> PlayersState:
    """A penalty kick that did not go in (shoot-out kicks are not counted here)."""
    if is_shootout_kick(event):
        return s
    return _count(s, event, ctx, PENALTY_MISSED[event.outcome])


def _counting(unit: int, name: str, doc: str) -> Callable[..., PlayersState]:
    """A reducer adding ``unit`` to the event's player (one per event type; built by a
    factory because it is the hot path of every fold)."""

    def reducer(s: PlayersState, event: Any, ctx: MatchContext) -> PlayersState:
        side = ctx.sides[event.team]
        player = event.player
        if side is None or not player:
            return s
        key = ctx.keys[side][player]
        if side:  # as _add, inlined: the hot path of every fold
            away = s[1]
            players = away.copy()  # type: ignore[attr-defined]
            players[key] = away.get(key, 0) + unit
            return _new(PlayersState, (s[0], players))
        home = s[0]
        players = home.copy()  # type: ignore[attr-defined]
        players[key] = home.get(key, 0) + unit
        return _new(PlayersState, (players, s[1]))

    reducer.__name__ = reducer.__qualname__ = name
    reducer.__doc__ = doc
    return reducer


foul = _counting(U["fouls"], "foul", "``Foul by {P} ({T}).``")
free_kick_won = _counting(U["free_kicks_won"], "free_kick_won", "``{P} ({T}) wins a free kick``")
offside = _counting(U["offsides"], "offside", "The player caught offside.")
handball = _counting(U["handballs"], "handball", "``Hand ball by {P} ({T}).``")
dangerous_play = _counting(U["dangerous_play"], "dangerous_play", "``Dangerous play by {P}``")
penalty_awarded = _counting(U["penalties_won"], "penalty_awarded", "The player who drew it.")


def penalty_conceded(s: PlayersState, event: PenaltyConceded, ctx: MatchContext) -> PlayersState:
    """The player who conceded it (a foul too unless by hand ball)."""
    other = U["handballs"] if event.handball else U["fouls"]
    return _count(s, event, ctx, U["penalties_conceded"] + other)


def render(s: PlayersState, state: MatchState) -> dict[str, Any]:
    """``{home|away: {name: {name, number, goals, assists, ..., yellow_cards, ...}}}``."""
    ctx = state.context
    extra: dict[tuple[int, str], dict[str, Any]] = {}

    def row(side: int, key: str) -> dict[str, Any]:
        r = extra.get((side, key))
        if r is None:
            r = extra[(side, key)] = {
                "goals": 0,
                "assists": 0,
                "own_goals": 0,
                "yellow_cards": 0,
                "red_cards": 0,
                "subbed_on": None,
                "subbed_off": None,
                "sent_off": None,
            }
        return r

    for g in state.score.goals:
        if g.scorer is not None:
            row(g.scorer_side, g.scorer)["own_goals" if g.own_goal else "goals"] += 1
        if g.assist is not None:
            row(g.side, g.assist)["assists"] += 1
    for c in state.cards.cards:
        r = row(c.side, c.player)
        if c.card in ("yellow", "second_yellow"):
            r["yellow_cards"] += 1
        if c.card in ("red", "second_yellow"):
            r["red_cards"] += 1
    for side, line in enumerate(state.lineups):
        for sub in line.subs:
            if sub.on is not None:
                row(side, sub.on)["subbed_on"] = clock_label(sub.clock)
            if sub.off is not None:
                row(side, sub.off)["subbed_off"] = clock_label(sub.clock)
        for x in line.sent_off:
            row(side, x.player)["sent_off"] = clock_label(x.clock)
    out: dict[str, dict[str, Any]] = {"home": {}, "away": {}}
    known = {(side, key) for side in (0, 1) for key in s[side]}
    for side, key in sorted(known | set(extra)):
        counters = s.stats(side, key)._asdict()
        base = {
            "goals": 0,
            "assists": 0,
            "own_goals": 0,
            "yellow_cards": 0,
            "red_cards": 0,
            "subbed_on": None,
            "subbed_off": None,
            "sent_off": None,
        }
        base.update(extra.get((side, key), {}))
        out[SIDE_NAMES[side]][key] = {**ctx.player_json(side, key), **counters, **base}
    return out


PROJECTION: Projection[PlayersState] = Projection(
    "players",
    VERSION,
    PlayersState(),
    {
        Attempt: attempt,
        Goal: goal,
        PenaltyMissed: penalty_missed,
        Foul: foul,
        FreeKickWon: free_kick_won,
        Offside: offside,
        Handball: handball,
        DangerousPlay: dangerous_play,
        PenaltyAwarded: penalty_awarded,
        PenaltyConceded: penalty_conceded,
    },
    render=render,
    doc="Per-player counters, goals, assists, cards and substitutions.",
    key="players",
    builtin=True,
)
