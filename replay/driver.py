"""Driving time: the frames of a replay, one per step of the timeline.

A frame is a step, the state at that step (``state_at`` of its whole minute, inclusive)
and the events that happened during it.  Match time comes from the events, never from
the wall clock; pacing is the command's business.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from events.clock import MatchClock
from events.models import EventBase
from projections import MatchState, Projector
from replay.timeline import Step, clip, timeline


@dataclass(frozen=True, slots=True)
class Frame:
    """One step of a replay with its state and the events that happened during it."""

    step: Step
    state: MatchState
    new_events: tuple[EventBase, ...]
    events_so_far: tuple[EventBase, ...]


def _minute_key(clock: MatchClock | None) -> tuple[int, int, int]:
    return (0, 0, 0) if clock is None else (clock.period, clock.minute, clock.added)


def frames(
    projector: Projector,
    match_id: str,
    start: MatchClock | None = None,
    stop: MatchClock | None = None,
) -> Iterator[Frame]:
    """The frames of a match from ``start`` to ``stop`` (whole minutes, inclusive)."""
    events = projector.events(match_id)
    shown = 0
    for i, step in enumerate(clip(timeline(events), start, stop)):
        bound = _minute_key(step.clock)
        first = shown
        while shown < len(events) and _minute_key(events[shown].clock) <= bound:
            shown += 1
        if i == 0 and start is not None:
            # a replay that starts late shows as new only what happened in its first minute
            first = next((j for j in range(shown) if _minute_key(events[j].clock) == bound), shown)
        yield Frame(
            step=step,
            state=projector.state_at(match_id, step.clock),
            new_events=tuple(events[first:shown]),
            events_so_far=tuple(events[:shown]),
        )
