"""``state_at``: the state of a match at any clock, from the stream alone, via snapshots.

A :class:`Projector` reads a match from an event store once, keeps it in match order and
folds on demand.  Snapshots are taken every ``snapshot_every`` events and at every
period's end; ``state_at`` starts from the newest snapshot at or before the clock and
folds the tail.  A snapshot carries the versions of the projections it was folded with
and the fingerprint of the match context: when either changes (a projection registered
or bumped, new metadata), snapshots are dropped and rebuilt as needed.  New events are
read on every call (``last_seq``); a late line that sorts before a snapshot drops that
snapshot and the ones after it.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from weakref import WeakKeyDictionary

from events.clock import ClockError, MatchClock
from events.models import EventBase
from projections.context import MatchContext, build_context
from projections.fold import FoldKey, Prepared, default_registry, fold, initial_state, prepare
from projections.registry import Registry
from projections.state import MatchState

DEFAULT_SNAPSHOT_EVERY = 64

Bound = tuple[int, ...]
"""A fold-key prefix: every event whose key sorts below it is at or before the clock."""


class EventSource(Protocol):
    """What a projector reads: the part of ``stream.EventStore`` it needs."""

    def read(
        self, match_id: str, from_seq: int = 1, to_clock: MatchClock | None = None
    ) -> list[EventBase]: ...

    def last_seq(self, match_id: str) -> int: ...

    def get_meta(self, match_id: str) -> dict[str, Any]: ...


class AtClockError(ValueError):
    """``--at`` is not a clock (``45+2``, ``46``, ``90+4``, ``105+1``, ``ht``, ``ft``, ``end``)."""


_NAMED_BOUNDS: dict[str, Bound | None] = {
    "ht": (2,),
    "half-time": (2,),
    "halftime": (2,),
    "ft": (3,),
    "full-time": (3,),
    "fulltime": (3,),
    "aet": (5,),
    "end": None,
    "final": None,
}


def at_bound(at: MatchClock | str | None) -> tuple[Bound | None, MatchClock | None]:
    """The fold-key bound of an inclusive ``--at`` and the clock the state will show.

    ``45+2`` covers every event of minute 45+2 (any second) and none of 45+3; ``46`` is the
    second half's 46th minute; ``ht``/``ft``/``aet`` end the first half, the second half,
    extra time; ``end`` (or None) is the whole match.
    """
    if at is None:
        return None, None
    if isinstance(at, str):
        text = at.strip().lower()
        if text in _NAMED_BOUNDS:
            return _NAMED_BOUNDS[text], None
        try:
            at = MatchClock.parse(re.sub(r"\s+", "", text))
        except ClockError as exc:
            raise AtClockError(
                f"--at {at!r} is not a match clock (try 45+2, 46, 90+4, 105+1, ht, ft or end)"
            ) from exc
    if at.second is None:
        return (at.period, at.minute, at.added, 60), at
    return (at.period, at.minute, at.added, at.second, 99), at


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The state after the first ``index`` events of a match in match order."""

    index: int
    key: FoldKey | None
    versions: tuple[tuple[str, int], ...]
    context: str
    state: MatchState


class SnapshotStore(Protocol):
    """Where a projector keeps snapshots between calls (memory by default)."""

    def load(self, match_id: str) -> Sequence[Snapshot]: ...

    def save(self, match_id: str, snapshots: Sequence[Snapshot]) -> None: ...


class MemorySnapshotStore:
    """Snapshots in a dict, per match."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[Snapshot, ...]] = {}

    def load(self, match_id: str) -> Sequence[Snapshot]:
        """The snapshots of a match, oldest first."""
        return self._data.get(match_id, ())

    def save(self, match_id: str, snapshots: Sequence[Snapshot]) -> None:
        """Replace the snapshots of a match."""
        self._data[match_id] = tuple(snapshots)


@dataclass(slots=True)
class _Match:
    """What a projector holds for one match (a cache of the stream, rebuilt on change)."""

    match_id: str
    raw: list[EventBase] = field(default_factory=list)
    prepared: Prepared = field(default_factory=lambda: Prepared([], [], ()))
    boundaries: list[int] = field(default_factory=list)
    context: MatchContext | None = None
    meta: dict[str, Any] | None = None
    last_seq: int = 0
    snapshots: list[Snapshot] = field(default_factory=list)
    start: MatchState | None = None


class Projector:
    """State of matches at any clock, read from an event store, with snapshots."""

    def __init__(
        self,
        source: EventSource,
        registry: Registry | None = None,
        *,
        snapshot_every: int = DEFAULT_SNAPSHOT_EVERY,
        snapshots: SnapshotStore | None = None,
    ) -> None:
        if snapshot_every < 1:
            raise ValueError("snapshot_every must be >= 1")
        self.source = source
        self.registry = registry if registry is not None else default_registry()
        self.snapshot_every = snapshot_every
        self.snapshot_store: SnapshotStore = snapshots or MemorySnapshotStore()
        self._matches: dict[str, _Match] = {}

    # --- public ---------------------------------------------------------------------------

    def state_at(self, match_id: str, at: MatchClock | str | None = None) -> MatchState:
        """The state after every event at or before ``at`` (inclusive; None: all of them)."""
        bound, clock = at_bound(at)
        m = self._refresh(match_id)
        keys = m.prepared.keys
        index = len(keys) if bound is None else bisect.bisect_left(keys, bound)
        state = self._fold_to(m, index)
        if state.notes != m.prepared.notes:
            state = dataclasses.replace(state, notes=m.prepared.notes)
        if clock is not None:
            return fold(state, (), clock)
        return state

    def final_state(self, match_id: str) -> MatchState:
        """The state after every event of the match."""
        return self.state_at(match_id, None)

    def events(self, match_id: str) -> list[EventBase]:
        """The events of a match as folded: match order, no duplicates, no retracted lines."""
        return list(self._refresh(match_id).prepared.events)

    def snapshots(self, match_id: str) -> tuple[Snapshot, ...]:
        """The snapshots held for a match, oldest first."""
        return tuple(self._refresh(match_id).snapshots)

    def context(self, match_id: str) -> MatchContext:
        """The match context the fold uses (teams, line-ups)."""
        ctx = self._refresh(match_id).context
        assert ctx is not None
        return ctx

    def forget(self, match_id: str | None = None) -> None:
        """Drop what is cached for one match (or all); the next call reads the store again."""
        if match_id is None:
            self._matches.clear()
        else:
            self._matches.pop(match_id, None)

    # --- internals ------------------------------------------------------------------------

    def _refresh(self, match_id: str) -> _Match:
        m = self._matches.get(match_id)
        if m is None:
            m = self._matches[match_id] = _Match(match_id)
            m.snapshots = list(self.snapshot_store.load(match_id))
        last = self.source.last_seq(match_id)
        changed = False
        if last != m.last_seq or m.context is None:
            if last < m.last_seq:  # a different (reset) store: start again
                m.raw.clear()
                m.last_seq = 0
            new = self.source.read(match_id, m.last_seq + 1) if last > m.last_seq else []
            m.raw.extend(new)
            m.last_seq = last
            old = m.prepared.events
            m.prepared = prepare(m.raw)
            m.boundaries = self._boundaries(m.prepared.events)
            m.meta = self.source.get_meta(match_id)
            context = build_context(match_id, m.meta or None, m.prepared.events)
            if m.context is None or context.fingerprint != m.context.fingerprint:
                m.context = context
            m.start = None
            diverge = _first_difference(old, m.prepared.events)
            m.snapshots = [s for s in m.snapshots if s.index <= diverge]
            changed = True
        assert m.context is not None
        plan = self.registry.plan()
        start = m.start
        if start is None or start.plan is not plan or start.context is not m.context:
            start = m.start = initial_state(m.context, self.registry)
        valid = [
            s
            for s in m.snapshots
            if s.versions == plan.versions and s.context == m.context.fingerprint
        ]
        if changed or len(valid) != len(m.snapshots):
            m.snapshots = valid
            self.snapshot_store.save(match_id, valid)
        return m

    def _boundaries(self, events: Sequence[EventBase]) -> list[int]:
        """Indices after which a snapshot is taken: every N events and each period's end."""
        n = self.snapshot_every
        marks = set(range(n, len(events) + 1, n))
        marks.update(i + 1 for i, e in enumerate(events) if e.type == "period_end")
        return sorted(marks)

    def _fold_to(self, m: _Match, index: int) -> MatchState:
        assert m.start is not None
        snaps = m.snapshots
        pos = bisect.bisect_right([s.index for s in snaps], index) - 1
        state = snaps[pos].state if pos >= 0 else m.start
        done = snaps[pos].index if pos >= 0 else 0
        if done == index:
            return state
        events = m.prepared.events
        keys = m.prepared.keys
        plan = state.plan
        fingerprint = m.context.fingerprint if m.context is not None else ""
        taken = False
        start = bisect.bisect_right(m.boundaries, done)
        for mark in m.boundaries[start:]:
            if mark > index:
                break
            state = fold(state, events[done:mark])
            done = mark
            snap = Snapshot(mark, keys[mark - 1], plan.versions, fingerprint, state)
            bisect.insort(snaps, snap, key=lambda s: s.index)
            taken = True
        if done < index:
            state = fold(state, events[done:index])
        if taken:
            self.snapshot_store.save(m.match_id, snaps)
        return state


def _first_difference(old: Sequence[EventBase], new: Sequence[EventBase]) -> int:
    """How many leading events two match orders share (by identity, then by id)."""
    n = min(len(old), len(new))
    for i in range(n):
        a, b = old[i], new[i]
        if a is not b and (not a.event_id or a.event_id != b.event_id):
            return i
    return n


_PROJECTORS: WeakKeyDictionary[Any, dict[int, Projector]] = WeakKeyDictionary()


def projector_for(source: EventSource, registry: Registry | None = None) -> Projector:
    """A projector shared per (store, registry), so repeated ``state_at`` calls stay warm."""
    registry = registry if registry is not None else default_registry()
    try:
        per_store = _PROJECTORS.setdefault(source, {})
    except TypeError:  # not weak-referenceable: no sharing
        return Projector(source, registry)
    projector = per_store.get(id(registry))
    if projector is None or projector.registry is not registry:
        projector = per_store[id(registry)] = Projector(source, registry)
    return projector


def state_at(
    source: EventSource,
    match_id: str,
    at: MatchClock | str | None = None,
    *,
    registry: Registry | None = None,
) -> MatchState:
    """The state of ``match_id`` at ``at`` (inclusive; None for the whole match)."""
    return projector_for(source, registry).state_at(match_id, at)
