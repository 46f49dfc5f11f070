"""Whether lines read in match order actually run backwards (a newest-first list read as
oldest first, or the other way round).

Two kinds of evidence, in the order the lines were put:

* the match's markers: line-ups, each period's start and end, ``Match ends``.  In match
  order they only move forwards; listed newest first, ``Match ends`` leads and
  ``First Half begins`` comes last;
* the clocks the source gives: in match order they go back only where a period starts at
  a boundary minute (``90'+6'`` then ``90'`` for extra time), a few times a match.

The markers decide when they lean either way; with no marker evidence, clocks that go back
at least twice and more often than forwards do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from events.clock import MatchClock
from events.models import EventBase, LineupsAnnounced, MatchEnd, PeriodEnd, PeriodStart

_MATCH_END_PHASE = 11


class Backwards(NamedTuple):
    """Two lines, in the order read, that show the order is reversed."""

    first: int
    """Index of the earlier line as read."""
    then: int
    """Index of the later line as read."""


_PHASES: dict[type[Any], Callable[[Any], tuple[int]]] = {
    LineupsAnnounced: lambda e: (0,),
    PeriodStart: lambda e: (2 * e.period - 1,),
    PeriodEnd: lambda e: (2 * e.period,),
    MatchEnd: lambda e: (_MATCH_END_PHASE,),
}
"""Where a marker line stands in a match: line-ups 0, a period's start 2p-1 and end 2p,
the match's end last (by the line's class: one lookup a line)."""


def _phase(event: EventBase | None) -> tuple[int] | None:
    phase = _PHASES.get(type(event))
    return None if phase is None else phase(event)


def runs_backwards(
    events: Sequence[EventBase | None], clocks: Sequence[MatchClock | None]
) -> Backwards | None:
    """Evidence that lines put in match order run backwards, or None.

    ``events`` are the parsed lines (None for a line not parsed) and ``clocks`` the clock
    each line was given by the source (None when it gave none), both in the order read.
    """
    marker_steps = _steps([_phase(e) for e in events])
    if marker_steps[0] != marker_steps[1]:
        return marker_steps[2] if marker_steps[1] > marker_steps[0] else None
    clock_steps = _steps([None if c is None else c.key for c in clocks])
    forwards, backwards, example = clock_steps
    if backwards >= 2 and backwards > forwards:
        return example
    return None


def _steps(values: Sequence[tuple[int, ...] | None]) -> tuple[int, int, Backwards | None]:
    """How often consecutive known values go up and go down, and the first step down."""
    up = down = 0
    first_down: Backwards | None = None
    previous: tuple[int, tuple[int, ...]] | None = None
    for i, value in enumerate(values):
        if value is None:
            continue
        if previous is not None:
            before = previous[1]
            if value > before:
                up += 1
            elif value < before:
                down += 1
                if first_down is None:
                    first_down = Backwards(previous[0], i)
        previous = (i, value)
    return up, down, first_down
