"""``MemoryStore``: the event store in a process's memory (tests, ``--store :memory:``).

Thread-safe (one lock); subscribers are woken by a notification rather than by polling.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

import orjson

from events.clock import MatchClock
from events.models import EventBase
from stream.staging import stage
from stream.store import (
    AppendResult,
    BaseStore,
    Batch,
    MatchInfo,
    Prepared,
    check_from,
    up_to_clock,
)
from stream.subscribe import tail


@dataclass
class _Stream:
    events: list[EventBase] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    meta: bytes = b"{}"
    last_clock: MatchClock | None = None


class MemoryStore(BaseStore):
    """Every event in lists; metadata kept as JSON bytes so callers never share a dict."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._log: list[EventBase] = []
        self._streams: dict[str, _Stream] = {}
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def append_many(self, batches: Sequence[Batch | Prepared]) -> list[AppendResult]:
        with self._lock:
            # Stage every batch first: nothing changes unless all of them pass.
            staged = stage(batches, self._streams.get, len(self._log))
            for match_id, new in staged.per_match.items():
                if new:
                    self._record(match_id, new)
            self._log.extend(staged.records)
            self._notify()
        return staged.results

    def _record(self, match_id: str, new: list[EventBase]) -> None:
        stream = self._streams.setdefault(match_id, _Stream())
        stream.events.extend(new)
        stream.ids.update(e.event_id for e in new)
        clocks = [e.clock for e in new if e.clock is not None]
        if stream.last_clock is not None:
            clocks.append(stream.last_clock)
        stream.last_clock = max(clocks, default=None)

    def read(
        self, match_id: str, from_seq: int = 1, to_clock: MatchClock | None = None
    ) -> list[EventBase]:
        check_from("from_seq", from_seq)
        with self._lock:
            stream = self._streams.get(match_id)
            events = list(stream.events) if stream else []
        if to_clock is not None:
            events = up_to_clock(events, to_clock)
        return [e for e in events if e.seq >= from_seq]

    def read_all(self, from_position: int = 1, limit: int | None = None) -> list[EventBase]:
        check_from("from_position", from_position)
        with self._lock:
            end = None if limit is None else from_position - 1 + limit
            return self._log[from_position - 1 : end]

    def last_seq(self, match_id: str) -> int:
        with self._lock:
            stream = self._streams.get(match_id)
            return len(stream.events) if stream else 0

    def matches(self) -> list[MatchInfo]:
        with self._lock:
            infos = []
            for match_id in sorted(self._streams):
                stream = self._streams[match_id]
                meta = orjson.loads(stream.meta)
                infos.append(
                    MatchInfo(
                        match_id,
                        meta.get("home"),
                        meta.get("away"),
                        len(stream.events),
                        stream.last_clock,
                    )
                )
            return infos

    def put_meta(self, match_id: str, meta: Mapping[str, Any]) -> None:
        data = orjson.dumps(dict(meta))
        with self._lock:
            self._streams.setdefault(match_id, _Stream()).meta = data

    def update_meta(self, match_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            stream = self._streams.get(match_id) or _Stream()
            stream.meta = orjson.dumps({**orjson.loads(stream.meta), **changes})
            self._streams[match_id] = stream
            merged: dict[str, Any] = orjson.loads(stream.meta)
            return merged

    def get_meta(self, match_id: str) -> dict[str, Any]:
        with self._lock:
            stream = self._streams.get(match_id)
            meta: dict[str, Any] = orjson.loads(stream.meta) if stream else {}
            return meta

    def close(self) -> None:
        """Nothing to release."""

    def subscribe(self, from_position: int = 1) -> AsyncIterator[EventBase]:
        check_from("from_position", from_position)
        return self._subscribe(from_position)

    async def _subscribe(self, from_position: int) -> AsyncIterator[EventBase]:
        wake = asyncio.Event()
        waiter = (asyncio.get_running_loop(), wake)
        with self._lock:
            self._waiters.add(waiter)

        async def wait() -> None:
            # ``set`` only ever runs on this loop, so nothing slips in between these two.
            await wake.wait()
            wake.clear()

        try:
            async with aclosing(tail(self.read_all, wait, from_position)) as events:
                async for event in events:
                    yield event
        finally:
            with self._lock:
                self._waiters.discard(waiter)

    def _notify(self) -> None:
        """Wake every subscriber (from any thread); the caller holds the lock."""
        for loop, wake in list(self._waiters):
            try:
                loop.call_soon_threadsafe(wake.set)
            except RuntimeError:  # the subscriber's loop is closed
                self._waiters.discard((loop, wake))
