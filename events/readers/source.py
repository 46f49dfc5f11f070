"""The one edge that does I/O: a path (or ``-`` for stdin) or bytes in memory to a
:class:`Match`, through the format registry."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import BinaryIO

from events.readers.detect import detect
from events.readers.errors import SourceError
from events.readers.formats import lookup
from events.readers.match import Format, Match
from events.readers.payload import MAX_LINE_BYTES, MAX_SOURCE_BYTES, Payload, line_of
from events.readers.registry import ReadOptions

STDIN = "-"

__all__ = ["MAX_LINE_BYTES", "MAX_SOURCE_BYTES", "STDIN", "decode", "read_data", "read_source"]


def read_data(
    data: bytes,
    name: str,
    format: Format | None = None,
    *,
    match_id: str | None = None,
    newest_first: bool = False,
) -> Match:
    """Read a source already in memory (a file's bytes, an HTTP body) named ``name``.

    ``format`` forces a registered format, else the surest detector picks it (see
    ``events.readers.FORMATS``).  ``newest_first`` reverses a feed or plain lines (a page
    is always newest first; ESPN and Opta payloads fix their own order).  Every failure
    (too large, binary, not UTF-8, a line over 64 KB in a line-based format, broken JSON,
    JSON of no known shape, an empty input, mixed formats, lines none of which is
    commentary, lines that run backwards, stdin with no match id) raises
    :class:`SourceError` naming the input and the line.
    """
    payload = Payload(data, name)
    fmt = lookup(format, name) if format is not None else detect(payload)
    if fmt.line_based:
        payload.check_lines()
    options = ReadOptions(match_id=match_id, newest_first=newest_first, forced=format is not None)
    return fmt.read(payload, options)


def read_source(
    path: Path | str,
    format: Format | None = None,
    *,
    newest_first: bool = False,
    match_id: str | None = None,
) -> Match:
    """Read a source from ``path`` (``-``: stdin); see :func:`read_data`."""
    name = "<stdin>" if str(path) == STDIN else str(path)
    data = _read_bytes(path, name)
    return read_data(data, name, format, match_id=match_id, newest_first=newest_first)


def _read_bytes(path: Path | str, name: str) -> bytes:
    """At most one byte more than a source may hold (so that a larger one is refused)."""
    try:
        if str(path) == STDIN:
            return _read_at_most(sys.stdin.buffer, MAX_SOURCE_BYTES + 1)
        with Path(path).open("rb") as f:
            return _read_at_most(f, MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise SourceError(name, 0, exc.strerror or str(exc)) from None


def _read_at_most(f: BinaryIO, limit: int) -> bytes:
    """``f.read(limit)``, asking first for the size the file says it has, plus one byte:
    ``read(limit)`` allocates ``limit`` bytes (50 MB) whatever it reads, which costs a
    small file three times its reading.  A pipe (size 0) or a file that grew is read on;
    a stream with no file behind it (``io.BytesIO``) is read as asked."""
    try:
        size = os.fstat(f.fileno()).st_size
    except (OSError, ValueError):  # (io.UnsupportedOperation is both)
        return f.read(limit)
    want = min(size + 1, limit)
    data = f.read(want)
    if len(data) == want < limit:
        data += f.read(limit - want)
    return data


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is dropped), refusing binary data and over-long lines: the text of
    a line-based input of any size (``livetext parse``)."""
    if not data.strip():
        raise SourceError(name, 1, "empty file")
    if (nul := data.find(b"\0")) >= 0:
        raise SourceError(name, line_of(data, nul), "binary data, not text")
    for n, line in enumerate(data.split(b"\n"), 1):
        if len(line) > MAX_LINE_BYTES:
            raise SourceError(name, n, f"a line of {len(line)} bytes (limit {MAX_LINE_BYTES})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            name, line_of(data, exc.start), f"not UTF-8 text (byte 0x{data[exc.start]:02x})"
        ) from None
