"""Folding events into a :class:`MatchState`: match order, duplicates, retractions.

Match order is ``(period, minute, added, second, rank)`` then arrival: an event without a
clock takes the clock of the line before it in arrival (seq) order, so it keeps its
place; within one clock, period starts come first, then play, then VAR decisions and
corrections, then the period's end (``RANK``); arrival order breaks the remaining ties.
A line sent twice (same ``event_id``) is folded once.  A :class:`~events.models.Retraction`
removes the event it names from every clock: the retracted line is treated as never
posted (a VAR overturn, by contrast, is an event of its own, folded where it happens).
A substitution or booking a page's line-ups annotated (``source="lineups"``) gives way
to the live-text line that reports it, whenever that line arrived: a page ingested
before its latest entries, then again whole, counts each incident once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any, NamedTuple

from events.clock import MatchClock
from events.models import Booking, EventBase, Retraction, Substitution
from events.names import same_player, same_substitution
from projections.base import DEFAULT_RANK, NO_CLOCK_KEY, RANK, Anomaly, within
from projections.context import MatchContext, build_context
from projections.registry import Registry
from projections.state import MatchState

FoldKey = tuple[int, int, int, int, int]
"""``(period, minute, added, second or -1, rank)``; arrival order breaks ties (stable sort)."""

_UNSET: Any = object()
_SEQ = attrgetter("seq")
_SPECIAL_RANK: dict[str, int] = {**RANK, "retraction": RANK.get("retraction", DEFAULT_RANK)}
"""``RANK`` plus ``retraction`` (always looked up: :func:`prepare` collects retractions
where it finds a rank)."""


class Prepared(NamedTuple):
    """Events ready to fold: in match order, without duplicates or retracted lines."""

    keys: list[FoldKey]
    events: list[EventBase]
    notes: tuple[Anomaly, ...]
    """Anomalies of the preparation (a retraction naming no known event)."""
    last_seq: int = 0
    """The largest ``seq`` of ``events`` (0 without events)."""


def prepare(events: Iterable[EventBase]) -> Prepared:
    """Order events for folding (``events`` in arrival order, e.g. as the stream reads)."""
    # The hot path of every rebuild: fields are read from the models' ``__dict__`` (a
    # pydantic model's attribute access is several times slower than a dict lookup, its
    # ``__getattr__`` hook defeating CPython's attribute specialisation), events sharing a
    # clock object share one key tuple, and the lists are only rebuilt when a line was
    # dropped or the arrival order is not the match order.
    events = events if isinstance(events, list) else list(events)
    keys: list[FoldKey] = []
    add_key = keys.append
    seen: set[str] = set()
    see = seen.add
    kept: list[EventBase] | None = None  # made once a line is dropped
    retractions: list[Retraction] = []
    annotated: list[EventBase] = []
    special = _SPECIAL_RANK
    base: FoldKey = (*NO_CLOCK_KEY, DEFAULT_RANK)  # the current clock, default rank
    last_clock: MatchClock | None = None
    previous: FoldKey = (-1, 0, 0, 0, 0)
    ordered = True
    last_seq = 0
    for event in events:
        fields = event.__dict__
        eid = fields["event_id"]
        if eid:
            if eid in seen:  # sent twice: folded once
                if kept is None:
                    kept = events[: len(keys)]
                continue
            see(eid)
        seq = fields["seq"]
        if seq > last_seq:
            last_seq = seq
        clock = fields["clock"]
        if clock is not last_clock and clock is not None:
            last_clock = clock
            c = clock.__dict__
            second = c["second"]
            base = (
                c["period"],
                c["minute"],
                c["added"],
                -1 if second is None else second,
                DEFAULT_RANK,
            )
        kind = fields["type"]
        if kind in _ANNOTATED and fields["source"] == "lineups":
            annotated.append(event)
        if kind in special:
            key = (base[0], base[1], base[2], base[3], special[kind])
            if kind == "retraction":
                retractions.append(event)  # type: ignore[arg-type]
        else:
            key = base
        if key is not previous:
            if key < previous:
                ordered = False
            previous = key
        add_key(key)
        if kept is not None:
            kept.append(event)
    if kept is None:
        kept = list(events)
    if not ordered:
        order = sorted(range(len(keys)), key=keys.__getitem__)
        keys = [keys[i] for i in order]
        kept = [kept[i] for i in order]
    notes: tuple[Anomaly, ...] = ()
    excluded: set[str] = set()
    if retractions:
        excluded = retracted_ids(retractions)
        unknown = [r for r in retractions if r.retracts not in seen]
        notes = tuple(
            Anomaly(r.clock, "retraction_unknown", f"retraction of an unknown event {r.retracts}")
            for r in unknown
        )
    if annotated:
        excluded |= superseded(annotated, [e for e in kept if e.event_id not in excluded])
    if excluded:
        pairs = [(k, e) for k, e in zip(keys, kept, strict=True) if e.event_id not in excluded]
        keys = [k for k, _ in pairs]
        kept = [e for _, e in pairs]
        last_seq = max(map(_SEQ, kept), default=0)
    return Prepared(keys, kept, notes, last_seq)


_ANNOTATED = frozenset({"substitution", "booking"})
BOOKING_WINDOW_MINUTES = 5
"""How far apart a line-up annotation's booking and the line reporting it may be."""


def superseded(annotated: Sequence[EventBase], events: Sequence[EventBase]) -> set[str]:
    """The ids of line-up events (``source="lineups"``) a live-text line reports too."""
    lines = [e for e in events if e.type in _ANNOTATED and e.source == "live_text"]
    return {a.event_id for a in annotated if any(_reports(e, a) for e in lines)}


def _reports(line: EventBase, a: EventBase) -> bool:
    """True when a live-text line reports the incident a line-up event stands for: the
    same player off (and on, when both say), or the same player's card of the same
    colour within a few minutes."""
    if isinstance(line, Substitution) and isinstance(a, Substitution):
        return same_substitution(line.player_off, line.player_on, a.player_off, a.player_on)
    if isinstance(line, Booking) and isinstance(a, Booking):
        return (
            bool(line.player and a.player and same_player(line.player, a.player))
            and (line.card == "yellow") == (a.card == "yellow")
            and (
                within(a.clock, line.clock, BOOKING_WINDOW_MINUTES)
                or within(line.clock, a.clock, BOOKING_WINDOW_MINUTES)
            )
        )
    return False


def retracted_ids(retractions: Sequence[Retraction]) -> set[str]:
    """The event ids no longer in force: the newest retraction decides, so retracting a
    retraction restores the line it had retracted."""
    excluded: set[str] = set()
    for r in sorted(retractions, key=lambda r: r.seq, reverse=True):
        if r.event_id and r.event_id in excluded:
            continue
        excluded.add(r.retracts)
    return excluded


def initial_state(ctx: MatchContext, registry: Registry | None = None) -> MatchState:
    """The state before the first event of a match."""
    plan = (registry or default_registry()).plan()
    return MatchState(ctx, plan, plan.initial_parts(ctx))


def fold(
    state: MatchState, events: Sequence[EventBase], clock: MatchClock | None = _UNSET
) -> MatchState:
    """The state after ``events`` (already in match order), a pure function.

    ``clock`` sets the state's clock (default: the clock of the last event).
    """
    return _fold(state, events, max(map(_SEQ, events), default=0), clock)


def _fold(
    state: MatchState, events: Sequence[EventBase], last_seq: int, clock: MatchClock | None = _UNSET
) -> MatchState:
    """:func:`fold`, the largest ``seq`` of ``events`` given (:func:`prepare` finds it
    while it reads the events: read again here, it would cost a pydantic attribute read
    per event)."""
    if events:
        plan = state.plan
        table = plan.table
        ctx = state.context
        parts = list(state.parts)
        for event in events:
            try:  # type(), not event.__class__: a pydantic attribute read is slower
                dispatch = table[type(event)]
            except KeyError:  # a class the plan has not seen (a subclass): resolved once
                dispatch = plan.dispatch(type(event))
            for i, reducer in dispatch:
                parts[i] = reducer(parts[i], event, ctx)
        last_clock = state.last_clock
        for event in reversed(events):
            if event.clock is not None:
                last_clock = event.clock
                break
        first_clock = state.first_clock
        if first_clock is None:  # the first clock the live text itself covers
            first_clock = next(
                (e.clock for e in events if e.clock is not None and e.source == "live_text"),
                None,
            )
        state = MatchState(
            ctx,
            plan,
            tuple(parts),
            state.count + len(events),
            last_clock,
            first_clock,
            last_clock,
            max(state.last_seq, last_seq),
            state.notes,
        )
    if clock is not _UNSET and clock != state.clock:
        state = dataclasses.replace(state, clock=clock)
    return state


def apply(state: MatchState, event: EventBase) -> MatchState:
    """The state after one more event (the event is taken to come last in match order)."""
    return fold(state, (event,))


def replay(
    events: Iterable[EventBase],
    *,
    match_id: str | None = None,
    meta: Any = None,
    context: MatchContext | None = None,
    registry: Registry | None = None,
) -> MatchState:
    """The final state of a whole match from its events in arrival order (no store).

    Teams come from ``context``, else ``meta`` (a sheet), else the first score line.
    """
    events = events if isinstance(events, list) else list(events)
    if context is None:
        mid = match_id if match_id is not None else (events[0].match_id if events else "")
        context = build_context(mid, meta, events)
    prepared = prepare(events)
    state = initial_state(context, registry)
    if prepared.notes:
        state = dataclasses.replace(state, notes=prepared.notes)
    return _fold(state, prepared.events, prepared.last_seq)


def default_registry() -> Registry:
    """The process-wide registry (built-ins plus what users registered)."""
    from projections.builtins import DEFAULT_REGISTRY

    return DEFAULT_REGISTRY
