"""The football clock: a period plus a minute, with stoppage time kept apart.

``45+2'`` is ``MatchClock(period=1, minute=45, added=2)``: it sorts after ``45'`` and
before ``46'`` and is never ``47'``.  Periods: 1 and 2 are the halves, 3 and 4 extra
time, 5 the penalty shoot-out.
"""

from __future__ import annotations

import re
from functools import lru_cache, total_ordering
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

FIRST_HALF, SECOND_HALF, EXTRA_FIRST, EXTRA_SECOND, SHOOTOUT = 1, 2, 3, 4, 5

#: Regulation length of each period: the minute at which its stoppage time starts.
PERIOD_END_MINUTE = {1: 45, 2: 90, 3: 105, 4: 120, 5: 120}
PERIOD_START_MINUTE = {1: 0, 2: 45, 3: 90, 4: 105, 5: 120}
PERIOD_NAMES = {
    1: "first half",
    2: "second half",
    3: "extra time, first half",
    4: "extra time, second half",
    5: "penalty shoot-out",
}

_CLOCK = re.compile(
    r"""^\s*
    (?P<minute>\d{1,3})\s*'?\s*
    (?:\+\s*(?P<added>\d{1,2})\s*'?)?
    (?::(?P<second>\d{1,2}))?
    \s*(?:min(?:ute)?s?)?\s*$""",
    re.VERBOSE,
)


class ClockError(ValueError):
    """A clock string that is not a football clock."""


def period_of(minute: int, added: int = 0) -> int:
    """The period a bare minute belongs to: 45+2 is the first half, 46 the second."""
    if minute <= 45:
        return FIRST_HALF
    if minute <= 90:
        return SECOND_HALF
    if minute <= 105:
        return EXTRA_FIRST
    return EXTRA_SECOND


@total_ordering
class MatchClock(BaseModel):
    """A moment of the match: ``(period, minute, added, second)``, totally ordered."""

    model_config = ConfigDict(frozen=True)

    period: int = Field(ge=1, le=5)
    minute: int = Field(ge=0, le=200)
    added: int = Field(default=0, ge=0, le=60)
    second: int | None = Field(default=None, ge=0, le=59)

    @model_validator(mode="after")
    def _added_only_at_period_end(self) -> MatchClock:
        if self.added and self.minute != PERIOD_END_MINUTE[self.period]:
            # 45+2 in the second half or 90+3 in the first is a contradiction.
            raise ValueError(
                f"added time +{self.added} only follows the end of a period, not minute "
                f"{self.minute} of period {self.period}"
            )
        return self

    @classmethod
    def parse(cls, text: str, period: int | None = None) -> MatchClock:
        """Read ``45'+2'``, ``45+2'``, ``45+2``, ``90'+3'``, ``120'``, ``67``, ``67:30``.

        ``period`` overrides the period inferred from the minute (needed for the
        shoot-out, or for a clock such as ``45`` said of the second half's kick-off).
        """
        if not isinstance(text, str):
            raise ClockError(f"not a match clock: {text!r}")
        return _parse(cls, text, period)

    @classmethod
    def of(cls, minute: int, second: int | None = None, period: int | None = None) -> MatchClock:
        """Build from a minute (+ optional second and period number) as feeds send them.

        A minute past the period's end becomes stoppage time: ``of(47, period=1)`` is 45+2.
        """
        p = period or period_of(minute)
        end = PERIOD_END_MINUTE[p]
        if minute > end and p != 5:
            return cls(period=p, minute=end, added=minute - end, second=second)
        return cls(period=p, minute=minute, second=second)

    @property
    def key(self) -> tuple[int, int, int, int]:
        """The ordering key: period, minute, added, second (unknown seconds first)."""
        return order_key(self.period, self.minute, self.added, self.second)

    @property
    def label(self) -> str:
        """``45+2'``, ``46'``."""
        return f"{self.minute}+{self.added}'" if self.added else f"{self.minute}'"

    def __str__(self) -> str:
        return self.label

    def __lt__(self, other: Any) -> bool:
        if not isinstance(other, MatchClock):
            return NotImplemented
        return self.key < other.key

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, MatchClock):
            return NotImplemented
        return self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def same_minute(self, other: MatchClock) -> bool:
        """True when both clocks fall in the same displayed minute (seconds ignored)."""
        return self.key[:3] == other.key[:3]

    def minute_end(self) -> MatchClock:
        """The last instant of this clock's minute: what ``--at 45+2`` means, inclusive."""
        return self.model_copy(update={"second": 59})


KICK_OFF = MatchClock(period=1, minute=0)


def order_key(
    period: int, minute: int, added: int = 0, second: int | None = None
) -> tuple[int, int, int, int]:
    """The clock's ordering key (``MatchClock.key``): period, minute, added, second, an
    unknown second before every known one."""
    return (period, minute, added, -1 if second is None else second)


def key_number(clock: MatchClock) -> int:
    """``clock.key`` packed into one integer that sorts as the key does: what a store
    indexes and compares (SQL has no tuples).  Stores hold these numbers: the packing never
    changes.  (It reads the fields itself, an unknown second as ``key`` has it, -1: an
    append packs a key per event.)"""
    second = clock.second
    return ((clock.period * 256 + clock.minute) * 64 + clock.added) * 64 + (
        0 if second is None else second + 1
    )


def clock_of_number(number: int) -> MatchClock:
    """The clock whose :func:`key_number` is ``number``."""
    rest, second = divmod(number, 64)
    rest, added = divmod(rest, 64)
    period, minute = divmod(rest, 256)
    return MatchClock(
        period=period, minute=minute, added=added, second=None if second == 0 else second - 1
    )


@lru_cache(maxsize=4096)
def _parse(cls: type[MatchClock], text: str, period: int | None) -> MatchClock:
    """``MatchClock.parse``, remembered: a clock is immutable, and the lines of a source
    print a few hundred different ones (an error is raised again each time)."""
    m = _CLOCK.match(text)
    if m is None:
        raise ClockError(f"not a match clock: {text!r}")
    minute = int(m["minute"])
    added = int(m["added"]) if m["added"] else 0
    second = int(m["second"]) if m["second"] else None
    if minute > 200 or added > 60 or (second is not None and second > 59):
        raise ClockError(f"not a match clock: {text!r}")
    try:
        return cls(
            period=period or period_of(minute, added), minute=minute, added=added, second=second
        )
    except ValueError as exc:
        raise ClockError(f"not a match clock: {text!r} ({exc})") from None
