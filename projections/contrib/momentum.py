"""Momentum: shots and corners per team over the last 10 minutes of play.

An example of a user's own projection.  Register it and every state includes it under
``custom.momentum``::

    from projections import register
    from projections.contrib.momentum import MOMENTUM
    register(MOMENTUM)

or on the command line: ``livetext state MATCH --with projections.contrib.momentum:MOMENTUM``.
Minutes of play are ``minute + added`` (45+3 is 48), so the first half's stoppage time
counts in the second half's first ten minutes.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from events.models import Attempt, Corner, Goal
from projections.context import SIDE_NAMES, MatchContext
from projections.registry import Projection
from projections.state import MatchState

WINDOW = 10


class Moment(NamedTuple):
    """One shot or corner: when (minutes of play), by which side, which kind."""

    minute: int
    side: int
    kind: str


class Momentum(NamedTuple):
    """The shots and corners of the last ``WINDOW`` minutes before the latest event."""

    recent: tuple[Moment, ...] = ()


def render(state: Momentum, match: MatchState) -> dict[str, Any]:
    """``{home|away: {shots, corners}, window, from}`` for the state's clock."""
    clock = match.clock or match.last_clock
    now = clock.minute + clock.added if clock is not None else 0
    out: dict[str, Any] = {side: {"shots": 0, "corners": 0} for side in SIDE_NAMES}
    for m in state.recent:
        if now - WINDOW < m.minute <= now:
            out[SIDE_NAMES[m.side]][m.kind] += 1
    out["window"] = WINDOW
    return out


MOMENTUM: Projection[Momentum] = Projection(
    "momentum",
    version=1,
    initial=Momentum(),
    render=render,
    doc="Shots and corners per team, last 10 minutes of play.",
)


@MOMENTUM.on(Attempt, Goal, Corner)
def _moment(state: Momentum, event: Attempt | Goal | Corner, ctx: MatchContext) -> Momentum:
    """Remember a shot (a goal is one, an own goal is not) or a corner; forget old ones."""
    side = ctx.side(event.team)
    if side is None or event.clock is None or (isinstance(event, Goal) and event.own_goal):
        return state
    now = event.clock.minute + event.clock.added
    kind = "corners" if isinstance(event, Corner) else "shots"
    kept = tuple(m for m in state.recent if m.minute > now - WINDOW)
    return Momentum((*kept, Moment(now, side, kind)))
