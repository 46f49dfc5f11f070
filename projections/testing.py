"""Writing projection tests in a few lines: given these lines, at this clock, expect this.

::

    from projections.testing import given

    def test_corner_counts() -> None:
        given(
            "10' Corner, Inter Milan. Conceded by Sandro Tonali.",
            "12' Goal! Inter Milan 1, AC Milan 0. Lautaro Martínez (Inter Milan) header ...",
        ).at("11").expect({"stats.home.corners": 1, "score": {"home": 0}})

Lines are parsed with :func:`events.parser.parse_line` (a leading clock such as ``45+2'``
is read off); events may be given instead.  The state is computed exactly as ``livetext
state`` does it (a :class:`~projections.projector.Projector` over an in-memory stream),
so snapshots and ``--at`` semantics are the real ones.  ``expect`` checks a subset: dict
keys present in the expectation (dotted paths allowed), lists compared whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from events.clock import MatchClock
from events.identity import event_id
from events.models import EventBase
from projections.builtins import new_registry
from projections.projector import Projector
from projections.registry import Projection, Registry
from projections.state import MatchState


class ListSource:
    """An in-memory, read-only event source: one match's events in arrival order."""

    def __init__(self, match_id: str, events: Sequence[EventBase], meta: Any = None) -> None:
        self.match_id = match_id
        self._events = list(events)
        self._meta: dict[str, Any] = dict(meta) if isinstance(meta, Mapping) else {}
        if meta is not None and not isinstance(meta, Mapping):
            self._meta = {"sheet": meta}

    def append(self, *events: EventBase) -> None:
        """Add events at the end (they get the next seqs)."""
        self._events.extend(stamp(self.match_id, events, start=len(self._events) + 1))

    def read(
        self, match_id: str, from_seq: int = 1, to_clock: MatchClock | None = None
    ) -> list[EventBase]:
        """Events from ``from_seq`` (``to_clock`` is ignored: the projector bounds itself)."""
        if match_id != self.match_id:
            return []
        return self._events[from_seq - 1 :]

    def last_seq(self, match_id: str) -> int:
        """How many events the match has."""
        return len(self._events) if match_id == self.match_id else 0

    def get_meta(self, match_id: str) -> dict[str, Any]:
        """The match's metadata."""
        return dict(self._meta) if match_id == self.match_id else {}


def stamp(match_id: str, events: Iterable[EventBase], start: int = 1) -> list[EventBase]:
    """Give events what the stream would: ``match_id``, ``seq`` and a stable ``event_id``."""
    out: list[EventBase] = []
    seen: dict[tuple[str, Any], int] = {}
    for seq, event in enumerate(events, start):
        update: dict[str, Any] = {"match_id": match_id, "seq": seq}
        if not event.event_id:
            key = (event.text, event.clock)
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            update["event_id"] = event_id(match_id, event.text, event.clock, occurrence)
        out.append(event.model_copy(update=update))
    return out


def parse(lines: Iterable[str | EventBase]) -> list[EventBase]:
    """Events from lines (``"45+2' Foul by ..."``) and/or ready events, in order."""
    from events.parser import parse_line, split_clock

    out: list[EventBase] = []
    for line in lines:
        if isinstance(line, EventBase):
            out.append(line)
        elif line.strip():
            clock, text = split_clock(line.strip())
            out.append(parse_line(text, clock))
    return out


class Given:
    """A match made of lines; :meth:`at` picks a clock, :meth:`expect` checks the state."""

    def __init__(
        self,
        lines: Sequence[str | EventBase],
        *,
        home: str | None = None,
        away: str | None = None,
        meta: Any = None,
        match_id: str = "test",
        projections: Sequence[Projection[Any]] = (),
        registry: Registry | None = None,
        at: MatchClock | str | None = None,
    ) -> None:
        self.match_id = match_id
        self.events = stamp(match_id, parse(lines))
        if meta is None and (home or away):
            meta = {"home": home, "away": away}
        self.meta = meta
        self.registry = registry if registry is not None else new_registry(*projections)
        self.clock = at
        self._projector: Projector | None = None

    def at(self, clock: MatchClock | str | None) -> Given:
        """The same match looked at another clock (inclusive, like ``--at``)."""
        other = Given.__new__(Given)
        other.__dict__.update(self.__dict__)
        other.clock = clock
        return other

    @property
    def state(self) -> MatchState:
        """The state at the chosen clock (the end of the match when none)."""
        if self._projector is None:
            source = ListSource(self.match_id, self.events, self.meta)
            self._projector = Projector(source, self.registry, snapshot_every=8)
        return self._projector.state_at(self.match_id, self.clock)

    def json(self) -> dict[str, Any]:
        """The state JSON at the chosen clock."""
        return self.state.to_json()

    def expect(self, expected: Mapping[str, Any]) -> MatchState:
        """Assert the state JSON contains ``expected`` (dotted keys allowed); returns the state."""
        state = self.state
        assert_subset(state.to_json(), expected)
        return state


def given(
    *lines: str | EventBase,
    home: str | None = None,
    away: str | None = None,
    meta: Any = None,
    projections: Sequence[Projection[Any]] = (),
    registry: Registry | None = None,
) -> Given:
    """A match of these lines (a fresh registry with the built-ins and ``projections``)."""
    return Given(lines, home=home, away=away, meta=meta, projections=projections, registry=registry)


def assert_subset(actual: Any, expected: Any, path: str = "state") -> None:
    """Fail with the first path where ``actual`` does not contain ``expected``."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            raise AssertionError(f"{path}: expected a mapping, got {actual!r}")
        for key, value in expected.items():
            node, where = actual, path
            for part in str(key).split("."):
                if not isinstance(node, Mapping) or part not in node:
                    raise AssertionError(f"{where}: no key {part!r} (has {_keys(node)})")
                node, where = node[part], f"{where}.{part}"
            assert_subset(node, value, where)
        return
    if actual != expected:
        raise AssertionError(f"{path}: expected {expected!r}, got {actual!r}")


def _keys(node: Any) -> str:
    return ", ".join(sorted(map(str, node))) if isinstance(node, Mapping) else type(node).__name__
