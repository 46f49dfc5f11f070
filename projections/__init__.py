"""livetext projections: the state of a match at any clock, rebuilt from its stream.

Pure reducers fold typed events into a frozen :class:`MatchState`; a registry names the
projections (``score``, ``lineups``, ``cards``, ``stats``, ``players`` and any a user
registers); :func:`state_at` answers at any clock through snapshots.  See
``projections/README.md`` for the counting rules.
"""

from projections.base import Anomaly
from projections.builtins import BUILTINS, DEFAULT_REGISTRY, new_registry, register
from projections.context import MatchContext, build_context
from projections.fold import apply, fold, initial_state, prepare, replay
from projections.projector import (
    AtClockError,
    MemorySnapshotStore,
    Projector,
    Snapshot,
    SnapshotStore,
    at_bound,
    projector_for,
    state_at,
)
from projections.reconcile import Reconciliation, reconcile
from projections.registry import Projection, ProjectionError, Registry, to_jsonable
from projections.state import MatchState

__all__ = [
    "BUILTINS",
    "DEFAULT_REGISTRY",
    "Anomaly",
    "AtClockError",
    "MatchContext",
    "MatchState",
    "MemorySnapshotStore",
    "Projection",
    "ProjectionError",
    "Projector",
    "Reconciliation",
    "Registry",
    "Snapshot",
    "SnapshotStore",
    "apply",
    "at_bound",
    "build_context",
    "fold",
    "initial_state",
    "new_registry",
    "prepare",
    "projector_for",
    "reconcile",
    "register",
    "replay",
    "state_at",
    "to_jsonable",
]
