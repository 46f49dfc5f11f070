"""What the web app asks of the store and the projections, behind one lock.

A :class:`Projector` caches per match and is not thread-safe; the app's endpoints run
these calls in worker threads, so every call here holds :attr:`MatchService.lock`.
Everything returned is plain JSON-ready data.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import quote

from events.models import EventBase, to_dict
from projections import AtClockError, Projector, projector_for
from projections.base import clock_json
from replay.timeline import ClockPastEndError, Step, require_played, timeline
from stream import EventStore, UnknownMatchError, require_match

__all__ = [
    "AtClockError",
    "ClockPastEndError",
    "MatchService",
    "UnknownMatchError",
    "end_position",
    "minutes_json",
]


def minutes_json(steps: list[Step]) -> list[dict[str, Any]]:
    """Every minute of a timeline, stoppage minutes included, in order.

    Breaks are not minutes: the minute a break follows carries its label (``"break":
    "HT"``).  A shoot-out has no minutes: it is one entry labelled ``PSO`` at ``end``.
    """
    out: list[dict[str, Any]] = []
    for step in steps:
        if step.period == 5:
            out.append({**step.to_json(), "label": step.label, "at": "end", "break": None})
        elif step.kind == "break":
            if out:
                out[-1]["break"] = step.label
        else:
            out.append({**step.to_json(), "break": None})
    return out


def event_json(event: EventBase) -> dict[str, Any]:
    """An event as the API returns it: the event JSON, its clock with a ``label``."""
    data = to_dict(event)
    data["clock"] = clock_json(event.clock)
    return data


def end_position(store: EventStore) -> int:
    """One past the store's last global position, in O(log n) one-row reads."""
    last, step = 0, 1024
    while True:
        page = store.read_all(last + step, limit=1)
        if page:
            last, step = page[0].position, step * 2
        elif step == 1:
            return last + 1
        else:
            step //= 2


class MatchService:
    """Matches, states, events and minutes of one store."""

    def __init__(self, store: EventStore, projector: Projector | None = None) -> None:
        self.store = store
        self.projector = projector or projector_for(store)
        self.lock = threading.Lock()

    def _require(self, match_id: str) -> None:
        require_match(self.store, match_id)

    def matches(self) -> list[dict[str, Any]]:
        """Every match of the store: id, teams, event count, latest clock."""
        with self.lock:
            infos = self.store.matches()
        return [
            {
                "match_id": m.match_id,
                "home": m.home,
                "away": m.away,
                "event_count": m.event_count,
                "last_clock": clock_json(m.last_clock),
                "url": f"/matches/{quote(m.match_id, safe='')}",
            }
            for m in infos
        ]

    def exists(self, match_id: str) -> bool:
        """True when the store has events or metadata for the match."""
        with self.lock:
            try:
                self._require(match_id)
            except UnknownMatchError:
                return False
            return True

    def state(self, match_id: str, at: str | None = None) -> dict[str, Any]:
        """The state JSON at ``at`` (inclusive; None: every event).

        Raises :class:`UnknownMatchError` or :class:`AtClockError` (a
        :class:`ClockPastEndError` for a clock after the end of a match that has ended).
        """
        at = normalise_at(at)
        with self.lock:
            self._require(match_id)
            if at is not None:
                require_played(self.projector.events(match_id), at)
            return self.projector.state_at(match_id, at).to_json()

    def events(self, match_id: str, from_seq: int = 1) -> dict[str, Any]:
        """The match's events from ``from_seq`` in seq order, and the last seq."""
        with self.lock:
            self._require(match_id)
            events = self.store.read(match_id, from_seq)
            last = self.store.last_seq(match_id)
        return {
            "match_id": match_id,
            "from_seq": from_seq,
            "last_seq": last,
            "events": [event_json(e) for e in events],
        }

    def minutes(self, match_id: str) -> dict[str, Any]:
        """Every minute of the match, in order."""
        with self.lock:
            self._require(match_id)
            steps = timeline(self.projector.events(match_id))
        return {"match_id": match_id, "minutes": minutes_json(steps)}

    def live(self, match_id: str) -> dict[str, Any]:
        """What a live page needs after an append: the latest state, the minutes, last seq."""
        with self.lock:
            self._require(match_id)
            state = self.projector.state_at(match_id).to_json()
            steps = timeline(self.projector.events(match_id))
            last = self.store.last_seq(match_id)
        return {
            "match_id": match_id,
            "last_seq": last,
            "minutes": minutes_json(steps),
            "state": state,
        }


def normalise_at(at: str | None) -> str | None:
    """``?at=45+2`` arrives as ``45 2`` when the ``+`` is not escaped: put it back."""
    if at is None:
        return None
    text = at.strip()
    if not text:
        return None
    parts = text.split()
    return "".join(parts) if "+" in text else "+".join(parts)
