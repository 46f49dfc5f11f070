"""``livetext ingest SOURCE... [--match ID] [--store PATH]``: sources into the store.

Each source is read whole first; one that fails to read (or whose match id no page could
serve) appends nothing (its error names the file and line) while the others go on, and
the command then exits non-zero.  The match sheet (teams, line-ups, the page's own stats)
is kept as the match's metadata, in the same transaction as the source's events; the next
source is read while one commits (``EventStore.append_each``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import typer

from events.readers import Match, SourceError, read_source
from replay.commands.common import (
    STORE_HELP,
    check_match_option,
    fail,
    format_option,
    match_id_problem,
    store_or_fail,
)
from replay.ingest import MatchAppends
from stream import Append, StoreError

LARGE_INPUT = 8 * 1024 * 1024
"""Bytes of input from which ``ingest`` shows a progress bar (also shown for 3+ sources)."""


class Progress(Protocol):
    """What ``ingest`` tells its progress bar."""

    def update(self, task: Any, /, *, description: str) -> None: ...

    def advance(self, task: Any, /, advance: float = 1) -> None: ...


class NoProgress:
    """The progress bar of a small ingest: none (and no rich to import)."""

    def update(self, task: Any, /, *, description: str) -> None:
        """Nothing to show."""

    def advance(self, task: Any, /, advance: float = 1) -> None:
        """Nothing to show."""


def _size(source: str) -> int:
    try:
        return 0 if source == "-" else Path(source).stat().st_size
    except OSError:
        return 0


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
) -> None:
    """Read match sources and append their events to the store, idempotently."""
    if match and len(sources) > 1:
        fail("--match names one match: give one source with it", code=2)
    check_match_option(match)
    fmt = format
    events_store = store_or_fail(store)
    appends = MatchAppends(events_store)
    failures = 0
    totals = {"appended": 0, "duplicates": 0, "unrecognised": 0}
    total = sum(_size(s) for s in sources)

    def reads(progress: Progress, task: Any) -> Iterator[Append[tuple[Match, str, int]]]:
        """The sources read, one append each; a source that fails to read is reported
        and left out."""
        nonlocal failures
        for source in sources:
            size = _size(source)
            progress.update(task, description=f"ingesting {Path(source).name}")
            try:
                read = read_source(source, fmt, newest_first=newest_first, match_id=match)
            except SourceError as exc:
                typer.echo(f"livetext: {exc}", err=True)
                failures += 1
                progress.advance(task, size)
                continue
            if problem := match_id_problem(read.match_id):
                typer.echo(
                    f"livetext: {source}: match id {read.match_id!r}: {problem};"
                    " name the match with --match ID",
                    err=True,
                )
                failures += 1
                progress.advance(task, size)
                continue
            yield appends.append_for(read, (read, source, size))

    try:
        with _progress(total, total >= LARGE_INPUT or len(sources) >= 3) as (progress, task):
            for (read, source, size), (result,) in events_store.append_each(reads(progress, task)):
                unrecognised = sum(e.type == "unrecognised" for e in read.events)
                totals["appended"] += result.appended
                totals["duplicates"] += len(result.duplicates)
                totals["unrecognised"] += unrecognised
                changed = appends.amendments.get(read.match_id)
                corrections = (
                    f", {changed.amended} amended, {changed.withdrawn} withdrawn"
                    if changed is not None and (changed.amended or changed.withdrawn)
                    else ""
                )
                typer.echo(
                    f"{read.match_id}: {result.appended} events appended, "
                    f"{len(result.duplicates)} already in the store, {unrecognised} unrecognised"
                    f"{corrections} ({read.format}, {source})"
                )
                progress.advance(task, size)
    except StoreError as exc:
        fail(str(exc))
    finally:
        events_store.close()
    if len(sources) > 1:
        typer.echo(
            f"total: {totals['appended']} appended, {totals['duplicates']} already in the store, "
            f"{totals['unrecognised']} unrecognised, {failures} sources failed"
        )
    if failures:
        raise typer.Exit(code=2)
