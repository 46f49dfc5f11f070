"""Folding events into a :class:`MatchState`: match order, duplicates, retractions.

Match order is ``(period, minute, added, second, rank)`` then arrival: an event without a
clock takes the clock of the line before it in arrival (seq) order, so it keeps its
place; within one clock, period starts come first, then play, then VAR decisions and
corrections, then the period's end (``RANK``); arrival order breaks the remaining ties.
A line sent twice (same ``event_id``) is folded once.  A :class:`~events.models.Retraction`
removes the event it names from every clock: the retracted line is treated as never
posted (a VAR overturn, by contrast, is an event of its own, folded where it happens).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from events.clock import MatchClock
from events.models import EventBase, Retraction
from projections.base import DEFAULT_RANK, NO_CLOCK_KEY, RANK, Anomaly
from projections.context import MatchContext, build_context
from projections.registry import Registry
from projections.state import MatchState

FoldKey = tuple[int, int, int, int, int]
"""``(period, minute, added, second or -1, rank)``; arrival order breaks ties (stable sort)."""

_UNSET: Any = object()
_SEQ = attrgetter("seq")


class Prepared(NamedTuple):
    """Events ready to fold: in match order, without duplicates or retracted lines."""

    keys: list[FoldKey]
    events: list[EventBase]
    notes: tuple[Anomaly, ...]
    """Anomalies of the preparation (a retraction naming no known event)."""


def prepare(events: Iterable[EventBase]) -> Prepared:
    """Order events for folding (``events`` in arrival order, e.g. as the stream reads)."""
    keys: list[FoldKey] = []
    kept: list[EventBase] = []
    seen: set[str] = set()
    retractions: list[Retraction] = []
    period, minute, added, second = NO_CLOCK_KEY
    rank = RANK.get
    ordered = True
    previous: FoldKey = (-1, 0, 0, 0, 0)
    for event in events:
        eid = event.event_id
        if eid:
            if eid in seen:
                continue
            seen.add(eid)
        clock = event.clock
        if clock is not None:
            period, minute, added = clock.period, clock.minute, clock.added
            second = -1 if clock.second is None else clock.second
        kind = event.type
        if kind == "retraction":
            retractions.append(event)  # type: ignore[arg-type]
        key = (period, minute, added, second, rank(kind, DEFAULT_RANK))
        if ordered and key < previous:
            ordered = False
        previous = key
        keys.append(key)
        kept.append(event)
    if not ordered:
        pairs = sorted(zip(keys, kept, strict=True), key=itemgetter(0))
        keys = [k for k, _ in pairs]
        kept = [e for _, e in pairs]
    notes: tuple[Anomaly, ...] = ()
    if retractions:
        excluded = retracted_ids(retractions)
        unknown = [r for r in retractions if r.retracts not in seen]
        notes = tuple(
            Anomaly(r.clock, "retraction_unknown", f"retraction of an unknown event {r.retracts}")
            for r in unknown
        )
        pairs = [(k, e) for k, e in zip(keys, kept, strict=True) if e.event_id not in excluded]
        keys = [k for k, _ in pairs]
        kept = [e for _, e in pairs]
    return Prepared(keys, kept, notes)


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
    if events:
        plan = state.plan
        table = plan.table
        ctx = state.context
        parts = list(state.parts)
        for event in events:
            dispatch = table.get(event.__class__)
            if dispatch is None:
                dispatch = plan.dispatch(event.__class__)
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
            max(state.last_seq, max(map(_SEQ, events))),
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
    events = list(events)
    if context is None:
        mid = match_id if match_id is not None else (events[0].match_id if events else "")
        context = build_context(mid, meta, events)
    prepared = prepare(events)
    state = initial_state(context, registry)
    if prepared.notes:
        state = dataclasses.replace(state, notes=prepared.notes)
    return fold(state, prepared.events)


def default_registry() -> Registry:
    """The process-wide registry (built-ins plus what users registered)."""
    from projections.builtins import DEFAULT_REGISTRY

    return DEFAULT_REGISTRY
