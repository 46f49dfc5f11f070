"""The log: one append-only stream per match, a global position, several backends.

``open_store()`` gives the default SQLite store; see ``stream.store`` for the protocol.
"""

from stream.ids import assign_event_ids
from stream.ingest import ingest_events, ingest_many
from stream.memory import MemoryStore
from stream.sqlite import SqliteStore, default_store_path, open_store
from stream.store import (
    Append,
    AppendResult,
    Batch,
    ConcurrencyError,
    EventStore,
    MatchInfo,
    StoreError,
    UnknownMatchError,
    require_match,
)

__all__ = [
    "Append",
    "AppendResult",
    "Batch",
    "ConcurrencyError",
    "EventStore",
    "MatchInfo",
    "MemoryStore",
    "SqliteStore",
    "StoreError",
    "UnknownMatchError",
    "assign_event_ids",
    "default_store_path",
    "ingest_events",
    "ingest_many",
    "open_store",
    "require_match",
]
