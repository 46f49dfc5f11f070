"""``livetext parse [FILE|-]``: one JSON event per input line, in order."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import typer

from events.models import dumps
from events.parser import parse_lines
from events.readers.errors import SourceError
from events.readers.source import decode
from replay.cli import app


@app.command()
def parse(
    source: str = typer.Argument("-", help="A file of commentary lines, or - for stdin."),
    stats: bool = typer.Option(False, "--stats", help="Counts by type and the unrecognised lines."),
) -> None:
    """Parse plain commentary lines (each optionally led by a clock such as 45'+2')."""
    name = "<stdin>" if source == "-" else source
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        text = decode(data, name)
    except OSError as exc:
        typer.echo(f"livetext parse: {name}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    except SourceError as exc:
        typer.echo(f"livetext parse: {exc}", err=True)
        raise typer.Exit(2) from None

    events = list(parse_lines(text.splitlines()))
    if not stats:
        out = sys.stdout.buffer
        for event in events:
            out.write(dumps(event) + b"\n")
        out.flush()
        return

    counts = Counter(e.type for e in events)
    typer.echo(f"{len(events)} events from {name}")
    for kind, n in counts.most_common():
        typer.echo(f"  {kind:<20} {n:>7}")
    unrecognised = [e.text for e in events if e.type == "unrecognised"]
    if unrecognised:
        typer.echo(f"unrecognised lines ({len(unrecognised)}):")
        for line in unrecognised:
            typer.echo(f"  {line}")
