"""``livetext poll --broker``: snapshots sent to the Kafka pipeline's lines topic.

What a snapshot gives (new lines, retractions, new versions; see :mod:`stream.amend`)
goes to ``PREFIX.lines`` keyed by the match id, on the partition the key hashes to (as
``livetext publish`` sends), every entry with its stable id, so the worker's parse step
skips whatever it has taken already; a retraction travels as a typed event and the
worker folds it as the embedded path does (its projector rebuilds the match).  The match
sheet goes with the first message and again when it changes; the last message of a
snapshot carries the missing counts (``"poll": {"missing": ...}``).

The poller's memory is the topic itself: started (or started again after ``kill -9``),
it reads back its match's messages from the lines partition and numbers them as the
worker does (:class:`stream.kafka.parse.LineParser`), so it knows every event the
pipeline holds or will hold, the sheet sent and the missing counts, and sends nothing
twice.  One poller per match: Kafka has no compare-and-set to stop a second one.
"""

from __future__ import annotations

import asyncio
from typing import Any

from events.models import updated
from events.readers import Match
from replay.poll.sinks import MatchView, SinkUnavailable
from stream.amend import Amendment
from stream.kafka.clients import DEFAULT_CHUNK
from stream.kafka.config import DEFAULT_PARTITIONS, KafkaSettings, Topics
from stream.kafka.log import (
    AIOKafkaProducer,
    KafkaError,
    declare_pipeline,
    read_partitions,
)
from stream.kafka.parse import LineParser
from stream.kafka.wire import (
    BadMessage,
    decode_lines,
    event_lines,
    line_message,
    match_header,
)


class BrokerUnavailable(Exception):
    """The broker cannot be reached (or its topics declared) at start."""


class BrokerSink:
    """Snapshots sent to ``PREFIX.lines`` (see the module)."""

    def __init__(
        self,
        broker: str,
        prefix: str,
        *,
        partitions: int = DEFAULT_PARTITIONS,
        chunk: int = DEFAULT_CHUNK,
    ) -> None:
        settings = KafkaSettings(
            broker=broker, topics=Topics(prefix), app_id=prefix, partitions=partitions
        )
        try:
            settings.servers  # noqa: B018 - validates the broker string
        except ValueError as exc:
            raise ValueError(f"--broker {broker!r}: {exc}") from None
        self.settings = settings
        self.chunk = chunk
        self.target = f"{settings.topics.lines} at {broker}"
        self._runner = asyncio.Runner()
        self._producer: Any = None
        self._partitions = 0
        self._view: MatchView | None = None
        try:
            self._runner.run(self._start())
        except (KafkaError, OSError) as exc:
            self._runner.close()
            raise BrokerUnavailable(f"cannot reach the broker at {broker}: {exc}") from None

    async def _start(self) -> None:
        counts = await declare_pipeline(self.settings)
        self._partitions = counts[self.settings.topics.lines]
        producer = AIOKafkaProducer(
            bootstrap_servers=self.settings.servers, acks="all", linger_ms=2
        )
        await producer.start()
        self._producer = producer

    def partition(self, match_id: str) -> int:
        """The lines partition of a match: where ``publish`` sends it (the producer's
        default partitioner: murmur2 of the key, as Java's)."""
        from aiokafka.partitioner import DefaultPartitioner  # type: ignore[import-untyped]

        every = list(range(self._partitions))
        partition: int = DefaultPartitioner()(match_id.encode(), every, every)
        return partition

    def view(self, match_id: str) -> MatchView:
        if self._view is None or self._view.match_id != match_id:
            try:
                self._view = self._runner.run(self._read(match_id))
            except (KafkaError, OSError, TimeoutError) as exc:
                raise SinkUnavailable(f"cannot read {self.target}: {exc}") from None
        return self._view

    async def _read(self, match_id: str) -> MatchView:
        """The match as its lines partition holds it, numbered as the worker numbers it."""
        partition = self.partition(match_id)
        topic = self.settings.topics.lines
        found = await read_partitions(self.settings.servers, topic, {partition: 0})
        view = MatchView(match_id)
        parser = LineParser()
        key = match_id.encode()
        for record in found[partition]:
            if record.key != key:
                continue
            try:
                message = decode_lines(record.key, record.value)
            except BadMessage:
                continue  # the worker dead-letters it: it holds nothing of it
            parsed = parser.accept(message, record.offset)
            if parsed is not None:
                view.events.extend(parsed.events)
            if message.header is not None:
                view.meta["sheet"] = message.header
            missing = (message.poll or {}).get("missing")
            if isinstance(missing, dict):
                view.missing = {str(k): int(v) for k, v in missing.items()}
        return view

    def write(self, match: Match, amendment: Amendment) -> int:
        view = self.view(match.match_id)
        header = match_header(match)
        new_header = header != view.meta.get("sheet")
        lines = event_lines(amendment.appends)
        if not lines and not new_header and amendment.missing == view.missing:
            return 0
        poll = {"missing": amendment.missing}
        values = []
        if not lines:
            values.append(line_message(view.match_id, [], header if new_header else None, poll))
        for start in range(0, len(lines), self.chunk):
            first, last = start == 0, start + self.chunk >= len(lines)
            values.append(
                line_message(
                    view.match_id,
                    lines[start : start + self.chunk],
                    header if first and new_header else None,
                    poll if last else None,
                )
            )
        try:
            self._runner.run(self._send(view.match_id, values))
        except (KafkaError, OSError) as exc:
            # Resent next time with the same ids: the worker skips what it took.
            raise SinkUnavailable(f"cannot send to {self.target}: {exc}") from None
        seq = view.events[-1].seq if view.events else 0
        view.events.extend(
            updated(e, {"seq": seq + i, "match_id": view.match_id})
            for i, e in enumerate(amendment.appends, 1)
        )
        view.meta["sheet"] = header
        view.missing = dict(amendment.missing)
        return len(amendment.appends)

    async def _send(self, match_id: str, values: list[bytes]) -> None:
        topic, key = self.settings.topics.lines, match_id.encode()
        partition = self.partition(match_id)
        for value in values:
            await self._producer.send_and_wait(topic, value, key=key, partition=partition)

    def close(self) -> None:
        try:
            if self._producer is not None:
                self._runner.run(self._producer.stop())
        finally:
            self._runner.close()
