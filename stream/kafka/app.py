"""The faust app: lines -> parse -> events -> project -> states (topics under one prefix).

Two agents, both keyed by match id and co-partitioned (a match has the same partition
number on every topic and changelog, so one worker owns it):

- ``parse`` takes line messages in batches, numbers each match's events (see
  :mod:`stream.kafka.parse`) and writes one events message per line message, to the
  partition the lines came from.  Its memory is rebuilt from the events topic whenever
  it takes over a partition, so a restart or a rebalance neither repeats nor skips a seq.
- ``project`` folds events messages in batches with the fold it was handed (see
  :mod:`stream.kafka.project`), keeps ``last_seq`` and the state per match in a table
  with a changelog, and writes one state per match and batch.

A message either agent cannot take goes to ``livetext.dead-letter`` with the reason; the
worker keeps going.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Any, cast

import faust
from faust.transport.drivers import aiokafka as faust_aiokafka

from stream.kafka.config import KafkaSettings, faust_broker
from stream.kafka.log import (
    beginning_offsets,
    committed_offsets,
    declare_pipeline,
    read_partitions,
)
from stream.kafka.parse import LineParser
from stream.kafka.project import Fold, Projector
from stream.kafka.wire import (
    SEQ_HEADER,
    BadMessage,
    EventsMessage,
    dead_letter,
    decode_events,
    decode_lines,
    encode_events,
)

log = logging.getLogger(__name__)


class _ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    """faust's consumer with a shorter fetch wait (it hard-codes 1.5 s)."""

    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        wait = getattr(self.app, "fetch_max_wait_ms", None)
        if wait is not None and hasattr(consumer, "_fetch_max_wait_ms"):
            consumer._fetch_max_wait_ms = wait  # read by aiokafka when the consumer starts
        return consumer


class _Consumer(faust_aiokafka.Consumer):
    def _new_consumer_thread(self) -> _ConsumerThread:
        return _ConsumerThread(self, loop=self.loop, beacon=self.beacon)


class _Transport(faust_aiokafka.Transport):
    Consumer = _Consumer


class LivetextApp(faust.App):
    """A faust app whose consumer fetches with ``fetch_max_wait_ms``."""

    fetch_max_wait_ms: int | None = None

    def _new_transport(self) -> Any:
        return _Transport(self.conf.broker_consumer, self)


class OwnedTable(faust.Table[bytes, bytes]):
    """A table whose changelog partition is the match's own partition number.

    faust takes it from the event being processed, which a batch (``take_events``) does
    not set; the agents record each match's partition here before writing.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partition_of: dict[bytes, int] = {}

    def partition_for_key(self, key: Any) -> int | None:
        return self.partition_of[key]


class _FaustTables:
    """The projector's :class:`~stream.kafka.project.Tables` on two faust tables."""

    def __init__(self, records: OwnedTable, headers: OwnedTable) -> None:
        self.records, self.headers = records, headers

    def load(self, match_id: str) -> tuple[bytes | None, bytes | None]:
        key = match_id.encode()
        return self.records.get(key), self.headers.get(key)

    def save(self, match_id: str, partition: int, record: bytes, header: bytes | None) -> None:
        key = match_id.encode()
        self.records.partition_of[key] = partition
        self.records[key] = record
        if header is not None:
            self.headers.partition_of[key] = partition
            self.headers[key] = header


def build_app(settings: KafkaSettings, fold: Fold[Any], loglevel: str = "warning") -> LivetextApp:
    """The worker's faust app, with its topics, tables and the two agents."""
    t = settings.topics
    app = LivetextApp(
        settings.app_id,
        broker=faust_broker(settings.broker),
        store="memory://",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        broker_session_timeout=settings.session_timeout,
        broker_heartbeat_interval=min(1.0, settings.session_timeout / 3),
        consumer_auto_offset_reset="earliest",
        table_standby_replicas=0,
        web_enabled=settings.web_port is not None,
        web_bind="127.0.0.1",
        web_host="127.0.0.1",
        web_port=settings.web_port or 6066,
        datadir=str(settings.data_path),
        stream_wait_empty=False,
    )
    app.fetch_max_wait_ms = settings.fetch_max_wait_ms
    raw: dict[str, Any] = {
        "key_type": bytes,
        "value_type": bytes,
        "key_serializer": "raw",
        "value_serializer": "raw",
    }
    lines_topic = app.topic(t.lines, partitions=settings.partitions, **raw)
    events_topic = app.topic(t.events, partitions=settings.partitions, **raw)

    def table(name: str, help: str) -> OwnedTable:
        owned = OwnedTable(
            app,
            name=name,
            default=None,
            beacon=app.tables.beacon,
            partitions=settings.partitions,
            help=help,
            key_type=bytes,  # bytes types mean the raw serializer
            value_type=bytes,
        )
        return cast(OwnedTable, app.tables.add(owned))

    records = table("projections", "per match: last_seq, offsets and the folded state")
    headers = table("headers", "per match: the match header (teams, line-ups)")
    servers = settings.servers

    async def send(
        topic: str, key: bytes | None, value: bytes, partition: int | None, headers: Any = None
    ) -> None:
        await app.producer.send(topic, key, value, partition, None, headers)

    async def dead(reason: str, message: Any) -> None:
        log.warning(
            "dead letter from %s[%d]@%d: %s",
            message.topic,
            message.partition,
            message.offset,
            reason,
        )
        value = dead_letter(
            reason, message.topic, message.partition, message.offset, message.key, message.value
        )
        await send(t.dead_letter, message.key, value, None)

    # --- parse ----------------------------------------------------------------------------

    parser = LineParser()
    next_line: dict[int, int] = {}  # per lines partition: the next offset to take
    parse_partition: dict[str, int] = {}

    async def learn_partitions(partitions: set[int]) -> None:
        """Rebuild the parser's memory of these partitions from the events topic, and
        find where each partition's lines resume."""
        found = await read_partitions(servers, t.events, dict.fromkeys(partitions, 0))
        committed = await committed_offsets(servers, settings.app_id, t.lines, partitions)
        first = await beginning_offsets(servers, t.lines, partitions)
        for p, recs in found.items():
            top = -1
            for r in recs:
                try:
                    m = decode_events(r.key, r.value, r.headers)
                except BadMessage:
                    continue
                parser.learn(m.match_id, m.events, m.line_offset, m.header)
                parse_partition[m.match_id] = p
                if m.line_offset is not None:
                    top = max(top, m.line_offset)
            resume = committed.get(p)
            next_line[p] = max(top + 1, first[p] if resume is None else resume)
            log.info("parse: partition %d rebuilt from %d events messages", p, len(recs))

    async def take_line(message: Any) -> None:
        """Parse one line message; the messages of a partition come in offset order."""
        next_line[message.partition] = message.offset + 1
        try:
            lines = decode_lines(message.key, message.value)
        except BadMessage as exc:
            await dead(str(exc), message)
            return
        parse_partition[lines.match_id] = message.partition
        parsed = parser.accept(lines, message.offset)
        if parsed is None or not parsed.events:
            return
        value, hdrs = encode_events(parsed.events, message.offset, parsed.header)
        await send(t.events, message.key, value, message.partition, hdrs)

    @app.agent(lines_topic, name=f"{t.prefix}.parse")
    async def parse(stream: Any) -> None:
        async for batch in stream.take_events(settings.batch_size, within=settings.batch_within):
            # Learn every lines partition this worker owns at once (one read of the log).
            owned = {tp.partition for tp in app.consumer.assignment() if tp.topic == t.lines}
            new = (owned | {e.message.partition for e in batch}) - next_line.keys()
            if new:
                await learn_partitions(new)
            for e in batch:
                message = e.message
                p = message.partition
                if message.offset < next_line[p]:
                    continue  # taken already: a redelivery
                if message.offset > next_line[p]:
                    # faust skips messages fetched before a rebalance settled (it delivers
                    # them again only after a restart): read them back now, in order.
                    missed = await read_partitions(
                        servers, t.lines, {p: next_line[p]}, {p: message.offset - 1}
                    )
                    log.info("parse: partition %d, %d skipped lines read back", p, len(missed[p]))
                    for record in missed[p]:
                        await take_line(record)
                await take_line(message)

    # --- project --------------------------------------------------------------------------

    async def read_log(
        match_id: str, partition: int, start: int, stop: int
    ) -> list[tuple[int, EventsMessage]]:
        found = await read_partitions(servers, t.events, {partition: start}, {partition: stop})
        out = []
        key = match_id.encode()
        for r in found[partition]:
            if r.key == key:
                try:
                    out.append((r.offset, decode_events(r.key, r.value, r.headers)))
                except BadMessage:
                    continue
        return out

    projector: Projector[Any] = Projector(
        fold,
        _FaustTables(records, headers),
        read_log,
        save_every=settings.save_every,
        save_events=settings.save_events,
    )

    @app.agent(events_topic, name=f"{t.prefix}.project")
    async def project(stream: Any) -> None:
        async for batch in stream.take_events(settings.batch_size, within=settings.batch_within):
            taken = []
            for e in batch:
                message = e.message
                try:
                    m = decode_events(message.key, message.value, message.headers)
                except BadMessage as exc:
                    await dead(str(exc), message)
                    continue
                taken.append((message.partition, message.offset, m))
            for u in await projector.project(taken):
                seq = [(SEQ_HEADER, str(u.seq).encode())]
                await send(t.states, u.match_id.encode(), u.value, u.partition, seq)

    async def on_revoked(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        revoked: list[Any] = list(args[0] if args else kwargs.get("revoked", ()))
        lines_parts = {tp.partition for tp in revoked if tp.topic == t.lines}
        for p in lines_parts:
            next_line.pop(p, None)
        parser.forget([m for m, p in parse_partition.items() if p in lines_parts])
        projector.forget({tp.partition for tp in revoked if tp.topic == t.events})

    app.on_partitions_revoked.connect(on_revoked)

    async def quiet_clients() -> None:
        # aiokafka logs every send at debug level; a record built per message costs more
        # than the send.  The worker's level applies to the client libraries too.
        level = logging.getLevelName(loglevel.upper())
        for name in ("aiokafka", "faust", "mode"):
            logging.getLogger(name).setLevel(level if isinstance(level, int) else logging.WARNING)

    app.task(quiet_clients)

    return app


def run_worker(settings: KafkaSettings, fold: Fold[Any], *, loglevel: str = "warning") -> None:
    """Declare the topics, then run the worker until it is stopped (SIGINT, SIGTERM)."""
    counts = asyncio.run(declare_pipeline(settings))
    # Topics made beforehand decide the partition count (the tables' changelogs follow it).
    settings = dataclasses.replace(settings, partitions=counts[settings.topics.lines])
    settings.data_path.mkdir(parents=True, exist_ok=True)
    asyncio.set_event_loop(asyncio.new_event_loop())
    app = build_app(settings, fold, loglevel)
    worker = faust.Worker(app, loglevel=loglevel, quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()
