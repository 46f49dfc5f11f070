"""What a source format is: a name, a detector, a reader.

A format module (``page``, ``feed``, ``espn``...) defines one :class:`SourceFormat`;
:mod:`events.readers.formats` lists them (its registration).  Adding a format touches
its module and that list, nothing else: detection, ``--format`` and every verb that reads a
source (``ingest``, ``replay``, ``publish``) pick it up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from events.readers.match import Match
from events.readers.payload import Payload


class ReadOptions(NamedTuple):
    """What the caller asks of a read besides the input."""

    match_id: str | None = None
    """The match id to use instead of the one the source gives or implies."""
    newest_first: bool = False
    """The lines are listed newest first (formats whose order is not fixed)."""
    forced: bool = False
    """The format was named by the caller rather than detected."""


@dataclass(frozen=True)
class SourceFormat:
    """One registered source format."""

    name: str
    """What ``--format`` calls it."""
    shape: str
    """The shape in a few words, for errors naming the shapes tried."""
    detect: Callable[[Payload], float]
    """How sure the format is that an input is its own: 0 (never) to 1 (certain).  It
    must not raise; the format with the highest score reads the input."""
    read: Callable[[Payload, ReadOptions], Match]
    """Read the input; raises :class:`~events.readers.errors.SourceError`."""
    line_based: bool = True
    """One record per line: a line over the line limit is refused before reading."""
    json: bool = False
    """The format is JSON: it is among the shapes named when JSON fits none."""
