"""Ctrl-C during ``livetext ingest`` of many sources: exit 130, no worker left behind, and
the store holds whole sources only, the first ones, each exactly as read."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from events.clock import MatchClock
from events.readers import read_source
from stream import open_store

ROOT = Path(__file__).resolve().parents[2]
ESPN = ROOT / "tests" / "fixtures" / "espn-760415.json"
LIVETEXT = Path(sys.executable).parent / "livetext"
FILES = 2_000
"""Sources enough that the ingest is still running when Ctrl-C comes (some 200,000 lines:
seconds of work, where the signal follows the first commit, ~10 sources in)."""

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or not LIVETEXT.exists(),
    reason="needs Linux's /proc (to find the workers) and the installed livetext command",
)


def plain_lines() -> str:
    """The ESPN fixture's commentary as plain ``clock text`` lines (some 100)."""
    summary = orjson.loads(ESPN.read_bytes())
    summary = summary.get("summary", summary)
    out = []
    for entry in sorted(summary["commentary"], key=lambda e: e["sequence"]):
        shown = (entry.get("time") or {}).get("displayValue") or ""
        text = " ".join(entry["text"].split())
        out.append(f"{MatchClock.parse(shown).label} {text}" if shown else text)
    return "\n".join(out) + "\n"


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_stops_with_whole_sources_and_no_worker_left(jobs: int, tmp_path: Path) -> None:
    text = plain_lines()
    files = []
    for i in range(FILES):
        path = tmp_path / f"m{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    store = tmp_path / "s.sqlite"
    process = subprocess.Popen(
        [str(LIVETEXT), "ingest", *map(str, files), "--store", str(store), "--jobs", str(jobs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # one source is in: the run is under way
    assert first.startswith("m0000: ")
    workers = children(process.pid)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert "livetext: interrupted" in err
    assert len(workers) == (0 if jobs == 1 else jobs)
    assert all(gone(pid) for pid in workers)

    expected = len(read_source(files[0]).events)
    opened = open_store(store, create=False)
    try:
        stored = sorted(m.match_id for m in opened.matches())
        counts = {match_id: len(opened.read(match_id)) for match_id in stored}
    finally:
        opened.close()
    assert 1 <= len(stored) < FILES  # stopped part of the way
    assert stored == [f"m{i:04d}" for i in range(len(stored))]  # the first ones, in order
    assert set(counts.values()) == {expected}  # each one whole
    said = [line for line in (first + out).splitlines() if line.startswith("m")]
    assert len(said) <= len(stored)  # no source said to be in that is not
