"""Amendments and withdrawals: what to append when a provider serves a match again.

A provider serves a match whole, again and again (an ESPN summary polled every 15 s, a
feed file read a second time).  Compared with what the stream holds, each line of a new
snapshot is unchanged, new, or **amended** (its line id is stored with another text or
clock: a booking re-stamped a minute later); a stored line the snapshot lacks is
**missing**, and once missing from ``WITHDRAW_AFTER`` (two) snapshots in a row it is
**withdrawn** (a goal taken back after a VAR check).  History is never rewritten: an
amendment appends a :class:`~events.models.Retraction` of the stored version and then
the new version; a withdrawal appends a retraction.  The projections honour both.

How a stored line is found again:

- a line with a ``line_id`` (the source's own id: a feed's ``id``, ESPN's ``sequence``)
  by that id: its newest version still in force;
- any line by its ``event_id`` (the reader's stable id: match, key, the clock the source
  gave, occurrence), which also finds lines stored before they carried a ``line_id``;
- a line without a line id by its text and the clock the source gave (a line that came
  back after a withdrawal is stored under another id).

Ids.  New lines keep the reader's id, so every id a source gave before stays what it was.
An event whose reader id is already in the stream (a text-only change at the same clock
gives the same id; so does a withdrawn line coming back) gets a version id of its own,
:func:`version_id` of the reader's id and the first version number free in the stream.
A retraction's id is :func:`retraction_id` of the event it retracts.  All of them follow
from the stream and the snapshot alone, so a poller killed and started again computes
the same events and the store's idempotence drops what was appended already.

Only a provider's lines, those with a line id, are ever withdrawn: a line without one (a
page's entry, a plain line, an event another writer appended) may be missing from a
source for other reasons (a page shows only its latest entries) and is not this source's
to take back.

Within one snapshot a line id served twice (a feed re-sending a line, amended, further
down) counts once, as its last version.  A snapshot with no line at all while the stream
holds some is not a clean read (a provider glitch): it changes nothing.

Pure: :func:`amend` takes the stored events and the missing counts (the caller keeps
them with the match, e.g. in the store's metadata under ``MISSING_KEY``) and returns
what to append and the counts to keep.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from events.clock import MatchClock
from events.identity import clock_part, normalise_key, stable_id
from events.models import EventBase, Retraction, updated

WITHDRAW_AFTER = 2
"""Clean snapshots in a row a stored line must be missing from to be withdrawn."""

MISSING_KEY = "missing_lines"
"""The metadata key under which a match keeps its missing counts (``{event_id: n}``)."""

AMENDED = "amended"
WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Amendment:
    """What one snapshot gives.

    ``appends``: the events to append, in the snapshot's order (each amendment's
    retraction right before the new version), withdrawals' retractions last.
    ``batch``: the snapshot as the stream holds it once appended, in the same order:
    unchanged lines under their stored ids (an append skips them as duplicates), then
    what ``appends`` holds.  ``missing``: the counts to keep for the next snapshot.
    """

    appends: tuple[EventBase, ...] = ()
    batch: tuple[EventBase, ...] = ()
    missing: dict[str, int] = field(default_factory=dict)
    new: int = 0
    amended: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    clean: bool = True
    """False when the snapshot was not a clean read (empty): nothing changes."""


def amend(
    match_id: str,
    stored: Sequence[EventBase],
    snapshot: Sequence[EventBase],
    missing: Mapping[str, int] | None = None,
) -> Amendment:
    """What to append for ``snapshot`` (a reader's events of the match, ids set) given the
    ``stored`` events of the match (in seq order; events not yet stored may follow,
    in the order they will be) and the ``missing`` counts kept since the last snapshot."""
    if not stored:  # a match the store has not seen: every line is new, as read
        events = tuple(latest_versions(snapshot))
        if len({e.event_id for e in events}) == len(events):
            return Amendment(events, events, {}, len(events), clean=True)
    missing = missing or {}
    book = _Book(stored)
    if not snapshot and book.live:
        return Amendment(missing=dict(missing), clean=False)
    appends: list[EventBase] = []
    batch: list[EventBase] = []
    new = amended = unchanged = 0
    for event in latest_versions(snapshot):
        current = book.find(event)
        if current is not None and _same(current, event):
            batch.append(updated(event, {"event_id": current.event_id}))
            unchanged += 1
            continue
        if current is not None:
            retraction = book.retract(match_id, current, AMENDED)
            appends.append(retraction)
            batch.append(retraction)
            amended += 1
        else:
            new += 1
        fresh = book.admit(match_id, event)
        appends.append(fresh)
        batch.append(fresh)
    counts: dict[str, int] = {}
    withdrawn = 0
    for event in book.unmatched():
        n = missing.get(event.event_id, 0) + 1
        if n < WITHDRAW_AFTER:
            counts[event.event_id] = n
            continue
        retraction = book.retract(match_id, event, WITHDRAWN)
        appends.append(retraction)
        batch.append(retraction)
        withdrawn += 1
    return Amendment(
        tuple(appends), tuple(batch), counts, new, amended, withdrawn, unchanged, clean=True
    )


def latest_versions(events: Sequence[EventBase]) -> list[EventBase]:
    """The events with each line id kept once, as its last version (where that stands);
    events without a line id all kept."""
    last: dict[str, int] = {}
    for i, event in enumerate(events):
        if event.line_id is not None:
            last[event.line_id] = i
    if len(last) == sum(e.line_id is not None for e in events):
        return list(events)
    return [e for i, e in enumerate(events) if e.line_id is None or last[e.line_id] == i]


def source_clock(event: EventBase) -> MatchClock | None:
    """The clock the source gave the line (none when it was inferred)."""
    return None if event.clock_inferred else event.clock


def withdrawn_ids(events: Iterable[EventBase]) -> set[str]:
    """The event ids retracted among ``events`` (in stream order): the newest retraction
    decides, so a retracted retraction restores its line (as the projections fold it)."""
    excluded: set[str] = set()
    for event in reversed(list(events)):
        if isinstance(event, Retraction):
            if event.event_id and event.event_id in excluded:
                continue
            excluded.add(event.retracts)
    return excluded


def version_id(match_id: str, reader_id: str, version: int) -> str:
    """The id of version ``version`` (1, 2, ...) of a line whose reader id is taken."""
    return stable_id(match_id, f"{reader_id}\x1eversion", "", version)


def retraction_id(match_id: str, retracted: str) -> str:
    """The id of the retraction of event ``retracted`` (one per event: once retracted, a
    line is no longer in force, and comes back under a version id)."""
    return stable_id(match_id, f"{retracted}\x1eretraction", "", 0)


def _same(stored: EventBase, event: EventBase) -> bool:
    """The same line as stored: verbatim text and the clock the source gave."""
    return stored.text == event.text and clock_part(source_clock(stored)) == clock_part(
        source_clock(event)
    )


def _content(event: EventBase) -> tuple[str, str]:
    return normalise_key(event.text), clock_part(source_clock(event))


class _Book:
    """The stored lines of a match in force, indexed three ways, and which of them the
    snapshot has matched so far."""

    def __init__(self, stored: Sequence[EventBase]) -> None:
        self.taken = {e.event_id for e in stored if e.event_id}
        excluded = withdrawn_ids(stored)
        self.live = [
            e for e in stored if not isinstance(e, Retraction) and e.event_id not in excluded
        ]
        self.by_id = {e.event_id: e for e in self.live}
        self.by_line: dict[str, list[EventBase]] = {}
        self.by_content: dict[tuple[str, str], list[EventBase]] = {}
        for e in self.live:
            if e.line_id is not None:
                self.by_line.setdefault(e.line_id, []).append(e)
            else:
                self.by_content.setdefault(_content(e), []).append(e)
        self.matched: set[str] = set()

    def find(self, event: EventBase) -> EventBase | None:
        """The stored version of the snapshot's line (marked matched), if any."""
        found = self.by_id.get(event.event_id)
        if found is None or found.event_id in self.matched:
            if event.line_id is not None:
                versions = self.by_line.get(event.line_id, ())
            else:
                versions = self.by_content.get(_content(event), ())
            free = [v for v in versions if v.event_id not in self.matched]
            # a line id's newest version; the first stored of identical lines
            found = (free[-1] if event.line_id is not None else free[0]) if free else None
        if found is not None:
            self.matched.add(found.event_id)
        return found

    def unmatched(self) -> list[EventBase]:
        """The provider's stored lines in force (those with a line id) that the snapshot
        did not serve."""
        return [e for e in self.live if e.line_id is not None and e.event_id not in self.matched]

    def admit(self, match_id: str, event: EventBase) -> EventBase:
        """The event as appended: the reader's id, or a version id when that is taken."""
        eid = event.event_id
        if eid in self.taken:
            version = 1
            while (candidate := version_id(match_id, eid, version)) in self.taken:
                version += 1
            event = updated(event, {"event_id": candidate})
        self.taken.add(event.event_id)
        return event

    def retract(self, match_id: str, event: EventBase, reason: str) -> Retraction:
        """A retraction of a stored ``event``."""
        rid = retraction_id(match_id, event.event_id)
        version = 1
        while rid in self.taken:  # another writer's event under that id
            rid = version_id(match_id, retraction_id(match_id, event.event_id), version)
            version += 1
        self.taken.add(rid)
        return Retraction(
            match_id=match_id,
            clock=event.clock,
            clock_inferred=event.clock_inferred,
            text=event.text,
            event_id=rid,
            line_id=event.line_id,
            retracts=event.event_id,
            reason=reason,
        )
