"""Projections by name: an initial state, one pure reducer per event type, a version.

A :class:`Projection` is the unit users extend: ::

    momentum = Projection("momentum", version=1, initial=Momentum())

    @momentum.on(Attempt, Corner)
    def _(state: Momentum, event: Attempt | Corner, ctx: MatchContext) -> Momentum: ...

    register(momentum)        # state_at, snapshots and `livetext state` now include it

A :class:`Registry` freezes its projections into a :class:`Plan` (the projections in
order, their versions and a dispatch table); every state carries the plan it was folded
with, and snapshots compare plan versions to know when to rebuild.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from events.clock import MatchClock
from events.models import EVENT_TYPES, EventBase
from projections.base import Anomaly
from projections.context import MatchContext

if TYPE_CHECKING:
    from projections.state import MatchState

S = TypeVar("S")
Reducer = Callable[[Any, Any, MatchContext], Any]
"""``reducer(state, event, ctx) -> state``: pure, never mutates its arguments."""
Renderer = Callable[[Any, "MatchState"], Any]

FOLD_VERSION = 1
"""Version of the fold itself (ordering, retractions); part of every plan's versions."""


class ProjectionError(ValueError):
    """A projection that cannot be registered (bad name, duplicate, bad version)."""


class Projection(Generic[S]):
    """A named fold: ``initial`` (a value, or a function of the match context), reducers
    per event type, and a version to bump whenever the reducers change meaning.

    ``reducer=`` takes one function for every event, or a ``functools.singledispatch``
    function whose implementations are registered per event class
    (``@reducer.register(Corner)``): its table is unpacked so dispatch is on the event,
    not on the state.  :meth:`on` registers one function per type.  A reducer for a base class (say
    :class:`EventBase`) receives every event of its subclasses without a reducer of its own.
    ``render(state, match_state)`` turns the state into JSON (default: a generic
    conversion of dataclasses, named tuples, pydantic models, mappings and sequences).
    ``key`` names the top-level key of the state JSON the part renders to (the built-in
    ones: ``score``, ``lineups``...); without one it goes under ``custom``.
    ``anomalies(state)`` lists what the part found that does not add up (default: an
    ``anomalies`` tuple the part, or each of its sides, holds).  ``builtin`` ones cannot
    be unregistered.
    """

    def __init__(
        self,
        name: str,
        version: int,
        initial: S | Callable[[MatchContext], S],
        reducers: Mapping[type[EventBase], Reducer] | None = None,
        *,
        reducer: Reducer | None = None,
        render: Renderer | None = None,
        doc: str = "",
        key: str | None = None,
        anomalies: Callable[[S], Iterable[Anomaly]] | None = None,
        builtin: bool = False,
    ) -> None:
        if not name or not name.replace("_", "").isalnum():
            raise ProjectionError(f"projection name must be a word: {name!r}")
        if not isinstance(version, int) or version < 0:
            raise ProjectionError(f"projection {name!r}: version must be an int >= 0")
        self.name = name
        self.version = version
        self._initial = initial
        self.reducers: dict[type[EventBase], Reducer] = dict(reducers or {})
        if reducer is not None:
            self.reducers.update(_unpack(reducer))
        self._render = render
        self.doc = doc
        self.key = key
        self._anomalies = anomalies
        self.builtin = builtin

    def on(self, *types: type[EventBase]) -> Callable[[Callable[..., S]], Callable[..., S]]:
        """Decorator: register the function as this projection's reducer for ``types``."""

        def decorate(fn: Callable[..., S]) -> Callable[..., S]:
            for cls in types:
                self.reducers[cls] = fn
            return fn

        return decorate

    def initial(self, ctx: MatchContext) -> S:
        """The state before the first event of a match."""
        if callable(self._initial):
            return self._initial(ctx)
        return self._initial

    def render(self, part: S, state: MatchState) -> Any:
        """This projection's part of the state JSON."""
        if self._render is not None:
            return self._render(part, state)
        return to_jsonable(part)

    def anomalies(self, part: S) -> Iterable[Anomaly]:
        """What this part found that does not add up."""
        if self._anomalies is not None:
            return self._anomalies(part)
        return held_anomalies(part)

    def __repr__(self) -> str:
        return f"Projection({self.name!r}, version={self.version})"


def held_anomalies(part: Any) -> list[Anomaly]:
    """The anomalies a part holds: its own ``anomalies`` tuple, or each side's."""
    found: list[Anomaly] = []
    own = getattr(part, "anomalies", None)
    if isinstance(own, tuple):
        found.extend(a for a in own if isinstance(a, Anomaly))
    if isinstance(part, tuple):
        for sub in part:
            nested = getattr(sub, "anomalies", None)
            if isinstance(sub, tuple) and isinstance(nested, tuple):
                found.extend(a for a in nested if isinstance(a, Anomaly))
    return found


def _unpack(reducer: Reducer) -> dict[type[EventBase], Reducer]:
    """A plain reducer for every event, or a singledispatch table keyed by event class."""
    table = getattr(reducer, "registry", None)
    if not isinstance(table, Mapping) or not callable(getattr(reducer, "dispatch", None)):
        return {EventBase: reducer}
    out: dict[type[EventBase], Reducer] = {}
    for cls, impl in table.items():
        if cls is object:
            out[EventBase] = impl
        elif isinstance(cls, type) and issubclass(cls, EventBase):
            out[cls] = impl
        else:
            raise ProjectionError(
                f"singledispatch reducer registered for {cls!r}: register implementations "
                "by event class, e.g. @reducer.register(Corner)"
            )
    return out


def to_jsonable(value: Any) -> Any:
    """Plain JSON data from dataclasses, named tuples, pydantic models and containers."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, MatchClock):
        return value.label
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {k: to_jsonable(v) for k, v in value._asdict().items()}
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return to_jsonable(dump(mode="json"))
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [to_jsonable(v) for v in value]
    return str(value)


Dispatch = tuple[tuple[int, Reducer], ...]


class Plan:
    """An immutable view of a registry: projections in order, versions, dispatch table."""

    __slots__ = ("_table", "index", "projections", "versions")

    def __init__(self, projections: Iterable[Projection[Any]]) -> None:
        self.projections: tuple[Projection[Any], ...] = tuple(projections)
        self.versions: tuple[tuple[str, int], ...] = (
            ("_fold", FOLD_VERSION),
            *((p.name, p.version) for p in self.projections),
        )
        self.index: dict[str, int] = {p.name: i for i, p in enumerate(self.projections)}
        self._table: dict[type, Dispatch] = {}
        for cls in EVENT_TYPES.values():
            self._table[cls] = self._resolve(cls)

    def _resolve(self, cls: type) -> Dispatch:
        found: list[tuple[int, Reducer]] = []
        for i, projection in enumerate(self.projections):
            for base in cls.__mro__:
                reducer = projection.reducers.get(base)
                if reducer is not None:
                    found.append((i, reducer))
                    break
        return tuple(found)

    @property
    def table(self) -> dict[type, Dispatch]:
        """Event class -> the (part index, reducer) pairs it runs, in registry order."""
        return self._table

    def dispatch(self, cls: type) -> Dispatch:
        """The reducers an event class runs (subclasses resolved through the MRO)."""
        try:
            return self._table[cls]
        except KeyError:
            found = self._table[cls] = self._resolve(cls)
            return found

    def initial_parts(self, ctx: MatchContext) -> tuple[Any, ...]:
        """Every projection's initial state for one match."""
        return tuple(p.initial(ctx) for p in self.projections)


class Registry:
    """Projections by name, in registration order; :meth:`plan` freezes them."""

    def __init__(self, projections: Iterable[Projection[Any]] = ()) -> None:
        self._projections: dict[str, Projection[Any]] = {}
        self._plan: Plan | None = None
        for projection in projections:
            self.register(projection)

    def register(self, projection: Projection[S], *, replace: bool = False) -> Projection[S]:
        """Add a projection (``replace=True`` swaps one of the same name, e.g. a new version)."""
        if not isinstance(projection, Projection):
            raise ProjectionError(f"not a Projection: {projection!r}")
        if projection.name in self._projections and not replace:
            raise ProjectionError(f"a projection named {projection.name!r} is registered")
        self._projections[projection.name] = projection
        self._plan = None
        return projection

    def unregister(self, name: str) -> None:
        """Remove a projection (the built-in ones cannot be removed)."""
        found = self._projections.get(name)
        if found is not None and found.builtin:
            raise ProjectionError(f"{name!r} is a built-in projection")
        self._projections.pop(name, None)
        self._plan = None

    def __contains__(self, name: object) -> bool:
        return name in self._projections

    def __getitem__(self, name: str) -> Projection[Any]:
        return self._projections[name]

    @property
    def names(self) -> tuple[str, ...]:
        """Registered names in order (the built-in ones first)."""
        return tuple(self._projections)

    def versions(self) -> dict[str, int]:
        """Name -> version of every registered projection."""
        return {name: p.version for name, p in self._projections.items()}

    def plan(self) -> Plan:
        """The current projections, frozen (cached until the registry changes)."""
        if self._plan is None:
            self._plan = Plan(self._projections.values())
        return self._plan

    def copy(self) -> Registry:
        """An independent registry with the same projections."""
        return Registry(self._projections.values())
