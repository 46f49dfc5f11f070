"""Reading many sources in worker processes, for ``livetext ingest``.

:func:`read_one` reads a source (``events.readers.read_source``: clock inference, parse,
ids, sheet) into a :class:`Read`: the match, or the error that names the file and line.
:func:`reading` gives the reads of a list of sources in their order, made in this
process or, with ``workers`` > 1, in that many forked processes while this one (the only
writer) appends.  Worker ``k`` reads the sources ``k, k + workers, ...`` (stdin is read
here) and sends each read down a pipe of its own; the pipe's buffer is all it reads
ahead, and this process takes the reads in turn from each pipe, so the order and the
matches are those of one process.

A worker sends a read made ready for the store (``replay.ingest.ready_source``: the rows
of a match the store has not seen, JSON and ids made), not the match: the writer only
numbers and inserts them, and a source whose match the store or the run has seen is read
again by the writer and compared with it (``MatchAppends``), as in one process.  Rows of
strings, numbers and bytes pickle and unpickle several times faster than the events they
came from.  Nothing here touches a store.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, NamedTuple

from events.readers import Match, SourceError, read_source
from replay.commands.common import match_id_problem
from replay.ingest import ReadySource, ready_source

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

STDIN = "-"
MIN_SOURCES = 16
"""Sources from which ``ingest`` reads in workers by default (where there are more than
two cores): fewer do not pay for the processes' start (``bench/ingest_jobs.py``)."""
MAX_WORKERS = 4
"""Workers ``ingest`` starts by default at most: the writer's share of a source is some
0.8 of a worker's (``bench/ingest_jobs.py``), so two keep it busy and more wait on it."""
PIPE_BYTES = 1 << 20
"""What a worker's pipe holds (some 35 reads of a 100-line match): with the 64 KiB of a
default pipe a worker stalls whenever the writer is not scheduled at once, and on a busy
machine reading in workers took twice as long as in one process."""
"""Workers ``ingest`` starts by default at most: beyond, the one writer is the bound."""


class SourceOptions(NamedTuple):
    """How every source of one ``ingest`` is read (its options)."""

    format: str | None = None
    newest_first: bool = False
    match_id: str | None = None


class Read(NamedTuple):
    """One source read: its match, or why it could not be (``FILE:LINE: message``); from a
    worker, the match made ready instead (``ready``)."""

    source: str
    match: Match | None
    error: str | None = None
    ready: ReadySource | None = None


class WorkerError(RuntimeError):
    """A worker stopped without handing back a source it was given."""


def read_one(source: str, options: SourceOptions) -> Read:
    """``source`` read whole; a :class:`SourceError`, or a match id no page can serve,
    is its :attr:`Read.error`."""
    try:
        match = read_source(
            source, options.format, newest_first=options.newest_first, match_id=options.match_id
        )
    except SourceError as exc:
        return Read(source, None, str(exc))
    if problem := match_id_problem(match.match_id):
        return Read(
            source,
            None,
            f"{source}: match id {match.match_id!r}: {problem}; name the match with --match ID",
        )
    return Read(source, match)


def cores() -> int:
    """The cores this process may run on (its affinity mask where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def workers_for(sources: int, jobs: int | None = None, available: int | None = None) -> int:
    """The processes to read ``sources`` sources with (1: this one, no worker).

    ``jobs`` (``--jobs``) if given; else, with two cores or more (``available``, by
    default :func:`cores`) and at least :data:`MIN_SOURCES` sources, one per core but the
    writer's and at least two, at most :data:`MAX_WORKERS` (on two cores, two readers and
    the writer ingest 1,000 match files 1.1-1.4x faster than one process:
    ``python -m bench.ingest_jobs``).  Never more than the sources, and 1 where processes
    cannot be forked."""
    if not hasattr(os, "fork"):
        return 1
    if jobs is None:
        available = cores() if available is None else available
        if available < 2 or sources < MIN_SOURCES:
            return 1
        jobs = min(max(available - 1, 2), MAX_WORKERS)
    return max(1, min(jobs, sources))


# --- the workers ----------------------------------------------------------------------------

_PROTOCOL = pickle.HIGHEST_PROTOCOL
_READ, _FAILED = b"r", b"x"
"""The first byte of a worker's message: a read follows, or the error that stopped it."""


def _work(sources: Sequence[str], options: SourceOptions, out: Connection) -> None:
    """A worker's life: each of its sources read and sent, in order.  An unexpected error
    is sent (pickled, else as text) and ends the worker; a reader gone ends it quietly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the writer's to handle
    try:
        for source in sources:
            try:
                message = _READ + pickle.dumps(_ready(read_one(source, options)), _PROTOCOL)
            except Exception as exc:
                out.send_bytes(_FAILED + _error_bytes(exc))
                return
            out.send_bytes(message)
    except OSError:  # the writer is gone: nothing left to do
        return
    finally:
        out.close()


def _ready(read: Read) -> Read:
    """A read with its match made ready for the store (an error as it is)."""
    if read.match is None:
        return read
    return Read(read.source, None, None, ready_source(read.match))


def _error_bytes(exc: Exception) -> bytes:
    """An error as bytes: itself pickled, else a ``WorkerError`` with its traceback."""
    try:
        data = pickle.dumps(exc)
        pickle.loads(data)  # (an error made with other arguments than it keeps fails here)
        return data
    except Exception:
        import traceback

        text = "".join(traceback.format_exception(exc))
        return pickle.dumps(WorkerError(f"a worker failed:\n{text}"))


class _Workers:
    """Forked workers reading their shares of the sources, and this end of their pipes."""

    def __init__(self, sources: Sequence[str], options: SourceOptions, count: int) -> None:
        import multiprocessing  # (only here: one process reads without it)

        context = multiprocessing.get_context("fork")
        self.sources = sources
        self.options = options
        shared = [i for i, source in enumerate(sources) if source != STDIN]
        self.worker_of = {index: n % count for n, index in enumerate(shared)}
        self.pipes: list[Connection] = []
        self.processes: list[Any] = []
        sys.stdout.flush()  # a fork copies what is buffered; a worker must not write it again
        sys.stderr.flush()
        try:
            for k in range(count):
                mine = [sources[i] for i in shared[k::count]]
                receive, send = context.Pipe(duplex=False)
                self.pipes.append(receive)
                _widen(send)
                process = context.Process(
                    target=_start, args=(mine, options, send, self.pipes), daemon=True
                )
                try:
                    process.start()
                finally:
                    send.close()  # the worker holds the only sending end: its end is ours to see
                self.processes.append(process)
        except BaseException:
            self.stop()
            raise

    def reads(self) -> Iterator[Read]:
        """The reads, in the order of the sources."""
        for index, source in enumerate(self.sources):
            worker = self.worker_of.get(index)
            if worker is None:
                yield read_one(source, self.options)
                continue
            try:
                message = self.pipes[worker].recv_bytes()
            except EOFError:
                code = self.processes[worker].exitcode
                raise WorkerError(
                    f"a worker stopped before reading {source} (exit status {code})"
                ) from None
            if message[:1] == _FAILED:
                raise _error(message[1:])
            read: Read = pickle.loads(message[1:])
            yield read

    def stop(self) -> None:
        """Every worker ended (those still reading, killed) and reaped."""
        for pipe in self.pipes:
            pipe.close()  # a worker still sending finds no reader and ends
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join()


def _error(data: bytes) -> BaseException:
    """The error a worker sent (:func:`_error_bytes`)."""
    error: BaseException = pickle.loads(data)
    return error


def _widen(pipe: Connection) -> None:
    """Let ``pipe`` hold :data:`PIPE_BYTES` (on Linux; elsewhere, or past the user's
    quota, it keeps the system's size)."""
    import fcntl  # (Unix only, as forking is)

    if hasattr(fcntl, "F_SETPIPE_SZ"):
        with suppress(OSError):
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _start(
    sources: Sequence[str], options: SourceOptions, out: Connection, others: list[Connection]
) -> None:
    """A forked worker's entry: the receiving ends it inherited closed (a worker gone then
    shows as the end of its pipe, a writer gone as a broken pipe), then :func:`_work`."""
    for pipe in others:
        pipe.close()
    _work(sources, options, out)


@contextmanager
def reading(
    sources: Sequence[str], options: SourceOptions, workers: int
) -> Iterator[Iterator[Read]]:
    """The reads of ``sources`` in their order (see the module), made in ``workers``
    processes when more than one; the workers are ended and reaped on leaving, however
    the caller leaves (Ctrl-C, an error, a reader that stopped early)."""
    if workers <= 1:
        yield (read_one(source, options) for source in sources)
        return
    pool = _Workers(sources, options, workers)
    try:
        yield pool.reads()
    finally:
        pool.stop()
