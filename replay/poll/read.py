"""A provider's payload to a match, and whether it says the match is over.

Any source ``livetext ingest`` reads can be polled (an ESPN summary, an Opta commentary,
a feed, a page, plain lines: ``events.readers.read_data``); one body is one snapshot of
the whole match.  A body that does not read (cut off, an HTML error page, JSON of another
shape) raises :class:`~events.readers.SourceError` and is skipped by the poller, never
applied in part.
"""

from __future__ import annotations

from events.models import EventBase, MatchEnd, PeriodEnd
from events.readers import FORMATS, Match, read_data

SHOOTOUT = 5


def formats() -> tuple[str, ...]:
    """The payload shapes the readers know (``--format``)."""
    return tuple(FORMATS)


def read_body(
    data: bytes, name: str, fmt: str | None = None, *, match_id: str | None = None
) -> Match:
    """The match a payload holds (``fmt`` forces its shape, else it is detected); raises
    :class:`~events.readers.SourceError` naming ``name`` and the line."""
    return read_data(data, name, fmt, match_id=match_id)


def has_ended(match: Match) -> bool:
    """The payload says the match is over: the provider's status is final (ESPN's
    ``completed``), or a line ends it (``Match ends``, the end of a penalty shoot-out)."""
    return match.sheet.status == "final" or any(ends_match(e) for e in match.events)


def ends_match(event: EventBase) -> bool:
    return isinstance(event, MatchEnd) or (
        isinstance(event, PeriodEnd) and event.period == SHOOTOUT
    )
