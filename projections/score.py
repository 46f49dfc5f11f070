"""The ``score`` projection: goals counted from the lines, the score the feed prints,
VAR take-backs, the shoot-out tally and the match status.

The printed score (goal, period and match-end lines) is authoritative; the goals counted
from events are kept beside it, and a disagreement that lasts is an anomaly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from events.clock import MatchClock
from events.models import (
    Goal,
    MatchEnd,
    PenaltyMissed,
    PeriodEnd,
    PeriodStart,
    Score,
    VarDecision,
)
from projections.base import (
    DEFAULT_RANK,
    RANK,
    VAR_WINDOW_MINUTES,
    Anomaly,
    add_anomaly,
    clock_json,
    clock_key,
    is_shootout_kick,
    replacer,
    within,
)
from projections.context import AWAY, HOME, SIDE_NAMES, MatchContext
from projections.registry import Projection

if TYPE_CHECKING:
    from projections.state import MatchState

VERSION = 2
Pair = tuple[int, int]

PERIOD_STATUS = {
    1: "first_half",
    2: "second_half",
    3: "extra_time_first_half",
    4: "extra_time_second_half",
    5: "shootout",
}


class CountedGoal(NamedTuple):
    """A goal that stands: for ``side``, scored by ``scorer`` of ``scorer_side``."""

    side: int
    scorer_side: int
    scorer: str | None
    assist: str | None
    clock: MatchClock | None
    own_goal: bool
    penalty: bool
    event_id: str


class Disallowed(NamedTuple):
    """A goal taken back by VAR (``taken_back`` False: its goal line was never posted)."""

    side: int | None
    player: str | None
    clock: MatchClock | None
    reason: str
    taken_back: bool


class Kick(NamedTuple):
    """One kick of a penalty shoot-out."""

    side: int | None
    player: str | None
    clock: MatchClock | None
    scored: bool


class ScoreState(NamedTuple):
    """Counted goals, the printed score and the shoot-out."""

    counted: Pair = (0, 0)
    goals: tuple[CountedGoal, ...] = ()
    printed: Pair | None = None
    printed_rank: tuple[Any, ...] = ()
    printed_clock: MatchClock | None = None
    mismatch_since: MatchClock | None = None
    shootout_counted: Pair = (0, 0)
    shootout_printed: Pair | None = None
    kicks: tuple[Kick, ...] = ()
    disallowed: tuple[Disallowed, ...] = ()
    status: str = "not_started"
    periods: tuple[int, ...] = ()
    anomalies: tuple[Anomaly, ...] = ()
    period_ends: tuple[tuple[int, Pair], ...] = ()
    """(period, the score when it ended) for each period ended, in order."""

    @property
    def score(self) -> Pair:
        """The score to show: printed when the feed printed one, else counted."""
        return self.printed if self.printed is not None else self.counted

    @property
    def shootout(self) -> Pair | None:
        """The shoot-out tally, None when there was no shoot-out."""
        if self.shootout_printed is not None:
            return self.shootout_printed
        return self.shootout_counted if self.kicks else None


_set_printed = replacer(ScoreState, "printed", "printed_rank", "printed_clock")
_set_mismatch = replacer(ScoreState, "mismatch_since")
_set_shootout_printed = replacer(ScoreState, "shootout_printed")
_set_kicks = replacer(ScoreState, "shootout_counted", "kicks")
_set_anomalies = replacer(ScoreState, "anomalies")
_set_goals = replacer(ScoreState, "counted", "goals")
_set_taken_back = replacer(ScoreState, "goals", "counted", "disallowed")
_set_disallowed = replacer(ScoreState, "disallowed")
_set_status = replacer(ScoreState, "status")
_set_status_periods = replacer(ScoreState, "status", "periods")
_set_period_ends = replacer(ScoreState, "period_ends")


def _plus(pair: Pair, side: int, by: int = 1) -> Pair:
    return (pair[0] + by, pair[1]) if side == HOME else (pair[0], pair[1] + by)


def _oriented(score: Score | None, event: Any, ctx: MatchContext) -> Pair | None:
    """A printed score as (home, away) of the state, whatever order the line used."""
    if score is None:
        return None
    if ctx.sides[event.home_team] == AWAY:  # every line that prints a score names its teams
        return (score.away, score.home)
    return (score.home, score.away)


def _printed(s: ScoreState, event: Any, ctx: MatchContext) -> ScoreState:
    """Take the score a line prints (the latest line wins; within one clock and kind of
    line, the higher total, so lines shuffled within a minute agree) and note a mismatch."""
    score = event.score
    clock = event.clock
    if score is not None:
        # _oriented, inlined (every line that folds here may print the score)
        if ctx.sides[event.home_team] == AWAY:
            printed = (score.away, score.home)
        else:
            printed = (score.home, score.away)
        rank = (
            (clock_key(clock), RANK.get(event.type, DEFAULT_RANK), printed[0] + printed[1])
            if clock is not None
            else s.printed_rank
        )
        if rank >= s.printed_rank:
            s = _set_printed(s, printed, rank, clock)
    return _check(s, clock)


def _check(s: ScoreState, clock: MatchClock | None) -> ScoreState:
    mismatch = s.printed is not None and s.printed != s.counted
    if mismatch and s.mismatch_since is None:
        return _set_mismatch(s, clock or s.printed_clock)
    if not mismatch and s.mismatch_since is not None:
        return _set_mismatch(s, None)
    return s


def _shootout_printed(
    s: ScoreState, score: Score | None, event: Any, ctx: MatchContext
) -> ScoreState:
    tally = _oriented(score, event, ctx)
    return s if tally is None else _set_shootout_printed(s, tally)


def _kick(
    s: ScoreState, event: Goal | PenaltyMissed, ctx: MatchContext, scored: bool
) -> ScoreState:
    side = ctx.sides[event.team]
    player = ctx.keys[side][event.player] if side is not None and event.player else event.player
    counted = _plus(s.shootout_counted, side) if scored and side is not None else s.shootout_counted
    s = _set_kicks(s, counted, (*s.kicks, Kick(side, player, event.clock, scored)))
    return _shootout_printed(s, event.shootout_score, event, ctx)


def _goal_side(s: ScoreState, event: Goal, ctx: MatchContext) -> int | None:
    """The side a goal counts for: the team's, the other for an own goal; a goal whose
    team is unknown goes to the side whose printed score moved."""
    team = ctx.sides[event.team]
    if team is not None:
        return 1 - team if event.own_goal else team
    printed = _oriented(event.score, event, ctx)
    if printed is not None:
        moved = [side for side in (HOME, AWAY) if printed[side] > s.counted[side]]
        if len(moved) == 1:
            return moved[0]
    return None


def goal(s: ScoreState, event: Goal, ctx: MatchContext) -> ScoreState:
    """A goal counts for its side (own goals for the other); shoot-out kicks go apart."""
    if is_shootout_kick(event):
        return _printed(_kick(s, event, ctx, scored=True), event, ctx)
    side = _goal_side(s, event, ctx)
    if side is None:
        detail = f"goal by {event.player or 'an unnamed player'} of unknown team {event.team!r}"
        s = _set_anomalies(s, add_anomaly(s.anomalies, event.clock, "goal_team_unknown", detail))
        return _printed(s, event, ctx)
    own_goal = event.own_goal
    scorer_side = 1 - side if own_goal else side
    scorer = event.player
    scorer = ctx.keys[scorer_side][scorer] if scorer else None
    assist = event.assist
    assist = ctx.keys[side][assist] if assist and not own_goal else None
    counted = CountedGoal(
        side,
        scorer_side,
        scorer,
        assist,
        event.clock,
        own_goal,
        event.penalty,
        event.event_id,
    )
    s = _set_goals(s, _plus(s.counted, side), (*s.goals, counted))
    return _printed(s, event, ctx)


def penalty_missed(s: ScoreState, event: PenaltyMissed, ctx: MatchContext) -> ScoreState:
    """A shoot-out miss is a kick; every miss may print the score (``Still H h, A a``)."""
    if is_shootout_kick(event):
        s = _kick(s, event, ctx, scored=False)
    return _printed(s, event, ctx)


def _take_back(s: ScoreState, event: VarDecision, ctx: MatchContext) -> ScoreState:
    """VAR rules a goal out: the latest standing goal of that side within the window goes."""
    side = ctx.side(event.team)
    printed = _oriented(event.score, event, ctx)
    if side is None and printed is not None:
        over = [x for x in (HOME, AWAY) if s.counted[x] > printed[x]]
        side = over[0] if len(over) == 1 else None
    player = ctx.player(side, event.player) if side is not None and event.player else None
    for i in range(len(s.goals) - 1, -1, -1):
        g = s.goals[i]
        if side is not None and g.side != side:
            continue
        if player is not None and g.scorer != player:
            continue
        if not within(g.clock, event.clock, VAR_WINDOW_MINUTES):
            continue
        goals = s.goals[:i] + s.goals[i + 1 :]
        ruled_out = Disallowed(g.side, g.scorer, event.clock, event.decision, True)
        return _set_taken_back(s, goals, _plus(s.counted, g.side, -1), (*s.disallowed, ruled_out))
    # No goal line was posted for it (the feed often prints only the overturn).
    return _set_disallowed(
        s, (*s.disallowed, Disallowed(side, player, event.clock, event.decision, False))
    )


def var_decision(s: ScoreState, event: VarDecision, ctx: MatchContext) -> ScoreState:
    """``No Goal`` and ``GOAL OVERTURNED BY VAR`` take a goal back; any VAR line may
    print the score."""
    if event.decision in ("no_goal", "goal_overturned"):
        s = _take_back(s, event, ctx)
    return _printed(s, event, ctx)


def period_start(s: ScoreState, event: PeriodStart, ctx: MatchContext) -> ScoreState:
    """A period begins (and may print the score)."""
    periods = s.periods if event.period in s.periods else (*s.periods, event.period)
    s = _set_status_periods(s, PERIOD_STATUS.get(event.period, s.status), periods)
    return _printed(s, event, ctx)


def period_end(s: ScoreState, event: PeriodEnd, ctx: MatchContext) -> ScoreState:
    """A period ends, printing the score (and the shoot-out tally after the shoot-out)."""
    s = _set_status(s, "end_of_" + PERIOD_STATUS.get(event.period, "period"))
    s = _shootout_printed(s, event.shootout_score, event, ctx)
    s = _printed(s, event, ctx)
    ends = tuple(e for e in s.period_ends if e[0] != event.period)
    return _set_period_ends(s, (*ends, (event.period, s.score)))


def match_end(s: ScoreState, event: MatchEnd, ctx: MatchContext) -> ScoreState:
    """The match ends, printing the final score and any shoot-out tally."""
    s = _shootout_printed(_set_status(s, "finished"), event.shootout, event, ctx)
    return _printed(s, event, ctx)


def score_anomalies(s: ScoreState) -> tuple[Anomaly, ...]:
    """The part's anomalies plus a lasting disagreement of printed and counted goals."""
    if s.printed is None or s.printed == s.counted:
        return s.anomalies
    detail = (
        f"the feed prints {s.printed[0]}-{s.printed[1]} but the lines count "
        f"{s.counted[0]}-{s.counted[1]} (a live text that starts late or a missed line); "
        "the printed score is kept"
    )
    return (*s.anomalies, Anomaly(s.mismatch_since or s.printed_clock, "score_mismatch", detail))


def _goal_order(g: CountedGoal) -> tuple[Any, ...]:
    return (clock_key(g.clock), g.side, g.scorer or "", g.assist or "", g.event_id)


def _disallowed_order(d: Disallowed) -> tuple[Any, ...]:
    return (clock_key(d.clock), -1 if d.side is None else d.side, d.player or "", d.reason)


def period_scores(s: ScoreState) -> list[dict[str, int]]:
    """Goals per period played (the shoot-out apart), as box scores write them: each
    period's from the score when it ended (the current one for a period under way)."""
    ended = dict(s.period_ends)
    played = sorted({p for p in (*s.periods, *ended) if p != 5})
    out, before = [], (0, 0)
    for period in played:
        at_end = ended.get(period, s.score if period == played[-1] else before)
        out.append({"period": period, "home": at_end[0] - before[0], "away": at_end[1] - before[1]})
        before = at_end
    return out


def render(s: ScoreState, state: MatchState) -> dict[str, Any]:
    """``{home, away}`` as printed (else counted), plus the counted score and details."""
    ctx = state.context

    def player(side: int | None, key: str | None) -> dict[str, Any] | None:
        if key is None:
            return None
        return ctx.player_json(side, key) if side is not None else {"name": key, "number": None}

    home, away = s.score
    return {
        "home": home,
        "away": away,
        "counted": {"home": s.counted[0], "away": s.counted[1]},
        "printed": None if s.printed is None else {"home": s.printed[0], "away": s.printed[1]},
        "periods": period_scores(s),
        "goals": [
            {
                "team": SIDE_NAMES[g.side],
                "player": player(g.scorer_side, g.scorer),
                "assist": player(g.side, g.assist),
                "clock": clock_json(g.clock),
                "own_goal": g.own_goal,
                "penalty": g.penalty,
            }
            for g in sorted(s.goals, key=_goal_order)
        ],
        "disallowed": [
            {
                "team": None if d.side is None else SIDE_NAMES[d.side],
                "player": player(d.side, d.player),
                "clock": clock_json(d.clock),
                "reason": d.reason,
                "taken_back": d.taken_back,
            }
            for d in sorted(s.disallowed, key=_disallowed_order)
        ],
    }


PROJECTION: Projection[ScoreState] = Projection(
    "score",
    VERSION,
    ScoreState(),
    {
        Goal: goal,
        PenaltyMissed: penalty_missed,
        VarDecision: var_decision,
        PeriodStart: period_start,
        PeriodEnd: period_end,
        MatchEnd: match_end,
    },
    render=render,
    doc="Counted and printed score, VAR take-backs, shoot-out, status.",
    key="score",
    anomalies=score_anomalies,
    builtin=True,
)
