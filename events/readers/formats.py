"""The registered source formats: adding one is its module plus a line here.

The order breaks ties between detectors equally sure of an input.
"""

from __future__ import annotations

from events.readers import espn, feed, lines, opta, page
from events.readers.errors import SourceError
from events.readers.registry import SourceFormat

REGISTRY: tuple[SourceFormat, ...] = (
    page.FORMAT,
    feed.FORMAT,
    espn.FORMAT,
    opta.FORMAT,
    lines.FORMAT,
)
FORMATS: tuple[str, ...] = tuple(f.name for f in REGISTRY)
"""The names ``--format`` accepts."""
_BY_NAME = {f.name: f for f in REGISTRY}


def lookup(name: str, source: str = "<input>") -> SourceFormat:
    """The format registered as ``name``; raises :class:`SourceError` naming the others."""
    found = _BY_NAME.get(name)
    if found is None:
        raise SourceError(source, 0, f"no format {name!r} (formats: {', '.join(FORMATS)})")
    return found
