"""The pipeline on a real broker: ``livetext worker`` in a subprocess, lines in, states out.

- a whole match published and followed to the end equals the embedded final state;
- two matches interleaved line by line stay apart;
- a malformed message lands in the dead-letter topic and the worker keeps going;
- the worker killed (SIGKILL) and restarted three times mid-match loses nothing and
  counts nothing twice.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from events.models import EventBase
from events.readers.source import read_source
from projections import state_at
from replay.ingest import ingest_match
from stream.kafka.clients import Outgoing, follow, publish
from stream.kafka.config import KafkaSettings, Topics
from stream.kafka.log import AIOKafkaProducer, read_partitions
from stream.kafka.tansu import LocalBroker
from stream.kafka.wire import decode_events, match_lines
from stream.memory import MemoryStore
from tests.kafka.conftest import EXAMPLES, ROOT, Worker, long_match, unique, write_feed

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

PARTITIONS = 4
CLI = [sys.executable, "-c", "from replay.cli import main; main()"]


def settings_for(broker: LocalBroker, prefix: str) -> KafkaSettings:
    return KafkaSettings(
        broker=broker.url, topics=Topics(prefix), app_id=prefix, partitions=PARTITIONS
    )


@pytest.fixture(scope="module")
def pipeline(
    broker: LocalBroker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KafkaSettings]:
    """One worker for the tests that do not kill it."""
    prefix = unique("pipe")
    worker = Worker(broker.url, prefix, tmp_path_factory.mktemp("worker"), PARTITIONS)
    worker.start()
    try:
        yield settings_for(broker, prefix)
    finally:
        worker.stop()


def embedded(path: Path, match_id: str | None = None) -> dict[str, Any]:
    """What ``livetext ingest`` + ``livetext state --json`` give for the source."""
    match = read_source(path, match_id=match_id)
    store = MemoryStore()
    ingest_match(store, match)
    return state_at(store, match.match_id).to_json()


def outgoing(path: Path, match_id: str | None = None) -> Outgoing:
    match = read_source(path, match_id=match_id)
    header, lines = match_lines(match)
    return Outgoing(match.match_id, header, lines)


async def _final(settings: KafkaSettings, match_id: str, last_seq: int) -> dict[str, Any]:
    async for message in follow(settings, match_id):
        if message.state["last_seq"] >= last_seq:
            return message.state
    raise AssertionError("follow ended")


def final_state(
    settings: KafkaSettings, match_id: str, last_seq: int, timeout: float = 60
) -> dict[str, Any]:
    """The first state of the match covering ``last_seq`` events."""
    return asyncio.run(asyncio.wait_for(_final(settings, match_id, last_seq), timeout))


def logged_events(settings: KafkaSettings) -> dict[str, list[EventBase]]:
    """Every event in the events topic, by match, in log order."""
    found = asyncio.run(
        read_partitions(
            settings.servers, settings.topics.events, dict.fromkeys(range(PARTITIONS), 0)
        )
    )
    out: dict[str, list[EventBase]] = {}
    for records in found.values():
        for r in records:
            message = decode_events(r.key, r.value, r.headers)
            out.setdefault(message.match_id, []).extend(message.events)
    return out


def test_a_whole_match_followed_to_the_end_equals_the_embedded_state(
    pipeline: KafkaSettings, tmp_path: Path
) -> None:
    """``livetext publish`` then ``livetext follow MATCH --json --until-end``, as a user runs them."""
    feed = write_feed(tmp_path / "long.jsonl", unique("whole"), long_match())
    match_id = read_source(feed).match_id
    args = ["--broker", pipeline.broker, "--prefix", pipeline.topics.prefix]
    published = subprocess.run(
        [*CLI, "publish", str(feed), str(EXAMPLES / "inter-milan-derby.txt"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert published.returncode == 0, published.stderr
    assert f"{match_id}: 219 lines" in published.stderr
    followed = subprocess.run(
        [*CLI, "follow", match_id, "--json", "--until-end", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert followed.returncode == 0, followed.stderr
    states = [orjson.loads(line) for line in followed.stdout.splitlines()]
    assert states[-1] == embedded(feed)
    assert states[-1]["status"] == "finished" and states[-1]["events"] == 219
    # The page (no "Match ends" line) arrives whole too.
    derby = read_source(EXAMPLES / "inter-milan-derby.txt")
    assert final_state(pipeline, derby.match_id, len(derby.events)) == embedded(
        EXAMPLES / "inter-milan-derby.txt"
    )


def test_two_matches_interleaved_stay_apart(pipeline: KafkaSettings, tmp_path: Path) -> None:
    """The same lines under two match ids, sent alternately one line per message."""
    feed = write_feed(tmp_path / "long.jsonl", "unused", long_match())
    a, b = unique("alpha"), unique("beta")
    asyncio.run(publish(pipeline, [outgoing(feed, a), outgoing(feed, b)], chunk=1))
    n = len(read_source(feed).events)
    assert final_state(pipeline, a, n) == embedded(feed, a)
    assert final_state(pipeline, b, n) == embedded(feed, b)
    logged = logged_events(pipeline)
    for match_id in (a, b):
        assert [e.seq for e in logged[match_id]] == list(range(1, n + 1))
        assert {e.match_id for e in logged[match_id]} == {match_id}
    assert not {e.event_id for e in logged[a]} & {e.event_id for e in logged[b]}


def test_a_malformed_message_goes_to_the_dead_letter_topic(pipeline: KafkaSettings) -> None:
    match_id = unique("dl")
    lines = pipeline.topics.lines
    bad = [
        (match_id.encode(), b"{not json"),
        (
            match_id.encode(),
            b'{"match_id": "%s", "text": "x", "clock": "ninety"}' % match_id.encode(),
        ),
        (b"someone-else", b'{"match_id": "%s", "text": "x"}' % match_id.encode()),
    ]
    good = (
        match_id.encode(),
        b'{"match_id": "%s", "text": "Corner, Inter Milan.", "clock": "3"}' % match_id.encode(),
    )

    async def send() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=pipeline.servers)
        await producer.start()
        try:
            for key, value in [*bad, good]:
                await producer.send_and_wait(lines, value, key=key)
        finally:
            await producer.stop()

    asyncio.run(send())
    state = final_state(pipeline, match_id, 1)
    assert state["events"] == 1  # the good line after the bad ones was taken

    letters: list[dict[str, Any]] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = asyncio.run(
            read_partitions(
                pipeline.servers, pipeline.topics.dead_letter, dict.fromkeys(range(PARTITIONS), 0)
            )
        )
        letters = [orjson.loads(r.value) for rs in found.values() for r in rs]
        letters = [d for d in letters if d["key"] == match_id or match_id in (d["value"] or "")]
        if len(letters) == len(bad):
            break
        time.sleep(0.5)
    reasons = sorted(d["reason"] for d in letters)
    assert len(reasons) == 3, reasons
    assert reasons[0].startswith('"clock" is not a match clock')
    assert reasons[1].startswith("key b'someone-else' is not the match id")
    assert reasons[2].startswith("not JSON")
    assert {d["topic"] for d in letters} == {lines}


def test_a_worker_killed_three_times_mid_match_loses_nothing_and_counts_nothing_twice(
    broker: LocalBroker, tmp_path: Path
) -> None:
    prefix = unique("restart")
    settings = settings_for(broker, prefix)
    feed = write_feed(tmp_path / "long.jsonl", unique("kill"), long_match())
    source = outgoing(feed)
    n = len(source.lines)
    worker = Worker(broker.url, prefix, tmp_path, PARTITIONS)
    worker.start()
    # One line per message, 219 lines over about 25 s: the kills land mid-flow.
    publisher = threading.Thread(
        target=lambda: asyncio.run(publish(settings, [source], speed=235.0, chunk=1))
    )
    publisher.start()
    rng = random.Random(7)
    try:
        for _ in range(3):
            time.sleep(rng.uniform(1.5, 3.5))
            worker.kill()
            worker.start()
        publisher.join(60)
        state = final_state(settings, source.match_id, n, timeout=90)
    finally:
        publisher.join(60)
        worker.stop()
    assert state == embedded(feed)
    logged = logged_events(settings)[source.match_id]
    assert [e.seq for e in logged] == list(range(1, n + 1)), "a seq repeated or skipped"
    assert len({e.event_id for e in logged}) == n
    assert worker.runs == 4 and worker.log().count("Ready") >= 4
