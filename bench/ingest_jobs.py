"""``livetext ingest --jobs N``: whole processes reading in 1..N workers, and what a read
costs to send from a worker.

Run: ``.venv/bin/python -m bench.ingest_jobs [--files 1000] [--jobs 1,2,3] [--repeat 3]``
(needs ../shared beside the repo).

The files are the ESPN dev matches (``espn-worldcup-dev``) written as plain ``clock text``
lines, oldest first, one match a file, repeated under new names up to ``--files``.

1. ``livetext ingest FILE... --store S --jobs N`` for each N, as a process (start-up
   included), a fresh store each run, the N taking turns; the stores are checked equal.
2. Break-even: the same for the first 2, 4, 8... files, ``--jobs 1`` against
   ``--jobs 2``: where workers start to pay for their start.
3. The wire: per file, the seconds (CPU, this process) to send a read from a worker and
   take it in the writer, for pydantic's pickling of the ``Match``, the events' JSON, and
   what ``replay.parallel`` sends: the match made ready for the store
   (``replay.ingest.ready_source``: rows with their ids and JSON, which the writer would
   otherwise make, counted on the worker's side).

Times are the best of ``--repeat``; the machine's load (``os.getloadavg``) is printed
with them: on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import best_of, build_files, compiled, table

ROOT = Path(__file__).resolve().parents[1]
LIVETEXT = Path(sys.executable).parent / "livetext"


def ingest(files: list[Path], store: Path, jobs: int) -> float:
    """Seconds ``livetext ingest`` of ``files`` takes as a process; it must succeed."""
    store.unlink(missing_ok=True)
    args = [str(LIVETEXT), "ingest", *map(str, files), "--store", str(store), "--jobs", str(jobs)]
    start = time.perf_counter()
    run = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if run.returncode:
        raise SystemExit(f"livetext ingest failed ({run.returncode}): {run.stderr[-2000:]}")
    return elapsed


def contents(store: Path) -> list[tuple[Any, ...]]:
    """Every event's row as read back (JSON, seq, position) and every match's metadata."""
    from events.models import dumps
    from stream import open_store

    opened = open_store(store, create=False)
    try:
        events = [(dumps(e), e.seq, e.position) for e in opened.read_all()]
        metas = [(m.match_id, opened.get_meta(m.match_id)) for m in opened.matches()]
    finally:
        opened.close()
    return [*events, *metas]


def turns(fns: list[Callable[[], float]], repeat: int) -> list[float]:
    """The best of ``repeat`` runs of each ``fn``, the ``fns`` taking turns."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            best[i] = min(best[i], fn())
    return best


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def whole(files: list[Path], lines: int, jobs: list[int], repeat: int, tmp: Path) -> None:
    stores = {j: tmp / f"jobs{j}.sqlite" for j in jobs}
    before = load()
    times = turns([partial(ingest, files, stores[j], j) for j in jobs], repeat)
    after = load()
    first = contents(stores[jobs[0]])
    same = all(contents(stores[j]) == first for j in jobs[1:])
    rows: list[tuple[str, ...]] = [("--jobs", "seconds", "lines/s", "vs --jobs 1")]
    for j, t in zip(jobs, times, strict=True):
        rows.append((str(j), f"{t:.2f}", f"{lines / t:,.0f}", f"{times[0] / t:.2f}x"))
    print(f"\nlivetext ingest of {len(files):,} files ({lines:,} lines), best of {repeat}")
    print(f"({cores()} cores; {before} before, {after} after; stores equal: {same})")
    print(table(rows))


def break_even(files: list[Path], repeat: int, tmp: Path) -> None:
    rows: list[tuple[str, ...]] = [("files", "--jobs 1 s", "--jobs 2 s", "ratio")]
    count = 2
    while count <= min(len(files), 128):
        some = files[:count]
        one, two = turns(
            [
                partial(ingest, some, tmp / "be1.sqlite", 1),
                partial(ingest, some, tmp / "be2.sqlite", 2),
            ],
            repeat,
        )
        rows.append((str(count), f"{one:.3f}", f"{two:.3f}", f"{one / two:.2f}x"))
        count *= 2
    print(f"\nbreak-even: the first files, --jobs 1 against --jobs 2 ({load()})")
    print(table(rows))


def wire(files: list[Path], repeat: int) -> None:
    """CPU seconds per file to send a read and rebuild it, for each way of sending it."""
    from events.models import dumps as event_json
    from events.models import loads as event_from_json
    from replay.ingest import ready_source
    from replay.parallel import Read, SourceOptions, read_one

    some = [str(f) for f in files[:200]]
    reads = [read_one(f, SourceOptions()) for f in some]

    def json_dumps(read: Read) -> bytes:
        assert read.match is not None
        shell = read.match.model_copy(update={"events": ()})
        return pickle.dumps((read.source, shell, [event_json(e) for e in read.match.events]))

    def json_loads(data: bytes) -> Read:
        source, shell, events = pickle.loads(data)
        events = tuple(map(event_from_json, events))
        return Read(source, shell.model_copy(update={"events": events}))

    def ready_dumps(read: Read) -> bytes:
        assert read.match is not None
        return pickle.dumps(Read(read.source, None, None, ready_source(read.match)), 5)

    def ready_check(read: Read) -> Read:  # (not timed) what it stands for: the read's rows
        assert read.match is not None
        return Read(read.source, None, None, ready_source(read.match))

    same: Callable[[Read], Read] = lambda read: read  # noqa: E731
    ways: dict[str, tuple[Callable[[Read], bytes], Callable[[bytes], Read], Any]] = {
        "pydantic's pickle of the Match": (pickle.dumps, pickle.loads, same),
        "events' JSON": (json_dumps, json_loads, same),
        "the match ready for the store (used)": (ready_dumps, pickle.loads, ready_check),
    }
    rows: list[tuple[str, ...]] = [("sent as", "worker ms", "writer ms", "bytes")]
    gc.freeze()
    for name, (dump, undump, expected) in ways.items():
        sent = [dump(r) for r in reads]
        if [undump(b) for b in sent] != [expected(r) for r in reads]:
            raise SystemExit(f"{name}: the reads do not come back equal")
        out = best_of(partial(_each, dump, reads), repeat, clock=time.process_time)
        back = best_of(partial(_each, undump, sent), repeat, clock=time.process_time)
        size = sum(map(len, sent)) / len(sent)
        rows.append((name, _ms(out, reads), _ms(back, reads), f"{size:,.0f}"))
    alone = best_of(
        partial(_each, partial(read_one, options=SourceOptions()), some), repeat, time.process_time
    )
    print(f"\nthe wire, CPU per file (read_source alone: {_ms(alone, some)} ms; {load()})")
    print(table(rows))


def _each(fn: Callable[[Any], object], items: list[Any]) -> None:
    for item in items:
        fn(item)


def _ms(seconds: float, items: list[Any]) -> str:
    return f"{seconds / len(items) * 1e3:.3f}"


def cores() -> int:
    from replay.parallel import cores as available

    return available()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--jobs", default="1,2,3", help="comma-separated --jobs values")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=("whole", "break-even", "wire"))
    args = parser.parse_args(argv)
    jobs = [int(j) for j in args.jobs.split(",")]
    compiled()
    with tempfile.TemporaryDirectory(prefix="livetext-jobs-") as tmp:
        files, lines = build_files(Path(tmp) / "files", args.files)
        if args.only in (None, "whole"):
            whole(files, lines, jobs, args.repeat, Path(tmp))
        if args.only in (None, "break-even"):
            break_even(files, args.repeat, Path(tmp))
        if args.only in (None, "wire"):
            wire(files, args.repeat)


if __name__ == "__main__":
    main()
