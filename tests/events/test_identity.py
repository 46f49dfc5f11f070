"""Stable ids: the key a line is identified by folds case and white space, whatever the
white space is (the fast path for a printable line must agree with the general one)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from events.clock import MatchClock
from events.identity import clock_part, event_id, normalise_key

_SPACES = st.sampled_from([" ", "  ", "\t", "\n", "\xa0", "\u2028", "\x1f", "\u3000"])
_WORDS = st.lists(st.one_of(st.text(min_size=1, max_size=6), _SPACES), max_size=12)


@given(_WORDS.map("".join))
def test_normalise_key_folds_every_white_space(text: str) -> None:
    key = normalise_key(text)
    assert key == " ".join(text.split()).casefold()
    assert normalise_key(key) == key


def test_ids_ignore_case_and_spacing() -> None:
    a = event_id("m", "Foul by Kjaer (AC Milan).")
    assert a == event_id("m", "  foul  by\tKJAER (AC Milan).\u00a0")
    assert a != event_id("m", "Foul by Kjaer (AC Milan).", occurrence=1)


def test_clock_part_of_every_clock_is_its_own() -> None:
    """Clocks made and dropped in turn (their memory, and so their ids, reused) each get
    the part of their own fields, past the size of the remembered parts."""
    for n in range(6000):
        minute = n % 120
        second = n % 61 - 1 if n % 61 else None
        clock = MatchClock.of(minute, second)
        expected = f"{clock.period}:{clock.label}:{clock.second}"
        assert clock_part(clock) == expected
        assert clock_part(clock) == expected  # the second time from what it remembers
