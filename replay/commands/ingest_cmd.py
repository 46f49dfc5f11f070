"""``livetext ingest SOURCE... [--match ID] [--store PATH]``: sources into the store.

Each source is read whole first; one that fails to read (or whose match id no page could
serve) appends nothing (its error names the file and line) while the others go on, and
the command then exits non-zero.  The match sheet (teams, line-ups, the page's own stats)
is kept as the match's metadata, all or nothing with the source's events; small sources
share a commit until it holds ``GROUP_ROWS`` events (``EventStore.append_each``), and a
source's line is printed once the commit holding it is durable.

With many sources and two cores or more (or ``--jobs N``), the sources are read in
worker processes while this one, the only writer, appends them in their order: the
store ends up byte for byte as one process leaves it (:mod:`replay.parallel`).  Ctrl-C
stops between appends (exit 130): the store holds whole sources only.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import typer

from replay.commands.common import (
    STORE_HELP,
    check_match_option,
    fail,
    format_option,
    store_or_fail,
)
from replay.ingest import MatchAppends, unrecognised
from replay.parallel import Read, SourceOptions, WorkerError, read_one, reading, workers_for
from stream import Append, StoreError
from stream.amend import Amendment

LARGE_INPUT = 8 * 1024 * 1024
"""Bytes of input from which ``ingest`` shows a progress bar on a terminal (also shown for
3+ sources)."""
GROUP_ROWS = 1000
"""Events a commit gathers from small sources (one sync for ~10 match files; the raw SQLite
baseline of bench/ingest_cli.py commits every 1,000 rows too)."""


class Progress(Protocol):
    """What ``ingest`` tells its progress bar."""

    def update(self, task: Any, /, *, description: str) -> None: ...

    def advance(self, task: Any, /, advance: float = 1) -> None: ...


class NoProgress:
    """The progress bar of a small ingest, or of one whose errors go to a pipe or a file:
    none (and no rich to import, no thread to refresh it)."""

    def update(self, task: Any, /, *, description: str) -> None:
        """Nothing to show."""

    def advance(self, task: Any, /, advance: float = 1) -> None:
        """Nothing to show."""


def _size(source: str) -> int:
    try:
        return 0 if source == "-" else Path(source).stat().st_size
    except OSError:
        return 0


class Said(NamedTuple):
    """What ``ingest`` says of a source once its append is committed."""

    match_id: str
    format: str
    unrecognised: int
    changed: Amendment


def _corrections(changed: Amendment) -> str:
    """What the source amended and withdrew, said when it did either."""
    if not (changed.amended or changed.withdrawn):
        return ""
    return f", {changed.amended} amended, {changed.withdrawn} withdrawn"


@contextmanager
def _progress(total: int, shown: bool) -> Iterator[tuple[Progress, Any]]:
    """A rich progress bar on stderr and its task, or none for a small ingest."""
    if not shown:
        yield NoProgress(), None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn())
    with Bar(*columns, TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        yield bar, bar.add_task("ingesting", total=total or None)


def ingest(
    sources: list[str] = typer.Argument(
        ..., help="Pages, feeds (.jsonl) or plain line files; - for stdin."
    ),
    match: str | None = typer.Option(None, "--match", help="The match id (one source only)."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    format: str | None = format_option(),
    newest_first: bool = typer.Option(
        False, "--newest-first", help="The feed lists its newest line first."
    ),
    jobs: int | None = typer.Option(
        None,
        "--jobs",
        min=1,
        help="Processes reading the sources (1: this one only). Default for 16 sources or"
        " more: one per core but one, at least 2, at most 4.",
    ),
) -> None:
    """Read match sources and append their events to the store, idempotently."""
    if match and len(sources) > 1:
        fail("--match names one match: give one source with it", code=2)
    check_match_option(match)
    options = SourceOptions(format, newest_first, match)
    failures = 0
    totals = {"appended": 0, "duplicates": 0, "unrecognised": 0}
    total = sum(_size(s) for s in sources)

    def appends_of(
        reads: Iterator[Read], appends: MatchAppends, progress: Progress, task: Any
    ) -> Iterator[Append[tuple[Said, str, int]]]:
        """The sources read, one append each; a source that fails to read is reported
        and left out.  A worker's ready source whose match the store or the run has seen
        is read again here, to be compared with it."""
        nonlocal failures
        for read in reads:
            size = _size(read.source)
            progress.update(task, description=f"ingesting {Path(read.source).name}")
            if read.ready is not None:
                ready = read.ready
                if (append := appends.append_ready(ready, None)) is not None:
                    changed = appends.amendments[ready.match_id]
                    said = Said(ready.match_id, ready.format, ready.unrecognised, changed)
                    yield Append((said, read.source, size), append.batches, append.meta)
                    continue
                read = read_one(read.source, options)
            if read.match is None:
                typer.echo(f"livetext: {read.error}", err=True)
                failures += 1
                progress.advance(task, size)
                continue
            match = read.match
            append = appends.append_for(match, None)
            changed = appends.amendments[match.match_id]  # (the next source may replace it)
            said = Said(match.match_id, match.format, unrecognised(match), changed)
            yield Append((said, read.source, size), append.batches, append.meta)

    # The workers start before the store opens: a fork copies no connection or thread.
    try:
        with reading(sources, options, workers_for(len(sources), jobs)) as reads:
            events_store = store_or_fail(store)
            appends = MatchAppends(events_store)
            shown = sys.stderr.isatty() and (total >= LARGE_INPUT or len(sources) >= 3)
            try:
                with _progress(total, shown) as (progress, task):
                    made = appends_of(reads, appends, progress, task)
                    written = events_store.append_each(made, group_rows=GROUP_ROWS)
                    for (said, source, size), (result,) in written:
                        totals["appended"] += result.appended
                        totals["duplicates"] += len(result.duplicates)
                        totals["unrecognised"] += said.unrecognised
                        typer.echo(
                            f"{said.match_id}: {result.appended} events appended, "
                            f"{len(result.duplicates)} already in the store, {said.unrecognised}"
                            f" unrecognised{_corrections(said.changed)} ({said.format}, {source})"
                        )
                        progress.advance(task, size)
                        appends.written(said.match_id)
            finally:
                events_store.close()
    except (StoreError, WorkerError) as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted (each source is in the store whole or not at all)", code=130)
    if len(sources) > 1:
        typer.echo(
            f"total: {totals['appended']} appended, {totals['duplicates']} already in the store, "
            f"{totals['unrecognised']} unrecognised, {failures} sources failed"
        )
    if failures:
        raise typer.Exit(code=2)
