"""Whole-process ingest: ``livetext ingest`` of 1,000 real match files as one process,
start-up included, next to two baselines run as whole processes in the same run.

Run: ``.venv/bin/python -m bench.ingest_cli [--files 1000] [--repeat 3]`` (needs ../shared
beside the repo, and the ``bench`` extra: ``pip install -e '.[bench]'``).

The files are the ESPN dev matches (``espn-worldcup-dev``) written as plain ``clock text``
lines, oldest first (a line without a clock is the text alone), one match a file, repeated
under new names up to ``--files`` (the 39 matches have 79-179 lines, ~110 on average).
Each run writes a fresh store:

- ``livetext ingest FILE... --store S``: read, parse, number and append every file (one
  transaction a file, with its match sheet); durability "full" (synchronous=FULL), then
  with ``LIVETEXT_DURABILITY=normal``;
- the ``eventsourcing`` library (``SQLiteApplicationRecorder``): one aggregate per match,
  one event per line holding the raw text, unparsed; one ``save`` (a transaction) a match;
- raw ``sqlite3``: the same lines as (stream, seq, text) rows, WAL, ``executemany`` in
  transactions of 1,000 rows, UNIQUE(stream, seq).

Goals (issue 16): ``livetext ingest`` >= 2x as fast as eventsourcing (goal 5x), <= 8x raw
SQLite's time (goal 4x).  A breakdown follows: start-up (``livetext ingest`` of one file, as a
process), ``read_source`` of every file and the store's appends (``append_each``), each
timed in this process.  Times are the best of ``--repeat`` runs, the commands taking turns.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import build_files, compiled, table

ROOT = Path(__file__).resolve().parents[1]
LIVETEXT = Path(sys.executable).parent / "livetext"
BATCH = 1_000  # rows per transaction of the raw baseline
BASELINE = [sys.executable, "-m", "bench.ingest_cli", "--baseline"]


# --- the baselines, each run as a process of its own --------------------------------------


def eventsourcing_ingest(files: list[Path], db: Path) -> None:
    """One aggregate per match, one event per raw line, one save a match.  (The library is
    imported by name: it is an optional extra, and typed checks run without it.)"""
    application = importlib.import_module("eventsourcing.application")
    domain = importlib.import_module("eventsourcing.domain")
    aggregate: Any = domain.Aggregate

    class MatchLines(aggregate):  # type: ignore[misc]
        @domain.event("Started")
        def __init__(self, name: str) -> None:
            self.name = name
            self.lines: list[str] = []

        @domain.event("LineAdded")
        def add_line(self, text: str) -> None:
            self.lines.append(text)

    app = application.Application(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(db)}
    )
    for path in files:
        match = MatchLines(path.stem)
        for line in path.read_text(encoding="utf-8").splitlines():
            match.add_line(line)
        app.save(match)
    app.close()


def sqlite_ingest(files: list[Path], db: Path) -> None:
    """The lines as (stream, seq, text) rows, 1,000 to a transaction."""
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE lines (stream TEXT, seq INTEGER, text TEXT, UNIQUE (stream, seq))")
    rows: list[tuple[str, int, str]] = []
    for path in files:
        for seq, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            rows.append((path.stem, seq, line))
            if len(rows) == BATCH:
                _insert(conn, rows)
    if rows:
        _insert(conn, rows)
    conn.close()


def _insert(conn: object, rows: list[tuple[str, int, str]]) -> None:
    import sqlite3

    assert isinstance(conn, sqlite3.Connection)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO lines VALUES (?, ?, ?)", rows)
    conn.execute("COMMIT")
    rows.clear()


BASELINES = {"eventsourcing": eventsourcing_ingest, "sqlite": sqlite_ingest}


# --- timing whole processes ---------------------------------------------------------------


def timed(args: list[str], env: dict[str, str] | None = None) -> float:
    """Seconds a command takes as a process, start-up included; it must succeed."""
    start = time.perf_counter()
    run = subprocess.run(
        args, cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} ... failed:\n{run.stderr[-2000:]}")
    return elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", choices=sorted(BASELINES), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--list", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline:  # a baseline's own process
        files = [Path(p) for p in args.list.read_text().splitlines()]
        BASELINES[args.baseline](files, args.db)
        return
    if not LIVETEXT.exists():
        raise SystemExit(f"no livetext command beside {sys.executable}")
    compiled()
    with tempfile.TemporaryDirectory(prefix="livetext-bench-") as tmp:
        run(args.files, args.repeat, Path(tmp))


def run(count: int, repeat: int, tmp: Path) -> None:
    files, lines = build_files(tmp / "files", count)
    listing = tmp / "files.txt"
    listing.write_text("\n".join(map(str, files)))
    paths = [str(p) for p in files]

    def store(name: str, i: int) -> str:
        return str(tmp / f"{name}{i}.sqlite")

    commands: dict[str, Callable[[int], float]] = {
        "livetext ingest": lambda i: timed(
            [str(LIVETEXT), "ingest", *paths, "--store", store("lt", i)]
        ),
        "livetext ingest, LIVETEXT_DURABILITY=normal": lambda i: timed(
            [str(LIVETEXT), "ingest", *paths, "--store", store("ltn", i)],
            {"LIVETEXT_DURABILITY": "normal"},
        ),
        "eventsourcing 9.5 (SQLite, an aggregate a match)": lambda i: timed(
            [*BASELINE, "eventsourcing", "--db", store("es", i), "--list", str(listing)]
        ),
        "raw sqlite3 (WAL, executemany of 1,000 rows)": lambda i: timed(
            [*BASELINE, "sqlite", "--db", store("raw", i), "--list", str(listing)]
        ),
        "start-up: livetext ingest of one file": lambda i: timed(
            [str(LIVETEXT), "ingest", paths[0], "--store", store("one", i)]
        ),
    }
    best = {name: float("inf") for name in commands}
    for i in range(repeat):
        for name, command in commands.items():
            best[name] = min(best[name], command(i))
    check_store(store("lt", 0), lines)

    lt, es, raw = (
        best["livetext ingest"],
        best["eventsourcing 9.5 (SQLite, an aggregate a match)"],
        best["raw sqlite3 (WAL, executemany of 1,000 rows)"],
    )
    print(
        f"{count:,} match files, {lines:,} lines (ESPN dev matches as plain lines), whole "
        f"processes, best of {repeat}, Python {sys.version.split()[0]}"
    )
    rows: list[tuple[str, ...]] = [("command", "seconds", "lines/s", "vs livetext ingest")]
    for name, seconds in best.items():
        rate = "" if name.startswith("start-up") else f"{lines / seconds:,.0f}"
        rows.append((name, f"{seconds:.2f}", rate, f"{seconds / lt:.2f}x its time"))
    print(table(rows))
    print(
        f"livetext ingest is {es / lt:.2f}x as fast as eventsourcing (goal >= 2x, 5x) and "
        f"takes {lt / raw:.2f}x raw sqlite3's time (goal <= 8x, 4x)"
    )
    start = best["start-up: livetext ingest of one file"]
    parts = in_process(files, tmp, repeat)
    print(
        "\nwhere livetext ingest's time goes: its parts timed apart in this process (the"
        " workers read and make ready while the writer appends)"
    )
    rows = [("part", "seconds", "µs/line")]
    for name, seconds in [("start-up (livetext ingest of one file)", start), *parts]:
        rows.append((name, f"{seconds:.2f}", f"{seconds / lines * 1e6:.1f}"))
    print(table(rows))


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}"


def check_store(path: str, lines: int) -> None:
    """The store the command wrote holds every line."""
    from stream.sqlite import SqliteStore

    with SqliteStore(path, create=False) as store:
        held = sum(m.event_count for m in store.matches())
    if held != lines:
        raise SystemExit(f"livetext ingest stored {held:,} events of {lines:,} lines")


def in_process(files: list[Path], tmp: Path, repeat: int) -> list[tuple[str, float]]:
    """The best seconds of each part of an ingest: ``read_source`` of every file, making
    each ready for the store (a worker's share, ``ready_source``), the writer's appends
    of the ready sources (``append_each``, the command's grouping)."""
    import gc

    from events.readers import read_source
    from replay.commands.ingest_cmd import GROUP_ROWS
    from replay.ingest import MatchAppends, ready_source
    from stream.sqlite import SqliteStore

    read_s = ready_s = store_s = float("inf")
    for i in range(repeat):
        start = time.perf_counter()
        matches = [read_source(f) for f in files]
        read_s = min(read_s, time.perf_counter() - start)
        start = time.perf_counter()
        ready = [ready_source(m) for m in matches]
        ready_s = min(ready_s, time.perf_counter() - start)
        del matches
        gc.collect()
        with SqliteStore(tmp / f"parts{i}.sqlite") as store:
            start = time.perf_counter()
            appends = MatchAppends(store)
            made = (appends.append_ready(r, None) for r in ready)
            for _ in store.append_each((a for a in made if a), group_rows=GROUP_ROWS):
                pass
            store_s = min(store_s, time.perf_counter() - start)
    return [
        ("read_source of every file (workers)", read_s),
        ("made ready for the store: ids, JSON (workers)", ready_s),
        ("the writer: append_each of the ready sources", store_s),
    ]


if __name__ == "__main__":
    main(sys.argv[1:])
