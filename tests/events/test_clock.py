"""The football clock: the traps fcscrapR fell into, and every form feeds send."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events.clock import ClockError, MatchClock


@pytest.mark.parametrize(
    ("text", "period", "minute", "added"),
    [
        ("45'+2'", 1, 45, 2),
        ("45+2'", 1, 45, 2),
        ("45+2", 1, 45, 2),
        ("90'+3'", 2, 90, 3),
        ("90+4'", 2, 90, 4),
        ("120'", 4, 120, 0),
        ("105'+1'", 3, 105, 1),
        ("67", 2, 67, 0),
        ("46", 2, 46, 0),
        ("45", 1, 45, 0),
        ("0", 1, 0, 0),
        (" 12' ", 1, 12, 0),
    ],
)
def test_forms(text: str, period: int, minute: int, added: int) -> None:
    clock = MatchClock.parse(text)
    assert (clock.period, clock.minute, clock.added) == (period, minute, added)


def test_stoppage_time_is_not_the_next_minute() -> None:
    """45+2 is the first half: after 45, before 46, never 47."""
    c = MatchClock.parse("45+2")
    assert MatchClock.parse("45") < c < MatchClock.parse("46")
    assert c != MatchClock.parse("47")
    assert c.label == "45+2'"


def test_120_is_not_12() -> None:
    assert MatchClock.parse("120'").minute == 120


def test_seconds_and_explicit_period() -> None:
    c = MatchClock.parse("67:30")
    assert (c.minute, c.second) == (67, 30)
    assert MatchClock.parse("120", period=5).period == 5


def test_minute_second_period_as_feeds_send_them() -> None:
    assert MatchClock.of(47, period=1) == MatchClock.parse("45+2")
    assert MatchClock.of(93, 10, period=2) == MatchClock(period=2, minute=90, added=3, second=10)
    assert MatchClock.of(95, period=3).label == "95'"


@pytest.mark.parametrize(
    "junk", ["45++2", "-3", "abc", "", "45+", "+2", "1000", "12:75", "45'+2'+1'"]
)
def test_junk_is_a_clear_error(junk: str) -> None:
    with pytest.raises(ClockError, match="not a match clock"):
        MatchClock.parse(junk)


def test_added_time_only_at_a_period_end() -> None:
    with pytest.raises(ValueError):
        MatchClock(period=2, minute=60, added=2)


def test_minute_end_includes_the_whole_minute() -> None:
    at = MatchClock.parse("45+2").minute_end()
    assert MatchClock(period=1, minute=45, added=2, second=40) <= at
    assert MatchClock.parse("45+3") > at


@given(
    st.lists(
        st.sampled_from(["45'+2'", "45+1", "46", "44", "90+4", "89", "91", "105+1", "120'", "0"]),
        min_size=2,
    )
)
def test_order_is_period_minute_added(texts: list[str]) -> None:
    """Sorting clocks agrees with sorting their (period, minute, added) keys."""
    parsed = sorted(MatchClock.parse(t) for t in texts)
    keys = [(c.period, c.minute, c.added) for c in parsed]
    assert keys == sorted(keys)


@given(st.integers(0, 130), st.integers(0, 15))
def test_label_round_trips(minute: int, added: int) -> None:
    try:
        clock = MatchClock.of(minute)
    except ValueError:
        return
    clock = (
        clock
        if not added or clock.minute not in (45, 90, 105, 120)
        else clock.model_copy(update={"added": added})
    )
    assert MatchClock.parse(clock.label, period=clock.period) == clock
