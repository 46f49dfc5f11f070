"""Putting a read source into the store: its events and its match sheet."""

from __future__ import annotations

from typing import Any, TypeVar

from events.readers import Match
from stream import Append, AppendResult, Batch, EventStore

T = TypeVar("T")


def sheet_meta(match: Match) -> dict[str, Any]:
    """What the store keeps about a match besides its events."""
    return {
        "sheet": match.sheet.model_dump(mode="json"),
        "format": match.format,
        "source": match.source,
        "reader_posts": len(match.reader_posts),
    }


def match_append(match: Match, tag: T) -> Append[T]:
    """A read source as one append of ``EventStore.append_each``: its events (numbered as a
    whole source, so ingesting it again appends nothing) and its sheet and teams (as
    ``set_match_info`` records them) as metadata, written together."""
    meta = sheet_meta(match)
    home, away = match.sheet.home, match.sheet.away
    if home and away:
        meta |= {"home": home, "away": away}
    batch = Batch(match.match_id, match.events, None, True)
    return Append(tag, [batch], {match.match_id: meta})


def ingest_match(store: EventStore, match: Match) -> AppendResult:
    """Append a read source's events (idempotently) and record its sheet, in one
    transaction where the store has them (``SqliteStore``)."""
    ((_, (result,)),) = store.append_each([match_append(match, None)])
    return result
