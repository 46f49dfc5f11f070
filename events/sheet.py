"""What a source says about a match besides its lines: teams, line-ups, stats, referee,
and a provider's own facts (score, periods, shoot-out, status).

Frozen pydantic models; the readers (``events.readers``) build them, projections and
reconciliation read them.  Names are kept as the source writes them; resolving a name
from a line to a line-up entry is :func:`events.names.resolve`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from events.clock import MatchClock
from events.models import Card
from events.names import resolve, team_side

Side = Literal["home", "away"]
SIDES: tuple[Side, Side] = ("home", "away")
StatValue = int | float
Status = Literal["scheduled", "in_progress", "final"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Player(_Frozen):
    """A line-up entry: ``Player(name="Barella", number=23)``."""

    name: str
    number: int | None = None
    position: str | None = None


class Annotation(_Frozen):
    """One line-up annotation of a player line, attributed to the right player.

    ``Booked at 68mins`` -> ``kind="booking", player="Acerbi"``; ``Substituted forAsllaniat
    90+4'minutes`` -> ``kind="substitution", player="Barella" (off), player_on="Asllani"``.
    A booking written after ``Substituted for X`` names X.
    """

    kind: Literal["booking", "substitution"]
    clock: MatchClock
    player: str
    player_on: str | None = None
    card: Card | None = None
    text: str
    """The annotation as written (``Booked at 68mins``)."""
    entry: str
    """The whole player line it was written on, verbatim."""
    line: int | None = None
    """The entry's line number in the source."""


class TeamSheet(_Frozen):
    """One team's line-up: formation, starting XI, bench and the annotations."""

    name: str
    formation: str | None = None
    starting: tuple[Player, ...] = ()
    bench: tuple[Player, ...] = ()
    annotations: tuple[Annotation, ...] = ()

    @property
    def players(self) -> tuple[Player, ...]:
        """Starting XI then bench."""
        return self.starting + self.bench

    def player(self, name: str) -> Player | None:
        """The line-up entry a name (as a line writes it) means, if exactly one."""
        return resolve(name, self.players)


class Lineups(_Frozen):
    """Both line-ups; a feed may give only one."""

    home: TeamSheet | None = None
    away: TeamSheet | None = None


class ShootoutKick(_Frozen):
    """One kick of a penalty shoot-out as the provider lists it, in kick order."""

    side: Side
    player: str
    scored: bool


class MatchSheet(_Frozen):
    """Teams, line-ups, referee and summary of one match, and what the source itself
    reports about it.

    ``reported_stats`` is what the page (or the provider's box score) states, in our stat
    names, e.g. ``{"possession": {"home": 64, "away": 36}, "shots": {"home": 15, "away": 4}}``.
    The other ``reported_*`` fields are a provider's facts: the score after extra time
    (shoot-out excluded), the goals of each period (first half, second half, then each
    extra-time half), the shoot-out score and its kicks.  ``status`` is the provider's
    word on the match; ``provider`` names it (``"espn"``, ``"opta"``).
    """

    match_id: str | None = None
    home: str | None = None
    away: str | None = None
    kickoff: str | None = None
    lineups: Lineups | None = None
    referee: str | None = None
    summary: str | None = None
    reported_stats: dict[str, dict[Side, StatValue]] | None = None
    reported_score: dict[Side, int] | None = None
    reported_periods: tuple[dict[Side, int], ...] | None = None
    reported_shootout: dict[Side, int] | None = None
    reported_shootout_kicks: tuple[ShootoutKick, ...] | None = None
    status: Status | None = None
    provider: str | None = None

    def team_sheet(self, side: Side) -> TeamSheet | None:
        """The line-up of one side, if the source gave it."""
        return getattr(self.lineups, side) if self.lineups else None

    def team_name(self, side: Side) -> str | None:
        """The team name of one side."""
        return self.home if side == "home" else self.away

    def side_of(self, team: str | None) -> Side | None:
        """Which side a team name, as a line writes it, is (None when unknown)."""
        return team_side(team, self.home, self.away)

    def annotations(self) -> tuple[tuple[Side, Annotation], ...]:
        """Every line-up annotation with its side, home first, in page order."""
        return tuple(
            (side, a)
            for side in SIDES
            if (sheet := self.team_sheet(side))
            for a in sheet.annotations
        )
