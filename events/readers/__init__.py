"""Reading a match from any registered source format into a :class:`Match`.

``read_source(path)`` and ``read_data(bytes, name)`` pick the format (or take the one
named) and read it; ``read_page``, ``read_feed``, ``read_lines``, ``read_espn``,
``read_opta`` and ``detect_format`` are pure.  Every reader returns the sheet (teams,
line-ups, stats, referee, a provider's reported facts) and the events in match order, each
with a clock (flagged ``clock_inferred`` when the source gave none), the source's
``line_id`` where it has one, and a stable ``event_id``.

Formats are registered in :mod:`events.readers.formats` (:data:`FORMATS`, their names);
each is a :class:`SourceFormat` (a name, a detector, a reader) in its own module.

Match id, when not given: the source's own (a feed header's ``id``, ESPN's event id,
Opta's match id); else ``home-away-<kickoff date>`` when both are known; else the file's
stem (stdin has none: give ``--match``); else ``home-away``; all as slugs.
"""

from events.readers.assemble import default_match_id
from events.readers.detect import detect_format
from events.readers.errors import SourceError
from events.readers.espn import read_espn
from events.readers.feed import read_feed
from events.readers.formats import FORMATS, REGISTRY
from events.readers.lines import read_lines
from events.readers.match import Format, Match, ReaderPost
from events.readers.opta import read_opta
from events.readers.page import read_page
from events.readers.payload import MAX_LINE_BYTES, MAX_SOURCE_BYTES, Payload
from events.readers.registry import ReadOptions, SourceFormat
from events.readers.source import read_data, read_source

__all__ = [
    "FORMATS",
    "MAX_LINE_BYTES",
    "MAX_SOURCE_BYTES",
    "REGISTRY",
    "Format",
    "Match",
    "Payload",
    "ReadOptions",
    "ReaderPost",
    "SourceError",
    "SourceFormat",
    "default_match_id",
    "detect_format",
    "read_data",
    "read_espn",
    "read_feed",
    "read_lines",
    "read_opta",
    "read_page",
    "read_source",
]
