"""A BBC-style match page as text: summary, ``Line-ups``, ``Match Stats``, ``Live Text``.

* the summary (everything before the first section) is kept as text;
* line-ups and stats: :mod:`events.readers.page_sheet`;
* Live Text lists entries newest first, each under a header line (``Post update``,
  ``Goal!``, ``Substitution``, ``Booking``, ``Dismissal``, ``Kick off``, ``Half time``,
  ``Second half``, ``Full time``, ``Penalties in progress``, ``Penalties over``,
  ``Get involved``; any case, optionally with a clock before or after it).  Entries are
  put in match order; the lines inside one entry keep their written order.  A clock
  line (``90+4'``) in an entry dates its lines, as does a clock leading a line.  Header
  lines are dropped (an entry ``Full Time`` is its header only); the lines of
  ``Get involved`` entries are reader posts, kept but never parsed.

A text with no section but live-text entry headers is read as a Live Text section.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from events.clock import ClockError, MatchClock
from events.parser import split_clock
from events.readers.assemble import assemble
from events.readers.errors import SourceError
from events.readers.match import Match, RawLine
from events.readers.page_sheet import read_lineups, read_stats
from events.readers.payload import Payload
from events.readers.registry import ReadOptions, SourceFormat
from events.readers.split import numbered, refuse_feed_lines
from events.sheet import Lineups, MatchSheet

SECTIONS = {"line-ups": "lineups", "lineups": "lineups", "line ups": "lineups"} | {
    "match stats": "stats",
    "live text": "live",
}
HEADERS = (
    "post update",
    "goal!",
    "goal",
    "own goal",
    "substitution",
    "booking",
    "dismissal",
    "red card",
    "kick off",
    "kick-off",
    "half time",
    "half-time",
    "second half",
    "full time",
    "full-time",
    "penalties in progress",
    "penalties over",
    "get involved",
)
READER_POSTS = "get involved"
PAGE_ONLY_HEADERS = ("post update", READER_POSTS)
"""Headers no plain commentary line is: they alone make a text without sections a page."""
_CLOCK = r"\d{1,3}\s*'?(?:\s*\+\s*\d{1,2}\s*'?)?"
_HEADER = re.compile(
    rf"^(?:{_CLOCK}\s+)?(?P<header>{'|'.join(map(re.escape, HEADERS))})(?:\s+{_CLOCK})?$",
    re.IGNORECASE,
)


@dataclass
class _Entry:
    header: str | None
    clock: MatchClock | None = None
    lines: list[RawLine] = field(default_factory=list)


def is_header(line: str) -> bool:
    """True for a live-text entry header line such as ``Post update``."""
    return _HEADER.match(line.strip()) is not None


def looks_like_page(lines: Sequence[tuple[int, str]]) -> bool:
    """True when a line is a page section or a ``Post update``/``Get involved`` header."""
    marks = SECTIONS.keys() | set(PAGE_ONLY_HEADERS)
    return any(line.strip().casefold() in marks for _, line in lines)


def read_page(text: str, name: str = "<page>", *, match_id: str | None = None) -> Match:
    """Read a whole page; see the module docstring.  Raises :class:`SourceError`."""
    lines = numbered(text)
    refuse_feed_lines(lines, name, "a page")
    sections = _sections(lines, name)
    teams, referee = read_lineups(sections.get("lineups", []), name)
    home, away = [*teams, None, None][:2]
    summary = "\n".join(s for _, line in sections.get("summary", []) if (s := line.strip()))
    sheet = MatchSheet(
        home=home.name if home else None,
        away=away.name if away else None,
        lineups=Lineups(home=home, away=away) if home else None,
        referee=referee,
        summary=summary or None,
        reported_stats=read_stats(sections.get("stats", []), name),
    )
    live = read_live_text(sections.get("live", []))
    return assemble(sheet, live, fmt="page", name=name, match_id=match_id)


def _sections(lines: Sequence[tuple[int, str]], name: str) -> dict[str, list[tuple[int, str]]]:
    """The page's lines by section; ``summary`` is what comes before the first one."""
    found: dict[str, list[tuple[int, str]]] = {"summary": []}
    current = "summary"
    for n, line in lines:
        section = SECTIONS.get(line.strip().casefold())
        if section is None:
            found[current].append((n, line))
        elif section in found:
            raise SourceError(name, n, f"a second {line.strip()!r} section")
        else:
            current = section
            found[section] = []
    if current == "summary":
        if not any(is_header(line) for _, line in lines):
            raise SourceError(name, 1, "not a page: no Line-ups, Match Stats or Live Text")
        found = {"live": found["summary"]}
    return found


def read_live_text(lines: Sequence[tuple[int, str]]) -> list[RawLine]:
    """The lines of a Live Text section, in match order (entries reversed)."""
    entries = [_Entry(header=None)]
    for n, raw in lines:
        line = raw.strip()
        if not line:
            continue
        if m := _HEADER.match(line):
            entries.append(_Entry(header=m["header"].casefold(), clock=_header_clock(line)))
            continue
        entry = entries[-1]
        try:
            clock: MatchClock | None = MatchClock.parse(line)
        except ClockError:
            clock = None
        if clock is not None:
            entry.clock = clock
            continue
        clock, body = split_clock(line)
        entry.lines.append(
            RawLine(
                text=body,
                line=n,
                clock=clock or entry.clock,
                reader_post=entry.header == READER_POSTS,
            )
        )
    return [raw for entry in reversed(entries) for raw in entry.lines]


def _header_clock(line: str) -> MatchClock | None:
    m = re.search(_CLOCK, line)
    try:
        return MatchClock.parse(m.group()) if m else None
    except ClockError:
        return None


_MARKS = re.compile(
    r"^[^\S\n]*(?:"
    + "|".join(re.escape(mark) for mark in (*SECTIONS, *PAGE_ONLY_HEADERS))
    + r")[^\S\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
"""A line that may be a page mark (confirmed by :func:`looks_like_page`): one scan."""


def _detect(payload: Payload) -> float:
    """A page section (``Line-ups``, ``Match Stats``, ``Live Text``) or a ``Post update``
    or ``Get involved`` header on a line of its own."""
    if payload.lead in (b"{", b"["):
        return 0.0
    text = payload.text
    candidates = [(0, m.group()) for m in _MARKS.finditer(text)]
    return 0.8 if candidates and looks_like_page(candidates) else 0.0


def _read(payload: Payload, options: ReadOptions) -> Match:
    return read_page(payload.text, payload.name, match_id=options.match_id)


FORMAT = SourceFormat(
    name="page",
    shape="a match page (Line-ups, Match Stats, Live Text)",
    detect=_detect,
    read=_read,
)
