"""Where a poll's snapshots go: what the match holds so far, and appending what is new.

A sink keeps a :class:`MatchView` of its match (its events in stream order, the missing
counts of :mod:`stream.amend`, the metadata written), and writes each snapshot's
amendment whole or not at all, so a poller killed at any moment and started again finds
the view where the last write left it and appends nothing twice.

:class:`StoreSink` writes to an event store: each snapshot is one ``append_each``
transaction (events and metadata together) with ``expected_seq``, so a second writer of
the match makes the write fail with :class:`Stale` instead of interleaving; the view then
catches up and the snapshot is worked out again.  The Kafka sink is
:class:`replay.poll.kafka.BrokerSink`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from events.models import EventBase
from events.readers import Match
from replay.ingest import match_meta
from stream import Append, Batch, ConcurrencyError, EventStore, StoreError
from stream.amend import MISSING_KEY, Amendment


class Stale(Exception):
    """Another writer appended to the match since the view was read: catch up, retry."""


class SinkUnavailable(Exception):
    """The sink cannot be read or written just now (a store locked too long, a broker
    down): nothing was written whole, try the snapshot again later."""


@dataclass(slots=True)
class MatchView:
    """A match as its sink holds it."""

    match_id: str
    events: list[EventBase] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    """What was written about the match besides its events (sheet, teams, missing)."""


class Sink(Protocol):
    """What the poll loop needs of where snapshots go."""

    target: str
    """Where, for messages (a store's path, a broker's topic)."""

    def view(self, match_id: str) -> MatchView:
        """The match as held now (read the first time, then kept up to date)."""
        ...

    def write(self, match: Match, amendment: Amendment) -> int:
        """Append the amendment (and the match's sheet and missing counts) whole; the
        number of events appended.  Raises :class:`Stale` when the view was out of date."""
        ...

    def close(self) -> None: ...


def snapshot_meta(match: Match, amendment: Amendment) -> dict[str, Any]:
    """The metadata a snapshot writes: the sheet, the teams, the missing counts."""
    return match_meta(match) | {MISSING_KEY: amendment.missing}


class StoreSink:
    """Snapshots appended to an event store (see the module)."""

    def __init__(self, store: EventStore, target: str) -> None:
        self.store = store
        self.target = target
        self._view: MatchView | None = None

    def view(self, match_id: str) -> MatchView:
        view = self._view
        if view is None or view.match_id != match_id:
            view = self._view = MatchView(match_id, self.store.read(match_id))
            self._read_meta(view)
            return view
        last = view.events[-1].seq if view.events else 0
        tail = self.store.read(match_id, last + 1)
        if tail:  # another writer: its metadata may have moved too
            view.events.extend(tail)
            self._read_meta(view)
        return view

    def _read_meta(self, view: MatchView) -> None:
        view.meta = self.store.get_meta(view.match_id)
        missing = view.meta.get(MISSING_KEY)
        view.missing = dict(missing) if isinstance(missing, dict) else {}

    def write(self, match: Match, amendment: Amendment) -> int:
        view = self._view
        if view is None or view.match_id != match.match_id:
            raise Stale(f"no view of {match.match_id!r} was read")
        meta = snapshot_meta(match, amendment)
        changes = {k: v for k, v in meta.items() if view.meta.get(k) != v}
        if not amendment.appends and not changes:
            return 0
        # The seq the amendment was worked out against: a write by anyone since fails.
        last = view.events[-1].seq if view.events else 0
        batches = [Batch(view.match_id, amendment.appends, last)] if amendment.appends else []
        append = Append(None, batches, {view.match_id: changes} if changes else {})
        try:
            ((_, results),) = self.store.append_each([append])
        except ConcurrencyError as exc:
            raise Stale(str(exc)) from None
        except StoreError as exc:
            if "locked" in str(exc):
                raise SinkUnavailable(str(exc)) from None
            raise
        for result in results:
            view.events.extend(result.recorded)
        view.meta.update(changes)
        view.missing = dict(amendment.missing)
        return sum(r.appended for r in results)

    def close(self) -> None:
        self.store.close()
