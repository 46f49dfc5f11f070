"""What every reader returns: the sheet plus the match's events in match order."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, SerializeAsAny

from events.clock import MatchClock
from events.models import EventBase
from events.sheet import MatchSheet

Format = str
"""A registered source format's name (``events.readers.FORMATS``)."""


class RawLine(NamedTuple):
    """One line of commentary as a reader found it, before parsing (internal; a named
    tuple: a reader makes one per line)."""

    text: str
    line: int
    """1-based line number in the source."""
    clock: MatchClock | None = None
    """The clock the source gives the line, if any."""
    key: str | None = None
    """The source's own id for the line (a feed's ``id``, ESPN's ``sequence``, Opta's
    message ``id``): the event's ``line_id``."""
    reader_post: bool = False
    """A page's ``Get involved`` post: kept, never parsed."""


class ReaderPost(BaseModel):
    """A reader's post from a page's ``Get involved`` entries: kept, not an event."""

    model_config = ConfigDict(frozen=True)

    text: str
    line: int
    clock: MatchClock | None = None
    clock_inferred: bool = True


class Match(BaseModel):
    """A source read whole: its :class:`MatchSheet` and its events in match order.

    Every event carries ``match_id``, a clock (``clock_inferred`` when the source gave
    none) and a stable ``event_id``; ``seq`` stays 0 until the stream appends it.
    """

    model_config = ConfigDict(frozen=True)

    sheet: MatchSheet
    events: tuple[SerializeAsAny[EventBase], ...]
    reader_posts: tuple[ReaderPost, ...] = ()
    format: Format
    source: str
    """The name of the input (a path, ``<stdin>``)."""

    @property
    def match_id(self) -> str:
        """The match id every event carries."""
        return self.sheet.match_id or ""
