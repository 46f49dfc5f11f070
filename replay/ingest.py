"""Putting a read source into the store: its events and its match sheet."""

from __future__ import annotations

from typing import Any

from events.readers import Match
from stream import AppendResult, EventStore, ingest_events


def sheet_meta(match: Match) -> dict[str, Any]:
    """What the store keeps about a match besides its events."""
    return {
        "sheet": match.sheet.model_dump(mode="json"),
        "format": match.format,
        "source": match.source,
        "reader_posts": len(match.reader_posts),
    }


def ingest_match(store: EventStore, match: Match) -> AppendResult:
    """Append a read source's events (idempotently) and record its sheet (and its teams,
    as ``set_match_info`` does) in one metadata update: each update is a durable
    transaction of its own."""
    result = ingest_events(store, match.match_id, match.events)
    meta = sheet_meta(match)
    home, away = match.sheet.home, match.sheet.away
    if home and away:
        meta |= {"home": home, "away": away}
    store.update_meta(match.match_id, meta)
    return result
