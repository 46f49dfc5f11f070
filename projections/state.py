"""``MatchState``: the frozen result of a fold, and its JSON form (DESIGN.md "State JSON").

The state keeps one part per registered projection (cheap frozen tuples and mappings);
:meth:`MatchState.to_json` builds the contract's shape only at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from events.clock import MatchClock
from projections.base import Anomaly, clock_json
from projections.context import MatchContext
from projections.registry import Plan

if TYPE_CHECKING:
    from projections.cards import CardsState
    from projections.lineups import LineupsState
    from projections.players import PlayersState
    from projections.score import ScoreState
    from projections.stats import StatsState


@dataclass(frozen=True, slots=True, eq=False)
class MatchState:
    """The state of one match after ``count`` events (in match order).

    ``clock`` is the clock the state was asked for (``state_at``), else the clock of the
    last event folded.  ``notes`` are anomalies of the fold itself (retractions).
    """

    context: MatchContext
    plan: Plan
    parts: tuple[Any, ...]
    count: int = 0
    clock: MatchClock | None = None
    first_clock: MatchClock | None = None
    last_clock: MatchClock | None = None
    last_seq: int = 0
    notes: tuple[Anomaly, ...] = field(default=())

    @property
    def match_id(self) -> str:
        """The match this state is of."""
        return self.context.match_id

    def part(self, name: str) -> Any:
        """The state of one projection by name (``KeyError`` when not registered)."""
        return self.parts[self.plan.index[name]]

    @property
    def score(self) -> ScoreState:
        """The ``score`` part."""
        return cast("ScoreState", self.part("score"))

    @property
    def lineups(self) -> LineupsState:
        """The ``lineups`` part."""
        return cast("LineupsState", self.part("lineups"))

    @property
    def cards(self) -> CardsState:
        """The ``cards`` part."""
        return cast("CardsState", self.part("cards"))

    @property
    def stats(self) -> StatsState:
        """The ``stats`` part."""
        return cast("StatsState", self.part("stats"))

    @property
    def players(self) -> PlayersState:
        """The ``players`` part."""
        return cast("PlayersState", self.part("players"))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MatchState):
            return NotImplemented
        return (
            self.match_id == other.match_id
            and self.plan.versions == other.plan.versions
            and self.count == other.count
            and self.parts == other.parts
        )

    __hash__ = None  # type: ignore[assignment]

    def anomalies(self) -> list[Anomaly]:
        """Every anomaly of every part, deduplicated, in canonical order."""
        found: list[Anomaly] = list(self.notes)
        if self.context.teams_source == "first_seen":
            detail = (
                f"no metadata and no score line: home {self.context.home!r} and away "
                f"{self.context.away!r} are the first two teams named"
            )
            found.append(Anomaly(None, "teams_guessed", detail))
        for projection, part in zip(self.plan.projections, self.parts, strict=True):
            found.extend(projection.anomalies(part))
        seen: dict[tuple[str, str], Anomaly] = {}
        for a in sorted(found, key=Anomaly.sort_key):
            seen.setdefault((a.kind, a.detail), a)
        return list(seen.values())

    def to_json(self) -> dict[str, Any]:
        """The state JSON: ``{match_id, clock, score, shootout, teams, lineups, cards,
        stats, players, reported, anomalies, ...}``."""
        ctx = self.context
        score = self.score
        shootout = score.shootout
        out: dict[str, Any] = {
            "match_id": self.match_id,
            "clock": clock_json(self.clock),
            "last_event_clock": clock_json(self.last_clock),
            "status": score.status if score.status != "not_started" or not self.count else "live",
            "shootout": None if shootout is None else {"home": shootout[0], "away": shootout[1]},
            "teams": {"home": ctx.home, "away": ctx.away},
            "team_names": {"home": ctx.team_names(0), "away": ctx.team_names(1)},
            "reported": reported(ctx),
            "anomalies": [a.to_json() for a in self.anomalies()],
            "custom": {},
            "projections": dict(self.plan.versions),
            "events": self.count,
            "last_seq": self.last_seq,
        }
        for projection, part in zip(self.plan.projections, self.parts, strict=True):
            rendered = projection.render(part, self)
            if projection.key is None:
                out["custom"][projection.name] = rendered
            else:
                out[projection.key] = rendered
        return out


def reported(ctx: MatchContext) -> dict[str, Any] | None:
    """What the source itself states: a page's Match Stats and line-up annotations, a
    provider's box score, final score, goals per period, shoot-out and status."""
    sheet = ctx.sheet
    if sheet is None:
        return None
    annotations = [
        {
            "team": side,
            "kind": a.kind,
            "player": a.player,
            "player_on": a.player_on,
            "card": a.card,
            "clock": clock_json(a.clock),
            "text": a.text,
        }
        for side, a in sheet.annotations()
    ]
    facts = {
        "score": sheet.reported_score,
        "periods": None if sheet.reported_periods is None else list(sheet.reported_periods),
        "shootout": sheet.reported_shootout,
        "shootout_kicks": None
        if sheet.reported_shootout_kicks is None
        else [k.model_dump() for k in sheet.reported_shootout_kicks],
    }
    if not sheet.reported_stats and not annotations and all(v is None for v in facts.values()):
        return None
    return {
        "stats": sheet.reported_stats,
        "annotations": annotations,
        "referee": sheet.referee,
        **facts,
        "status": sheet.status,
        "provider": sheet.provider,
    }
