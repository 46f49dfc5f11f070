"""Plain lines: one line of commentary per line, optionally led by a clock.

``45'+2' Goal! ...``, ``90+3 Corner, ...``, ``67 Foul by ...`` or no clock at all.
Lines starting with ``#`` are comments; the first one, before any commentary, may name
the match: ``# Inter Milan v AC Milan, 2023-02-05`` (``v`` or ``vs``, date optional).
Blank lines are skipped.  Oldest first unless ``newest_first``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from events.models import Unrecognised
from events.parser import split_clock
from events.readers.assemble import assemble
from events.readers.errors import SourceError
from events.readers.match import Match, RawLine
from events.readers.payload import Payload
from events.readers.registry import ReadOptions, SourceFormat
from events.readers.split import numbered, refuse_feed_lines, refuse_feed_text
from events.sheet import MatchSheet

_TITLE = re.compile(
    r"^#\s*(?P<home>\S.*?)\s+(?:v|vs\.?)\s+(?P<away>\S.*?)"
    r"(?:\s*,?\s+(?P<kickoff>\d{4}-\d{2}-\d{2}(?:[T ]\S+)?))?\s*$",
    re.IGNORECASE,
)


def read_lines(
    source: str | Iterable[str],
    *,
    newest_first: bool = False,
    name: str = "<lines>",
    match_id: str | None = None,
) -> Match:
    """Read plain lines (a text or its lines).  Raises :class:`SourceError`."""
    if isinstance(source, str):
        refuse_feed_text(source, name, "plain lines")
        lines: Iterable[str] = source.split("\n")
    else:
        numbered_lines = numbered(source)
        refuse_feed_lines(numbered_lines, name, "plain lines")
        lines = (line for _, line in numbered_lines)
    sheet = MatchSheet()
    titled = False
    raws: list[RawLine] = []
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        lead = line[0]
        if lead == "#":
            if not raws and not titled and (m := _TITLE.match(line)):
                sheet = MatchSheet(home=m["home"], away=m["away"], kickoff=m["kickoff"])
                titled = True
            continue
        if lead.isdigit():  # a clock can only lead with a digit
            clock, text = split_clock(line)
            raws.append(RawLine(text, n, clock))
        else:
            raws.append(RawLine(line, n))
    if newest_first:
        raws.reverse()
    return assemble(
        sheet, raws, fmt="lines", name=name, match_id=match_id, newest_first=newest_first
    )


def _detect(payload: Payload) -> float:
    """Any text that is not JSON: the last resort."""
    return 0.0 if payload.lead in (b"{", b"[") else 0.1


def _read(payload: Payload, options: ReadOptions) -> Match:
    """Plain lines; detected (not forced), text none of whose lines is commentary is
    refused rather than read as a match of unrecognised lines."""
    text = payload.text
    match = read_lines(
        text, newest_first=options.newest_first, name=payload.name, match_id=options.match_id
    )
    if not options.forced and all(isinstance(e, Unrecognised) for e in match.events):
        lines = enumerate(text.split("\n"), 1)
        first = next((n for n, s in lines if s.strip() and not s.lstrip().startswith("#")), 1)
        raise SourceError(
            payload.name, first, "not a page, a feed or commentary lines (--format lines forces it)"
        )
    return match


FORMAT = SourceFormat(
    name="lines",
    shape="plain commentary lines",
    detect=_detect,
    read=_read,
)
