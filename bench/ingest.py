"""End-to-end ingest into the SQLite store next to a raw sqlite3 baseline, in one process.

Run: ``.venv/bin/python -m bench.ingest [--lines N] [--repeat R]`` (needs ../shared beside
the repo).  The real lines of kaggle-events-dev, one match per ``id_odsp``, are repeated
under new match ids up to ``--lines`` (100,000 by default) and gathered, whole matches at a
time, into sources of about 1,000 lines.  The baseline inserts the lines as text with plain
sqlite3 (WAL, synchronous=FULL, ``executemany`` in transactions of 1,000 rows,
UNIQUE(stream, seq)).

End to end: each source's lines parsed with ``events.parser.parse_line`` (with their
clocks) and appended in one transaction to a fresh ``SqliteStore`` (default settings: WAL,
durability "full", i.e. synchronous=FULL) by ``append_each``, all in one timed run; then
the same by ``ingest_many`` a source at a time.  The rows below take the parts apart: the
store's append of events parsed beforehand, its SQLite share (rows numbered beforehand,
inserted and committed), its numbering alone (``stream.numbering.number``: ids, rows,
JSON), the parse alone.  Goal: ingest at >= 0.4x the raw insert rate.  Rates are the best
of ``--repeat`` runs, the runs of each table taking turns.  The whole ``livetext ingest``
command, start-up included, is measured by ``bench/ingest_cli.py``.

A second table is what ``livetext ingest FILE...`` does: the same lines written as
plain-line files of 100 lines, one match each, read with ``read_source`` and appended with
their match sheets (one transaction per file, ``append_each``), next to the baseline
inserting the same lines under the same matches (long streams keep its index in order:
it is faster there).
"""

from __future__ import annotations

import argparse
import gc
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from bench.common import best_of, dev_rows, table
from events.clock import MatchClock
from events.models import EventBase, dumps
from events.parser import parse_line
from events.readers import read_source
from replay.ingest import match_append
from stream.ids import event_ids
from stream.ingest import ingest_events, ingest_many
from stream.numbering import Head, Numbered, number
from stream.record import event_json
from stream.sqlite import SqliteStore
from stream.sqlite_schema import INSERT, UPSERT_STREAM
from stream.store import Append, Batch

Line = tuple[str, str, MatchClock]  # match id, text, clock
TRANSACTION = 1_000  # lines per transaction (a source), for the store and the baseline
FILE_LINES = 100  # lines per match file (a match prints some 100-200)
T = TypeVar("T")


def real_lines(target: int) -> list[Line]:
    """The dev lines grouped by match (in ``sort_order``), repeated under new match ids."""
    matches: dict[str, list[tuple[int, str, MatchClock]]] = defaultdict(list)
    for row in dev_rows():
        matches[row["id_odsp"]].append(
            (int(row["sort_order"]), row["text"], MatchClock.of(int(row["time"])))
        )
    one_set = [
        (match_id, text, clock)
        for match_id, rows in matches.items()
        for _, text, clock in sorted(rows, key=lambda r: r[0])
    ]
    lines: list[Line] = []
    copy = 0
    while len(lines) < target:
        lines += [(f"{match_id}#{copy}", text, clock) for match_id, text, clock in one_set]
        copy += 1
    return lines


def by_match_lines(lines: list[Line]) -> dict[str, list[tuple[str, MatchClock]]]:
    grouped: dict[str, list[tuple[str, MatchClock]]] = defaultdict(list)
    for match_id, text, clock in lines:
        grouped[match_id].append((text, clock))
    return grouped


def by_match(events: list[tuple[str, EventBase]]) -> dict[str, list[EventBase]]:
    grouped: dict[str, list[EventBase]] = defaultdict(list)
    for match_id, event in events:
        grouped[match_id].append(event)
    return grouped


def transactions(matches: dict[str, list[T]]) -> Iterator[dict[str, list[T]]]:
    """Whole matches, gathered into transactions of about ``TRANSACTION`` lines."""
    chunk: dict[str, list[T]] = {}
    size = 0
    for match_id, events in matches.items():
        chunk[match_id] = events
        size += len(events)
        if size >= TRANSACTION:
            yield chunk
            chunk, size = {}, 0
    if chunk:
        yield chunk


def best(fns: list[Callable[[Path], float]], folder: Path, repeat: int) -> list[tuple[float, Path]]:
    """For each ``fn``, the best of ``repeat`` runs of ``fn(fresh file)`` (which times
    itself, set-up excluded) and the file of its last run.  The runs take turns (each
    round runs every ``fn`` once), so a change in the machine's load weighs on all of them
    alike rather than on whichever ran at the time."""
    times: list[list[float]] = [[] for _ in fns]
    paths: list[Path] = [folder for _ in fns]
    for run in range(repeat):
        for i, fn in enumerate(fns):
            paths[i] = folder / f"{fn.__name__}{run}.sqlite"
            times[i].append(fn(paths[i]))
    return [(min(t), path) for t, path in zip(times, paths, strict=True)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--per-match-lines", type=int, default=10_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="livetext-bench-") as tmp:
        run(args.lines, args.repeat, args.per_match_lines, Path(tmp))


def run(target: int, repeat: int, per_match_lines: int, tmp: Path) -> None:
    lines = real_lines(target)
    n = len(lines)
    sources = list(transactions(by_match_lines(lines)))
    # The events parsed beforehand (for the append's own rows) and the input lines stay
    # alive for the whole run, which a real ingest does not do (it holds one source's
    # lines and events at a time): keep the collector from re-scanning them in every
    # measurement.
    parsed = [(match_id, parse_line(text, clock)) for match_id, text, clock in lines]
    matches = by_match(parsed)
    chunks = list(transactions(matches))
    few = first_matches(matches, per_match_lines)
    few_n = sum(len(events) for events in few.values())
    gc.collect()
    gc.freeze()

    def raw(path: Path) -> float:
        return raw_insert(path, lines)

    def end_to_end(path: Path) -> float:
        """Each source parsed and appended in one transaction (``append_each``), its results
        dropped."""

        def write(store: SqliteStore) -> None:
            appends = (
                Append(None, [source_batch(m, ls) for m, ls in source.items()])
                for source in sources
            )
            for _ in store.append_each(appends):
                pass

        return timed_store(path, n, write)

    def in_turn(path: Path) -> float:
        """Each source parsed, then appended in one transaction (``ingest_many``)."""

        def write(store: SqliteStore) -> None:
            for source in sources:
                ingest_many(
                    store, {m: [parse_line(t, c) for t, c in ls] for m, ls in source.items()}
                )

        return timed_store(path, n, write)

    def bulk(path: Path) -> float:
        def write(store: SqliteStore) -> None:
            for chunk in chunks:
                ingest_many(store, chunk)

        return timed_store(path, n, write)

    def sql_alone(path: Path) -> float:
        """The append's SQLite share: its rows numbered beforehand, then written and
        committed, a transaction a chunk, as the append writes them."""
        plans = list(numbered_chunks(chunks))

        def write(store: SqliteStore) -> None:
            for plan in plans:
                with store._transaction() as conn:
                    conn.executemany(INSERT, plan.rows)
                    conn.executemany(
                        UPSERT_STREAM,
                        [(h.stream, m, h.last_seq, h.last_clock) for m, h in plan.heads.items()],
                    )

        return timed_store(path, n, write)

    def per_match(path: Path) -> float:
        with SqliteStore(path) as store:
            start = time.perf_counter()
            for match_id, events in few.items():
                ingest_events(store, match_id, events)
            return time.perf_counter() - start

    runs = best([raw, end_to_end, in_turn, bulk, sql_alone, per_match], tmp, repeat)
    (raw_s, _), (e2e_s, _), (turn_s, _), (bulk_s, bulk_path), (sql_s, _), (each_s, _) = runs

    def parse_sources() -> None:
        for source in sources:
            {m: [parse_line(text, clock) for text, clock in ls] for m, ls in source.items()}

    parse_s = best_of(parse_sources, repeat)

    # Where the append's time goes, each part timed alone on the same events, a
    # transaction's worth at a time, its results dropped before the next (as the append
    # drops them: keeping 100,000 of them alive costs more than making them).
    ids_s = best_of(lambda: [[event_ids(m, e) for m, e in c.items()] for c in chunks], repeat)
    numbering_s = best_of(lambda: [None for _ in numbered_chunks(chunks)], repeat)
    json_s = best_of(lambda: [[event_json(e) for e in c] for c in by_chunk(chunks)], repeat)
    copies_s = copies_alone(chunks, repeat)
    copies = [recorded(plan) for plan in numbered_chunks(chunks)]
    dumps_s = best_of(lambda: [[dumps(e) for e in c] for c in copies], repeat)

    with SqliteStore(bulk_path, create=False) as store:
        start = time.perf_counter()
        read_n = len(store.read_all())
        read_all_s = time.perf_counter() - start
        start = time.perf_counter()
        read_m = sum(len(store.read(match_id)) for match_id in matches)
        read_each_s = time.perf_counter() - start

    def row(label: str, count: int, seconds: float, ratio: bool = False) -> tuple[str, ...]:
        vs = f"{(raw_s / n) / (seconds / count):.2f}x" if ratio else ""
        return (label, f"{count:,}", f"{count / seconds:,.0f}", f"{seconds / count * 1e6:.1f}", vs)

    print(
        f"{n:,} real lines (kaggle-events-dev, {len(matches):,} matches of "
        f"~{n / len(matches):.1f} lines), best of {repeat}, "
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, synchronous=FULL"
    )
    print(
        table(
            [
                ("stage", "lines", "lines/s", "µs/line", "vs raw"),
                row("raw sqlite3 insert (baseline)", n, raw_s, ratio=True),
                row(
                    f"ingest end to end: parse + append, ~{TRANSACTION:,}-line sources",
                    n,
                    e2e_s,
                    ratio=True,
                ),
                row("  the same in one thread: parse, then append", n, turn_s, ratio=True),
                row("  parse_line alone, a source at a time", n, parse_s),
                row("  store append alone, events parsed beforehand", n, bulk_s, ratio=True),
                row(
                    "    alone: its SQLite inserts and commits, rows made before",
                    n,
                    sql_s,
                    ratio=True,
                ),
                row("    alone: numbering (ids, rows, JSON)", n, numbering_s),
                row("      of which event ids", n, ids_s),
                row("      of which event JSON", n, json_s),
                row("    not in it: numbered copies (on reading .recorded)", n, copies_s),
                row("    not in it: dumps of the copies", n, dumps_s),
                row("store append, 1 transaction/match", few_n, each_s, ratio=True),
                row("read back: read_all()", read_n, read_all_s),
                row("read back: read(match), every match", read_m, read_each_s),
            ]
        )
    )
    print(
        f"goal: ingest end to end >= 0.40x raw; measured {raw_s / e2e_s:.2f}x "
        f"(store append alone {raw_s / bulk_s:.2f}x)"
    )
    ingest_files(lines, repeat, tmp)


def ingest_files(lines: list[Line], repeat: int, tmp: Path) -> None:
    """What ``livetext ingest FILE...`` does with the same lines written as plain-line
    files of one match each (``read_source``, one transaction per file with the match
    sheet, ``append_each``), next to the baseline inserting them under the same matches."""
    file_lines, files = match_files(lines, tmp / "files", FILE_LINES)
    n = len(file_lines)

    def raw_files(path: Path) -> float:
        return raw_insert(path, file_lines)

    def files_in(path: Path) -> float:
        def write(store: SqliteStore) -> None:
            for _ in store.append_each(match_append(read_source(f), None) for f in files):
                pass

        return timed_store(path, n, write)

    (raw_s, _), (ingest_s, _) = best([raw_files, files_in], tmp, repeat)
    read_s = best_of(lambda: all(read_source(f) for f in files), repeat)
    ratio = f"{raw_s / ingest_s:.2f}x"
    print(f"\nlivetext ingest of {len(files):,} files of {FILE_LINES} lines (one match each)")
    print(
        table(
            [
                ("stage", "lines", "lines/s", "µs/line", "vs raw"),
                ("raw sqlite3 insert (baseline)", f"{n:,}", *_rate(n, raw_s), "1.00x"),
                ("files read, appended with their sheets", f"{n:,}", *_rate(n, ingest_s), ratio),
                ("  read_source alone", f"{n:,}", *_rate(n, read_s), ""),
            ]
        )
    )


def _rate(count: int, seconds: float) -> tuple[str, str]:
    return f"{count / seconds:,.0f}", f"{seconds / count * 1e6:.1f}"


def source_batch(match_id: str, lines: list[tuple[str, MatchClock]]) -> Batch:
    """A source's lines of one match, parsed: a batch as ``ingest_events`` appends it."""
    return Batch(match_id, [parse_line(text, clock) for text, clock in lines], None, True)


def timed_store(path: Path, count: int, write: Callable[[SqliteStore], None]) -> float:
    """The seconds ``write`` takes on the store at ``path`` (a fresh one), checked to hold
    ``count`` events afterwards."""
    with SqliteStore(path) as store:
        start = time.perf_counter()
        write(store)
        elapsed = time.perf_counter() - start
        assert [e.position for e in store.read_all(from_position=count)] == [count]
    return elapsed


def raw_insert(path: Path, lines: list[Line]) -> float:
    """The baseline: the lines as text rows into a fresh file with plain sqlite3 (WAL,
    synchronous=FULL, ``executemany`` in transactions of 1,000 rows, UNIQUE(stream, seq));
    the seconds it took."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE lines (stream TEXT, seq INTEGER, text TEXT, UNIQUE (stream, seq))")
    seqs: dict[str, int] = defaultdict(int)
    start = time.perf_counter()
    for first in range(0, len(lines), TRANSACTION):
        rows = []
        for match_id, text, _ in lines[first : first + TRANSACTION]:
            seqs[match_id] += 1
            rows.append((match_id, seqs[match_id], text))
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO lines VALUES (?, ?, ?)", rows)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def match_files(lines: list[Line], folder: Path, size: int) -> tuple[list[Line], list[Path]]:
    """The lines as plain-line files of one match each, as ``livetext ingest`` reads them:
    ``size`` lines of the sample a file (in clock order, as a match prints them), named
    for their match (``m00001.txt``: the reader takes the stem as the match id); and the
    lines under those match ids, for the baseline."""
    folder.mkdir()
    regrouped: list[Line] = []
    paths = []
    for first in range(0, len(lines), size):
        match_id = f"m{first // size:05d}"
        chunk = sorted(lines[first : first + size], key=lambda line: line[2])
        path = folder / f"{match_id}.txt"
        path.write_text(
            "".join(f"{clock.label} {text}\n" for _, text, clock in chunk), encoding="utf-8"
        )
        paths.append(path)
        regrouped += [(match_id, text, clock) for _, text, clock in chunk]
    return regrouped, paths


def first_matches(matches: dict[str, list[EventBase]], lines: int) -> dict[str, list[EventBase]]:
    """The first matches, up to about ``lines`` lines."""
    out: dict[str, list[EventBase]] = {}
    count = 0
    for match_id, events in matches.items():
        if count >= lines:
            break
        out[match_id] = events
        count += len(events)
    return out


def numbered_chunks(chunks: list[dict[str, list[EventBase]]]) -> Iterator[Numbered]:
    """Each chunk numbered as ``SqliteStore`` numbers an append into a fresh file (every
    match new), positions and stream ids running on from one chunk to the next."""
    position = stream_id = 0
    for chunk in chunks:
        batches = [Batch(m, events, None, True) for m, events in chunk.items()]
        plan = number(batches, new_streams(stream_id), position, event_json)
        position += len(plan.rows)
        stream_id += len(chunk)
        yield plan


def new_streams(last_stream_id: int) -> Callable[[str], Head]:
    """Heads of new streams, their ids running on from ``last_stream_id``."""
    ids = iter(range(last_stream_id + 1, 1 << 62))
    return lambda _: Head(next(ids))


def by_chunk(chunks: list[dict[str, list[EventBase]]]) -> list[list[EventBase]]:
    return [[e for events in chunk.values() for e in events] for chunk in chunks]


def copies_alone(chunks: list[dict[str, list[EventBase]]], repeat: int) -> float:
    """The best seconds of making the numbered copies of appends numbered beforehand
    (the copies are made once per result, so each run numbers afresh, untimed)."""
    best = float("inf")
    for _ in range(repeat):
        plans = list(numbered_chunks(chunks))
        start = time.perf_counter()
        for plan in plans:
            recorded(plan)
        best = min(best, time.perf_counter() - start)
    return best


def recorded(plan: Numbered) -> list[EventBase]:
    """The numbered copies of an append's results (made when ``recorded`` is read)."""
    return [e for result in plan.results for e in result.recorded]


if __name__ == "__main__":
    main()
