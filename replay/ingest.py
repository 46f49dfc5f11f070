"""Putting a read source into the store: its events and its match sheet.

A source read again (a feed file grown or corrected, a provider's snapshot) is compared
with what the store holds (:func:`stream.amend.amend`): new lines are appended, an
amended line (its line id stored with another text or clock) is retracted and appended
again, a line missing from two reads in a row is retracted.  :class:`MatchAppends` does
that for ``livetext ingest`` (``livetext poll`` does it per snapshot in
:mod:`replay.poll`); :func:`match_append` is the plain append of a source, for a store
known not to hold its match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from events.models import EventBase
from events.readers import Match
from stream import Append, AppendResult, Batch, EventStore
from stream.amend import MISSING_KEY, Amendment, amend, latest_versions
from stream.numbering import prepare
from stream.record import event_json
from stream.store import Prepared

T = TypeVar("T")


def sheet_meta(match: Match) -> dict[str, Any]:
    """What the store keeps about a match besides its events."""
    return {
        "sheet": match.sheet.model_dump(mode="json"),
        "format": match.format,
        "source": match.source,
        "reader_posts": len(match.reader_posts),
    }


def match_meta(match: Match) -> dict[str, Any]:
    """:func:`sheet_meta` and the teams (as ``set_match_info`` records them)."""
    meta = sheet_meta(match)
    home, away = match.sheet.home, match.sheet.away
    if home and away:
        meta |= {"home": home, "away": away}
    return meta


def match_append(match: Match, tag: T) -> Append[T]:
    """A read source as one append of ``EventStore.append_each``, for a store that does not
    hold the match yet: its events (numbered as a whole source, a line id served twice
    kept as its last version, so ingesting it again appends nothing) and its sheet and
    teams as metadata, written together."""
    events = latest_versions(match.events)
    batch = Batch(match.match_id, events, None, True)
    return Append(tag, [batch], {match.match_id: match_meta(match)})


class ReadySource(NamedTuple):
    """A source read and made ready away from the store (in a worker process): what
    :meth:`MatchAppends.append_ready` appends when the store and the run have not seen its
    match, and what ``ingest`` says of it."""

    match_id: str
    format: str
    unrecognised: int
    batch: Prepared
    meta: dict[str, Any]


def unrecognised(match: Match) -> int:
    """The lines of ``match`` no template knew (what ``ingest`` counts and says)."""
    return sum(e.type == "unrecognised" for e in match.events)


def ready_source(match: Match) -> ReadySource:
    """``match`` as :meth:`MatchAppends.append_for` appends it to a match the store does
    not hold (every line new; the JSON made here)."""
    found = amend(match.match_id, (), match.events)
    batch = prepare(Batch(match.match_id, found.batch, None, True), event_json)
    return ReadySource(match.match_id, match.format, unrecognised(match), batch, match_meta(match))


@dataclass(slots=True)
class _Known:
    """A match as this run knows it: its events (stored, then handed out for appending;
    a ready source's decoded when first needed) and its missing counts."""

    events: list[EventBase] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=dict)
    ready: Prepared | None = None


class MatchAppends:
    """Appends of read sources that take what the store holds into account.

    :meth:`append_for` compares a source with its match's events (read from the store
    the first time a match comes, then followed through what this object hands out, so
    two sources of one match in one ``append_each`` are compared in turn even while the
    first is being written) and returns the append: the source's lines (unchanged ones
    under their stored ids, which the store skips as duplicates), retractions and new
    versions of amended lines, retractions of withdrawn ones, and the sheet and the
    missing counts as metadata.
    """

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self._stored: set[str] | None = None
        self._known: dict[str, _Known] = {}
        self._pending: dict[str, int] = {}
        self.amendments: dict[str, Amendment] = {}
        """The last amendment worked out for each match (until :meth:`written`)."""

    def _match(self, match_id: str) -> _Known:
        known = self._known.get(match_id)
        if known is not None:
            if known.ready is not None:
                known.events[:0] = known.ready.decoded(known.ready.rows)
                known.ready = None
            return known
        if self._stored is None:
            self._stored = {m.match_id for m in self.store.matches()}
        known = self._known[match_id] = _Known()
        if match_id in self._stored:
            known.events = self.store.read(match_id)
            missing = self.store.get_meta(match_id).get(MISSING_KEY)
            known.missing = dict(missing) if isinstance(missing, dict) else {}
        return known

    def amendment(self, match: Match) -> Amendment:
        """What the source gives its match, as :meth:`append_for` appends it."""
        known = self._match(match.match_id)
        found = amend(match.match_id, known.events, match.events, known.missing)
        self.amendments[match.match_id] = found
        return found

    def append_for(self, match: Match, tag: T) -> Append[T]:
        """The append of one read source (see the class)."""
        found = self.amendment(match)
        known = self._known[match.match_id]
        meta = match_meta(match)
        if found.missing or known.missing:
            meta[MISSING_KEY] = found.missing
        known.events.extend(found.appends)
        known.missing = found.missing
        self._pending[match.match_id] = self._pending.get(match.match_id, 0) + 1
        batch = Batch(match.match_id, found.batch, None, True)
        return Append(tag, [batch], {match.match_id: meta})

    def append_ready(self, ready: ReadySource, tag: T) -> Append[T] | None:
        """The append of a ready source, if neither the store nor this run has seen its
        match (None: the source must be read here and compared, :meth:`append_for`)."""
        match_id = ready.match_id
        if match_id in self._known:
            return None
        if self._stored is None:
            self._stored = {m.match_id for m in self.store.matches()}
        if match_id in self._stored:
            return None
        self._known[match_id] = _Known(ready=ready.batch)
        self.amendments[match_id] = Amendment(new=len(ready.batch.rows))
        self._pending[match_id] = 1
        return Append(tag, [ready.batch], {match_id: ready.meta})

    def written(self, match_id: str) -> None:
        """An append handed out for ``match_id`` is committed.  Once all of them are,
        what this object holds of the match is let go (a later source of it reads the
        match back from the store): a long ingest holds the matches being written, not
        every match it appended (whose events the garbage collector would walk again
        and again)."""
        left = self._pending.get(match_id, 0) - 1
        if left > 0:
            self._pending[match_id] = left
            return
        self._pending.pop(match_id, None)
        if self._known.pop(match_id, None) is not None and self._stored is not None:
            self._stored.add(match_id)
        self.amendments.pop(match_id, None)


def ingest_match(store: EventStore, match: Match) -> AppendResult:
    """Append a read source's events (idempotently, amendments and withdrawals against
    what the store holds) and record its sheet, in one transaction where the store has
    them (``SqliteStore``)."""
    ((_, (result,)),) = store.append_each([MatchAppends(store).append_for(match, None)])
    return result
