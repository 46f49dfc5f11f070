"""``livetext parse [FILE|-]``: one JSON event per line of commentary, in order.

The input is read and checked whole first (a bad line is an error before any output);
the events are then written as they are parsed, in large writes to stdout's buffer.
Lines starting with ``#`` are comments, as in the plain-lines format ``ingest`` reads
(``# Inter Milan v Juventus`` names the match there): they are not commentary.

The verb imports the parser and nothing of the readers: input that plainly passes their
checks is decoded here, anything else goes to their check, which names the line at fault.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
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


def commentary(lines: Iterable[str]) -> Iterator[str]:
    """The lines of commentary: blank lines and ``#`` comments left out."""
    for line in lines:
        bare = line.strip()
        if bare and bare[0] != "#":
            yield line


def write_events(lines: Iterable[str], out: BinaryIO, chunk_bytes: int = CHUNK_BYTES) -> None:
    """Parse each line and write its event's JSON (one per line) to ``out``.

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
    name = "<stdin>" if source == "-" else source
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        _refuse(f"{name}: {exc.strerror or exc}")
    try:
        text = read_text(data, name)
    except ValueError as exc:  # a SourceError, naming the file and the line
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
