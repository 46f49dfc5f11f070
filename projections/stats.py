"""The ``stats`` projection: per-team counters of what the lines say happened.

Counting rules (projections/README.md has the full list): shots = goals (own goals and
shoot-out kicks excluded) + every attempt + penalties missed or saved; on target = those
goals + saved attempts + saved penalties; off target = missed attempts, woodwork and
penalties missed or hitting the woodwork; saves = the opponents' saved attempts and saved
penalties; fouls = ``Foul by`` lines + penalties conceded after a foul (not for hand ball).
Goals, cards and substitutions are read from the ``score``, ``cards`` and ``lineups``
parts when the state is rendered, so each fact has a single owner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from events.models import (
    Attempt,
    Corner,
    DangerousPlay,
    EventBase,
    Foul,
    FreeKickWon,
    Goal,
    Handball,
    Offside,
    PenaltyAwarded,
    PenaltyConceded,
    PenaltyMissed,
    VarDecision,
)
from projections.base import Anomaly, add_anomaly, bump, bump2, bump_all
from projections.context import HOME, SIDE_NAMES, MatchContext
from projections.registry import Projection

if TYPE_CHECKING:
    from projections.state import MatchState

VERSION = 1


class TeamStats(NamedTuple):
    """Counters of one team, from its own lines (and its keeper's saves)."""

    shots: int = 0
    shots_on_target: int = 0
    shots_off_target: int = 0
    shots_blocked: int = 0
    woodwork: int = 0
    corners: int = 0
    fouls: int = 0
    free_kicks_won: int = 0
    offsides: int = 0
    penalties_awarded: int = 0
    penalties_scored: int = 0
    penalties_missed: int = 0
    penalties_conceded: int = 0
    saves: int = 0
    handballs: int = 0
    dangerous_play: int = 0


_F = TeamStats._fields
SHOTS, ON, OFF, BLOCKED, WOOD = (_F.index(f) for f in _F[:5])
CORNERS, FOULS, FREE_KICKS, OFFSIDES = (_F.index(f) for f in _F[5:9])
PEN_AWARDED, PEN_SCORED, PEN_MISSED, PEN_CONCEDED, SAVES = (_F.index(f) for f in _F[9:14])
HANDBALLS, DANGEROUS = _F.index("handballs"), _F.index("dangerous_play")
ZERO = TeamStats()


class StatsState(NamedTuple):
    """Both teams' counters and the team names no side could be found for."""

    teams: tuple[TeamStats, TeamStats] = (ZERO, ZERO)
    anomalies: tuple[Anomaly, ...] = ()

    @property
    def home(self) -> TeamStats:
        """The home team's counters."""
        return self.teams[0]

    @property
    def away(self) -> TeamStats:
        """The away team's counters."""
        return self.teams[1]


def _set(s: StatsState, side: int, team: TeamStats) -> StatsState:
    teams = (team, s.teams[1]) if side == HOME else (s.teams[0], team)
    return tuple.__new__(StatsState, (teams, s.anomalies))


def _unknown(s: StatsState, event: EventBase, ctx: MatchContext) -> StatsState:
    team = getattr(event, "team", None)
    if team is None:
        return s
    detail = f"team {team!r} is neither {ctx.home!r} nor {ctx.away!r}"
    return s._replace(anomalies=add_anomaly(s.anomalies, event.clock, "unknown_team", detail))


def _count(s: StatsState, event: EventBase, ctx: MatchContext, i: int) -> StatsState:
    side = ctx.side(event.team)  # type: ignore[attr-defined]
    if side is None:
        return _unknown(s, event, ctx)
    return _set(s, side, bump(s.teams[side], i))


def attempt(s: StatsState, event: Attempt, ctx: MatchContext) -> StatsState:
    """A shot: saved (on target, a save for the other side), missed, blocked or woodwork."""
    side = ctx.side(event.team)
    if side is None:
        return _unknown(s, event, ctx)
    outcome = event.outcome
    if outcome == "saved":
        s = _set(s, side, bump2(s.teams[side], SHOTS, ON))
        return _set(s, 1 - side, bump(s.teams[1 - side], SAVES))
    if outcome == "missed":
        return _set(s, side, bump2(s.teams[side], SHOTS, OFF))
    if outcome == "blocked":
        return _set(s, side, bump2(s.teams[side], SHOTS, BLOCKED))
    return _set(s, side, bump_all(s.teams[side], SHOTS, OFF, WOOD))


def goal(s: StatsState, event: Goal, ctx: MatchContext) -> StatsState:
    """A goal is a shot on target of the scoring team (not an own goal, not a shoot-out kick)."""
    if event.own_goal or event.shootout or (event.clock is not None and event.clock.period == 5):
        return s
    side = ctx.side(event.team)
    if side is None:
        return _unknown(s, event, ctx)
    if event.penalty:
        return _set(s, side, bump_all(s.teams[side], SHOTS, ON, PEN_SCORED))
    return _set(s, side, bump2(s.teams[side], SHOTS, ON))


def penalty_missed(s: StatsState, event: PenaltyMissed, ctx: MatchContext) -> StatsState:
    """A penalty saved (on target, a save) or missed (off target; woodwork too)."""
    if event.shootout or (event.clock is not None and event.clock.period == 5):
        return s
    side = ctx.side(event.team)
    if side is None:
        return _unknown(s, event, ctx)
    if event.outcome == "saved":
        s = _set(s, side, bump_all(s.teams[side], SHOTS, ON, PEN_MISSED))
        return _set(s, 1 - side, bump(s.teams[1 - side], SAVES))
    if event.outcome == "woodwork":
        return _set(s, side, bump_all(s.teams[side], SHOTS, OFF, WOOD, PEN_MISSED))
    return _set(s, side, bump_all(s.teams[side], SHOTS, OFF, PEN_MISSED))


def corner(s: StatsState, event: Corner, ctx: MatchContext) -> StatsState:
    """``Corner, {T}.``: a corner for the team named."""
    return _count(s, event, ctx, CORNERS)


def offside(s: StatsState, event: Offside, ctx: MatchContext) -> StatsState:
    """``Offside, {T}.``: an offside against the team named."""
    return _count(s, event, ctx, OFFSIDES)


def foul(s: StatsState, event: Foul, ctx: MatchContext) -> StatsState:
    """``Foul by {P} ({T}).``"""
    return _count(s, event, ctx, FOULS)


def free_kick_won(s: StatsState, event: FreeKickWon, ctx: MatchContext) -> StatsState:
    """``{P} ({T}) wins a free kick ...``"""
    return _count(s, event, ctx, FREE_KICKS)


def handball(s: StatsState, event: Handball, ctx: MatchContext) -> StatsState:
    """``Hand ball by {P} ({T}).`` (not a foul in these counts)."""
    return _count(s, event, ctx, HANDBALLS)


def dangerous_play(s: StatsState, event: DangerousPlay, ctx: MatchContext) -> StatsState:
    """``Dangerous play by {P} ({T}).`` (not a foul in these counts)."""
    return _count(s, event, ctx, DANGEROUS)


def penalty_awarded(s: StatsState, event: PenaltyAwarded, ctx: MatchContext) -> StatsState:
    """``Penalty {T}. {P} draws a foul in the penalty area.``"""
    return _count(s, event, ctx, PEN_AWARDED)


def penalty_conceded(s: StatsState, event: PenaltyConceded, ctx: MatchContext) -> StatsState:
    """A penalty conceded; after a foul (not a hand ball) it is a foul too."""
    side = ctx.side(event.team)
    if side is None:
        return _unknown(s, event, ctx)
    if event.handball:
        return _set(s, side, bump2(s.teams[side], PEN_CONCEDED, HANDBALLS))
    return _set(s, side, bump2(s.teams[side], PEN_CONCEDED, FOULS))


def var_decision(s: StatsState, event: VarDecision, ctx: MatchContext) -> StatsState:
    """``VAR Decision: No Penalty {T}.`` takes back a penalty awarded to that team."""
    if event.decision != "no_penalty":
        return s
    side = ctx.side(event.team)
    if side is None or s.teams[side].penalties_awarded == 0:
        return s
    return _set(s, side, bump_all(s.teams[side], PEN_AWARDED, by=-1))


def render(s: StatsState, state: MatchState) -> dict[str, Any]:
    """``{home|away: {goals, shots, ..., yellow_cards, red_cards, substitutions}}``."""
    score = state.score
    cards = state.cards.cards
    lineups = state.lineups
    out: dict[str, Any] = {}
    for side, team in enumerate(s.teams):
        mine = [c for c in cards if c.side == side]
        row: dict[str, Any] = {
            "goals": score.counted[side],
            "own_goals": sum(1 for g in score.goals if g.own_goal and g.scorer_side == side),
            "assists": sum(1 for g in score.goals if g.side == side and g.assist),
            **team._asdict(),
            "yellow_cards": sum(1 for c in mine if c.card in ("yellow", "second_yellow")),
            "second_yellow_cards": sum(1 for c in mine if c.card == "second_yellow"),
            "red_cards": sum(1 for c in mine if c.card in ("red", "second_yellow")),
            "substitutions": len(lineups[side].subs),
            "goals_disallowed": sum(1 for d in score.disallowed if d.side == side),
        }
        out[SIDE_NAMES[side]] = row
    return out


PROJECTION: Projection[StatsState] = Projection(
    "stats",
    VERSION,
    StatsState(),
    {
        Attempt: attempt,
        Goal: goal,
        PenaltyMissed: penalty_missed,
        Corner: corner,
        Offside: offside,
        Foul: foul,
        FreeKickWon: free_kick_won,
        Handball: handball,
        DangerousPlay: dangerous_play,
        PenaltyAwarded: penalty_awarded,
        PenaltyConceded: penalty_conceded,
        VarDecision: var_decision,
    },
    render=render,
    doc="Team counters: shots by outcome, corners, fouls, free kicks, offsides, penalties, saves.",
)
