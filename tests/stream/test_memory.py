"""The store contract, run against ``MemoryStore``."""

from __future__ import annotations

from pathlib import Path

from stream.memory import MemoryStore
from stream.store import EventStore
from tests.stream.contract import StoreContract


class TestMemoryStore(StoreContract):
    def create_store(self, tmp_path: Path) -> EventStore:
        return MemoryStore()
