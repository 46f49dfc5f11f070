"""``prepare`` (the fast one) against the rule it implements, written the plain way.

Match order is ``(period, minute, added, second or -1, rank)`` then arrival; a line without
a clock takes the clock of the line before it; a line sent twice (same ``event_id``) is
folded once; lines without an id are never merged; retracted lines go, and a retraction
naming no line is noted (in arrival order).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from events.clock import MatchClock
from events.models import EventBase, PeriodEnd, PeriodStart, Retraction, Unrecognised
from projections import build_context, fold, initial_state, replay
from projections.base import DEFAULT_RANK, NO_CLOCK_KEY, RANK, Anomaly, clock_key
from projections.fold import Prepared, prepare, retracted_ids
from tests.synth import synth_match


def reference(events: list[EventBase]) -> Prepared:
    """The rule, one event at a time, with attribute access and a plain stable sort."""
    seen: set[str] = set()
    carried = NO_CLOCK_KEY
    pairs = []
    retractions = []  # in arrival order
    for event in events:
        if event.event_id:
            if event.event_id in seen:
                continue
            seen.add(event.event_id)
        if event.clock is not None:
            carried = event.clock.key
        pairs.append(((*carried, RANK.get(event.type, DEFAULT_RANK)), event))
        if isinstance(event, Retraction):
            retractions.append(event)
    pairs.sort(key=lambda pair: pair[0])
    excluded = retracted_ids(retractions)
    notes = tuple(
        Anomaly(r.clock, "retraction_unknown", f"retraction of an unknown event {r.retracts}")
        for r in retractions
        if r.retracts not in seen
    )
    kept = [(k, e) for k, e in pairs if e.event_id not in excluded]
    last_seq = max((e.seq for _, e in kept), default=0)
    return Prepared([k for k, _ in kept], [e for _, e in kept], notes, last_seq)


CLOCKS = [
    MatchClock.parse(text)
    for text in ("1", "12", "12:30", "45", "45+2", "45+2:05", "46", "90+4", "105")
]


@st.composite
def streams(draw: st.DrawFn) -> list[EventBase]:
    """Lines with clocks shared, repeated or missing, ids given, repeated or missing, and
    lines of every rank, retractions included."""
    events: list[EventBase] = []
    for i in range(draw(st.integers(0, 40))):
        clock = draw(st.sampled_from([None, *CLOCKS]))
        if clock is not None and draw(st.booleans()):
            clock = clock.model_copy()  # an equal clock, another object
        eid = draw(st.sampled_from(["", f"e{i}", f"e{i}", "e1", "e2"]))
        kind = draw(st.sampled_from(["line", "line", "start", "end", "retraction"]))
        seq = draw(st.sampled_from([i + 1, i + 1, 40 - i]))  # arrival order is not seq order
        if kind == "start":
            events.append(
                PeriodStart(text="kick-off", clock=clock, event_id=eid, period=1, seq=seq)
            )
        elif kind == "end":
            events.append(PeriodEnd(text="half-time", clock=clock, event_id=eid, period=1, seq=seq))
        elif kind == "retraction":
            target = draw(st.sampled_from(["e1", "e2", "e3", f"e{i}", "nowhere"]))
            events.append(
                Retraction(text="retracted", clock=clock, event_id=eid, retracts=target, seq=seq)
            )
        else:
            events.append(Unrecognised(text=f"line {i}", clock=clock, event_id=eid, seq=seq))
    return events


@settings(max_examples=300, deadline=None)
@given(streams())
def test_prepare_is_the_rule(events: list[EventBase]) -> None:
    prepared = prepare(events)
    expected = reference(events)
    assert prepared.keys == expected.keys
    assert [id(e) for e in prepared.events] == [id(e) for e in expected.events]
    assert prepared.notes == expected.notes
    assert prepared.last_seq == expected.last_seq
    assert prepare(iter(events)) == prepared  # any iterable


def test_the_lists_are_new() -> None:
    events: list[EventBase] = [Unrecognised(text="a", clock=CLOCKS[0], event_id="a")]
    prepared = prepare(events)
    assert prepared.events == events and prepared.events is not events


def test_clock_key_is_the_clocks_key() -> None:
    """``base.clock_key`` reads the clock's fields itself: it must agree with ``MatchClock.key``."""
    for clock in CLOCKS:
        assert clock_key(clock) == clock.key
    assert clock_key(None) == NO_CLOCK_KEY


def test_replay_and_fold_agree_on_last_seq() -> None:
    """``replay`` takes the largest seq from ``prepare``; ``fold`` reads it from the events."""
    m = synth_match(7, 60)
    events = list(reversed(m.events))  # arrival order unlike seq order
    prepared = prepare(events)
    ctx = build_context(m.match_id, m.meta, events)
    by_fold = fold(initial_state(ctx), prepared.events)
    by_replay = replay(events, context=ctx)
    assert by_replay.last_seq == by_fold.last_seq == max(e.seq for e in events)
    assert by_replay.to_json() == by_fold.to_json()
