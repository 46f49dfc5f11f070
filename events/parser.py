"""``parse_line``: one line of live text in, one typed event out, never an exception.

The line is cleaned (broken accents repaired, a glued BBC header dropped, white space
folded), then matched against the template table: first the rows that start with the
line's first word, then the rows that start with a player's name.  The first row that
matches wins and builds the event (``Template.build``: typed values, no second validation
pass); a line no row fits becomes :class:`~events.models.Unrecognised`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from events.clock import MatchClock
from events.models import EventBase, Unrecognised, assemble, blank
from events.templates import TEMPLATES, Template
from events.text import HEADER_WORDS, drop_header, first_word, tidy


def _dispatch_table(
    templates: Iterable[Template],
) -> tuple[dict[str, list[Template]], list[Template]]:
    """Rows keyed by the word they start with, and the rows led by a player's name."""
    keyed: dict[str, list[Template]] = defaultdict(list)
    player_led: list[Template] = []
    for row in templates:
        if row.starts:
            for word in row.starts:
                keyed[word].append(row)
        elif row.needle:
            player_led.append(row)
        else:
            raise ValueError(f"{row.name}: a row led by a player's name needs a needle")
    # Exact rows before loose ones, whatever their place in the table.
    for rows in keyed.values():
        rows.sort(key=lambda r: r.loose)
    return dict(keyed), player_led


_KEYED, _PLAYER_LED = _dispatch_table(TEMPLATES)


def match_template(line: str) -> tuple[Template, re.Match[str]] | None:
    """The first template row that matches a tidied line (``events.text.tidy``), with its
    match; a BBC header glued in front of the line is dropped first."""
    word = first_word(line)
    if word in HEADER_WORDS and (bare := drop_header(line)) is not line:
        line = bare
        word = first_word(line)
    lowered = ""
    if word:
        for row in _KEYED.get(word, ()):
            if row.needle:  # a phrase the row needs: skip a costly failing match
                lowered = lowered or line.lower()
                if row.needle not in lowered:
                    continue
            if m := row.regex.match(line):
                return row, m
    lowered = lowered or line.lower()
    for row in _PLAYER_LED:
        if row.needle in lowered and (m := row.regex.match(line)):
            return row, m
    return None


def parse_line(
    text: str, clock: MatchClock | None = None, *, clock_inferred: bool = False
) -> EventBase:
    """The typed event a line of live text describes; ``Unrecognised`` when none fits.

    ``text`` is kept verbatim in the event; ``clock`` is attached as given.  A kick of a
    penalty shoot-out (period 5) is flagged ``shootout`` even when the line prints no tally.
    """
    found = match_template(tidy(text))  # (parse_fields, without its call: the hot path)
    if found is not None:
        row, m = found
        if (values := row.fields(m, text, clock, clock_inferred)) is not None:
            return assemble(row.event, values)
    return assemble(Unrecognised, _unrecognised(text, clock, clock_inferred))


def parse_fields(
    text: str, clock: MatchClock | None = None, *, clock_inferred: bool = False
) -> tuple[type[EventBase], dict[str, Any]]:
    """The class of the event :func:`parse_line` makes and all its field values, in the
    class's order, before the event is assembled: what a caller that only writes the
    event's JSON needs (``events.models.fields_json``)."""
    found = match_template(tidy(text))
    if found is not None:
        row, m = found
        if (values := row.fields(m, text, clock, clock_inferred)) is not None:
            return row.event, values
    return Unrecognised, _unrecognised(text, clock, clock_inferred)


def _unrecognised(text: str, clock: MatchClock | None, clock_inferred: bool) -> dict[str, Any]:
    values = _UNRECOGNISED.copy()
    values["text"] = text
    values["clock"] = clock
    values["clock_inferred"] = clock_inferred
    return values


_UNRECOGNISED = blank(Unrecognised, {})
"""Every field of an unrecognised line's event, at its default (``text`` None until set)."""


# A clock leading a plain line: "45'+2' ...", "90+4 ...", "67' ...", "12:30 ...".
_LEADING_CLOCK = re.compile(r"^\s*(\d{1,3}\s*'?\s*(?:\+\s*\d{1,2}\s*'?)?(?::\d{1,2})?)'?\s+(?=\S)")


def split_clock(line: str) -> tuple[MatchClock | None, str]:
    """Split ``45'+2' Foul by ...`` into its clock and its text (``None`` when absent).

    A line whose first word is a clock seen before and whose text starts with a letter
    is split by a dict look-up (a match prints its clocks many times): the regex, whatever
    letter follows, would read that word alone as that clock.
    """
    if line[:1].isalpha():  # most lines: no clock can start with a letter
        return None, line
    word, _, rest = line.partition(" ")
    if rest[:1].isalpha() and (known := _KNOWN_CLOCKS.get(word)) is not None:
        return known, rest
    m = _LEADING_CLOCK.match(line)
    if m is None:
        return None, line
    try:
        clock = MatchClock.parse(m.group(1))
    except ValueError:
        return None, line
    if m.end() == len(word) + 1 and rest[:1].isalpha() and len(_KNOWN_CLOCKS) < _MAX_KNOWN:
        _KNOWN_CLOCKS[word] = clock
    return clock, line[m.end() :]


_KNOWN_CLOCKS: dict[str, MatchClock] = {}
"""Leading words read as a clock (``45'+2'``, ``67``), with the clock: clocks are frozen,
so every line printing the word shares one."""
_MAX_KNOWN = 4096


def parse_lines(lines: Iterable[str]) -> Iterator[EventBase]:
    """Parse plain lines, each optionally led by a clock; blank lines are skipped."""
    for line in lines:
        if line.strip():
            clock, text = split_clock(line.rstrip("\r\n"))
            yield parse_line(text, clock)
