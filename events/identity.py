"""Stable event ids: the same line of the same match always gets the same id."""

from __future__ import annotations

from hashlib import blake2b

from events.clock import MatchClock


def normalise_key(text: str) -> str:
    """The part of a line that identifies it: case and runs of white space folded.

    Normalising twice changes nothing (``casefold`` is idempotent and never makes white
    space), so an already normalised key may be passed on as it is.  Every white space
    but the space is unprintable, so most lines (printable, no double space) need only
    their ends stripped: a third of the cost of splitting and joining them.
    """
    if "  " not in text and text.isprintable():  # (no white space but single spaces)
        return text.strip().casefold()
    return " ".join(text.split()).casefold()


def clock_part(clock: MatchClock | None) -> str:
    """How the clock enters an id: ``period:label:second`` (``1:45+2':None``), ``""``
    without a clock."""
    if clock is None:
        return ""
    known = _PARTS.get(id(clock))
    if known is not None:
        return known[1]
    fields = clock.__dict__  # a pydantic attribute read is several times slower
    part = clock_part_of(fields["period"], fields["minute"], fields["added"], fields["second"])
    if len(_PARTS) >= _MAX_PARTS:
        _PARTS.clear()
    _PARTS[id(clock)] = (clock, part)
    return part


_PARTS: dict[int, tuple[MatchClock, str]] = {}
"""The part of clocks met lately, by identity: readers share one frozen clock among the
lines that print it (``MatchClock.parse`` and ``split_clock`` remember them), so most
look-ups hit; the clock is held, so its id cannot be reused while it is here."""
_MAX_PARTS = 4096


def clock_part_of(period: int, minute: int, added: int, second: int | None) -> str:
    """:func:`clock_part` from the clock's fields (``label`` is ``45+2'`` or ``46'``)."""
    if added:
        return f"{period}:{minute}+{added}':{second}"
    return f"{period}:{minute}':{second}"


def event_id(match_id: str, key: str, clock: MatchClock | None = None, occurrence: int = 0) -> str:
    """A 20-hex-digit id from the match, the line's key (a source id or its text), the
    clock and the occurrence index of that same (key, clock) within the match.

    Two genuinely identical lines in one minute differ by ``occurrence``; re-sending a
    line gives the id it had before, so appending it again is a no-op.
    """
    return stable_id(match_id, normalise_key(key), clock_part(clock), occurrence)


def stable_id(match_id: str, normalised_key: str, clock_part: str, occurrence: int) -> str:
    """:func:`event_id` from its parts already computed (:func:`normalise_key`,
    :func:`clock_part`): what a caller numbering many lines uses."""
    digest = _BLAKE2B_10.copy()  # cheaper than a new hash object with digest_size=10
    digest.update(f"{match_id}\x1f{normalised_key}\x1f{clock_part}\x1f{occurrence}".encode())
    return digest.hexdigest()


_BLAKE2B_10 = blake2b(digest_size=10)
"""The empty 10-byte BLAKE2b state every id starts from (only ever copied)."""
