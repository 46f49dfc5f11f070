"""The projections folded incrementally, event batch by event batch, as a live consumer
needs them: :class:`ProjectionFold` is the fold the Kafka projector
(:class:`stream.kafka.project.Projector`) is handed by ``livetext worker``.

Events are folded as they arrive while they come in match order, which is
:func:`projections.replay` on the whole match; a retraction, a line for an earlier
moment, or a line that may pair a team name anew (a name not seen yet, or a score line
naming one not paired yet: ``projections.teams``) asks for a rebuild from the log.
``stream`` never imports this module: the command in ``replay/`` hands it in.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from events.models import EventBase, loads, to_dict
from projections.base import DEFAULT_RANK, NO_CLOCK_KEY, RANK
from projections.builtins import DEFAULT_REGISTRY
from projections.context import MatchContext, build_context, sheet_from_meta
from projections.fold import fold, initial_state
from projections.fold import replay as replay_events
from projections.registry import Registry
from projections.state import MatchState
from projections.teams import team_names

__all__ = ["LiveMatch", "ProjectionFold"]

FoldKey = tuple[int, int, int, int, int]
_START: FoldKey = (*NO_CLOCK_KEY, -1)
_DUMP_VERSION = 2
_SETTLED = ("sheet", "score_line")


@dataclass(frozen=True, slots=True)
class LiveMatch:
    """A match as the Kafka projector folds it: the state, the match-order key of the last
    event folded, and (while the teams are not known from a header or a score line) the
    events so far, to fold again once they are."""

    state: MatchState
    key: FoldKey
    pending: tuple[EventBase, ...] | None = None


def _key(event: EventBase, carried: tuple[int, int, int, int]) -> FoldKey:
    clock = event.clock.key if event.clock is not None else carried
    return (*clock, RANK.get(event.type, DEFAULT_RANK))


def _last_key(events: Sequence[EventBase]) -> FoldKey:
    """The largest match-order key of ``events`` (arrival order): where the next must sort."""
    key, top = _START, _START
    for event in events:
        key = _key(event, key[:4])
        top = max(top, key)
    return top


def _may_pair_anew(event: EventBase, ctx: MatchContext) -> bool:
    """True when a line could change which side a team name means: a name the match has
    not used yet, or a score line (home first) naming one not paired yet."""
    names = team_names(event)
    if not names:
        return False
    scored = event.__dict__.get("home_team") is not None
    return any(n not in ctx.names and (n not in ctx.named or scored) for n in names)


class ProjectionFold:
    """``projections`` as a :class:`stream.kafka.project.Fold`.

    Events are folded as they arrive while they come in match order, which is
    ``projections.replay`` on the whole match; a retraction or a line for an earlier
    moment asks the projector to rebuild the match from the log.  A state is stored as a
    pickle of its parts (the table is the app's own); one folded by other reducer
    versions is not loaded but rebuilt.
    """

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry if registry is not None else DEFAULT_REGISTRY

    def start(self, match_id: str, header: Mapping[str, Any] | None) -> LiveMatch:
        ctx = build_context(match_id, header, ())
        pending = None if ctx.teams_source in _SETTLED else ()
        return LiveMatch(initial_state(ctx, self.registry), _START, pending)

    def apply(self, live: LiveMatch, events: Sequence[EventBase]) -> LiveMatch | None:
        key = live.key
        ctx = live.state.context
        for event in events:
            if event.type == "retraction" or _may_pair_anew(event, ctx):
                return None
            nxt = _key(event, key[:4])
            if nxt < key:
                return None
            key = nxt
        if live.pending is None:
            return LiveMatch(fold(live.state, events), key)
        pending = (*live.pending, *events)
        old = live.state.context
        ctx = build_context(old.match_id, old.sheet, pending)
        if ctx.fingerprint == old.fingerprint:
            state = fold(live.state, events)
        else:  # the teams just became known (or changed): fold the match again
            state = replay_events(pending, context=ctx, registry=self.registry)
        return LiveMatch(state, key, None if ctx.teams_source in _SETTLED else pending)

    def rebuild(
        self, match_id: str, header: Mapping[str, Any] | None, events: Sequence[EventBase]
    ) -> LiveMatch:
        state = replay_events(events, match_id=match_id, meta=header, registry=self.registry)
        settled = state.context.teams_source in _SETTLED
        return LiveMatch(state, _last_key(events), None if settled else tuple(events))

    def to_json(self, live: LiveMatch) -> dict[str, Any]:
        return live.state.to_json()

    def dumps(self, live: LiveMatch) -> bytes:
        s = live.state
        ctx = s.context
        fields = {
            f.name: getattr(s, f.name)
            for f in dataclasses.fields(s)
            if f.name not in ("context", "plan")
        }
        pending = None if live.pending is None else [to_dict(e) for e in live.pending]
        data = (
            _DUMP_VERSION,
            s.plan.versions,
            (ctx.home, ctx.away, ctx.teams_source, dict(ctx.names), sorted(ctx.named)),
            fields,
            live.key,
            pending,
        )
        try:
            return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return b""  # a custom part that cannot be pickled: rebuilt from the log

    def loads(
        self, match_id: str, header: Mapping[str, Any] | None, data: bytes
    ) -> LiveMatch | None:
        if not data:
            return None
        try:
            version, versions, teams, fields, key, pending = pickle.loads(data)
        except Exception:  # an unreadable record is rebuilt from the log
            return None
        plan = self.registry.plan()
        if version != _DUMP_VERSION or versions != plan.versions:
            return None
        home, away, source, names, named = teams
        try:
            sheet = sheet_from_meta(header)
            ctx = MatchContext(match_id, home, away, sheet, source, names, frozenset(named))
            state = MatchState(ctx, plan, **fields)
            events = None if pending is None else tuple(loads(e) for e in pending)
        except (TypeError, ValueError):  # MatchState or the events changed shape: rebuild
            return None
        return LiveMatch(state, tuple(key), events)
