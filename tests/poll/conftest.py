"""Matches played out for the poll tests, and ``livetext poll`` run as a user runs it.

``played_feed()`` turns the bundled feed example into snapshots a provider would serve
over a match: the lines so far, a goal posted and withdrawn after a VAR check, a booking
re-stamped a minute later (line ``c10``, 58' then 59'), a shot's text corrected at the
same minute (``c11``).  Its last snapshot is the finished file.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from events.readers import read_source
from projections import state_at
from replay.ingest import ingest_match
from stream import MemoryStore, open_store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CLI = [
    sys.executable,
    "-c",
    "from replay import cli; cli.main()",
]
MATCH_ID = "inter-juventus-2024-02-04"

WITHDRAWN_GOAL = {
    "id": "g1",
    "text": "Goal! Inter Milan 2, Juventus 0. Lautaro Martínez (Inter Milan) right footed shot "
    "from the centre of the box to the bottom left corner.",
    "clock": "80'",
}
C11_FIXED = (
    "Attempt saved. Nicolò Barella (Inter Milan) right footed shot from very close range "
    "is saved in the bottom right corner."
)


def feed_rows() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rows = [
        orjson.loads(line)
        for line in (EXAMPLES / "feed-example.jsonl").read_bytes().split(b"\n")
        if line.strip()
    ]
    return rows[0], rows[1:]


def body(header: dict[str, Any], lines: Sequence[dict[str, Any]]) -> bytes:
    return b"\n".join(orjson.dumps(r) for r in [header, *lines]) + b"\n"


def played_feed() -> list[bytes]:
    """Nine snapshots of the feed example (see the module); the last is the finished match."""
    header, lines = feed_rows()
    by_id = {line["id"]: line for line in lines}
    restamped = {**by_id["c10"], "clock": "59'"}
    fixed = {**by_id["c11"], "text": C11_FIXED}

    def upto(
        last: str, *, goal: bool = False, amended: bool = False, fixed_c11: bool = False
    ) -> bytes:
        out: list[dict[str, Any]] = []
        for line in lines:
            if line["id"] == "c10" and amended:
                line = restamped
            if line["id"] == "c11" and fixed_c11:
                line = fixed
            out.append(line)
            if line["id"] == "c12" and goal:
                out.append(WITHDRAWN_GOAL)
            if line["id"] == last:
                break
        return body(header, out)

    return [
        upto("c3"),
        upto("c6"),
        upto("c9"),
        upto("c11"),
        upto("c12", goal=True),
        upto("c13", amended=True),
        upto("c15", amended=True, fixed_c11=True),
        upto("c17", amended=True, fixed_c11=True),
        upto("c18", amended=True, fixed_c11=True),
    ]


def run_poll(url: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "poll", url, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


STREAM_COUNTS = ("events", "last_seq")
"""Keys of the state JSON that count the stream's events, not the match's: a poll's stream
also holds its retractions and the versions it retracted."""


def comparable(state: dict[str, Any]) -> dict[str, Any]:
    """A state JSON without :data:`STREAM_COUNTS`."""
    return {k: v for k, v in state.items() if k not in STREAM_COUNTS}


def ingested_state(data: bytes, tmp: Path, match_id: str = MATCH_ID) -> dict[str, Any]:
    """The state ``livetext ingest`` of the finished file gives."""
    path = tmp / "finished.jsonl"
    path.write_bytes(data)
    store = MemoryStore()
    ingest_match(store, read_source(path, match_id=match_id))
    return comparable(state_at(store, match_id).to_json())


def polled_state(store_path: Path, match_id: str = MATCH_ID) -> dict[str, Any]:
    store = open_store(store_path)
    try:
        return comparable(state_at(store, match_id).to_json())
    finally:
        store.close()


def long_played(per_snapshot: int = 12) -> tuple[str, list[bytes]]:
    """A whole match of ~220 lines with ids (``tests.kafka.conftest.long_match``), served
    ``per_snapshot`` lines more each time, with a goal at 20' posted then withdrawn three
    snapshots later and a foul first served a minute early, then corrected; the match id
    and the snapshots, the last being the finished match."""
    from tests.kafka.conftest import long_match

    match_id = "long-poll-match"
    header = {"match": {"id": match_id, "home": "Inter Milan", "away": "Juventus"}}
    lines: list[dict[str, Any]] = [
        {"id": f"l{i}", "text": text, "clock": clock}
        for i, (clock, text) in enumerate(long_match(), 1)
    ]
    ghost: dict[str, Any] = {
        "id": "ghost",
        "text": "Goal! Inter Milan 1, Juventus 0. Marcus Thuram (Inter Milan) header from the "
        "centre of the box to the bottom left corner.",
        "clock": "20'",
    }
    early = {**lines[99], "clock": _minute_before(lines[99]["clock"])}
    at_20 = next(i for i, line in enumerate(lines) if line["clock"] == "20'")
    snapshots: list[bytes] = []
    ghost_from: int | None = None
    early_from: int | None = None
    n = 0
    while n < len(lines):
        n = min(len(lines), n + per_snapshot)
        shown = list(lines[:n])
        k = len(snapshots)
        if n > at_20 and (ghost_from is None or k < ghost_from + 3):
            ghost_from = k if ghost_from is None else ghost_from
            shown.insert(at_20 + 1, ghost)
        if n > 99 and (early_from is None or k < early_from + 2):
            early_from = k if early_from is None else early_from
            shown[shown.index(lines[99])] = early
        snapshots.append(body(header, shown))
    return match_id, snapshots


def _minute_before(clock: str) -> str:
    minute = int(clock.rstrip("'").split("'")[0])
    return f"{minute - 1}'"


FIXTURES = ROOT / "tests" / "fixtures"
ESPN_DEV = ROOT.parent / "shared" / "data" / "espn-worldcup-dev"
IN_PROGRESS = {"type": {"state": "in", "completed": False, "detail": "In Progress"}}


def espn_played(path: Path, per_snapshot: int) -> tuple[str, list[bytes]]:
    """An ESPN summary played out as ESPN serves a live match: ``per_snapshot`` more
    commentary items each time and the status in progress until the last snapshot (the
    file as it is).  On the way a goal is posted at the live edge and withdrawn three
    snapshots later, a line is first served with its clock a minute early and another
    with other words; the event id and the snapshots."""
    document = orjson.loads(path.read_bytes())
    summary = document.get("summary", document)
    items = sorted(summary["commentary"], key=lambda item: int(item["sequence"]))
    clocked = [i for i, item in enumerate(items) if _bare_minute(item) and i > per_snapshot]
    early, reworded = clocked[len(clocked) // 3], clocked[len(clocked) // 2]
    # the goal is posted at a second-half minute (a clock no later line can re-read)
    ghost_at = next(i for i, item in enumerate(items) if _bare_minute(item, 50))
    sides = summary["header"]["competitions"][0]["competitors"]
    home = next(c for c in sides if c["homeAway"] == "home")["team"]["displayName"]
    away = next(c for c in sides if c["homeAway"] == "away")["team"]["displayName"]
    goal = (
        f"Goal! {home} 5, {away} 0. Substitute Player ({home}) right footed shot from the "
        "centre of the box to the bottom left corner."
    )
    snapshots: list[bytes] = []
    ghost: dict[str, Any] | None = None
    n = 0
    while n < len(items):
        n = min(len(items), n + per_snapshot)
        shown = [dict(item) for item in items[:n]]
        if early < n and early + per_snapshot * 2 >= n:
            minute = int(shown[early]["time"]["displayValue"].rstrip("'"))
            shown[early]["time"] = {**shown[early]["time"], "displayValue": f"{minute - 1}'"}
        if reworded < n and reworded + per_snapshot >= n:
            shown[reworded]["text"] = shown[reworded]["text"].replace(".", " !", 1)
        if ghost_at < n and ghost_at + per_snapshot * 3 >= n:
            if ghost is None:  # posted at the live edge, in its period
                edge = next(i for i in reversed(shown) if _bare_minute(i, 50))
                ghost = {"sequence": 100_000, "time": dict(edge["time"]), "text": goal}
                period = ((edge.get("play") or {}).get("period") or {}).get("number")
                if period is not None:
                    ghost["play"] = {"period": {"number": period}}
            shown.append(ghost)
        snapshot = copy.deepcopy(document)
        inner = snapshot.get("summary", snapshot)
        inner["commentary"] = shown
        if n < len(items):
            inner["header"]["competitions"][0]["status"] = IN_PROGRESS
        snapshots.append(orjson.dumps(snapshot))
    return str(summary["header"]["id"]), snapshots


def _bare_minute(item: dict[str, Any], least: int = 2) -> bool:
    """The item's clock is a bare minute (``63'``), ``least`` or later, before 90'."""
    shown = str((item.get("time") or {}).get("displayValue") or "")
    return shown.endswith("'") and shown[:-1].isdigit() and least <= int(shown[:-1]) < 90


def opta_played(path: Path, per_snapshot: int) -> tuple[str, list[bytes]]:
    """An Opta-style commentary played out: ``per_snapshot`` more messages each time
    (newest first, as Opta lists them); on the way one message is first served with
    other words and a made-up one is served for two snapshots, then withdrawn; the match
    id and the snapshots."""
    document = orjson.loads(path.read_bytes())
    messages = document["messages"][0]["message"]  # newest first
    oldest_first = list(reversed(messages))
    reworded = len(oldest_first) // 2
    made_up = {
        **oldest_first[reworded - 1],
        "id": "made-up",
        "comment": "Foul by Nobody (Germany).",
    }
    snapshots: list[bytes] = []
    n = 0
    while n < len(oldest_first):
        n = min(len(oldest_first), n + per_snapshot)
        shown = [dict(m) for m in oldest_first[:n]]
        if reworded < n <= reworded + per_snapshot:
            shown[reworded]["comment"] = shown[reworded]["comment"].replace(".", " !", 1)
        if reworded < n <= reworded + per_snapshot * 2:
            shown.insert(reworded, made_up)
        snapshot = copy.deepcopy(document)
        snapshot["messages"][0]["message"] = list(reversed(shown))
        snapshots.append(orjson.dumps(snapshot))
    return str(document["matchInfo"]["id"]), snapshots
