"""``KafkaStore``: the event store protocol on a Kafka topic (a one-partition log).

Each ``append``/``append_many`` call is one record of ``PREFIX.events``: a JSON array of
the recorded events (each with its match id, seq, event id), so a call lands whole or
not at all.  Positions are the events' places in the topic's order, which Kafka keeps
only within a partition: the topic must have exactly one.  Metadata lives in
``PREFIX.meta`` (compacted, keyed by match id).  A handle reads the topics into memory
and catches up before every call; it is a way to read and test a Kafka log through the
store's API, not a database: every read scans what it has not seen yet.

What does not hold on Kafka (docs/kafka.md): ``expected_seq`` and the event-id check are
made against what this handle has read, so two handles racing on one match can both
append (Kafka has no compare-and-set; in the pipeline the single writer of a match is
the worker owning its partition); ``update_meta`` merges atomically per handle only.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Coroutine, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson

from events.clock import MatchClock
from events.models import EventBase, loads
from stream.kafka.config import Topics, bootstrap_servers
from stream.kafka.log import (
    AIOKafkaConsumer,
    AIOKafkaProducer,
    KafkaError,
    TopicPartition,
    declare_topics,
)
from stream.kafka.log import consumer as new_consumer
from stream.staging import stage
from stream.store import (
    AppendResult,
    BaseStore,
    Batch,
    MatchInfo,
    Prepared,
    StoreError,
    check_from,
    check_match_ids,
    up_to_clock,
)

T = TypeVar("T")
TIMEOUT = 30.0
MAX_RECORD_BYTES = 16 * 1024 * 1024


@dataclass
class _Stream:
    events: list[EventBase] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    last_clock: MatchClock | None = None


class KafkaStore(BaseStore):
    """The event store on ``PREFIX.events`` and ``PREFIX.meta`` of a Kafka cluster."""

    def __init__(self, broker: str, prefix: str = "livetext", *, create: bool = True) -> None:
        self.servers = bootstrap_servers(broker)
        topics = Topics(prefix)
        self.events_topic = topics.events
        self.meta_topic = f"{prefix}.meta"
        self._lock = threading.RLock()
        self._log: list[EventBase] = []
        self._streams: dict[str, _Stream] = {}
        self._meta: dict[str, bytes] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._producer: AIOKafkaProducer | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self._tps = (TopicPartition(self.events_topic, 0), TopicPartition(self.meta_topic, 0))
        try:
            self._call(self._open(create))
        except BaseException:
            self.close()
            raise

    # --- plumbing -------------------------------------------------------------------------

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(TIMEOUT)
        except KafkaError as exc:
            raise StoreError(f"Kafka at {','.join(self.servers)}: {exc}") from exc

    async def _open(self, create: bool) -> None:
        names = [self.events_topic, self.meta_topic]
        counts = await declare_topics(
            self.servers, names, 1, compacted=[self.meta_topic], create=create
        )
        if self.events_topic not in counts:
            raise StoreError(f"no Kafka store: topic {self.events_topic} does not exist")
        for name in counts:
            if counts[name] != 1:
                raise StoreError(
                    f"{name} has {counts[name]} partitions: a KafkaStore needs one "
                    "(Kafka orders a topic only within a partition)"
                )
        self._producer = AIOKafkaProducer(
            bootstrap_servers=self.servers, acks="all", max_request_size=MAX_RECORD_BYTES
        )
        await self._producer.start()
        self._consumer = new_consumer(self.servers, max_partition_fetch_bytes=MAX_RECORD_BYTES)
        await self._consumer.start()
        self._consumer.assign(list(self._tps))
        await self._consumer.seek_to_beginning(*self._tps)

    async def _catch_up(self) -> None:
        """Read what was appended since the last call (by anyone).

        ``end_offsets`` may under-count the last record batch on some brokers (tansu), but
        never reports an end at or below our position while a newer batch exists; fetches
        return whole batches.
        """
        c = self._consumer
        assert c is not None
        while True:
            ends = await c.end_offsets(list(self._tps))
            behind = [tp for tp in self._tps if await c.position(tp) < ends[tp]]
            if not behind:
                return
            fetched = await c.getmany(*behind, timeout_ms=1000)
            for tp, records in fetched.items():
                for r in records:
                    if tp.topic == self.meta_topic:
                        if r.key is not None and r.value is not None:
                            self._meta[r.key.decode()] = r.value
                    else:
                        self._take(r.value)

    def _take(self, value: bytes | None) -> None:
        """Add one events record to the in-memory view, numbering positions."""
        if not value:
            return
        for raw in orjson.loads(value):
            event = loads(raw)
            event = event.model_copy(update={"position": len(self._log) + 1})
            self._log.append(event)
            stream = self._streams.setdefault(event.match_id, _Stream())
            stream.events.append(event)
            stream.ids.add(event.event_id)
            if event.clock is not None and (
                stream.last_clock is None or event.clock > stream.last_clock
            ):
                stream.last_clock = event.clock

    async def _produce(self, topic: str, key: bytes | None, value: bytes) -> None:
        assert self._producer is not None
        await self._producer.send_and_wait(topic, value, key=key, partition=0)

    def _sync(self) -> None:
        self._call(self._catch_up())

    # --- writing --------------------------------------------------------------------------

    def append_many(self, batches: Sequence[Batch | Prepared]) -> list[AppendResult]:
        check_match_ids(batches)
        with self._lock:
            self._sync()
            staged = stage(batches, self._streams.get, len(self._log))
            records = staged.records
            if records:
                value = orjson.dumps([e.model_dump(mode="json") for e in records])
                keys = {e.match_id for e in records}
                key = next(iter(keys)).encode() if len(keys) == 1 else None
                self._call(self._produce(self.events_topic, key, value))
                self._sync()
        return staged.results

    def put_meta(self, match_id: str, meta: Mapping[str, Any]) -> None:
        data = orjson.dumps(dict(meta))
        with self._lock:
            self._call(self._produce(self.meta_topic, match_id.encode(), data))
            self._sync()

    def update_meta(self, match_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            merged = {**self.get_meta(match_id), **changes}
            self.put_meta(match_id, merged)
            return merged

    # --- reading --------------------------------------------------------------------------

    def read(
        self, match_id: str, from_seq: int = 1, to_clock: MatchClock | None = None
    ) -> list[EventBase]:
        check_from("from_seq", from_seq)
        with self._lock:
            self._sync()
            stream = self._streams.get(match_id)
            events = list(stream.events) if stream else []
        if to_clock is not None:
            events = up_to_clock(events, to_clock)
        return [e for e in events if e.seq >= from_seq]

    def read_all(self, from_position: int = 1, limit: int | None = None) -> list[EventBase]:
        check_from("from_position", from_position)
        with self._lock:
            self._sync()
            end = None if limit is None else from_position - 1 + limit
            return self._log[from_position - 1 : end]

    def last_seq(self, match_id: str) -> int:
        with self._lock:
            self._sync()
            stream = self._streams.get(match_id)
            return len(stream.events) if stream else 0

    def get_meta(self, match_id: str) -> dict[str, Any]:
        with self._lock:
            self._sync()
            data = self._meta.get(match_id)
        meta: dict[str, Any] = orjson.loads(data) if data else {}
        return meta

    def matches(self) -> list[MatchInfo]:
        with self._lock:
            self._sync()
            ids = sorted(set(self._streams) | set(self._meta))
            infos = []
            for match_id in ids:
                stream = self._streams.get(match_id) or _Stream()
                meta = orjson.loads(self._meta.get(match_id, b"{}"))
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

    def subscribe(self, from_position: int = 1) -> AsyncIterator[EventBase]:
        check_from("from_position", from_position)
        return self._subscribe(from_position)

    async def _subscribe(self, from_position: int) -> AsyncIterator[EventBase]:
        """A consumer of its own, in the caller's loop: catch up, then tail."""
        c = new_consumer(self.servers, max_partition_fetch_bytes=MAX_RECORD_BYTES)
        await c.start()
        try:
            tp = TopicPartition(self.events_topic, 0)
            c.assign([tp])
            await c.seek_to_beginning(tp)
            position = 0
            while True:
                fetched = await c.getmany(tp, timeout_ms=1000)
                for r in fetched.get(tp, []):
                    for raw in orjson.loads(r.value) if r.value else ():
                        position += 1
                        if position >= from_position:
                            event = loads(raw).model_copy(update={"position": position})
                            yield event
        finally:
            await c.stop()

    def close(self) -> None:
        """Stop the clients and the loop thread."""
        if not self._loop.is_running():
            return

        async def stop() -> None:
            for client in (self._consumer, self._producer):
                if client is not None:
                    await client.stop()

        try:
            asyncio.run_coroutine_threadsafe(stop(), self._loop).result(TIMEOUT)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(TIMEOUT)
            self._loop.close()
