"""A provider's payload to a match, and whether it says the match is over.

Any source ``livetext ingest`` reads can be polled; one body is one snapshot of the whole
match.  A body that does not read (cut off, an HTML error page, JSON of another shape)
raises :class:`~events.readers.SourceError` and is skipped by the poller, never applied
in part.
"""

from __future__ import annotations

from events.models import EventBase, MatchEnd, PeriodEnd
from events.readers import FORMATS, Format, Match, SourceError, detect_format
from events.readers.feed import read_feed
from events.readers.lines import read_lines
from events.readers.page import read_page
from events.readers.source import decode
from replay.ingest import with_line_ids

SHOOTOUT = 5


def formats() -> tuple[str, ...]:
    """The payload shapes the readers know (``--format``)."""
    return tuple(FORMATS)


def read_body(
    data: bytes, name: str, fmt: Format | None = None, *, match_id: str | None = None
) -> Match:
    """The match a payload holds (``fmt`` forces its shape, else it is detected); raises
    :class:`SourceError` naming ``name`` and the line."""
    text = decode(data, name)
    shape = fmt or detect_format(text, name)
    if shape == "page":
        match = read_page(text, name, match_id=match_id)
    elif shape == "feed":
        match = read_feed(text, name=name, match_id=match_id)
    else:
        match = read_lines(text, name=name, match_id=match_id)
        if fmt is None and all(e.type == "unrecognised" for e in match.events):
            raise SourceError(name, 1, "not a page, a feed or commentary lines")
    return with_line_ids(match, text)


def has_ended(match: Match) -> bool:
    """The payload says the match is over: its sheet's status is final, or a line ends it
    (``Match ends``, the end of a penalty shoot-out)."""
    status = getattr(match.sheet, "status", None)
    return status == "final" or any(ends_match(e) for e in match.events)


def ends_match(event: EventBase) -> bool:
    return isinstance(event, MatchEnd) or (
        isinstance(event, PeriodEnd) and event.period == SHOOTOUT
    )
