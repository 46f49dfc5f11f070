"""``livetext serve --broker``: states published on PREFIX.states reach the page's live hub."""

from __future__ import annotations

import asyncio
import contextlib

import orjson

from replay.web.live import Change, kafka_feed, merged_feed
from stream.kafka.config import KafkaSettings, Topics
from stream.kafka.log import AIOKafkaProducer
from stream.kafka.tansu import LocalBroker
from stream.kafka.wire import SEQ_HEADER

from .conftest import unique


def test_states_on_the_topic_come_out_of_the_merged_feed(broker: LocalBroker) -> None:
    prefix = unique("web")
    settings = KafkaSettings(broker=broker.url, topics=Topics(prefix), app_id=prefix, partitions=1)
    local: asyncio.Queue[Change] = asyncio.Queue()

    async def store_like() -> object:
        while True:
            yield await local.get()

    async def scenario() -> list[Change]:
        changes = merged_feed(store_like, kafka_feed(settings))()  # type: ignore[arg-type]
        first = asyncio.ensure_future(changes.__anext__())
        producer = AIOKafkaProducer(bootstrap_servers=settings.servers)
        await producer.start()
        try:
            state = {"match_id": "derby", "last_seq": 7, "score": {"home": 1, "away": 0}}
            for _ in range(30):  # the feed follows from now: send until it has seen one
                await producer.send_and_wait(
                    settings.topics.states, orjson.dumps(state), key=b"derby",
                    headers=[(SEQ_HEADER, b"7")],
                )  # fmt: skip
                done, _ = await asyncio.wait({first}, timeout=1.0)
                if done:
                    break
        finally:
            await producer.stop()
        from_kafka = await asyncio.wait_for(first, 5)
        await local.put(Change("derby"))
        from_store = await asyncio.wait_for(changes.__anext__(), 5)
        with contextlib.suppress(Exception):
            await changes.aclose()  # type: ignore[attr-defined]
        return [from_kafka, from_store]

    from_kafka, from_store = asyncio.run(scenario())
    assert from_kafka.match_id == "derby"
    assert from_kafka.state is not None and from_kafka.state["score"] == {"home": 1, "away": 0}
    assert from_store == Change("derby")
