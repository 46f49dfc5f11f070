"""The two ends of the pipeline for users: publish lines, follow states (plain aiokafka).

``publish`` sends each match's lines keyed by match id, its header with the first
message.  Without pacing it sends chunks of consecutive lines (one message per chunk:
faust pays per message, so a backfill goes many times faster); paced, it sends each
line when its match clock comes, lines of the same instant together.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from events.clock import PERIOD_START_MINUTE, MatchClock
from stream.kafka.config import KafkaSettings
from stream.kafka.log import AIOKafkaProducer, TopicPartition, consumer, declare_pipeline
from stream.kafka.wire import SEQ_HEADER, line_message

DEFAULT_CHUNK = 100


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One match to publish: its id, header and lines (``livetext.lines`` entries)."""

    match_id: str
    header: Mapping[str, Any] | None
    lines: Sequence[Mapping[str, Any]]


@dataclass(slots=True)
class Published:
    """What ``publish`` sent: messages and lines per match, and when each line left."""

    messages: int = 0
    lines: dict[str, int] = field(default_factory=dict)
    sent_at: dict[str, list[float]] = field(default_factory=dict)


def entry_clock(line: Mapping[str, Any]) -> MatchClock | None:
    """The clock of a line entry as ``publish`` writes it (an object), or of its event."""
    raw = line.get("clock")
    if raw is None and isinstance(line.get("event"), Mapping):
        raw = line["event"].get("clock")
    if raw is None:
        return None
    if isinstance(raw, Mapping):
        return MatchClock.model_validate(raw)
    return MatchClock.parse(str(raw))


def match_seconds(clock: MatchClock) -> float:
    """Seconds of play since the clock's period began (stoppage time included)."""
    start = PERIOD_START_MINUTE.get(clock.period, 0)
    return ((clock.minute - start) + clock.added) * 60.0 + (clock.second or 0)


def gaps(lines: Sequence[Mapping[str, Any]]) -> list[float]:
    """Match seconds between each line and the one before (0 for the first, for a line
    without a clock, for a clock earlier than the last, and across a period change: the
    break is not waited for)."""
    out: list[float] = []
    last: MatchClock | None = None
    for line in lines:
        clock = entry_clock(line)
        if clock is None or last is None:
            out.append(0.0)
        elif clock.period != last.period:
            out.append(match_seconds(clock))
        else:
            out.append(max(0.0, match_seconds(clock) - match_seconds(last)))
        if clock is not None:
            last = clock
    return out


async def publish(
    settings: KafkaSettings,
    matches: Sequence[Outgoing],
    *,
    speed: float | None = None,
    chunk: int = DEFAULT_CHUNK,
    producer: AIOKafkaProducer | None = None,
    from_kickoff: bool = False,
) -> Published:
    """Send the matches' lines to ``livetext.lines``; with ``speed`` paced by match clock
    (``speed`` match seconds per second), all matches at once, each starting with its
    first line or, ``from_kickoff``, when its first line's clock comes."""
    await declare_pipeline(settings)
    own = producer is None
    if producer is None:
        producer = AIOKafkaProducer(bootstrap_servers=settings.servers, linger_ms=2, acks="all")
        await producer.start()
    report = Published()
    try:
        if speed is None:
            await _backfill(settings, producer, matches, chunk, report)
        else:
            await asyncio.gather(
                *(
                    _paced(settings, producer, m, speed, chunk, report, from_kickoff)
                    for m in matches
                )
            )
        await producer.flush()
    finally:
        if own:
            await producer.stop()
    return report


async def _send(
    settings: KafkaSettings,
    producer: AIOKafkaProducer,
    match: Outgoing,
    lines: Sequence[Mapping[str, Any]],
    first: bool,
    report: Published,
) -> None:
    header = match.header if first else None
    value = line_message(match.match_id, lines, header)
    stamp = time.time()
    await producer.send(settings.topics.lines, value, key=match.match_id.encode())
    report.messages += 1
    report.lines[match.match_id] = report.lines.get(match.match_id, 0) + len(lines)
    report.sent_at.setdefault(match.match_id, []).extend([stamp] * len(lines))


async def _backfill(
    settings: KafkaSettings,
    producer: AIOKafkaProducer,
    matches: Sequence[Outgoing],
    chunk: int,
    report: Published,
) -> None:
    """Round robin over the matches, a chunk of each at a time."""
    cursors = [0] * len(matches)
    while any(c < len(m.lines) for c, m in zip(cursors, matches, strict=True)):
        for i, m in enumerate(matches):
            start = cursors[i]
            if start < len(m.lines):
                await _send(
                    settings, producer, m, m.lines[start : start + chunk], start == 0, report
                )
                cursors[i] = start + chunk


async def _paced(
    settings: KafkaSettings,
    producer: AIOKafkaProducer,
    match: Outgoing,
    speed: float,
    chunk: int,
    report: Published,
    from_kickoff: bool = False,
) -> None:
    if speed <= 0:
        raise ValueError("speed must be positive")
    waits = gaps(match.lines)
    first = entry_clock(match.lines[0]) if match.lines else None
    if from_kickoff and first is not None:
        waits[0] = match_seconds(first) + (45 * 60 if first.period == 2 else 0)
    begin = time.monotonic()
    due = 0.0
    i = 0
    while i < len(match.lines):
        due += waits[i] / speed
        j = i + 1
        while j < len(match.lines) and j - i < chunk and waits[j] == 0:
            j += 1
        delay = begin + due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        await _send(settings, producer, match, match.lines[i:j], i == 0, report)
        i = j


@dataclass(frozen=True, slots=True)
class StateMessage:
    """One message of ``livetext.states``."""

    match_id: str
    seq: int
    state: dict[str, Any]
    partition: int
    offset: int
    received_at: float


async def follow(
    settings: KafkaSettings, match_id: str | None = None, *, from_start: bool = True
) -> AsyncIterator[StateMessage]:
    """States as they arrive (all matches, or one), from the topic's start or from now.

    A state already shown (a seq no newer than the last one seen for its match, which a
    restarted worker may send again) is skipped.
    """
    counts = await declare_pipeline(settings)
    topic = settings.topics.states
    c = consumer(settings.servers, settings.fetch_max_wait_ms)
    await c.start()
    try:
        tps = [TopicPartition(topic, p) for p in range(counts[topic])]
        c.assign(tps)
        if from_start:
            await c.seek_to_beginning(*tps)
        else:
            await c.seek_to_end(*tps)
        key = None if match_id is None else match_id.encode()
        last: dict[str, int] = {}
        while True:
            fetched = await c.getmany(timeout_ms=1000)
            now = time.time()
            for records in fetched.values():
                for r in records:
                    if r.key is None or (key is not None and r.key != key):
                        continue
                    mid = r.key.decode()
                    seq = next((int(v) for k, v in r.headers if k == SEQ_HEADER), 0)
                    if seq and seq <= last.get(mid, 0):
                        continue
                    last[mid] = seq
                    yield StateMessage(mid, seq, orjson.loads(r.value), r.partition, r.offset, now)
    finally:
        await c.stop()
