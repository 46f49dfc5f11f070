"""Which of the three shapes a text is: ``page``, ``feed`` or ``lines``."""

from __future__ import annotations

from events.readers.errors import SourceError
from events.readers.match import Format
from events.readers.page import looks_like_page
from events.readers.split import numbered


def detect_format(text: str, name: str = "<input>") -> Format:
    """``feed`` when the first line is a JSON object; ``page`` when a line is a page
    section (``Line-ups``, ``Match Stats``, ``Live Text``) or a ``Post update`` or
    ``Get involved`` header; else ``lines``.  Raises :class:`SourceError` on an empty text or
    a JSON array."""
    lines = [(n, line.strip()) for n, line in numbered(text) if line.strip()]
    if not lines:
        raise SourceError(name, 1, "empty: no line of commentary")
    n, first = lines[0]
    if first.startswith("{"):
        return "feed"
    if first.startswith("["):
        raise SourceError(name, n, "a JSON array: a feed is one JSON object per line (JSONL)")
    if looks_like_page(lines):
        return "page"
    return "lines"
