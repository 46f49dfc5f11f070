"""The one edge that does I/O: a path (or ``-`` for stdin) to a :class:`Match`."""

from __future__ import annotations

import sys
from pathlib import Path

from events.models import Unrecognised
from events.readers.detect import detect_format
from events.readers.errors import SourceError
from events.readers.feed import read_feed
from events.readers.lines import read_lines
from events.readers.match import Format, Match
from events.readers.page import read_page

MAX_LINE_BYTES = 64 * 1024
STDIN = "-"


def read_source(
    path: Path | str,
    format: Format | None = None,
    *,
    newest_first: bool = False,
    match_id: str | None = None,
) -> Match:
    """Read a page, a feed or plain lines from ``path`` (``-``: stdin).

    ``format`` forces the shape, else :func:`detect_format` picks it.  ``newest_first``
    reverses a feed or plain lines (a page is always newest first).  Every failure (a
    missing file, binary data, text that is not UTF-8, a line over 64 KB, broken JSON, an
    empty file, mixed formats, plain lines none of which is commentary) raises
    :class:`SourceError` naming the file and line.
    """
    name = "<stdin>" if str(path) == STDIN else str(path)
    text = decode(_read_bytes(path, name), name)
    fmt = format or detect_format(text, name)
    if fmt == "page":
        return read_page(text, name, match_id=match_id)
    if fmt == "feed":
        return read_feed(text, newest_first=newest_first, name=name, match_id=match_id)
    match = read_lines(text, newest_first=newest_first, name=name, match_id=match_id)
    if format is None and all(isinstance(e, Unrecognised) for e in match.events):
        lines = enumerate(text.split("\n"), 1)
        first = next((n for n, s in lines if s.strip() and not s.lstrip().startswith("#")), 1)
        raise SourceError(
            name, first, "not a page, a feed or commentary lines (--format lines forces it)"
        )
    return match


def _read_bytes(path: Path | str, name: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if str(path) == STDIN else Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(name, 0, exc.strerror or str(exc)) from None


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is dropped), refusing binary data and over-long lines."""
    if not data.strip():
        raise SourceError(name, 1, "empty file")
    if (nul := data.find(b"\0")) >= 0:
        raise SourceError(name, _line_of(data, nul), "binary data, not text")
    for n, line in enumerate(data.split(b"\n"), 1):
        if len(line) > MAX_LINE_BYTES:
            raise SourceError(name, n, f"a line of {len(line)} bytes (limit {MAX_LINE_BYTES})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            name, _line_of(data, exc.start), f"not UTF-8 text (byte 0x{data[exc.start]:02x})"
        ) from None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
