"""Reading a match from any of its three shapes into a :class:`Match`.

``read_source(path)`` does the I/O and picks the shape; ``read_page``, ``read_feed``,
``read_lines`` and ``detect_format`` are pure.  Every reader returns the sheet (teams,
line-ups, stats, referee) and the events in match order, each with a clock (flagged
``clock_inferred`` when the source gave none) and a stable ``event_id``.

Match id, when not given: the feed header's ``id``; else ``home-away-<kickoff date>``
when both are known; else the file's stem; else ``home-away``; all as slugs.
"""

from events.readers.assemble import default_match_id
from events.readers.detect import detect_format
from events.readers.errors import SourceError
from events.readers.feed import read_feed
from events.readers.lines import read_lines
from events.readers.match import FORMATS, Format, Match, ReaderPost
from events.readers.page import read_page
from events.readers.source import MAX_LINE_BYTES, read_source

__all__ = [
    "FORMATS",
    "MAX_LINE_BYTES",
    "Format",
    "Match",
    "ReaderPost",
    "SourceError",
    "default_match_id",
    "detect_format",
    "read_feed",
    "read_lines",
    "read_page",
    "read_source",
]
