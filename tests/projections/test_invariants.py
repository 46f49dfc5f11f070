"""Invariants over generated matches (hypothesis): the fold is a function of the match.

- snapshot + tail == the full fold, at any clock;
- ``state_at(last clock)`` == the final state;
- re-sent lines and lines shuffled within their minute give the same state;
- a correction (retraction) gives the state of the stream without the retracted line.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.clock import MatchClock
from events.models import EventBase, Retraction
from events.parser import parse_line
from projections import Projector, build_context, fold, initial_state, prepare, replay
from projections.testing import ListSource
from tests.projections.helpers import SHEET
from tests.synth import SynthMatch, synth_match

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def matches(draw: st.DrawFn) -> SynthMatch:
    extra = draw(st.booleans())
    return synth_match(
        draw(st.integers(0, 2**31)),
        draw(st.integers(20, 220)),
        extra_time=extra,
        shootout=extra and draw(st.booleans()),
    )


def canonical(state_json: dict[str, Any]) -> dict[str, Any]:
    """The state JSON without what depends on arrival (seq numbers)."""
    return {k: v for k, v in state_json.items() if k != "last_seq"}


def full_fold(m: SynthMatch, events: list[EventBase], index: int | None = None) -> Any:
    prepared = prepare(events)
    ctx = build_context(m.match_id, m.meta, events)
    chosen = prepared.events if index is None else prepared.events[:index]
    return fold(initial_state(ctx), chosen)


@SETTINGS
@given(matches(), st.integers(1, 40), st.randoms(use_true_random=False))
def test_snapshot_plus_tail_equals_full_fold(m: SynthMatch, every: int, rnd: random.Random) -> None:
    """At any clock, the projector (snapshot + tail) equals a fold from scratch."""
    p = Projector(ListSource(m.match_id, m.events, m.meta), snapshot_every=every)
    folded = p.events(m.match_id)
    for _ in range(5):
        event = rnd.choice(folded)
        assert event.clock is not None
        state = p.state_at(m.match_id, event.clock)
        upto = sum(
            1 for e in folded if e.clock is not None and e.clock.key[:3] <= event.clock.key[:3]
        )
        assert state == full_fold(m, m.events, upto)
    assert p.final_state(m.match_id) == full_fold(m, m.events)
    assert len(p.snapshots(m.match_id)) >= len(folded) // every


@SETTINGS
@given(matches())
def test_state_at_last_clock_is_the_final_state(m: SynthMatch) -> None:
    """``state_at(last clock)`` == the final state == ``replay``."""
    p = Projector(ListSource(m.match_id, m.events, m.meta))
    final = p.final_state(m.match_id)
    assert final.last_clock is not None
    at_last = p.state_at(m.match_id, final.last_clock)
    assert at_last == final == replay(m.events, meta=m.meta)
    assert at_last.to_json()["score"] == final.to_json()["score"]


@SETTINGS
@given(matches(), st.randoms(use_true_random=False))
def test_resent_and_shuffled_lines_give_the_same_state(m: SynthMatch, rnd: random.Random) -> None:
    """Lines sent twice, and lines shuffled within their minute, change nothing."""
    expected = canonical(replay(m.events, meta=m.meta).to_json())
    by_minute: dict[Any, list[EventBase]] = {}
    for e in m.events:
        by_minute.setdefault(e.clock.key[:3] if e.clock else None, []).append(e)
    shuffled: list[EventBase] = []
    for group in by_minute.values():
        group = list(group)
        rnd.shuffle(group)
        shuffled.extend(group)
    resent = rnd.sample(m.events, k=min(10, len(m.events)))
    arrival = [e.model_copy(update={"seq": i}) for i, e in enumerate(shuffled + resent, 1)]
    assert canonical(replay(arrival, meta=m.meta).to_json()) == expected


@SETTINGS
@given(matches(), st.randoms(use_true_random=False))
def test_correction_gives_the_corrected_state(m: SynthMatch, rnd: random.Random) -> None:
    """Retracting a line == a stream that never had it (the retraction itself aside)."""
    target = rnd.choice([e for e in m.events if e.type != "match_end"])
    retraction = Retraction(
        text="(post retracted)",
        clock=m.events[-1].clock,
        retracts=target.event_id,
        event_id="retraction-1",
        seq=len(m.events) + 1,
    )
    corrected = replay([*m.events, retraction], meta=m.meta).to_json()
    without = replay([e for e in m.events if e is not target], meta=m.meta).to_json()
    ignore = {"last_seq", "events"}
    assert {k: v for k, v in corrected.items() if k not in ignore} == {
        k: v for k, v in without.items() if k not in ignore
    }
    assert corrected["events"] == without["events"] + 1  # the retraction line itself


_HOME = [p["name"] for p in SHEET["lineups"]["home"]["starting"]]
_BENCH = [p["name"] for p in SHEET["lineups"]["home"]["bench"]]
_NAMES = [
    *_HOME,
    *_BENCH,
    "Lautaro Martínez",
    "Nicolò Barella",
    "Somebody Else",
    "Federico Dimarco",
]
_LINES = st.one_of(
    st.builds(
        "Substitution, Inter Milan. {} replaces {}.".format,
        st.sampled_from(_NAMES),
        st.sampled_from(_NAMES),
    ),
    st.builds("{} (Inter Milan) is shown the red card.".format, st.sampled_from(_NAMES)),
    st.builds("{} (Inter Milan) is shown the yellow card.".format, st.sampled_from(_NAMES)),
    st.builds("VAR Decision: Card upgraded {} (Inter Milan).".format, st.sampled_from(_NAMES)),
    st.builds("VAR Decision: Card downgraded {} (Inter Milan).".format, st.sampled_from(_NAMES)),
    st.builds(
        "{} went off injured after Inter Milan had used all subs.".format, st.sampled_from(_NAMES)
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(1, 90), _LINES), max_size=25))
def test_on_the_pitch_is_eleven_less_sent_off_less_retired_after_any_lines(
    lines: list[tuple[int, str]],
) -> None:
    """Whatever the lines say, in any order and naming anyone (bench, substituted, sent
    off, strangers): after every event, on the pitch = 11 - sent off - retired, each
    player once."""
    events = [parse_line(text, MatchClock(period=2, minute=m)) for m, text in sorted(lines)]
    ctx = build_context("m", SHEET, events)
    state = initial_state(ctx)
    for event in prepare(events).events:
        state = fold(state, [event])
        home = state.lineups[0]
        assert len(home.on_pitch) == 11 - len(home.sent_off) - len(home.retired), event.text
        assert len(set(home.on_pitch)) == len(home.on_pitch), event.text
