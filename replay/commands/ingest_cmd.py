"""``livetext ingest SOURCE... [--match ID] [--store PATH]``: sources into the store.

Each source is read whole first; one that fails to read appends nothing (its error names
the file and line) while the others go on, and the command then exits non-zero.  The
match sheet (teams, line-ups, the page's own stats) is kept as the match's metadata, in the
same transaction as the source's events; the next source is read while one commits
(``EventStore.append_each``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from events.readers import Match, SourceError, read_source
from events.readers.match import Format
from replay.cli import app
from replay.commands.common import STORE_HELP, fail, store_or_fail
from replay.ingest import match_append
from stream import Append, StoreError

LARGE_INPUT = 8 * 1024 * 1024
"""Bytes of input from which ``ingest`` shows a progress bar (also shown for 3+ sources)."""


def _size(source: str) -> int:
    try:
        return 0 if source == "-" else Path(source).stat().st_size
    except OSError:
        return 0


def _input_bytes(sources: list[str]) -> int:
    return sum(_size(s) for s in sources)


@app.command()
def ingest(
    sources: list[str] = typer.Argument(
        ..., help="Pages, feeds (.jsonl) or plain line files; - for stdin."
    ),
    match: str | None = typer.Option(None, "--match", help="The match id (one source only)."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    format: Format | None = typer.Option(None, "--format", help="Force page, feed or lines."),
    newest_first: bool = typer.Option(
        False, "--newest-first", help="The feed lists its newest line first."
    ),
) -> None:
    """Read match sources and append their events to the store, idempotently."""
    if match and len(sources) > 1:
        fail("--match names one match: give one source with it", code=2)
    events_store = store_or_fail(store)
    console = Console(stderr=True)
    failures = 0
    totals = {"appended": 0, "duplicates": 0, "unrecognised": 0}

    def reads(progress: Progress, task: TaskID) -> Iterator[Append[tuple[Match, str, int]]]:
        """The sources read, one append each; a source that fails to read is reported
        and left out."""
        nonlocal failures
        for source in sources:
            size = _size(source)
            progress.update(task, description=f"ingesting {Path(source).name}")
            try:
                read = read_source(source, format, newest_first=newest_first, match_id=match)
            except SourceError as exc:
                typer.echo(f"livetext: {exc}", err=True)
                failures += 1
                progress.advance(task, size)
                continue
            yield match_append(read, (read, source, size))

    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=_input_bytes(sources) < LARGE_INPUT and len(sources) < 3,
        ) as progress:
            task = progress.add_task("ingesting", total=_input_bytes(sources) or None)
            for (read, source, size), (result,) in events_store.append_each(reads(progress, task)):
                unrecognised = sum(e.type == "unrecognised" for e in read.events)
                totals["appended"] += result.appended
                totals["duplicates"] += len(result.duplicates)
                totals["unrecognised"] += unrecognised
                typer.echo(
                    f"{read.match_id}: {result.appended} events appended, "
                    f"{len(result.duplicates)} already in the store, {unrecognised} unrecognised "
                    f"({read.format}, {source})"
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
