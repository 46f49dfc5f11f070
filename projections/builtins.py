"""The built-in projections and the process-wide registry users add to."""

from __future__ import annotations

from typing import Any, TypeVar

from projections import cards, lineups, players, score, stats
from projections.registry import Projection, Registry

S = TypeVar("S")

BUILTINS: tuple[Projection[Any], ...] = (
    score.PROJECTION,
    lineups.PROJECTION,
    cards.PROJECTION,
    stats.PROJECTION,
    players.PROJECTION,
)

DEFAULT_REGISTRY = Registry(BUILTINS)
"""Built-ins first, then whatever :func:`register` adds."""


def new_registry(*extra: Projection[Any]) -> Registry:
    """A fresh registry with the built-ins and ``extra`` (tests, embedding apps)."""
    return Registry((*BUILTINS, *extra))


def register(projection: Projection[S], *, replace: bool = False) -> Projection[S]:
    """Add a custom projection to the default registry: ``state_at``, snapshots and
    ``livetext state`` include it from then on.  Returns the projection (so it can be
    used as ``momentum = register(Projection(...))``)."""
    return DEFAULT_REGISTRY.register(projection, replace=replace)
