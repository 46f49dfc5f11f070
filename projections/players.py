"""The ``players`` projection: per-player counters, keyed by (side, line-up name).

A name as a line writes it (``Nicolò Barella``) is resolved to its line-up entry
(``Barella``, 23) when the metadata has a line-up; otherwise the written name is the key.
Goals, assists and own goals come from the ``score`` part, cards from ``cards`` and
substitutions from ``lineups`` when the state is rendered.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from projections.base import bump, bump2, bump_all, clock_label
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


_F = PlayerStats._fields
SHOTS, ON, OFF, BLOCKED, WOOD, KEY_PASSES = (_F.index(f) for f in _F[:6])
FOULS, FREE_KICKS, OFFSIDES = _F.index("fouls"), _F.index("free_kicks_won"), _F.index("offsides")
PEN_WON, PEN_SCORED, PEN_MISSED = (_F.index(f) for f in _F[9:12])
PEN_CONCEDED, SAVES, HANDBALLS, DANGEROUS = (_F.index(f) for f in _F[12:16])
ZERO = PlayerStats()

PlayersState = Mapping[tuple[int, str], PlayerStats]
"""(side, player key) -> counters.  Never mutated: reducers return a new mapping."""


def _bump(s: PlayersState, side: int, key: str, i: int, j: int = -1) -> PlayersState:
    k = (side, key)
    old = s.get(k, ZERO)
    new = bump(old, i) if j < 0 else bump2(old, i, j)
    out = dict(s)
    out[k] = new
    return out


def _count(s: PlayersState, event: Any, ctx: MatchContext, i: int, j: int = -1) -> PlayersState:
    name = event.player
    if not name:
        return s
    side = ctx.side(event.team)
    if side is None:
        return s
    return _bump(s, side, ctx.player(side, name), i, j)


def attempt(s: PlayersState, event: Attempt, ctx: MatchContext) -> PlayersState:
    """The shooter's shot by outcome, the passer's key pass, the named keeper's save."""
    side = ctx.side(event.team)
    if side is None or not event.player:
        return s
    outcome = event.outcome
    i = ON if outcome == "saved" else OFF if outcome == "missed" else BLOCKED
    key = ctx.player(side, event.player)
    if outcome == "woodwork":
        old = s.get((side, key), ZERO)
        out = dict(s)
        out[(side, key)] = bump_all(old, SHOTS, OFF, WOOD)
    else:
        out = dict(s)
        out[(side, key)] = bump2(s.get((side, key), ZERO), SHOTS, i)
    if event.assist:
        passer = (side, ctx.player(side, event.assist))
        out[passer] = bump(out.get(passer, ZERO), KEY_PASSES)
    if outcome == "saved" and event.goalkeeper:
        keeper_side = ctx.side(event.goalkeeper_team) if event.goalkeeper_team else 1 - side
        if keeper_side is not None:
            keeper = (keeper_side, ctx.player(keeper_side, event.goalkeeper))
            out[keeper] = bump(out.get(keeper, ZERO), SAVES)
    return out


def goal(s: PlayersState, event: Goal, ctx: MatchContext) -> PlayersState:
    """The scorer's shot on target (own goals and shoot-out kicks are not shots)."""
    if event.own_goal or event.shootout or (event.clock is not None and event.clock.period == 5):
        return s
    side = ctx.side(event.team)
    if side is None or not event.player:
        return s
    k = (side, ctx.player(side, event.player))
    old = s.get(k, ZERO)
    out = dict(s)
    out[k] = bump_all(old, SHOTS, ON, PEN_SCORED) if event.penalty else bump2(old, SHOTS, ON)
    return out


def penalty_missed(s: PlayersState, event: PenaltyMissed, ctx: MatchContext) -> PlayersState:
    """A penalty kick that did not go in (shoot-out kicks are not counted here)."""
    if event.shootout or (event.clock is not None and event.clock.period == 5):
        return s
    side = ctx.side(event.team)
    if side is None or not event.player:
        return s
    k = (side, ctx.player(side, event.player))
    extra = (
        (ON,)
        if event.outcome == "saved"
        else (OFF, WOOD)
        if event.outcome == "woodwork"
        else (OFF,)
    )
    out = dict(s)
    out[k] = bump_all(s.get(k, ZERO), SHOTS, PEN_MISSED, *extra)
    return out


def foul(s: PlayersState, event: Foul, ctx: MatchContext) -> PlayersState:
    """``Foul by {P} ({T}).``"""
    return _count(s, event, ctx, FOULS)


def free_kick_won(s: PlayersState, event: FreeKickWon, ctx: MatchContext) -> PlayersState:
    """``{P} ({T}) wins a free kick ...``"""
    return _count(s, event, ctx, FREE_KICKS)


def offside(s: PlayersState, event: Offside, ctx: MatchContext) -> PlayersState:
    """The player caught offside."""
    return _count(s, event, ctx, OFFSIDES)


def handball(s: PlayersState, event: Handball, ctx: MatchContext) -> PlayersState:
    """``Hand ball by {P} ({T}).``"""
    return _count(s, event, ctx, HANDBALLS)


def dangerous_play(s: PlayersState, event: DangerousPlay, ctx: MatchContext) -> PlayersState:
    """``Dangerous play by {P} ({T}).``"""
    return _count(s, event, ctx, DANGEROUS)


def penalty_awarded(s: PlayersState, event: PenaltyAwarded, ctx: MatchContext) -> PlayersState:
    """The player who drew the penalty."""
    return _count(s, event, ctx, PEN_WON)


def penalty_conceded(s: PlayersState, event: PenaltyConceded, ctx: MatchContext) -> PlayersState:
    """The player who conceded it (a foul too unless by hand ball)."""
    return _count(s, event, ctx, PEN_CONCEDED, HANDBALLS if event.handball else FOULS)


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
    for side, key in sorted(set(s) | set(extra)):
        counters = s.get((side, key), ZERO)._asdict()
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
    lambda ctx: {},
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
)
