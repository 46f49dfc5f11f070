"""The event store: its protocol and the types every backend shares.

A store holds one append-only stream per match: ``seq`` runs 1.. within a match and
``position`` 1.. across all matches, in commit order.  Nothing is ever updated or deleted;
a correction is a new event (``events.models.Retraction``).  Backends: ``MemoryStore``
(``stream.memory``), ``SqliteStore`` (``stream.sqlite``), ``KafkaStore``
(``stream.kafka.store``); they number appends with one function (``stream.numbering``),
and one contract test suite (``tests/stream/contract.py``) holds them to the same
behaviour.
"""

from __future__ import annotations

import difflib
import gc
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType, TracebackType
from typing import Any, Generic, NamedTuple, Protocol, Self, TypeVar, runtime_checkable

from events.clock import MatchClock
from events.models import EventBase, loads, updated


class StoreError(Exception):
    """The store cannot do what was asked: a foreign or corrupt file, a lock held too long."""


class ConcurrencyError(StoreError):
    """``expected_seq`` was stale: another writer appended to the match first."""

    def __init__(self, match_id: str, expected: int, actual: int) -> None:
        self.match_id, self.expected, self.actual = match_id, expected, actual
        super().__init__(
            f"match {match_id!r}: expected the stream to end at seq {expected}, but it ends "
            f"at seq {actual} (another writer appended first); read from seq {expected + 1} "
            "and retry"
        )


class UnknownMatchError(StoreError):
    """The store holds neither events nor metadata for the match."""

    def __init__(self, match_id: str, known: Sequence[str]) -> None:
        self.match_id, self.known = match_id, list(known)
        close = difflib.get_close_matches(match_id, self.known, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        listed = ", ".join(self.known[:10]) + (", ..." if len(self.known) > 10 else "")
        super().__init__(
            f"no match {match_id!r} in the store{hint} "
            f"({len(self.known)} matches{': ' + listed if listed else ''})"
        )


class Batch(NamedTuple):
    """Events to append to one match.

    ``expected_seq`` is the seq the caller believes is last (0 for a stream not yet
    written), ``None`` to append wherever the stream ends.  ``whole_source`` says the batch
    is a complete source (a page, a feed file): events without an id are then numbered
    within the batch alone, so sending the source again appends nothing; otherwise (a live
    line) the stream's earlier lines count too (see ``stream.ids``).  A named tuple: an
    ingest makes one per match, and a tuple is cheaper to make than a dataclass.
    """

    match_id: str
    events: Sequence[EventBase]
    expected_seq: int | None = None
    whole_source: bool = False


PreparedRow = tuple[str, str, int | None, Any]
"""A row before the store is asked: (event id, type, clock number or None, JSON)."""


class Prepared(NamedTuple):
    """A whole source's batch numbered as far as it can be without the store
    (``stream.numbering.prepare``): its rows but for seq and position, the events the
    batch itself repeats (each with the number of rows before it), and the latest clock
    number among the rows.  What a worker process hands the one writer (``livetext
    ingest``): the writer only counts it on."""

    match_id: str
    rows: list[PreparedRow]
    duplicates: tuple[tuple[int, EventBase], ...] = ()
    last_clock: int | None = None
    expected_seq: int | None = None

    def decoded(self, rows: Iterable[PreparedRow]) -> list[EventBase]:
        """The events of ``rows`` back from their JSON, with the match and their ids."""
        return [
            updated(loads(bytes(data)), {"match_id": self.match_id, "event_id": eid})
            for eid, _, _, data in rows
        ]


T = TypeVar("T")
_NO_META: Mapping[str, Mapping[str, Any]] = MappingProxyType({})


class Append(NamedTuple, Generic[T]):
    """One transaction of :meth:`EventStore.append_each`: its batches, and metadata
    changes (``{match_id: changes}``, merged as ``update_meta`` merges them) written with
    them; ``tag`` is the caller's, given back with the results."""

    tag: T
    batches: Sequence[Batch | Prepared]
    meta: Mapping[str, Mapping[str, Any]] = _NO_META


@dataclass(frozen=True, slots=True)
class AppendResult:
    """What one append did: the events it recorded (copies with ``match_id``, ``seq``,
    ``position`` and ``event_id`` set) and the input events it skipped because their
    ``event_id`` was already in the stream (with the id they were given)."""

    match_id: str
    recorded: tuple[EventBase, ...]
    duplicates: tuple[EventBase, ...]
    last_seq: int

    @property
    def appended(self) -> int:
        return len(self.recorded)


class LazyAppendResult(AppendResult):
    """An :class:`AppendResult` whose ``recorded`` copies are made when first read.

    Most callers only count what an append did (``appended``), so the numbered copies wait
    until asked for.  It equals, hashes, prints and pickles like the plain
    :class:`AppendResult` with the same fields (``dataclasses.replace`` and ``asdict`` work
    too).
    """

    # (match_id, recorded, duplicates, last_seq), or while the copies wait
    # (match_id, events, duplicates, last_seq, ids, last_position): the events recorded
    # after ``last_seq - len(events)`` and ``last_position``
    __slots__ = ("_state",)
    _state: tuple[Any, ...]

    def __init__(
        self,
        match_id: str,
        recorded: tuple[EventBase, ...],
        duplicates: tuple[EventBase, ...],
        last_seq: int,
    ) -> None:
        object.__setattr__(self, "_state", (match_id, recorded, duplicates, last_seq))

    @classmethod
    def numbering(
        cls,
        match_id: str,
        events: Sequence[EventBase],
        ids: Sequence[str],
        last_seq: int,
        last_position: int,
        duplicates: tuple[EventBase, ...],
    ) -> LazyAppendResult:
        """The result of recording ``events`` (with ids ``ids``) after ``last_seq`` and
        ``last_position``: seqs and positions run on from there.  The sequences are kept
        as they are: the caller gives them up."""
        self = object.__new__(cls)
        state = (match_id, events, duplicates, last_seq + len(events), ids, last_position)
        object.__setattr__(self, "_state", state)
        return self

    @property
    def match_id(self) -> str:
        match_id: str = self._state[0]
        return match_id

    @property
    def duplicates(self) -> tuple[EventBase, ...]:
        duplicates: tuple[EventBase, ...] = self._state[2]
        return duplicates

    @property
    def last_seq(self) -> int:
        last_seq: int = self._state[3]
        return last_seq

    @property
    def recorded(self) -> tuple[EventBase, ...]:
        state = self._state
        if len(state) == 4:
            recorded: tuple[EventBase, ...] = state[1]
            return recorded
        match_id, events, duplicates, last_seq, ids, position = state
        seq = last_seq - len(events)
        recorded = tuple(
            numbered(event, match_id, seq + i, position + i, eid)
            for i, (event, eid) in enumerate(zip(events, ids, strict=True), 1)
        )
        object.__setattr__(self, "_state", (match_id, recorded, duplicates, last_seq))
        return recorded

    @property
    def appended(self) -> int:
        return len(self._state[1])

    def _fields(self) -> tuple[str, tuple[EventBase, ...], tuple[EventBase, ...], int]:
        return (self.match_id, self.recorded, self.duplicates, self.last_seq)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AppendResult):
            return NotImplemented
        return self._fields() == (other.match_id, other.recorded, other.duplicates, other.last_seq)

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (
            f"AppendResult(match_id={self.match_id!r}, recorded={self.recorded!r}, "
            f"duplicates={self.duplicates!r}, last_seq={self.last_seq!r})"
        )

    def __reduce__(self) -> tuple[type[AppendResult], tuple[Any, ...]]:
        return AppendResult, self._fields()


@dataclass(frozen=True, slots=True)
class MatchInfo:
    """One match of the store: teams from its metadata, how many events, the latest clock."""

    match_id: str
    home: str | None
    away: str | None
    event_count: int
    last_clock: MatchClock | None


@runtime_checkable
class EventStore(Protocol):
    """What every backend offers.  Reads return events in ``seq`` (or ``position``) order."""

    def append(
        self, match_id: str, events: Sequence[EventBase], expected_seq: int | None = None
    ) -> AppendResult:
        """Append atomically; an event whose ``event_id`` is already in the match is skipped.

        Events without an ``event_id`` get ``events.identity.event_id(match_id, text, clock,
        occurrence)``, occurrence counting the earlier events of this stream and batch with
        the same normalised text and clock (see ``stream.ids``).  Raises
        ``ConcurrencyError`` when ``expected_seq`` is given and is not the last seq.
        """
        ...

    def append_many(self, batches: Sequence[Batch | Prepared]) -> list[AppendResult]:
        """Append several batches (any matches) in one transaction: all or nothing."""
        ...

    def append_each(
        self, appends: Iterable[Append[T]], *, group_rows: int = 0
    ) -> Iterator[tuple[T, list[AppendResult]]]:
        """Each append (batches and metadata) all or nothing, in order: ``(tag, results)``
        once it is durable.  ``appends`` is read as the results are.  An error stops it
        there: the appends before it are kept, the rest are not made.  ``group_rows`` lets
        a backend commit several appends together until they hold that many events (for
        many small sources; their results come after the commit); backends without
        transactions ignore it."""
        ...

    def read(
        self, match_id: str, from_seq: int = 1, to_clock: MatchClock | None = None
    ) -> list[EventBase]:
        """The match's events from ``from_seq`` in seq order; with ``to_clock`` see
        :func:`up_to_clock` (inclusive).  An unknown match reads as empty."""
        ...

    def read_all(self, from_position: int = 1, limit: int | None = None) -> list[EventBase]:
        """Every match's events from a global position, in position order."""
        ...

    def last_seq(self, match_id: str) -> int:
        """The seq of the match's last event; 0 when it has none."""
        ...

    def matches(self) -> list[MatchInfo]:
        """Every match with events or metadata, sorted by match id."""
        ...

    def put_meta(self, match_id: str, meta: Mapping[str, Any]) -> None:
        """Replace the match's metadata (any JSON object: teams, line-up sheet, source)."""
        ...

    def update_meta(self, match_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Merge ``changes`` into the match's metadata atomically; returns the result."""
        ...

    def get_meta(self, match_id: str) -> dict[str, Any]:
        """The match's metadata (a fresh copy); ``{}`` when none was stored."""
        ...

    def set_match_info(self, match_id: str, home: str, away: str, **extra: Any) -> None:
        """Record the teams (and any ``extra`` keys) in the match's metadata."""
        ...

    def subscribe(self, from_position: int = 1) -> AsyncIterator[EventBase]:
        """Every event from ``from_position`` on: a catch-up read that becomes a live tail.
        Runs until the consuming task is cancelled."""
        ...

    def close(self) -> None:
        """Release the store's resources."""
        ...


class BaseStore(ABC):
    """What backends share: ``append`` and ``set_match_info`` in terms of the primitives."""

    def append(
        self, match_id: str, events: Sequence[EventBase], expected_seq: int | None = None
    ) -> AppendResult:
        return self.append_many([Batch(match_id, events, expected_seq)])[0]

    @abstractmethod
    def append_many(self, batches: Sequence[Batch | Prepared]) -> list[AppendResult]: ...

    def append_each(
        self, appends: Iterable[Append[T]], *, group_rows: int = 0
    ) -> Iterator[tuple[T, list[AppendResult]]]:
        """In turn: each append's batches (``append_many``), then its metadata changes
        (``update_meta``), for backends with no transaction spanning both (``group_rows``
        has nothing to group)."""
        for tag, batches, meta in appends:
            results = self.append_many(batches)
            for match_id, changes in meta.items():
                self.update_meta(match_id, changes)
            yield tag, results

    @abstractmethod
    def update_meta(self, match_id: str, changes: Mapping[str, Any]) -> dict[str, Any]: ...

    def set_match_info(self, match_id: str, home: str, away: str, **extra: Any) -> None:
        self.update_meta(match_id, {"home": home, "away": away, **extra})

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def require_match(store: EventStore, match_id: str) -> None:
    """Raise :class:`UnknownMatchError` unless the store has events or metadata for the match."""
    if store.last_seq(match_id) == 0 and not store.get_meta(match_id):
        raise UnknownMatchError(match_id, [m.match_id for m in store.matches()])


# --- helpers shared by the backends -------------------------------------------------------


@contextmanager
def collector_paused() -> Iterator[None]:
    """CPython's cyclic garbage collector paused while a read decodes many events, or an
    append makes many rows: each collection would walk every object made so far, again
    and again (at 100k events three times the decoding itself).  Events, rows and results
    hold no reference cycles, so nothing is left uncollected; other threads' cycles wait
    for the next collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def up_to_clock(events: Sequence[EventBase], to_clock: MatchClock) -> list[EventBase]:
    """The events of one stream (in seq order) that happened at or before ``to_clock``.

    A clocked event is kept when its clock is ``<= to_clock``, wherever it sits in the
    stream (a booking taken from the line-ups and appended last still counts at its
    minute).  An event without a clock is kept when it comes, in seq order, before the first
    event whose clock is past ``to_clock``: it is placed by its neighbours.  The rule is
    applied to the whole stream, so ``read(m, from_seq=k, to_clock=c)`` is
    ``read(m, to_clock=c)`` without the events before ``k``.
    """
    limit = to_clock.key
    first_past = next((e.seq for e in events if e.clock is not None and e.clock.key > limit), None)
    return [
        e
        for e in events
        if (
            e.clock.key <= limit
            if e.clock is not None
            else first_past is None or e.seq < first_past
        )
    ]


def check_match_ids(batches: Sequence[Batch | Prepared]) -> None:
    """Reject a batch holding an event already bound to another match (before any write;
    a prepared batch was checked as it was prepared)."""
    for batch in batches:
        match_id = batch.match_id
        if not match_id:
            raise ValueError("match_id must be a non-empty string")
        if isinstance(batch, Prepared):
            continue
        for event in batch.events:
            if event.match_id and event.match_id != match_id:
                raise ValueError(
                    f"event {event.event_id or event.text[:40]!r} belongs to match "
                    f"{event.match_id!r}, not {batch.match_id!r}"
                )


def batch_size(batch: Batch | Prepared) -> int:
    """The events a batch holds (a prepared one: its rows and the duplicates it set apart)."""
    if isinstance(batch, Prepared):
        return len(batch.rows) + len(batch.duplicates)
    return len(batch.events)


def numbered(event: EventBase, match_id: str, seq: int, position: int, eid: str) -> EventBase:
    """The event as recorded: a copy with ``match_id``, ``seq``, ``position`` and
    ``event_id`` set (``events.models.updated``)."""
    return updated(event, {"match_id": match_id, "seq": seq, "position": position, "event_id": eid})


def with_id(event: EventBase, eid: str) -> EventBase:
    """A copy of the event with ``event_id`` set (what a duplicate is reported as)."""
    return updated(event, {"event_id": eid})


def check_from(name: str, value: int) -> None:
    if value < 1:
        raise ValueError(f"{name} starts at 1, got {value}")
