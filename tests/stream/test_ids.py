"""Stable ids for events that arrive without one: a pure function of match, line and history."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from events.clock import PERIOD_END_MINUTE, MatchClock, clock_of_number, key_number
from events.identity import event_id
from stream.ids import assign_event_ids, occurrence_counts, occurrence_key
from tests.stream.contract import clock, line


def test_ids_match_events_identity_for_odd_text() -> None:
    """Passing the normalised text on changes nothing: the id is identity.event_id's own."""
    text = "  Straße\tFOUL by  Ömer\u00a0(Köln).  "
    [event] = assign_event_ids("m", [line(text, "90+4")])
    assert event.event_id == event_id("m", text, clock("90+4"), 0)


def test_occurrences_count_within_the_batch_and_from_the_stream() -> None:
    events = [line("Corner, Inter.", "34"), line("CORNER, Inter.", "34"), line("x", "34")]
    fresh = [e.event_id for e in assign_event_ids("m", events)]
    assert fresh[:2] == [event_id("m", "Corner, Inter.", clock("34"), n) for n in (0, 1)]
    stream = occurrence_counts(events[:1])
    continued = [e.event_id for e in assign_event_ids("m", events[1:], stream)]
    assert continued == fresh[1:]


def test_given_ids_are_kept_and_still_count() -> None:
    events = [line("a", "1", event_id="feed-1"), line("a", "1")]
    first, second = assign_event_ids("m", events)
    assert first is events[0]
    assert second.event_id == event_id("m", "a", clock("1"), 1)


def test_assigning_is_pure() -> None:
    events = [line("a"), line("a")]
    counts = Counter({occurrence_key("a", None): 3})
    assert assign_event_ids("m", events, counts) == assign_event_ids("m", events, counts)
    assert counts == Counter({occurrence_key("a", None): 3})
    assert [e.event_id for e in events] == ["", ""]


def test_clock_numbers_sort_like_clocks_and_round_trip() -> None:
    clocks = [clock(c) for c in ("0", "1", "45", "45+2", "45+2:10", "46", "90+9:59", "120")]
    clocks.append(MatchClock.parse("120", period=5))
    numbers = [key_number(c) for c in clocks]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert sorted(clocks, key=lambda c: c.key) == clocks
    assert [clock_of_number(n) for n in numbers] == clocks
    assert [clock_of_number(n).second for n in numbers[3:5]] == [None, 10]


def test_clock_numbers_are_what_stores_hold() -> None:
    """Store files index these numbers (and ids count occurrences by them): pinned."""
    assert [key_number(clock(c)) for c in ("45+2", "45+2:10", "90+4")] == [
        1233024,
        1233035,
        2466048,
    ]


@st.composite
def clocks(draw: st.DrawFn) -> MatchClock:
    period = draw(st.integers(1, 5))
    minute = draw(st.integers(0, 200))
    added = draw(st.integers(0, 60)) if minute == PERIOD_END_MINUTE[period] else 0
    second = draw(st.none() | st.integers(0, 59))
    return MatchClock(period=period, minute=minute, added=added, second=second)


@given(clocks(), clocks())
def test_clock_numbers_order_as_the_key_does(a: MatchClock, b: MatchClock) -> None:
    """``key_number`` packs ``MatchClock.key``: the same order, and the clock back."""
    assert (key_number(a) < key_number(b)) == (a.key < b.key)
    assert (key_number(a) == key_number(b)) == (a.key == b.key)
    assert clock_of_number(key_number(a)) == a
