"""The ``stats`` projection: per-team counters of what the lines say happened.

Counting rules (projections/README.md has the full list): shots = goals (own goals and
shoot-out kicks excluded) + every attempt + penalties missed or saved; on target = those
goals + saved attempts + saved penalties; off target = missed attempts, woodwork and
penalties missed or hitting the woodwork; saves = the opponents' saved attempts and saved
penalties; fouls = ``Foul by`` lines + penalties conceded after a foul (not for hand ball).
Goals, cards and substitutions are read from the ``score``, ``cards`` and ``lineups``
parts when the state is rendered, so each fact has a single owner.

Both teams' counters live in one packed int (:class:`~projections.base.Packed`): a
reducer adds one precomputed number, however many counters of either side it bumps.
"""

from __future__ import annotations

from collections.abc import Callable
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
from projections.base import Anomaly, Packed, add_anomaly, is_shootout_kick
from projections.context import SIDE_NAMES, MatchContext
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


COUNTERS = Packed(TeamStats._fields, groups=2)


def _units(*names: str, other: tuple[str, ...] = ()) -> tuple[int, int]:
    """Per side: the number bumping ``names`` of that side and ``other`` of the opponent."""
    return (
        COUNTERS.unit(0, *names) + COUNTERS.unit(1, *other),
        COUNTERS.unit(1, *names) + COUNTERS.unit(0, *other),
    )


ATTEMPT = {
    "saved": _units("shots", "shots_on_target", other=("saves",)),
    "missed": _units("shots", "shots_off_target"),
    "blocked": _units("shots", "shots_blocked"),
    "woodwork": _units("shots", "shots_off_target", "woodwork"),
}
PENALTY_MISSED = {
    "saved": _units("shots", "shots_on_target", "penalties_missed", other=("saves",)),
    "missed": _units("shots", "shots_off_target", "penalties_missed"),
    "woodwork": _units("shots", "shots_off_target", "woodwork", "penalties_missed"),
}
GOAL = _units("shots", "shots_on_target")
PENALTY_GOAL = _units("shots", "shots_on_target", "penalties_scored")
CORNER = _units("corners")
OFFSIDE = _units("offsides")
FOUL = _units("fouls")
FREE_KICK = _units("free_kicks_won")
HANDBALL = _units("handballs")
DANGEROUS = _units("dangerous_play")
PEN_AWARDED = _units("penalties_awarded")
PEN_CONCEDED = _units("penalties_conceded", "fouls")
PEN_CONCEDED_HANDBALL = _units("penalties_conceded", "handballs")

_new = tuple.__new__


class StatsState(NamedTuple):
    """Both teams' counters (packed) and the team names no side could be found for."""

    counters: int = 0
    anomalies: tuple[Anomaly, ...] = ()

    def team(self, side: int) -> TeamStats:
        """The counters of side 0 (home) or 1 (away)."""
        return TeamStats(*COUNTERS.values(self.counters, side))

    @property
    def home(self) -> TeamStats:
        """The home team's counters."""
        return self.team(0)

    @property
    def away(self) -> TeamStats:
        """The away team's counters."""
        return self.team(1)


def _unknown(s: StatsState, event: EventBase, ctx: MatchContext) -> StatsState:
    team = getattr(event, "team", None)
    if team is None:
        return s
    detail = f"team {team!r} is neither {ctx.home!r} nor {ctx.away!r}"
    return s._replace(anomalies=add_anomaly(s.anomalies, event.clock, "unknown_team", detail))


def _add(s: StatsState, event: Any, ctx: MatchContext, units: tuple[int, int]) -> StatsState:
    side = ctx.sides[event.team]
    if side is None:
        return _unknown(s, event, ctx)
    return _new(StatsState, (s[0] + units[side], s[1]))


def _counting(units: tuple[int, int], name: str, doc: str) -> Callable[..., StatsState]:
    """A reducer adding ``units`` for the side of the event's team (one per event type;
    built by a factory because it is the hot path of every fold)."""

    def reducer(s: StatsState, event: Any, ctx: MatchContext) -> StatsState:
        side = ctx.sides[event.team]
        if side is None:
            return _unknown(s, event, ctx)
        return _new(StatsState, (s[0] + units[side], s[1]))

    reducer.__name__ = reducer.__qualname__ = name
    reducer.__doc__ = doc
    return reducer


def attempt(s: StatsState, event: Attempt, ctx: MatchContext) -> StatsState:
    """A shot: saved (on target, a save for the other side), missed, blocked or woodwork."""
    side = ctx.sides[event.team]
    if side is None:
        return _unknown(s, event, ctx)
    return _new(StatsState, (s[0] + ATTEMPT[event.outcome][side], s[1]))


def goal(s: StatsState, event: Goal, ctx: MatchContext) -> StatsState:
    """A goal is a shot on target of the scoring team (not an own goal, not a shoot-out kick)."""
    if event.own_goal or is_shootout_kick(event):
        return s
    return _add(s, event, ctx, PENALTY_GOAL if event.penalty else GOAL)


def penalty_missed(s: StatsState, event: PenaltyMissed, ctx: MatchContext) -> StatsState:
    """A penalty saved (on target, a save) or missed (off target; woodwork too)."""
    if is_shootout_kick(event):
        return s
    return _add(s, event, ctx, PENALTY_MISSED[event.outcome])


corner = _counting(CORNER, "corner", "``Corner, {T}.``: a corner for the team named.")
offside = _counting(OFFSIDE, "offside", "``Offside, {T}.``: an offside against the team named.")
foul = _counting(FOUL, "foul", "``Foul by {P} ({T}).``")
free_kick_won = _counting(FREE_KICK, "free_kick_won", "``{P} ({T}) wins a free kick ...``")
handball = _counting(HANDBALL, "handball", "``Hand ball by {P} ({T}).`` (not a foul here).")
dangerous_play = _counting(
    DANGEROUS, "dangerous_play", "``Dangerous play by {P} ({T}).`` (not a foul here)."
)
penalty_awarded = _counting(
    PEN_AWARDED, "penalty_awarded", "``Penalty {T}. {P} draws a foul in the penalty area.``"
)


def penalty_conceded(s: StatsState, event: PenaltyConceded, ctx: MatchContext) -> StatsState:
    """A penalty conceded; after a foul (not a hand ball) it is a foul too."""
    return _add(s, event, ctx, PEN_CONCEDED_HANDBALL if event.handball else PEN_CONCEDED)


def var_decision(s: StatsState, event: VarDecision, ctx: MatchContext) -> StatsState:
    """``VAR Decision: No Penalty {T}.`` takes back a penalty awarded to that team."""
    if event.decision != "no_penalty":
        return s
    side = ctx.sides[event.team]
    if side is None or COUNTERS.get(s.counters, side, "penalties_awarded") == 0:
        return s
    return s._replace(counters=s.counters - PEN_AWARDED[side])


def render(s: StatsState, state: MatchState) -> dict[str, Any]:
    """``{home|away: {goals, shots, ..., yellow_cards, red_cards, substitutions}}``."""
    score = state.score
    cards = state.cards.cards
    lineups = state.lineups
    out: dict[str, Any] = {}
    for side in (0, 1):
        mine = [c for c in cards if c.side == side]
        out[SIDE_NAMES[side]] = {
            "goals": score.counted[side],
            "own_goals": sum(1 for g in score.goals if g.own_goal and g.scorer_side == side),
            "assists": sum(1 for g in score.goals if g.side == side and g.assist),
            **s.team(side)._asdict(),
            "yellow_cards": sum(1 for c in mine if c.card in ("yellow", "second_yellow")),
            "second_yellow_cards": sum(1 for c in mine if c.card == "second_yellow"),
            "red_cards": sum(1 for c in mine if c.card in ("red", "second_yellow")),
            "substitutions": len(lineups[side].subs),
            "goals_disallowed": sum(1 for d in score.disallowed if d.side == side),
        }
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
    key="stats",
    builtin=True,
)
