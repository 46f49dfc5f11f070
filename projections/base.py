"""Small pieces every built-in projection shares: anomalies, clock helpers, packed counters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, NamedTuple, TypeVar

from events.clock import MatchClock

T = TypeVar("T", bound=tuple[Any, ...])

NO_CLOCK_KEY: Final = (0, 0, 0, -1)
"""Where events sort that come before any clock (their own or an earlier line's)."""

#: Within one clock, the order of kinds of lines: period starts first, then play, then VAR
#: decisions and corrections, then the period's end and the match's end.
RANK: Final[dict[str, int]] = {
    "lineups_announced": 0,
    "period_start": 0,
    "var_decision": 2,
    "retraction": 2,
    "period_end": 3,
    "match_end": 4,
}
DEFAULT_RANK: Final = 1

VAR_WINDOW_MINUTES: Final = 10
"""How far back a VAR decision reaches for the goal or card it overturns."""


class Anomaly(NamedTuple):
    """Something the stream says that does not add up: ``{clock, kind, detail}``."""

    clock: MatchClock | None
    kind: str
    detail: str

    def sort_key(self) -> tuple[tuple[int, int, int, int], str, str]:
        """Canonical order: clock, kind, detail."""
        return (clock_key(self.clock), self.kind, self.detail)

    def to_json(self) -> dict[str, Any]:
        """``{clock, kind, detail}`` with the clock as JSON."""
        return {"clock": clock_json(self.clock), "kind": self.kind, "detail": self.detail}


def clock_key(clock: MatchClock | None) -> tuple[int, int, int, int]:
    """The clock's ordering key (``MatchClock.key``); events without a clock sort first.

    Read from the model's fields: a pydantic attribute read costs a type lookup each, and
    reducers ask for keys on every card and printed score.
    """
    if clock is None:
        return NO_CLOCK_KEY
    c = clock.__dict__
    second = c["second"]
    return (c["period"], c["minute"], c["added"], -1 if second is None else second)


def is_shootout_kick(event: Any) -> bool:
    """A kick of a penalty shoot-out: flagged by its line or taken in period 5.  Kicks
    never enter the score, the team stats or the players' stats."""
    clock = event.clock
    return bool(event.shootout) or (clock is not None and clock.period == 5)


def clock_json(clock: MatchClock | None) -> dict[str, Any] | None:
    """A clock as the state JSON writes it: the event envelope's fields plus a label."""
    if clock is None:
        return None
    return {
        "period": clock.period,
        "minute": clock.minute,
        "added": clock.added,
        "second": clock.second,
        "label": clock.label,
    }


def clock_label(clock: MatchClock | None) -> str | None:
    """``45+2'`` or None."""
    return None if clock is None else clock.label


def within(earlier: MatchClock | None, later: MatchClock | None, minutes: int) -> bool:
    """True when ``earlier`` is at most ``minutes`` of play before ``later`` (same period).

    Unknown clocks are taken as close: a line without a clock cannot rule a match out.
    """
    if earlier is None or later is None:
        return True
    if earlier.period != later.period:
        return False
    gap = (later.minute + later.added) - (earlier.minute + earlier.added)
    return 0 <= gap <= minutes


class Packed:
    """Named counters packed into one int, ``BITS`` bits each, in ``slots`` groups (sides).

    An int is immutable, hashes and compares by value, and ``packed + unit`` bumps any
    number of counters of any group in one addition: the cheapest frozen counters Python
    has.  Counters never go below zero (reducers check before subtracting); ``BITS`` = 16
    allows 65,535 of anything per match.
    """

    BITS: Final = 16
    MASK: Final = (1 << 16) - 1

    def __init__(self, fields: tuple[str, ...], groups: int = 1) -> None:
        self.fields = fields
        self.groups = groups
        self._index = {f: i for i, f in enumerate(fields)}

    def unit(self, group: int, *names: str) -> int:
        """The number to add to bump ``names`` of ``group`` by one each."""
        n = len(self.fields)
        return sum(1 << (self.BITS * (group * n + self._index[name])) for name in names)

    def get(self, packed: int, group: int, name: str) -> int:
        """One counter."""
        shift = self.BITS * (group * len(self.fields) + self._index[name])
        return (packed >> shift) & self.MASK

    def values(self, packed: int, group: int = 0) -> tuple[int, ...]:
        """Every counter of one group, in field order."""
        base = group * len(self.fields)
        return tuple(
            (packed >> (self.BITS * (base + i))) & self.MASK for i in range(len(self.fields))
        )


def add_anomaly(
    anomalies: tuple[Anomaly, ...], clock: MatchClock | None, kind: str, detail: str
) -> tuple[Anomaly, ...]:
    """``anomalies`` plus one, unless the same kind and detail is already there."""
    for a in anomalies:
        if a.kind == kind and a.detail == detail:
            return anomalies
    return (*anomalies, Anomaly(clock, kind, detail))


_new = tuple.__new__


def replacer(cls: type[T], *names: str) -> Callable[..., T]:
    """``set_(s, *values)``: ``s._replace(**dict(zip(names, values)))`` for named tuples of
    class ``cls``, about three times cheaper (``_replace`` goes through ``_make``, a
    ``map`` and a keyword dict).  Reducers keep states frozen: every call builds a new one.
    """
    index = tuple(cls._fields.index(name) for name in names)  # type: ignore[attr-defined]
    if len(index) == 1:
        (i,) = index

        def set_one(s: T, value: Any) -> T:
            values = list(s)
            values[i] = value
            return _new(cls, values)

        return set_one
    if len(index) == 2:
        i, j = index

        def set_two(s: T, a: Any, b: Any) -> T:
            values = list(s)
            values[i] = a
            values[j] = b
            return _new(cls, values)

        return set_two
    if len(index) == 3:
        i, j, k = index

        def set_three(s: T, a: Any, b: Any, c: Any) -> T:
            values = list(s)
            values[i] = a
            values[j] = b
            values[k] = c
            return _new(cls, values)

        return set_three

    def set_many(s: T, *new: Any) -> T:
        values = list(s)
        for i, value in zip(index, new):  # noqa: B905 - the arity is the replacer's own
            values[i] = value
        return _new(cls, values)

    return set_many
