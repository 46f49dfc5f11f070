"""Working out the next piece of work while a thread writes the one before it.

An ingest is read and parse (Python, holding the GIL), then a durable write whose long
parts (SQLite inserting rows, the commit's write and fsync) run with the GIL released.
:func:`pipelined` overlaps the two: the calling thread prepares item ``k + 1`` while a
writer thread writes item ``k``.

CPython hands the GIL back to a thread coming out of a call that released it only when
the running thread next gives it up, after ``sys.getswitchinterval()`` (5 ms by default)
at the latest.  A writer that comes back for the GIL a few times a transaction would wait
longer than it writes, so while a pipeline runs the interval is ``SWITCH_INTERVAL``
(restored afterwards): measured in ``bench/ingest.py``, 5 ms gains nothing over writing in
turn, 0.2 ms overlaps most of the write.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable, Generator, Iterable
from typing import Generic, TypeVar

X = TypeVar("X")
P = TypeVar("P")
R = TypeVar("R")

SWITCH_INTERVAL = 0.0002
"""Seconds; ``sys.setswitchinterval`` while a pipeline runs (when lower than the current)."""


class _Switching:
    """The switch interval lowered while any pipeline runs: the first to start lowers it,
    the last to end puts back what it was."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._saved = 0.0

    def enter(self) -> None:
        with self._lock:
            if not self._running:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, SWITCH_INTERVAL))
            self._running += 1

    def leave(self) -> None:
        with self._lock:
            self._running -= 1
            if not self._running:
                sys.setswitchinterval(self._saved)


_switching = _Switching()


class _Failed(Generic[X]):
    """The writer's error on an item (the items after it are not written)."""

    __slots__ = ("error", "item")

    def __init__(self, item: X, error: BaseException) -> None:
        self.item, self.error = item, error


def pipelined(
    items: Iterable[X],
    prepare: Callable[[X], P],
    write: Callable[[X, P], R],
    depth: int = 2,
) -> Generator[tuple[X, R], None, None]:
    """``(item, write(item, prepare(item)))`` for each item, in order, as each is written.

    ``prepare`` runs in the calling thread (as ``items`` is iterated), ``write`` in one
    writer thread, in item order, at most ``depth`` prepared items waiting for it.  An
    error stops the pipeline where it happened: raised by ``items`` or ``prepare``, the
    items handed to the writer before it are written, then it propagates; raised by
    ``write``, the items after it are not written and it propagates once the results
    before it are out.  Leaving the iteration early waits for the items already handed
    over to be written.
    """
    todo: queue.Queue[tuple[X, P] | None] = queue.Queue(maxsize=depth)
    done: queue.Queue[tuple[X, R] | _Failed[X]] = queue.Queue()

    def writer() -> None:
        failed = False
        while (job := todo.get()) is not None:
            if failed:  # drop the rest, but keep taking them: the producer must not block
                continue
            item, prepared = job
            try:
                done.put((item, write(item, prepared)))
            except BaseException as exc:
                done.put(_Failed(item, exc))
                failed = True

    def result(out: tuple[X, R] | _Failed[X]) -> tuple[X, R]:
        if isinstance(out, _Failed):
            raise out.error
        return out

    thread = threading.Thread(target=writer, name="livetext-writer", daemon=True)
    _switching.enter()
    thread.start()
    handed = received = 0
    try:
        for item in items:
            todo.put((item, prepare(item)))
            handed += 1
            while received < handed:
                try:
                    out = done.get_nowait()
                except queue.Empty:
                    break
                received += 1
                yield result(out)
        todo.put(None)
        while received < handed:
            out = done.get()
            received += 1
            yield result(out)
    finally:
        todo.put(None)  # a second None (after a normal end) is never read
        thread.join()
        _switching.leave()
