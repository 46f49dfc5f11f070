"""Crash safety and multi-process writing of the SQLite store, with real processes.

A writer killed with SIGKILL at random points loses no acknowledged event and leaves no
batch in part, in both durability modes (``normal`` promises that much: a killed process,
not a power cut); two processes appending to one file both succeed, with contiguous seqs.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from events.models import EventBase
from stream.sqlite import SqliteStore

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TEXT = re.compile(r"^(?P<tag>\S+) b(?P<batch>\d+) e(?P<i>\d+)/(?P<size>\d+)$")


def writer(path: Path, match: str, tag: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.stream.writer", str(path), match, tag, *extra],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def acks(output: str) -> list[tuple[str, int, int, int]]:
    """(tag, batch, size, last seq) of every complete ACK line."""
    out = []
    for row in output.splitlines():
        parts = row.split()
        if len(parts) == 5 and parts[0] == "ACK":
            out.append((parts[1], int(parts[2]), int(parts[3]), int(parts[4])))
    return out


def killed_writer(
    path: Path, tag: str, rng: random.Random, *extra: str
) -> list[tuple[str, int, int, int]]:
    """A writer on match ``m`` killed with SIGKILL at a random point once in its loop:
    the appends it acknowledged."""
    proc = writer(path, "m", tag, *extra)
    assert proc.stdout is not None
    first = proc.stdout.readline()  # the writer is in its loop
    time.sleep(rng.uniform(0.0, 0.12))
    os.kill(proc.pid, signal.SIGKILL)
    rest, _ = proc.communicate(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    return acks(first + rest)


def batches(events: list[EventBase]) -> dict[tuple[str, int], list[EventBase]]:
    """The stream's events grouped by the batch that wrote them, checked to be whole."""
    grouped: dict[tuple[str, int], list[EventBase]] = defaultdict(list)
    for event in events:
        m = TEXT.match(event.text)
        assert m, event.text
        grouped[m["tag"], int(m["batch"])].append(event)
    for key, group in grouped.items():
        size = int(TEXT.match(group[0].text)["size"])  # type: ignore[index]
        assert [e.text for e in group] == [f"{key[0]} b{key[1]} e{i}/{size}" for i in range(size)]
        first = group[0].seq
        assert [e.seq for e in group] == list(range(first, first + size)), "batch interleaved"
    return grouped


DURABILITY = pytest.mark.parametrize("durability", ["full", "normal"])


@DURABILITY
def test_kill_9_loses_no_acknowledged_event_and_tears_no_batch(
    tmp_path: Path, durability: str
) -> None:
    path = tmp_path / "store.sqlite"
    rng = random.Random(20240204)
    acknowledged: list[tuple[str, int, int, int]] = []
    for round_ in range(20):
        acknowledged += killed_writer(
            path, f"r{round_}", rng, "--seed", str(round_), "--durability", durability
        )
        with SqliteStore(path, create=False) as store:
            events = store.read("m")
            assert [e.seq for e in events] == list(range(1, len(events) + 1))
            assert [e.position for e in events] == [e.seq for e in events]
            grouped = batches(events)
            for tag, batch, size, last_seq in acknowledged:
                group = grouped[tag, batch]
                assert len(group) == size and group[-1].seq == last_seq
    # The kills did land while batches were being written (more than one per round).
    assert len(acknowledged) > 40


@DURABILITY
def test_kill_9_during_append_each_loses_no_acknowledged_source(
    tmp_path: Path, durability: str
) -> None:
    """``append_each`` (a source and its metadata a transaction, as an ingest appends): a
    source it acknowledged is in the file whole; none is in part."""
    path = tmp_path / "store.sqlite"
    rng = random.Random(20241122)
    acknowledged: list[tuple[str, int, int, int]] = []
    for round_ in range(10):
        acknowledged += killed_writer(
            path, f"r{round_}", rng, "--seed", str(round_), "--each", "--durability", durability
        )
        with SqliteStore(path, create=False) as store:
            events = store.read_all()
            assert [e.position for e in events] == list(range(1, len(events) + 1))
            grouped = batches(events)
            for (tag, batch), group in grouped.items():
                assert {e.match_id for e in group} == {f"m-{tag}-{batch}"}
                assert group[0].seq == 1
            for tag, batch, size, last_seq in acknowledged:
                assert len(grouped[tag, batch]) == size == last_seq
    assert len(acknowledged) > 20


def test_two_processes_append_to_one_file(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    SqliteStore(path).close()
    # Two live writers (a short pause between batches: SQLite does not queue writers fairly,
    # so a writer appending back to back could starve the other until it is done).
    options = ("--batches", "100", "--wait", "--pause", "0.002")
    procs = [writer(path, "m", f"p{i}", "--seed", str(i), *options) for i in (1, 2)]
    for proc in procs:  # both processes have the store open before either writes
        assert proc.stdout is not None and proc.stdout.readline() == "READY\n"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [proc.communicate(timeout=60)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0]
    with SqliteStore(path, create=False) as store:
        events = store.read("m")
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        grouped = batches(events)
        for output in outputs:
            written = acks(output)
            assert len(written) == 100
            for tag, batch, _size, last_seq in written:
                assert grouped[tag, batch][-1].seq == last_seq
        assert len(grouped) == 200
        # Both writers were at it together: their batches interleave in the stream.
        order = [tag for tag, _ in grouped]
        assert sum(a != b for a, b in itertools.pairwise(order)) > 1
