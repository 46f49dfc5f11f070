"""The two readings of a shot line's tail agree: the one-pass canonical groups of
``SHOT_TAIL`` (the fast path most lines take) and the slot-by-slot search
(``tolerant_shot_details``, for tails in any order) give the same slots."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from events.phrases import (
    ASSIST_METHODS,
    BODY_PARTS,
    PLACEMENTS,
    SHOT_TAIL,
    ZONES,
    shot_slots,
    tolerant_shot_details,
)

_TAIL = re.compile(SHOT_TAIL)
_ON_TARGET = [p for p in PLACEMENTS if p.endswith(("corner", "goal"))]
_MISSES = [p for p in PLACEMENTS if p.startswith(("is ", "misses"))]
_NAME = st.from_regex(r"[A-Z][a-zà-ÿ]{1,8}(?:[ '-][A-Z][a-zà-ÿ]{1,8}){0,2}", fullmatch=True)


@st.composite
def canonical_tails(draw: st.DrawFn) -> str:
    """A shot tail in the feed's canonical order, each optional slot drawn or not."""
    body = draw(st.sampled_from([*BODY_PARTS, "with an attempt"]))
    tail = f" {body} from {draw(st.sampled_from(list(ZONES)))}"
    where = draw(st.sampled_from(["", "to", "saved", "keeper", "off", "blocked"]))
    if where == "to":
        tail += f" to the {draw(st.sampled_from(_ON_TARGET))}"
    elif where in ("saved", "keeper"):
        tail += f" is saved in the {draw(st.sampled_from(_ON_TARGET))}"
        if where == "keeper":
            tail += f" by {draw(_NAME)} ({draw(_NAME)})"
    elif where == "off":
        tail += f" {draw(st.sampled_from(_MISSES))}"
    elif where == "blocked":
        tail += " is blocked"
    situations = ["", " following a corner", " following a set piece situation"]
    situations += [" following a fast break", " from a direct free kick"]
    tail += draw(st.sampled_from(situations)) + "."
    if draw(st.booleans()):
        method = draw(st.sampled_from(["", *(f" {m}" for m in ASSIST_METHODS)]))
        after = draw(st.sampled_from(["", *situations[1:4]]))
        free_kick = draw(st.sampled_from(["", " from a direct free kick"]))
        tail += f" Assisted by {draw(_NAME)}{method}{after}{free_kick}."
    return tail


@given(canonical_tails())
def test_canonical_groups_read_what_the_slot_search_reads(tail: str) -> None:
    m = _TAIL.match(tail)
    assert m is not None and m["s_zone"] is not None  # the fast path is taken
    fast: dict[str, Any] = {}
    shot_slots(m, fast)
    assert fast == tolerant_shot_details(tail)


def test_the_keeper_of_a_saved_shot_is_read_on_the_fast_path() -> None:
    tail = " header from the centre of the box is saved in the top left corner by Rui Patrício (Portugal)."
    m = _TAIL.match(tail)
    assert m is not None and m["s_zone"] is not None
    slots: dict[str, Any] = {}
    shot_slots(m, slots)
    assert slots["goalkeeper"] == "Rui Patrício"
    assert slots["goalkeeper_team"] == "Portugal"
    assert slots["placement"] == "top_left"
