"""Stable ids: the key a line is identified by folds case and white space, whatever the
white space is (the fast path for a printable line must agree with the general one)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from events.identity import event_id, normalise_key

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
