"""One input in memory: its bytes, checked once, and the views readers share.

A source is at most :data:`MAX_SOURCE_BYTES`; a line-based one (page, feed, plain lines)
also keeps each line under :data:`MAX_LINE_BYTES`, while a provider payload is one JSON
document of any line length.  The text and the JSON document are decoded once, on demand,
whichever detector or reader asks first.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import orjson

from events.readers.errors import SourceError

MAX_LINE_BYTES = 64 * 1024
MAX_SOURCE_BYTES = 50 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"


class Payload:
    """The bytes of one source and what detectors and readers read off them.

    Raises :class:`SourceError` at construction for an input no format can hold: too
    large, empty, or binary (a NUL byte).
    """

    def __init__(self, data: bytes, name: str) -> None:
        if len(data) > MAX_SOURCE_BYTES:
            raise SourceError(
                name, 0, f"{len(data):,} bytes: more than a source may hold ({_mb()} MB)"
            )
        if data.startswith(_BOM):
            data = data[len(_BOM) :]
        if not data.strip():
            raise SourceError(name, 1, "empty file")
        if (nul := data.find(b"\0")) >= 0:
            raise SourceError(name, line_of(data, nul), "binary data, not text")
        self.data = data
        self.name = name

    @cached_property
    def text(self) -> str:
        """The input as UTF-8 text (a leading BOM dropped)."""
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(
                self.name,
                line_of(self.data, exc.start),
                f"not UTF-8 text (byte 0x{self.data[exc.start]:02x})",
            ) from None

    @cached_property
    def lead(self) -> bytes:
        """The first byte that is not white space (``b"{"`` for JSON objects)."""
        return self.data.lstrip()[:1]

    @cached_property
    def head(self) -> str:
        """The first line that is not blank, stripped."""
        start = len(self.data) - len(self.data.lstrip())
        end = self.data.find(b"\n", start)
        line = self.data[start : None if end < 0 else end]
        return line.decode("utf-8", errors="replace").strip()

    @cached_property
    def head_is_object(self) -> bool:
        """True when the first line is a JSON object by itself (a feed's first line)."""
        try:
            return isinstance(orjson.loads(self.head), dict)
        except orjson.JSONDecodeError:
            return False

    @cached_property
    def _parsed(self) -> tuple[Any, orjson.JSONDecodeError | None]:
        if self.lead not in (b"{", b"["):
            return None, None
        try:
            return orjson.loads(self.data), None
        except orjson.JSONDecodeError as exc:
            return None, exc

    @property
    def document(self) -> Any:
        """The input as one JSON document, or None when it is not one (JSONL is not)."""
        return self._parsed[0]

    @property
    def json_error(self) -> orjson.JSONDecodeError | None:
        """Why an input that starts like JSON is not one JSON document."""
        return self._parsed[1]

    def json_document(self, shape: str) -> Any:
        """The input as one JSON document; a :class:`SourceError` saying it is not
        ``shape`` (``"an ESPN summary"``) when it is not JSON."""
        document = self.document
        if document is None:
            error = self.json_error
            line, why = (error.lineno, error.msg) if error else (1, "not a JSON object")
            raise SourceError(self.name, line, f"not {shape}: not JSON ({why})")
        return document

    def check_lines(self) -> None:
        """Refuse a line over :data:`MAX_LINE_BYTES` (line-based formats only)."""
        if len(self.data) <= MAX_LINE_BYTES:
            return
        for n, line in enumerate(self.data.split(b"\n"), 1):
            if len(line) > MAX_LINE_BYTES:
                raise SourceError(
                    self.name, n, f"a line of {len(line)} bytes (limit {MAX_LINE_BYTES})"
                )


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line an offset of ``data`` falls on."""
    return data.count(b"\n", 0, offset) + 1


def _mb() -> int:
    return MAX_SOURCE_BYTES // (1024 * 1024)
