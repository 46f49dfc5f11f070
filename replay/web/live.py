"""Live updates: one feed of changes for the whole app, fanned out to every open page.

A feed yields a :class:`Change` per new event (the store's subscription: a catch-up read
that turns into a live tail, which on SQLite polls the file and so sees other processes'
appends) or per new state (a Kafka ``livetext.states`` topic).  The hub gathers the
changes of a short window, builds each changed match's payload once (off the event loop)
and offers it to every subscriber of that match.  A subscriber's queue holds one payload:
a newer one replaces an unread older one, since each carries the whole state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio.to_thread

from replay.web.service import MatchService, UnknownMatchError, end_position
from stream import EventStore

if TYPE_CHECKING:
    from stream.kafka.config import KafkaSettings

log = logging.getLogger("livetext.web")

Payload = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Change:
    """Something new about a match: its id, and its state when the feed carries one."""

    match_id: str
    state: dict[str, Any] | None = None


Feed = Callable[[], AsyncIterator[Change]]
"""Starts following: each call gives a fresh iterator (the hub calls again after an error)."""


def store_feed(store: EventStore) -> Feed:
    """Follow the store's subscription from its end at the first call, resuming after the
    last position seen when called again."""
    position: int | None = None

    async def follow() -> AsyncIterator[Change]:
        nonlocal position
        if position is None:
            position = end_position(store)
        async for event in store.subscribe(position):
            position = event.position + 1
            yield Change(event.match_id)

    return follow


class LiveHub:
    """Subscribers per match, fed by one background follower."""

    def __init__(
        self,
        service: MatchService,
        feed: Feed,
        *,
        window: float = 0.05,
        retry_after: float = 1.0,
    ) -> None:
        self.service = service
        self.feed = feed
        self.window = window
        self.retry_after = retry_after
        self._subscribers: dict[str, set[asyncio.Queue[Payload]]] = {}
        self._pending: dict[str, dict[str, Any] | None] = {}
        self._wake: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def running(self) -> bool:
        """True once the follower runs."""
        return bool(self._tasks)

    def start(self) -> None:
        """Start following (idempotent; needs a running event loop)."""
        if self._tasks:
            return
        self._wake = asyncio.Event()
        self._tasks = [
            asyncio.create_task(self._follow(), name="livetext-follow"),
            asyncio.create_task(self._publish(), name="livetext-publish"),
        ]

    async def stop(self) -> None:
        """Stop following."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def subscribe(self, match_id: str) -> asyncio.Queue[Payload]:
        """A queue that receives the match's payload after each change."""
        self.start()
        queue: asyncio.Queue[Payload] = asyncio.Queue(maxsize=1)
        self._subscribers.setdefault(match_id, set()).add(queue)
        return queue

    def unsubscribe(self, match_id: str, queue: asyncio.Queue[Payload]) -> None:
        """Stop sending to ``queue``."""
        queues = self._subscribers.get(match_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._subscribers[match_id]

    def subscriber_count(self, match_id: str | None = None) -> int:
        """Open subscriptions (to one match, or to all)."""
        if match_id is not None:
            return len(self._subscribers.get(match_id, ()))
        return sum(len(q) for q in self._subscribers.values())

    async def _follow(self) -> None:
        assert self._wake is not None
        while True:
            try:
                async for change in self.feed():
                    if change.state is not None or change.match_id not in self._pending:
                        self._pending[change.match_id] = change.state
                    self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live feed failed; following again in %s s", self.retry_after)
            await asyncio.sleep(self.retry_after)

    async def _publish(self) -> None:
        assert self._wake is not None
        while True:
            await self._wake.wait()
            await asyncio.sleep(self.window)  # let a batch of appends arrive
            self._wake.clear()
            pending, self._pending = self._pending, {}
            for match_id, state in pending.items():
                if not self._subscribers.get(match_id):
                    continue
                try:
                    payload = await anyio.to_thread.run_sync(self._payload, match_id, state)
                except Exception:
                    log.exception("cannot build the live state of %s", match_id)
                    continue
                for queue in list(self._subscribers.get(match_id, ())):
                    offer(queue, payload)

    def _payload(self, match_id: str, state: dict[str, Any] | None) -> Payload:
        if state is None:
            return self.service.live(match_id)
        try:  # a state from the broker; minutes from the store when it knows the match
            minutes = self.service.minutes(match_id)["minutes"]
        except UnknownMatchError:
            minutes = None
        return {
            "match_id": match_id,
            "last_seq": state.get("last_seq"),
            "minutes": minutes,
            "state": state,
        }


def offer(queue: asyncio.Queue[Payload], payload: Payload) -> None:
    """Put ``payload`` in a one-slot queue, dropping the unread older payload."""
    with contextlib.suppress(asyncio.QueueEmpty):
        if queue.full():
            queue.get_nowait()
    queue.put_nowait(payload)


def kafka_feed(settings: KafkaSettings) -> Feed:
    """Follow ``PREFIX.states`` from now: each state the pipeline publishes, ready-made."""
    from stream.kafka.clients import follow

    async def follow_states() -> AsyncIterator[Change]:
        async for message in follow(settings, from_start=False):
            yield Change(message.match_id, message.state)

    return follow_states


def merged_feed(*feeds: Feed) -> Feed:
    """One feed of the changes of several (the store's appends and the Kafka states)."""

    async def follow_all() -> AsyncIterator[Change]:
        queue: asyncio.Queue[Change | BaseException] = asyncio.Queue()

        async def pump(feed: Feed) -> None:
            try:
                async for change in feed():
                    await queue.put(change)
            except Exception as exc:  # handed to the hub, which follows again
                await queue.put(exc)

        tasks = [asyncio.create_task(pump(feed)) for feed in feeds]
        try:
            while True:
                item = await queue.get()
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            for task in tasks:
                task.cancel()

    return follow_all
