"""Every minute of a match, in order: the regulation minutes, the stoppage minutes and the
breaks.  A replay steps through them; the web page's slider lists them.

The stoppage minutes of a period run to the later of the added time announced
(``Fourth official has announced 4 minutes``) and the latest minute an event carries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from events.clock import PERIOD_END_MINUTE, PERIOD_START_MINUTE, MatchClock
from events.models import AddedTime, EventBase, MatchEnd, PeriodEnd, PeriodStart
from projections import AtClockError, at_bound


class ClockPastEndError(AtClockError):
    """A clock in a period that a match which has ended never reached."""


StepKind = Literal["minute", "stoppage", "break"]
_BREAK_LABELS = {1: "HT", 2: "FT", 3: "ET HT", 4: "AET", 5: "PSO"}


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a replay: a label (``45+2'``, ``HT``), the clock whose state it shows
    (the whole minute, inclusive) and its kind."""

    label: str
    clock: MatchClock
    kind: StepKind
    period: int

    def to_json(self) -> dict[str, object]:
        return {
            "label": self.label,
            "kind": self.kind,
            "period": self.period,
            "minute": self.clock.minute,
            "added": self.clock.added,
            "at": _at(self.clock),
        }


def _at(clock: MatchClock) -> str:
    """The ``--at`` form of a clock (``45+2``, ``46``)."""
    return f"{clock.minute}+{clock.added}" if clock.added else str(clock.minute)


def periods_played(events: Iterable[EventBase]) -> dict[int, int]:
    """Each period the match reached, with the stoppage minutes it ran to."""
    added: dict[int, int] = {}
    for event in events:
        clock = event.clock
        if isinstance(event, PeriodStart | PeriodEnd):
            added.setdefault(event.period, 0)
        if clock is None:
            continue
        p = clock.period
        added[p] = max(added.get(p, 0), clock.added)
        if isinstance(event, AddedTime) and p != 5:
            added[p] = max(added[p], event.minutes)
    if added:
        # a match that reached the second half played the first
        for p in range(1, min(max(added), 4) + 1):
            added.setdefault(p, 0)
    return dict(sorted(added.items()))


def timeline(events: Sequence[EventBase]) -> list[Step]:
    """The steps of a match: 1' ... 45' 45+1' ... HT 46' ... 90+n' FT (and extra time)."""
    played = periods_played(events)
    last = max(played, default=0)
    steps: list[Step] = []
    for period, stoppage in played.items():
        end = PERIOD_END_MINUTE[period]
        if period == 5:
            clock = MatchClock(period=5, minute=end)
            steps.append(Step(_BREAK_LABELS[5], clock, "break", 5))
            continue
        for minute in range(PERIOD_START_MINUTE[period] + 1, end + 1):
            steps.append(
                Step(f"{minute}'", MatchClock(period=period, minute=minute), "minute", period)
            )
        for added in range(1, stoppage + 1):
            clock = MatchClock(period=period, minute=end, added=added)
            steps.append(Step(clock.label, clock, "stoppage", period))
        label = "End of 90'" if period == 2 and last > 2 else _BREAK_LABELS[period]
        steps.append(Step(label, steps[-1].clock, "break", period))
    return steps


def clip(steps: Sequence[Step], start: MatchClock | None, stop: MatchClock | None) -> list[Step]:
    """The steps from ``start`` to ``stop`` (inclusive, whole minutes).

    A break belongs after its period's last minute: ``--to 90+4`` stops before ``FT``.
    """
    first = None if start is None else start.key[:3]
    last = None if stop is None else stop.key[:3]
    return [
        s
        for s in steps
        if (first is None or s.clock.key[:3] >= first)
        and (
            last is None
            or s.clock.key[:3] < last
            or (s.clock.key[:3] == last and s.kind != "break")
        )
    ]


def require_played(events: Sequence[EventBase], at: MatchClock | str | None) -> None:
    """Raise :class:`ClockPastEndError` when ``at`` (an ``--at`` clock) lies in a period
    after the last one of a match, once that period has ended (``130`` in a match over
    after 90 minutes); :class:`AtClockError` when ``at`` is not a clock.  While the last
    period is going on, any clock answers (the state so far), and ``ht``, ``ft``, ``end``
    always do."""
    _, clock = at_bound(at)
    if clock is None:
        return
    played = periods_played(events)
    last = max(played, default=0)
    if not last or clock.period <= last:
        return
    ended = any(
        isinstance(e, MatchEnd) or (isinstance(e, PeriodEnd) and e.period == last) for e in events
    )
    if ended:
        end = MatchClock(period=last, minute=PERIOD_END_MINUTE[last], added=played[last])
        raise ClockPastEndError(
            f"--at {clock.label} is past the match's last period: it ended at {end.label}"
        )
