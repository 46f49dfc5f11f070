"""Giving every line a clock when the source gives only some (or none).

Anchors, in match order:

* a clock the source gives the line (kept as is, not flagged; a boundary minute is
  moved into the running period: ``45'`` after ``Second Half begins`` is (2, 45), ``120'``
  in the shoot-out is (5, 120));
* a clock taken from a line-up annotation (the substitution or booking the line shows);
* a period start: ``First Half begins`` (1, 0), ``Second Half begins`` (2, 45), extra
  time (3, 90) and (4, 105), the shoot-out (5, 120);
* a period end (``Second Half ends``, ``Match ends``): the period's regulation end or the
  latest clock known in that period (lines so far, annotations), whichever is later;
  ``Match ends`` closes the period running (at least the second half).

A line between anchors takes the earlier anchor's clock; lines before the first anchor
take the first anchor's; with no anchor at all, kick-off (1, 0).  Every clock not given
by the line itself is flagged ``clock_inferred``.

Nothing of a period happens before the line that starts it, except the changes made at
the break (stamped with the period's first minute, ``45'``): a clock the source gives of a
later period, listed before that period's start line, is a slip of the source's clock
(ESPN stamps a first-half stoppage-time line ``49'``) and is not an anchor; the line is
timed like a line without one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from events.clock import KICK_OFF, PERIOD_END_MINUTE, PERIOD_START_MINUTE, MatchClock


class Hint(NamedTuple):
    """What a line says about its own time (a named tuple: one per line)."""

    clock: MatchClock | None = None
    """A known clock: the line's own, or an anchor's (then ``inferred``)."""
    inferred: bool = False
    starts: int | None = None
    """The period the line starts."""
    ends: int | None = None
    """The period the line ends; 0 for ``Match ends`` (the period running)."""


def period_start(period: int) -> MatchClock:
    """The clock a period starts at: (2, 45) for the second half."""
    return MatchClock(period=period, minute=PERIOD_START_MINUTE[period])


def _in_period(clock: MatchClock, period: int) -> MatchClock:
    """A boundary minute said of a period that has started (``45'`` in the second half)."""
    if clock.period < period and not clock.added and clock.minute == PERIOD_START_MINUTE[period]:
        return clock.model_copy(update={"period": period})
    return clock


def _premature(clock: MatchClock, index: int, starts_at: Mapping[int, int]) -> bool:
    """A clock of a period whose start line comes later, other than its first minute."""
    start = starts_at.get(clock.period)
    return (
        start is not None
        and index < start
        and (clock.added > 0 or clock.minute != PERIOD_START_MINUTE[clock.period])
    )


def infer_clocks(
    hints: Sequence[Hint], latest: Mapping[int, MatchClock] | None = None
) -> list[tuple[MatchClock, bool]]:
    """``(clock, inferred)`` for each line; ``latest`` is the last annotated clock per period."""
    latest = latest or {}
    out: list[tuple[MatchClock, bool] | None] = []
    last: MatchClock | None = None
    running = 1
    starts_at: dict[int, int] = {}
    for i, hint in enumerate(hints):
        if hint.starts is not None:
            starts_at.setdefault(hint.starts, i)
    last_start = max(starts_at.values(), default=-1)  # no clock after it is premature
    for i, hint in enumerate(hints):
        clock: MatchClock | None = hint.clock
        if (
            clock is not None
            and i < last_start
            and not hint.inferred
            and _premature(clock, i, starts_at)
        ):
            hint, clock = Hint(starts=hint.starts, ends=hint.ends), None
        if clock is not None:
            period = hint.starts or running
            if clock.period < period:
                clock = _in_period(clock, period)
            inferred = hint.inferred
        elif hint.starts is not None:
            clock, inferred = period_start(hint.starts), True
        elif hint.ends is not None:
            period = hint.ends or max(running, last.period if last else 2, 2)
            candidates = [MatchClock(period=period, minute=PERIOD_END_MINUTE[period])]
            if last is not None and last.period == period:
                candidates.append(last)
            if period in latest:
                candidates.append(latest[period])
            clock, inferred = max(candidates), True
        else:
            out.append(None if last is None else (last, True))
            continue
        reached = hint.starts or clock.period
        if reached > running:
            running = reached
        last = clock
        out.append((clock, inferred))
    first = next((c for c in out if c is not None), None)
    lead = (first[0] if first else KICK_OFF, True)
    return [lead if c is None else c for c in out]
