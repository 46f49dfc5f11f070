"""Live updates: the hub over a store's subscription, and the SSE endpoint over a real
server seeing appends made through another connection to the SQLite file."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson

from events.readers import read_source
from replay.ingest import ingest_match
from replay.web import create_app
from replay.web.live import Change, LiveHub, offer, store_feed
from replay.web.server import running
from replay.web.service import MatchService
from stream import MemoryStore, open_store

from .conftest import EXAMPLES, GOAL, SCRIPT_LINE, SEED, append_elsewhere, lines

TIMEOUT = 5.0


def sse_events(response: httpx.Response) -> Iterator[tuple[str, Any]]:
    """(event, data) of each server-sent event of a streamed response."""
    event = "message"
    data: list[str] = []
    for line in response.iter_lines():
        if not line:
            if data:
                yield event, orjson.loads("\n".join(data))
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())


def test_hub_pushes_only_the_changed_matchs_state() -> None:
    store = MemoryStore()
    ingest_match(store, read_source(EXAMPLES / "inter-milan-derby.txt"))
    store.append("other", lines(("10", "Foul by Someone (Other FC).")))
    hub = LiveHub(MatchService(store), store_feed(store), window=0.01)

    async def scenario() -> tuple[dict[str, Any], bool]:
        queue = hub.subscribe(SEED)
        await asyncio.sleep(0.05)  # the follower is at the end of the store
        store.append("other", lines(("11", "Foul by Someone Else (Other FC).")))
        quiet = False
        try:
            await asyncio.wait_for(queue.get(), 0.3)
        except TimeoutError:
            quiet = True
        store.append(SEED, lines(("90+5", GOAL)))
        payload = await asyncio.wait_for(queue.get(), TIMEOUT)
        hub.unsubscribe(SEED, queue)
        await hub.stop()
        return payload, quiet

    payload, quiet = asyncio.run(scenario())
    assert quiet, "an append to another match reached this match's subscriber"
    assert payload["last_seq"] == 32
    assert (payload["state"]["score"]["home"], payload["state"]["score"]["away"]) == (2, 0)
    assert payload["minutes"][-1]["label"] == "90+5'"
    assert hub.subscriber_count() == 0


def test_hub_takes_a_state_from_a_states_feed() -> None:
    store = MemoryStore()
    ingest_match(store, read_source(EXAMPLES / "inter-milan-derby.txt"))
    states: asyncio.Queue[Change] = asyncio.Queue()

    async def feed() -> Any:
        while True:
            yield await states.get()

    hub = LiveHub(MatchService(store), feed, window=0.01)

    async def scenario() -> list[dict[str, Any]]:
        a, b = hub.subscribe(SEED), hub.subscribe("elsewhere")
        await states.put(Change(SEED, {"match_id": SEED, "last_seq": 40, "score": {}}))
        await states.put(Change("elsewhere", {"match_id": "elsewhere", "last_seq": 3}))
        got = [await asyncio.wait_for(q.get(), TIMEOUT) for q in (a, b)]
        await hub.stop()
        return got

    seed, elsewhere = asyncio.run(scenario())
    assert seed["last_seq"] == 40 and seed["minutes"][-1]["label"] == "90+4'"
    assert elsewhere["minutes"] is None and elsewhere["state"]["match_id"] == "elsewhere"


def test_offer_keeps_only_the_newest_payload() -> None:
    async def scenario() -> dict[str, Any]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=1)
        offer(queue, {"n": 1})
        offer(queue, {"n": 2})
        return await queue.get()

    assert asyncio.run(scenario()) == {"n": 2}


def test_sse_sends_the_state_then_follows_appends_from_another_connection(
    store_path: Path,
) -> None:
    store = open_store(store_path, create=False)
    try:
        with (
            running(create_app(store)) as base,
            httpx.Client(base_url=base, timeout=TIMEOUT) as client,
            client.stream("GET", f"/api/matches/{SEED}/live") as response,
        ):
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            events = sse_events(response)
            kind, first = next(events)
            assert kind == "state" and first["last_seq"] == 31
            assert first["state"]["score"]["home"] == 1
            assert first["minutes"][-1]["label"] == "90+4'"
            start = time.monotonic()
            append_elsewhere(store_path, SEED, ("90+5", GOAL), ("90+5", SCRIPT_LINE))
            kind, second = next(events)
            took = time.monotonic() - start
            assert kind == "state" and second["last_seq"] == 33
            assert (second["state"]["score"]["home"], second["state"]["score"]["away"]) == (2, 0)
            assert second["minutes"][-1]["label"] == "90+5'"
            assert took < 3.0
            text = client.get(f"/api/matches/{SEED}/events?from_seq=33").json()["events"][0]
            assert text["text"] == SCRIPT_LINE
    finally:
        store.close()
