"""Splitting a text into numbered lines, and spotting feed objects where they don't belong."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import orjson

from events.readers.errors import SourceError


def numbered(text: str | Iterable[str]) -> list[tuple[int, str]]:
    """``(line number, line)`` for each line, 1-based, line ends dropped.

    Only ``\\n`` (and ``\\r\\n``) end a line: ``str.splitlines`` would also split on
    U+0085, which broken accents are made of.
    """
    lines = text.split("\n") if isinstance(text, str) else text
    return [(n, line.rstrip("\r\n")) for n, line in enumerate(lines, 1)]


def json_object(line: str) -> dict[str, Any] | None:
    """The JSON object a line holds, or None when it holds none."""
    if not line.lstrip().startswith("{"):
        return None
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def refuse_feed_lines(lines: Iterable[tuple[int, str]], name: str, fmt: str) -> None:
    """Raise when a page or plain-lines text holds a JSON feed object: mixed inputs."""
    for n, line in lines:
        if json_object(line) is not None:
            raise SourceError(name, n, f"a JSON feed object inside {fmt}: the file mixes formats")


def refuse_feed_text(text: str, name: str, fmt: str) -> None:
    """:func:`refuse_feed_lines` for a whole text: only lines that start with ``{`` are
    looked at (a text without one is passed in one scan)."""
    if "{" not in text:
        return
    starts = {text.count("\n", 0, m.start()) + 1 for m in _OBJECT_START.finditer(text)}
    refuse_feed_lines(((n, line) for n, line in numbered(text) if n in starts), name, fmt)


_OBJECT_START = re.compile(r"^[^\S\n]*\{", re.MULTILINE)
