"""``livetext parse [FILE|-]``: one JSON event per line of commentary, in order.

The input is read and checked whole first (a bad line is an error before any output);
the events are then written as they are parsed, in large writes to stdout's buffer.
Lines starting with ``#`` are comments, as in the plain-lines format ``ingest`` reads
(``# Inter Milan v Juventus`` names the match there): they are not commentary.

The verb imports the parser and nothing of the readers: input that plainly passes their
checks is decoded here, anything else goes to their check, which names the line at fault.

A large input is parsed by as many processes as the machine lends this one cores (forked
copies of this one, where ``os.fork`` exists), this one writing their batches in order:
the bytes are those one process writes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, NoReturn

import typer

CHUNK_BYTES = 1 << 16
"""Bytes of JSON gathered before each write to stdout (more is slower: the many small
bytes objects of a chunk stop fitting the caches)."""
MAX_LINE_BYTES = 64 * 1024
"""The longest line a source may hold (``events.readers.MAX_LINE_BYTES``: a test holds
the two equal)."""


def read_text(data: bytes, name: str) -> str:
    """The input as text, checked as every reader checks a source
    (``events.readers.source.decode``: not blank, no NUL byte, no line over
    :data:`MAX_LINE_BYTES`, UTF-8, a BOM dropped).  Input that plainly passes is decoded
    here; anything else goes to that check, which raises ``SourceError`` naming the line."""
    if data.strip() and b"\0" not in data and _lines_fit(data, MAX_LINE_BYTES):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    from events.readers.source import decode

    return decode(data, name)


def _lines_fit(data: bytes, limit: int = MAX_LINE_BYTES) -> bool:
    """True when no line can be longer than ``limit`` bytes: every aligned block of half
    that size holds a newline (a longer line would hold a whole block), found without
    splitting the input.  False is only a doubt (a long line somewhere)."""
    block = max(limit // 2, 1)
    starts = range(0, len(data) - block + 1, block)
    return all(data.find(b"\n", start, start + block) >= 0 for start in starts)


WORKERS_FROM_LINES = 20_000
"""Inputs with fewer lines are parsed in one process (a worker would not pay for its fork)."""
MAX_WORKERS = 8
BATCH_LINES = 4_096
"""Lines a worker parses at a time (small: a worker the machine slows takes fewer)."""
MAX_BATCHES = 1_024
"""At most this many batches (larger ones for a huge input): their 4-byte tickets fit
the smallest pipe (a page), so they are all written before the workers start."""
_RECORD = struct.Struct("<qqqq")
"""A worker's report of a parsed batch: batch, worker, offset in its spool, length."""


class WorkerError(RuntimeError):
    """A parse worker could not start or stopped before its work was done."""


def workers_for(n_lines: int, asked: int | None = None) -> int:
    """The processes to parse ``n_lines`` lines with: ``asked`` if given, else one per
    core this process may run on (at most :data:`MAX_WORKERS`) for a large input; one
    wherever processes cannot be forked.  One is this process; more are forked workers
    (this process then only writes their output)."""
    if not hasattr(os, "fork"):
        return 1
    if asked is not None:
        return asked
    if n_lines < WORKERS_FROM_LINES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, MAX_WORKERS))


def commentary(lines: Iterable[str]) -> Iterator[str]:
    """The lines of commentary: blank lines and ``#`` comments left out."""
    for line in lines:
        bare = line.strip()
        if bare and bare[0] != "#":
            yield line


def json_chunks(lines: Iterable[str], chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Each line's event as JSON, one per line, gathered in chunks of about
    ``chunk_bytes``.

    The events are not assembled: their fields go straight to JSON (the bytes ``dumps``
    gives for the event ``parse_line`` makes)."""
    from events.models import fields_json
    from events.parser import parse_fields, split_clock

    parts: list[bytes] = []
    size = 0
    for line in lines:
        clock, text = split_clock(line.rstrip("\r\n"))
        data = fields_json(*parse_fields(text, clock))
        parts.append(data)
        size += len(data)
        if size >= chunk_bytes:
            parts.append(b"")
            yield b"\n".join(parts)
            parts.clear()
            size = 0
    if parts:
        parts.append(b"")
        yield b"\n".join(parts)


def write_events(lines: Iterable[str], out: BinaryIO, chunk_bytes: int = CHUNK_BYTES) -> None:
    """Parse each line and write its event's JSON (one per line) to ``out``."""
    for chunk in json_chunks(lines, chunk_bytes):
        out.write(chunk)
    out.flush()


def write_events_parallel(
    lines: Sequence[str], fd: int, workers: int, batch: int = BATCH_LINES
) -> None:
    """:func:`write_events` of ``lines`` to the file descriptor ``fd``, the same bytes, by
    ``workers`` forked processes while this one writes.

    The batches (``batch`` lines each) are handed out as tickets on a pipe, so a worker
    the machine slows down takes fewer; each worker appends the JSON of its batches to a
    spool file of its own and reports each on another pipe; this process copies the
    batches from the spools to ``fd`` in their order as they come.  No worker ever waits
    for another.  Raises what writing to ``fd`` raises (``BrokenPipeError`` when the
    reader went away), :class:`WorkerError` when a worker could not start or stopped.
    """
    batch = max(batch, -(-len(lines) // MAX_BATCHES))
    count = -(-len(lines) // batch)
    workers = min(workers, count)
    if workers > 1:
        with contextlib.ExitStack() as stack:
            try:
                spools = [stack.enter_context(tempfile.TemporaryFile()) for _ in range(workers)]
            except OSError:  # no room for spools (an unwritable TMPDIR): parse here
                pass
            else:
                _fork_workers(lines, fd, workers, batch, count, [s.fileno() for s in spools])
                return
    with open(fd, "wb", closefd=False) as out:
        write_events(lines, out)


def _fork_workers(
    lines: Sequence[str], fd: int, workers: int, batch: int, count: int, spools: list[int]
) -> None:
    """The workers of :func:`write_events_parallel`, each with its spool, and the copy."""
    (take, give), (read_reports, report) = os.pipe(), os.pipe()
    os.write(give, b"".join(j.to_bytes(4, "little") for j in range(count)))
    os.close(give)  # (all the tickets fit the pipe: the workers read them to the end)
    children: list[int] = []
    try:
        for me in range(workers):
            try:
                pid = os.fork()
            except OSError as exc:
                raise WorkerError(f"cannot start a parse worker: {exc.strerror or exc}") from None
            if pid == 0:  # a worker: it never returns to the caller
                os.close(read_reports)
                os._exit(_worker(lines, batch, me, take, spools[me], report))
            children.append(pid)
        os.close(report)  # only the workers hold it now: once all are gone, reports end
        report = -1
        copied = _copy_in_order(count, read_reports, spools, fd)
    except BaseException:
        for pid in children:  # stop the others at once
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        statuses = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
        for end in (take, read_reports, report):
            if end >= 0:
                os.close(end)
    if copied < count or any(statuses):
        status = next((status for status in statuses if status), "?")
        raise WorkerError(
            f"a parse worker stopped (exit status {status}) with {count - copied} of"
            f" {count} batches unwritten"
        )


def _worker(
    lines: Sequence[str], batch: int, me: int, tickets: int, spool: int, reports: int
) -> int:
    """A forked worker's whole life: batches taken by ticket, parsed, appended to its
    spool and reported, until the tickets run out.  Its exit status (its error on stderr)."""
    try:
        offset = 0
        while ticket := os.read(tickets, 4):
            j = int.from_bytes(ticket, "little")
            start = offset
            for chunk in json_chunks(lines[j * batch : (j + 1) * batch]):
                view = memoryview(chunk)
                while view:
                    written = os.write(spool, view)
                    view, offset = view[written:], offset + written
            os.write(reports, _RECORD.pack(j, me, start, offset - start))
        return 0
    except OSError as exc:  # its spool cannot grow (a full TMPDIR)
        # one write of the whole line: the other workers' lines never run into it
        os.write(2, f"livetext parse: worker {me}: {exc.strerror or exc}\n".encode())
        return 1
    except Exception:
        traceback.print_exc()
        sys.stderr.flush()  # os._exit flushes nothing
        return 1
    except BaseException:  # an interrupt: stop, quietly, as the caller does
        return 1


def _copy_in_order(count: int, reports: int, spools: list[int], fd: int) -> int:
    """Copy the ``count`` batches from the spools to ``fd``, each as soon as it and all
    before it are reported, until the reports end: how many were copied."""
    where: dict[int, tuple[int, int, int]] = {}
    pending = b""
    done = 0
    while done < count:
        data = os.read(reports, _RECORD.size * 256)
        if not data:  # every worker is gone, some batches never came
            break
        pending += data
        whole = len(pending) - len(pending) % _RECORD.size
        for j, worker, start, length in _RECORD.iter_unpack(pending[:whole]):
            where[j] = (spools[worker], start, length)
        pending = pending[whole:]
        while done in where:
            _copy(fd, *where.pop(done))
            done += 1
    return done


def _copy(fd: int, spool: int, offset: int, length: int) -> None:
    """``length`` bytes of a spool from ``offset`` on, written to ``fd``."""
    while length > 0:
        data = os.pread(spool, min(length, CHUNK_BYTES * 16), offset)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        offset += len(data)
        length -= len(data)


def print_stats(lines: Iterable[str], name: str) -> None:
    """Counts by type and the unrecognised lines."""
    from events.parser import parse_lines

    events = list(parse_lines(lines))
    counts = Counter(e.type for e in events)
    typer.echo(f"{len(events)} events from {name}")
    for kind, n in counts.most_common():
        typer.echo(f"  {kind:<20} {n:>7}")
    unrecognised = [e.text for e in events if e.type == "unrecognised"]
    if unrecognised:
        typer.echo(f"unrecognised lines ({len(unrecognised)}):")
        for line in unrecognised:
            typer.echo(f"  {line}")


def parse(
    source: str = typer.Argument("-", help="A file of commentary lines, or - for stdin."),
    stats: bool = typer.Option(False, "--stats", help="Counts by type and the unrecognised lines."),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        help="Processes to parse with: 1 is this one, more are forked workers (default: one"
        " per core for a large input, else 1).",
    ),
) -> None:
    """Parse plain commentary lines (each optionally led by a clock such as 45'+2')."""
    name = "<stdin>" if source == "-" else source
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        _refuse(f"{name}: {exc.strerror or exc}")
    try:
        text = read_text(data, name)
    except ValueError as exc:  # a SourceError, naming the file and the line
        _refuse(str(exc))
    lines = list(commentary(text.splitlines()))
    if stats:
        print_stats(lines, name)
        return
    out = sys.stdout.buffer
    try:
        fd = _fileno(out)
        processes = workers_for(len(lines), workers)
        if fd is not None and processes > 1:
            out.flush()
            write_events_parallel(lines, fd, processes)
        else:
            write_events(lines, out)
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(code=1) from None
    except OSError as exc:
        typer.echo(f"livetext parse: cannot write the events: {exc.strerror or exc}", err=True)
        raise typer.Exit(code=1) from None
    except WorkerError as exc:
        typer.echo(f"livetext parse: {exc}", err=True)
        raise typer.Exit(code=1) from None


def _fileno(out: BinaryIO) -> int | None:
    """The file descriptor under ``out``, None when it has none (a test's buffer)."""
    try:
        return out.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return None


def _refuse(message: str) -> NoReturn:
    typer.echo(f"livetext parse: {message}", err=True)
    raise typer.Exit(code=2)
