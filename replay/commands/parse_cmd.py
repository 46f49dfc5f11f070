"""``livetext parse [FILE|-]``: one JSON event per line of commentary, in order.

The input is read and checked whole first (a bad line is an error before any output);
the events are then written as they are parsed, in large writes to stdout's buffer.
Lines starting with ``#`` are comments, as in the plain-lines format ``ingest`` reads
(``# Inter Milan v Juventus`` names the match there): they are not commentary.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, NoReturn

import typer

CHUNK_BYTES = 1 << 20
"""Bytes of JSON gathered before each write to stdout."""


def commentary(lines: Iterable[str]) -> Iterator[str]:
    """The lines of commentary: blank lines and ``#`` comments left out."""
    for line in lines:
        bare = line.strip()
        if bare and bare[0] != "#":
            yield line


def write_events(lines: Iterable[str], out: BinaryIO, chunk_bytes: int = CHUNK_BYTES) -> None:
    """Parse each line and write its event's JSON (one per line) to ``out``."""
    from events.models import dumps
    from events.parser import parse_line, split_clock

    parts: list[bytes] = []
    size = 0
    for line in lines:
        clock, text = split_clock(line.rstrip("\r\n"))
        data = dumps(parse_line(text, clock))
        parts.append(data)
        size += len(data) + 1
        if size >= chunk_bytes:
            parts.append(b"")
            out.write(b"\n".join(parts))
            parts.clear()
            size = 0
    if parts:
        parts.append(b"")
        out.write(b"\n".join(parts))
    out.flush()


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
) -> None:
    """Parse plain commentary lines (each optionally led by a clock such as 45'+2')."""
    from events.readers.errors import SourceError
    from events.readers.source import decode

    name = "<stdin>" if source == "-" else source
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        text = decode(data, name)
    except OSError as exc:
        _refuse(f"{name}: {exc.strerror or exc}")
    except SourceError as exc:
        _refuse(str(exc))
    lines = commentary(text.splitlines())
    if stats:
        print_stats(lines, name)
        return
    try:
        write_events(lines, sys.stdout.buffer)
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(code=1) from None


def _refuse(message: str) -> NoReturn:
    typer.echo(f"livetext parse: {message}", err=True)
    raise typer.Exit(code=2)
