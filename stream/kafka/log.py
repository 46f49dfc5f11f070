"""Plain Kafka clients (aiokafka) for what faust does not do: declare the topics with the
same partition count, and read a partition back from the log.

Reading "to the end" does not trust ``end_offsets``: tansu answers the base offset of a
partition's last record batch plus one, which under-counts when that batch holds several
records.  A fetch returns whole batches and reports the partition's true high-water mark,
so the reader fetches at least once and stops at that mark.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# aiokafka ships no type information: its names are imported here once, as Any.
from aiokafka import (  # type: ignore[import-untyped]
    AIOKafkaConsumer,
    AIOKafkaProducer,
    ConsumerRecord,
    TopicPartition,
)
from aiokafka.admin import AIOKafkaAdminClient, NewTopic  # type: ignore[import-untyped]
from aiokafka.errors import KafkaError  # type: ignore[import-untyped]

from stream.kafka.config import DEFAULT_FETCH_WAIT_MS, KafkaSettings

TOPIC_EXISTS = 36
READ_TIMEOUT = 30.0

__all__ = [
    "AIOKafkaConsumer",
    "AIOKafkaProducer",
    "ConsumerRecord",
    "KafkaError",
    "TopicPartition",
]


class TopicLayoutError(RuntimeError):
    """The topics exist with partition counts that break co-partitioning."""


async def declare_topics(
    servers: Sequence[str],
    names: Iterable[str],
    partitions: int,
    replication_factor: int = 1,
    *,
    compacted: Iterable[str] = (),
    create: bool = True,
) -> dict[str, int]:
    """Create the topics that do not exist yet (unless ``create`` is false); the partition
    count of each topic that exists."""
    names = list(names)
    compact = set(compacted)
    admin = AIOKafkaAdminClient(bootstrap_servers=list(servers))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [n for n in names if n not in existing]
        if not create:
            names = [n for n in names if n in existing]
        elif missing:
            new = [
                NewTopic(
                    n,
                    partitions,
                    replication_factor,
                    topic_configs={"cleanup.policy": "compact"} if n in compact else {},
                )
                for n in missing
            ]
            response = await admin.create_topics(new)
            for topic, code, message in response.topic_errors:
                if code not in (0, TOPIC_EXISTS):
                    raise TopicLayoutError(f"cannot create topic {topic!r}: {message} ({code})")
        # Describe only topics known to exist: a metadata request may auto-create the others.
        described = await admin.describe_topics(names) if names else []
        return {d["topic"]: len(d["partitions"]) for d in described}
    finally:
        await admin.close()


async def declare_pipeline(settings: KafkaSettings) -> dict[str, int]:
    """Declare the four topics; refuse lines and events with different partition counts
    (a match must have the same partition number on both)."""
    t = settings.topics
    counts = await declare_topics(
        settings.servers, t.all, settings.partitions, settings.replication_factor
    )
    if counts[t.lines] != counts[t.events]:
        raise TopicLayoutError(
            f"{t.lines} has {counts[t.lines]} partitions and {t.events} {counts[t.events]}: "
            "they must match (a match keeps its partition number from lines to events)"
        )
    return counts


async def committed_offsets(
    servers: Sequence[str], group: str, topic: str, partitions: Iterable[int]
) -> dict[int, int | None]:
    """The group's committed offset (the next offset to read) per partition; ``None`` where
    it has committed nothing."""
    admin = AIOKafkaAdminClient(bootstrap_servers=list(servers))
    await admin.start()
    try:
        found = await admin.list_consumer_group_offsets(
            group, partitions=[TopicPartition(topic, p) for p in partitions]
        )
    finally:
        await admin.close()
    return {tp.partition: (om.offset if om.offset >= 0 else None) for tp, om in found.items()}


async def beginning_offsets(
    servers: Sequence[str], topic: str, partitions: Iterable[int]
) -> dict[int, int]:
    """The first offset still in each partition."""
    c = consumer(servers)
    await c.start()
    try:
        found = await c.beginning_offsets([TopicPartition(topic, p) for p in partitions])
    finally:
        await c.stop()
    return {tp.partition: offset for tp, offset in found.items()}


def consumer(
    servers: Sequence[str], fetch_max_wait_ms: int = DEFAULT_FETCH_WAIT_MS, **extra: Any
) -> AIOKafkaConsumer:
    """A consumer outside any group, that commits nothing."""
    return AIOKafkaConsumer(
        bootstrap_servers=list(servers),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=fetch_max_wait_ms,
        **extra,
    )


async def read_partitions(
    servers: Sequence[str],
    topic: str,
    starts: Mapping[int, int],
    stops: Mapping[int, int] | None = None,
    *,
    timeout: float = READ_TIMEOUT,
) -> dict[int, list[ConsumerRecord[bytes, bytes]]]:
    """The records of several partitions of ``topic``: from ``starts[p]`` up to
    ``stops[p]`` (inclusive) when given, else up to the partition's end."""
    out: dict[int, list[ConsumerRecord[bytes, bytes]]] = {p: [] for p in starts}
    if not starts:
        return out
    c = consumer(servers)
    await c.start()
    try:
        tps = {p: TopicPartition(topic, p) for p in starts}
        c.assign(list(tps.values()))
        for p, tp in tps.items():
            c.seek(tp, starts[p])
        ends = await c.end_offsets(list(tps.values()))
        pending = set(starts)
        deadline = time.monotonic() + timeout
        wait_ms = 100
        while pending:
            fetched = await c.getmany(*(tps[p] for p in pending), timeout_ms=wait_ms)
            for tp, records in fetched.items():
                stop = None if stops is None else stops.get(tp.partition)
                out[tp.partition].extend(r for r in records if stop is None or r.offset <= stop)
            for p in list(pending):
                tp = tps[p]
                position = await c.position(tp)
                if stops is not None and p in stops:
                    target = stops[p] + 1
                else:
                    target = max(ends[tp], c.highwater(tp) or 0)
                if position >= target:
                    pending.discard(p)
            if pending and time.monotonic() > deadline:
                raise TimeoutError(
                    f"reading {topic} partitions {sorted(pending)} took over {timeout}s"
                )
            wait_ms = 500
        return out
    finally:
        await c.stop()
