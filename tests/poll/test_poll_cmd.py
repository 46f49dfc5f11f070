"""``livetext poll URL --store PATH`` against a real HTTP server on 127.0.0.1.

The server plays a match out snapshot by snapshot with faults on the way (503, 429 with
``Retry-After``, a connection reset, a cut-off body, an answer slower than the timeout),
a goal withdrawn after a VAR check and amended lines; the poll rides them out, stops by
itself at the end, and the state it leaves equals ingesting the finished file.  Killed
with SIGKILL mid-match and started again, or stopped with Ctrl-C, it loses and doubles
nothing.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import orjson
import pytest

from events.models import Booking, Retraction
from projections.fold import retracted_ids
from stream import open_store
from tests.poll.conftest import (
    CLI,
    MATCH_ID,
    ROOT,
    WITHDRAWN_GOAL,
    ingested_state,
    long_played,
    played_feed,
    polled_state,
    run_poll,
)
from tests.poll.server import CutOff, MatchServer, Reset, Slow, Snapshot, Status, Step

FAULTY: list[Step] = [
    Snapshot(0),
    Status(503),
    Snapshot(1),
    Status(429, retry_after=1),
    Snapshot(2),
    Reset(),
    Snapshot(3),
    CutOff(4),
    Snapshot(4),
    Slow(5, delay=2.0),
    Snapshot(5),
    Snapshot(6),
    Snapshot(7),
    Snapshot(8),
]


def test_a_match_played_out_with_faults_ends_as_the_finished_file(tmp_path: Path) -> None:
    snapshots = played_feed()
    store = tmp_path / "poll.sqlite"
    with MatchServer(snapshots, FAULTY, "application/x-ndjson") as server:
        done = run_poll(
            server.url,
            *("--match", MATCH_ID, "--store", str(store), "--every", "0.05"),
            *("--until-end", "--timeout", "0.5", "--json"),
        )
        assert done.returncode == 0, done.stderr
        assert server.played()
    polls = [orjson.loads(line) for line in done.stdout.splitlines()]
    errors = [p["error"] for p in polls if p["outcome"] == "error"]
    assert [e.split(" (")[0] for e in errors] == [
        "HTTP 503 Service Unavailable",
        "HTTP 429 Too Many Requests",
        "network error",
        "the answer was cut off",
        "no answer within 0.5 s",
    ]
    after_429 = next(p for p in polls if p["http_status"] == 429)
    assert after_429["next_in"] >= 1.0  # Retry-After honoured
    assert polls[-1]["ended"] and polls[-1]["next_in"] is None
    assert polls[-1]["score"] == {"home": 1, "away": 0}
    assert sum(p["withdrawn"] for p in polls) == 1
    assert sum(p["amended"] for p in polls) == 2  # c10 re-stamped, c11 corrected
    assert "the match is over" in done.stderr

    assert polled_state(store) == ingested_state(snapshots[-1], tmp_path)
    state = polled_state(store)
    gatti = [c for c in state["cards"] if "Gatti" in c["player"]["name"]]
    assert [(c["card"], c["clock"]["label"]) for c in gatti] == [("yellow", "59'")]
    assert state["stats"]["away"]["red_cards"] == 0
    # The withdrawn goal is in the stream, retracted: history is not rewritten.
    events = open_store(store).read(MATCH_ID)
    goal = next(e for e in events if e.text == WITHDRAWN_GOAL["text"])
    assert goal.event_id in retracted_ids([e for e in events if isinstance(e, Retraction)])


def test_a_poll_killed_mid_match_and_started_again_appends_nothing_twice(tmp_path: Path) -> None:
    match_id, snapshots = long_played()
    store = tmp_path / "poll.sqlite"
    args = ["--store", str(store), "--every", "0.01", "--until-end", "--json"]
    rng = random.Random(14)
    with MatchServer(snapshots, [Snapshot(i) for i in range(len(snapshots))]) as server:
        for _ in range(3):
            proc = subprocess.Popen(
                [*CLI, "poll", server.url, *args],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            served = len(server.log)
            target = served + rng.randint(2, 4)
            deadline = time.monotonic() + 60
            while len(server.log) < target and proc.poll() is None:
                assert time.monotonic() < deadline, "the poll made no requests"
                time.sleep(0.002)
            os.kill(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)
        done = run_poll(server.url, *args)
        assert done.returncode == 0, done.stderr
    polled = polled_state(store, match_id)
    assert polled == ingested_state(snapshots[-1], tmp_path, match_id)
    assert polled["score"]["home"] == 2
    events = open_store(store).read(match_id)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    excluded = retracted_ids([e for e in events if isinstance(e, Retraction)])
    live = [e for e in events if not isinstance(e, Retraction) and e.event_id not in excluded]
    # Every line of the finished match once, and nothing else.
    assert Counter(e.line_id for e in live) == Counter(
        orjson.loads(line)["id"] for line in snapshots[-1].splitlines()[1:]
    )


def test_ctrl_c_stops_between_appends_and_a_new_poll_finishes_the_match(tmp_path: Path) -> None:
    snapshots = played_feed()
    store = tmp_path / "poll.sqlite"
    args = ["--match", MATCH_ID, "--store", str(store), "--every", "0.05"]
    with MatchServer(snapshots, [Snapshot(i) for i in range(5)], then=4) as server:
        proc = subprocess.Popen(
            [*CLI, "poll", server.url, *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while len(server.log) < 8:  # the last snapshot of the script served again
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        assert "stopped (SIGINT)" in err and "Traceback" not in err
    assert polled_state(store) == ingested_state(snapshots[4], tmp_path)
    with MatchServer(snapshots, [Snapshot(i) for i in range(4, len(snapshots))]) as server:
        done = run_poll(server.url, *args, "--until-end")
        assert done.returncode == 0, done.stderr
    assert polled_state(store) == ingested_state(snapshots[-1], tmp_path)


def test_a_304_is_the_last_snapshot_again_and_counts_toward_a_withdrawal(tmp_path: Path) -> None:
    """The finished match served with its ETag: the poll asks with If-None-Match, gets 304,
    and a line the last body lacks is still withdrawn (two snapshots in a row lack it)."""
    snapshots = played_feed()
    store = tmp_path / "poll.sqlite"
    # The goal posted at snapshot 4, then straight to the finished match (which lacks it).
    with MatchServer(snapshots, [Snapshot(4), Snapshot(8)]) as server:
        done = run_poll(
            server.url,
            *("--match", MATCH_ID, "--store", str(store), "--every", "0.05", "--until-end"),
        )
        assert done.returncode == 0, done.stderr
        assert server.log[:2] == ["body 4", "body 8"]
        assert server.log[2:] == ["304 8"]
    assert polled_state(store) == ingested_state(snapshots[-1], tmp_path)


def test_a_body_that_does_not_read_is_skipped_whole(tmp_path: Path) -> None:
    snapshots = played_feed()
    html = b"<html><body><h1>502 Bad Gateway</h1></body></html>\n"
    garbled = snapshots[3][:-40] + b"\n"  # its last line cut short: line 12 is not JSON
    store = tmp_path / "poll.sqlite"
    script = [Snapshot(1), Snapshot(9), Snapshot(10), *(Snapshot(i) for i in range(2, 9))]
    with MatchServer([*snapshots, html, garbled], script, then=8) as s:
        done = run_poll(
            s.url,
            *("--match", MATCH_ID, "--store", str(store), "--every", "0.05", "--until-end"),
            "--json",
        )
        assert done.returncode == 0, done.stderr
    polls = [orjson.loads(line) for line in done.stdout.splitlines()]
    unreadable = [p for p in polls if p["outcome"] == "unreadable"]
    assert len(unreadable) == 2
    assert all(p["appended"] == 0 and p["lines"] == 6 for p in unreadable)
    assert unreadable[1]["error"].startswith(f"{s.url}:12: not a JSON object")
    assert polled_state(store) == ingested_state(snapshots[-1], tmp_path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--every", "0"], "--every must be a positive number"),
        (["--store", "x.sqlite", "--broker", "kafka://127.0.0.1:1"], "give one"),
        (["--format", "pdf"], "'pdf' is not one of"),
    ],
)
def test_bad_arguments_exit_2_and_say_why(tmp_path: Path, args: list[str], message: str) -> None:
    done = run_poll("http://127.0.0.1:9/x", *args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_a_url_that_is_not_there_fails_at_once(tmp_path: Path) -> None:
    with MatchServer([b""], [Status(404)]) as server:
        done = run_poll(server.url, "--store", str(tmp_path / "s.sqlite"), "--every", "0.05")
    assert done.returncode == 1
    assert "HTTP 404" in done.stderr and "Traceback" not in done.stderr


def test_the_booking_restamped_stays_one_booking_in_the_stream(tmp_path: Path) -> None:
    """What the events of the stream say about line c10: one booking in force, at 59'."""
    snapshots = played_feed()
    store = tmp_path / "poll.sqlite"
    with MatchServer(snapshots, [Snapshot(i) for i in range(len(snapshots))]) as server:
        done = run_poll(
            server.url,
            *("--match", MATCH_ID, "--store", str(store), "--every", "0.05", "--until-end"),
        )
        assert done.returncode == 0, done.stderr
    events = open_store(store).read(MATCH_ID)
    excluded = retracted_ids([e for e in events if isinstance(e, Retraction)])
    bookings = [e for e in events if isinstance(e, Booking) and e.line_id == "c10"]
    assert [(b.clock.label if b.clock else None, b.event_id in excluded) for b in bookings] == [
        ("58'", True),
        ("59'", False),
    ]


def test_two_polls_of_one_match_into_one_store_double_nothing(tmp_path: Path) -> None:
    """Two pollers racing on one store: each write is a compare-and-set on the match's last
    seq, so the loser works its snapshot out again against what the winner appended."""
    match_id, snapshots = long_played(per_snapshot=6)
    store = tmp_path / "poll.sqlite"
    args = ["--store", str(store), "--every", "0.01", "--until-end", "--json"]
    with MatchServer(snapshots, [Snapshot(i) for i in range(len(snapshots))]) as server:
        procs = [
            subprocess.Popen(
                [*CLI, "poll", server.url, *args],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    assert polled_state(store, match_id) == ingested_state(snapshots[-1], tmp_path, match_id)
    events = open_store(store).read(match_id)
    excluded = retracted_ids([e for e in events if isinstance(e, Retraction)])
    live = [e for e in events if not isinstance(e, Retraction) and e.event_id not in excluded]
    assert len(live) == len({e.line_id for e in live}) == len(snapshots[-1].splitlines()) - 1
    assert len({e.event_id for e in events}) == len(events)
