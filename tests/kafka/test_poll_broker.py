"""``livetext poll URL --broker`` into the Kafka pipeline on a real tansu broker.

The HTTP server of ``tests/poll`` plays a match out with faults, a withdrawn goal and
amended lines; the poll sends what is new (lines, retractions, new versions) to
``PREFIX.lines`` and a ``livetext worker`` folds it: the state the pipeline publishes at
the end equals ingesting the finished file, also when the poller is killed with SIGKILL
mid-match and started again (it reads its memory back from the lines topic).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from events.models import Retraction
from projections.fold import retracted_ids
from stream.kafka.config import KafkaSettings
from stream.kafka.tansu import LocalBroker
from tests.kafka.conftest import Worker, unique
from tests.kafka.test_pipeline import PARTITIONS, final_state, logged_events, settings_for
from tests.poll.conftest import (
    CLI,
    MATCH_ID,
    ROOT,
    comparable,
    ingested_state,
    long_played,
    played_feed,
    run_poll,
)
from tests.poll.server import MatchServer, Snapshot
from tests.poll.test_poll_cmd import FAULTY

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


@pytest.fixture(scope="module")
def pipeline(
    broker: LocalBroker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KafkaSettings]:
    prefix = unique("poll")
    worker = Worker(broker.url, prefix, tmp_path_factory.mktemp("worker"), PARTITIONS)
    worker.start()
    try:
        yield settings_for(broker, prefix)
    finally:
        worker.stop()


def broker_args(settings: KafkaSettings) -> list[str]:
    return ["--broker", settings.broker, "--prefix", settings.topics.prefix]


def test_a_match_polled_with_faults_into_the_pipeline_equals_the_finished_file(
    pipeline: KafkaSettings, tmp_path: Path
) -> None:
    snapshots = played_feed()
    with MatchServer(snapshots, FAULTY, "application/x-ndjson") as server:
        done = run_poll(
            server.url,
            *("--match", MATCH_ID, "--every", "0.05", "--until-end", "--timeout", "0.5"),
            *("--json", *broker_args(pipeline)),
        )
        assert done.returncode == 0, done.stderr
        assert server.played()
    polls = [orjson.loads(line) for line in done.stdout.splitlines()]
    assert sum(p["withdrawn"] for p in polls) == 1 and sum(p["amended"] for p in polls) == 2
    sent = polls[-1]["events"]
    state = final_state(pipeline, MATCH_ID, sent)
    assert comparable(state) == ingested_state(snapshots[-1], tmp_path)
    gatti = [c for c in state["cards"] if "Gatti" in c["player"]["name"]]
    assert [(c["card"], c["clock"]["label"]) for c in gatti] == [("yellow", "59'")]
    logged = logged_events(pipeline)[MATCH_ID]
    assert [e.seq for e in logged] == list(range(1, sent + 1))
    assert sum(isinstance(e, Retraction) for e in logged) == 3
    assert {e.line_id for e in logged} >= {"c10", "c11", "g1"}


def test_a_poller_killed_mid_match_and_started_again_sends_nothing_twice(
    pipeline: KafkaSettings, tmp_path: Path
) -> None:
    match_id, snapshots = long_played()
    match_id = unique(match_id)
    args = ["--match", match_id, "--every", "0.01", "--until-end", "--json"]
    args += broker_args(pipeline)
    rng = random.Random(41)
    with MatchServer(snapshots, [Snapshot(i) for i in range(len(snapshots))]) as server:
        for _ in range(2):
            proc = subprocess.Popen(
                [*CLI, "poll", server.url, *args],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            target = len(server.log) + rng.randint(3, 6)
            deadline = time.monotonic() + 120
            while len(server.log) < target and proc.poll() is None:
                assert time.monotonic() < deadline, "the poll made no requests"
                time.sleep(0.002)
            os.kill(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)
        done = run_poll(server.url, *args)
        assert done.returncode == 0, done.stderr
    sent = orjson.loads(done.stdout.splitlines()[-1])["events"]
    state = final_state(pipeline, match_id, sent, timeout=90)
    assert comparable(state) == ingested_state(snapshots[-1], tmp_path, match_id)
    logged = logged_events(pipeline)[match_id]
    assert [e.seq for e in logged] == list(range(1, sent + 1)), "a seq repeated or skipped"
    excluded = retracted_ids([e for e in logged if isinstance(e, Retraction)])
    live = [e for e in logged if not isinstance(e, Retraction) and e.event_id not in excluded]
    assert Counter(e.line_id for e in live) == Counter(
        orjson.loads(line)["id"] for line in snapshots[-1].splitlines()[1:]
    )
