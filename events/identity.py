"""Stable event ids: the same line of the same match always gets the same id."""

from __future__ import annotations

import hashlib

from events.clock import MatchClock


def normalise_key(text: str) -> str:
    """The part of a line that identifies it: case and runs of white space folded."""
    return " ".join(text.split()).casefold()


def event_id(match_id: str, key: str, clock: MatchClock | None = None, occurrence: int = 0) -> str:
    """A 20-hex-digit id from the match, the line's key (a source id or its text), the
    clock and the occurrence index of that same (key, clock) within the match.

    Two genuinely identical lines in one minute differ by ``occurrence``; re-sending a
    line gives the id it had before, so appending it again is a no-op.
    """
    clock_part = "" if clock is None else f"{clock.period}:{clock.label}:{clock.second}"
    raw = "\x1f".join((match_id, normalise_key(key), clock_part, str(occurrence)))
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=10).hexdigest()
