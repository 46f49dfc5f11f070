"""Synthetic matches: consistent, seeded streams of typed events for tests and benchmarks.

A generated match has line-ups (11 + 9 per side), events minute by minute in both halves
(extra time and a shoot-out on request): attempts of every outcome, goals with the score
printed, own goals, penalties, corners, fouls with their free kicks, offsides, cards
(second yellows and reds included), substitutions of players on the pitch, VAR goals
ruled out, delays and unrecognised lines.  Lines name teams with the spellings real feeds
use, which may differ from the sheet's (``Atletico Madrid`` for ``Atlético de Madrid``).
Within one minute no two events depend on each other's order, so shuffling lines inside a
minute must not change the state.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from events.clock import MatchClock
from events.models import (
    Attempt,
    Booking,
    Corner,
    Delay,
    EventBase,
    Foul,
    FreeKickWon,
    Goal,
    MatchEnd,
    Offside,
    PenaltyAwarded,
    PenaltyConceded,
    PenaltyMissed,
    PeriodEnd,
    PeriodStart,
    Score,
    Substitution,
    Unrecognised,
    VarDecision,
)
from projections.testing import stamp

#: (name on the sheet, name as the lines write it)
TEAMS: tuple[tuple[str, str], ...] = (
    ("Inter Milan", "Inter Milan"),
    ("AC Milan", "AC Milan"),
    ("Atlético de Madrid", "Atletico Madrid"),
    ("Real Valladolid", "Real Valladolid"),
    ("1. FC Köln", "1. FC Köln"),
    ("Paris Saint-Germain", "Paris Saint-Germain"),
    ("Brighton and Hove Albion", "Brighton and Hove Albion"),
    ("Borussia Dortmund", "Borussia Dortmund"),
)
FIRST = ("Nicolò", "Rafael", "Hakan", "Lautaro", "N'Golo", "Yang", "Stefan", "Theo", "Luis")
LAST = (
    "Barella", "Leão", "Çalhanoglu", "Martínez", "Kanté", "Hyun-Jun", "de Vrij", "Hernández",
    "Suárez", "Dzeko", "Giroud", "Tonali", "Kjaer", "Rebic", "Onana", "Skriniar", "Acerbi",
    "Bastoni", "Darmian", "Dimarco", "Lukaku", "Gosens", "Asllani", "Brozovic", "Krunic",
    "Origi", "Messias", "Calabria", "Kalulu", "Gabbia", "Thiaw", "Pobega", "Adli", "Díaz",
    "Saelemaekers", "Vranckx", "Mirante", "Bakayoko", "D'Ambrosio", "Carboni",
)  # fmt: skip


@dataclass
class SynthMatch:
    """A generated match: its id, metadata (the sheet's JSON) and events in arrival order."""

    match_id: str
    meta: dict[str, Any]
    events: list[EventBase] = field(default_factory=list)


@dataclass
class _Side:
    sheet_name: str
    line_name: str
    on_pitch: list[str]
    bench: list[str]
    booked: set[str] = field(default_factory=set)
    subs: int = 0


def synth_match(
    seed: int,
    events: int = 120,
    *,
    match_id: str | None = None,
    extra_time: bool = False,
    shootout: bool = False,
) -> SynthMatch:
    """A consistent match of about ``events`` events (deterministic for a seed)."""
    rng = random.Random(seed)
    home_t, away_t = rng.sample(TEAMS, 2)
    names = [f"{rng.choice(FIRST)} {last}" for last in rng.sample(LAST, 40)]
    sides = []
    for i, (sheet_name, line_name) in enumerate((home_t, away_t)):
        squad = names[i * 20 : i * 20 + 20]
        sides.append(_Side(sheet_name, line_name, squad[:11], squad[11:]))
    mid = match_id or f"synth-{seed}"
    meta = {
        "match_id": mid,
        "home": home_t[0],
        "away": away_t[0],
        "lineups": {
            name: {
                "name": s.sheet_name,
                "formation": "4-3-3",
                "starting": [
                    {"name": n.split(" ", 1)[1], "number": k + 1} for k, n in enumerate(s.on_pitch)
                ],
                "bench": [
                    {"name": n.split(" ", 1)[1], "number": k + 12} for k, n in enumerate(s.bench)
                ],
            }
            for name, s in zip(("home", "away"), sides, strict=True)
        },
    }
    gen = _Gen(rng, sides)
    periods = [1, 2] + ([3, 4] if extra_time else [])
    per_minute = events / (45 * len(periods) + 8)
    for period in periods:
        gen.period(period, per_minute)
    if extra_time and shootout:
        gen.shootout()
    gen.end(shootout=extra_time and shootout)
    return SynthMatch(mid, meta, stamp(mid, gen.out))


# Markers in a minute's ``busy`` set: a goal and a VAR take-back never share a minute
# (their order within the minute would matter).
_GOAL, _VAR = "\x00goal", "\x00var"
_START = {1: 0, 2: 45, 3: 90, 4: 105}
_END = {1: 45, 2: 90, 3: 105, 4: 120}
_WORDS = {
    1: "First Half",
    2: "Second Half",
    3: "First Half Extra Time",
    4: "Second Half Extra Time",
}


class _Gen:
    def __init__(self, rng: random.Random, sides: list[_Side]) -> None:
        self.rng = rng
        self.sides = sides
        self.score = [0, 0]
        self.pens = [0, 0]
        self.out: list[EventBase] = []
        self.last_goal: tuple[int, MatchClock] | None = None
        self.var_goals = 0

    # --- helpers ------------------------------------------------------------------------

    def _score(self) -> Score:
        return Score(home=self.score[0], away=self.score[1])

    def _teams(self) -> dict[str, Any]:
        return {"home_team": self.sides[0].sheet_name, "away_team": self.sides[1].sheet_name}

    def _player(self, side: int, busy: set[str]) -> str | None:
        free = [p for p in self.sides[side].on_pitch if p not in busy]
        return self.rng.choice(free) if free else None

    # --- periods ------------------------------------------------------------------------

    def period(self, period: int, per_minute: float) -> None:
        head = f"{_WORDS[period]} begins"
        start = MatchClock(period=period, minute=_START[period])
        printed = {} if period == 1 else {"score": self._score(), **self._teams()}
        self.out.append(
            PeriodStart(text=f"{head} {self._label()}.", clock=start, period=period, **printed)
        )
        added = self.rng.randint(0, 5)
        minutes = [
            MatchClock(period=period, minute=m) for m in range(_START[period] + 1, _END[period] + 1)
        ] + [MatchClock(period=period, minute=_END[period], added=a) for a in range(1, added + 1)]
        for clock in minutes:
            n = int(per_minute) + (1 if self.rng.random() < per_minute % 1 else 0)
            self.minute(clock, n)
        end = minutes[-1]
        self.out.append(
            PeriodEnd(
                text=f"{_WORDS[period]} ends, {self._label()}.",
                clock=end,
                period=period,
                score=self._score(),
                **self._teams(),
            )
        )

    def _label(self) -> str:
        h, a = self.sides
        return f"{h.sheet_name} {self.score[0]}, {a.sheet_name} {self.score[1]}"

    def minute(self, clock: MatchClock, n: int) -> None:
        busy: set[str] = set()  # players already in a substitution or sending-off this minute
        kinds = (
            "attempt", "foul", "corner", "offside", "goal", "own_goal", "penalty", "sub",
            "yellow", "second_yellow", "red", "var", "unrecognised", "delay",
        )  # fmt: skip
        weights = (25, 22, 10, 5, 1.5, 0.2, 0.4, 4, 3, 0.6, 0.3, 0.5, 2, 1)
        for kind in self.rng.choices(kinds, weights, k=n):
            side = self.rng.randrange(2)
            getattr(self, "_" + kind)(clock, side, busy)

    # --- kinds of lines -----------------------------------------------------------------

    def _attempt(self, clock: MatchClock, side: int, busy: set[str]) -> None:
        player = self._player(side, set())
        if player is None:
            return
        team = self.sides[side].line_name
        outcome = self.rng.choice(("saved", "missed", "blocked", "woodwork"))
        keeper = (
            self.sides[1 - side].on_pitch[0]
            if outcome == "saved" and self.sides[1 - side].on_pitch
            else None
        )
        assist = self._player(side, {player}) if self.rng.random() < 0.4 else None
        self.out.append(
            Attempt(
                text=f"Attempt {outcome}. {player} ({team}) shot {self.rng.random():.6f}.",
                clock=clock,
                team=team,
                player=player,
                outcome=outcome,
                assist=assist,
                goalkeeper=keeper,
                goalkeeper_team=self.sides[1 - side].line_name if keeper else None,
            )
        )

    def _foul(self, clock: MatchClock, side: int, busy: set[str]) -> None:
        fouler, victim = self._player(side, set()), self._player(1 - side, set())
        if fouler is None or victim is None:
            return
        team, other = self.sides[side].line_name, self.sides[1 - side].line_name
        tag = f"{self.rng.random():.6f}"
        self.out.append(
            Foul(text=f"Foul by {fouler} ({team}) {tag}.", clock=clock, team=team, player=fouler)
        )
        self.out.append(
            FreeKickWon(
                text=f"{victim} ({other}) wins a free kick in the defensive half {tag}.",
                clock=clock,
                team=other,
                player=victim,
                area="defensive_half",
            )
        )

    def _corner(self, clock: MatchClock, side: int, busy: set[str]) -> None:
        team = self.sides[side].line_name
        by = self._player(1 - side, set())
        self.out.append(
            Corner(
                text=f"Corner, {team}. Conceded by {by} {self.rng.random():.6f}.",
                clock=clock,
                team=team,
                conceded_by=by,
            )
        )

    def _offside(self, clock: MatchClock, side: int, busy: set[str]) -> None:
        team = self.sides[side].line_name
        player = self._player(side, set())
        self.out.append(
            Offside(
                text=f"Offside, {team}. {player} is caught offside {self.rng.random():.6f}.",
                clock=clock,
                team=team,
                player=player,
            )
        )

    def _goal(self, clock: MatchClock, side: int, busy: set[str], *, penalty: bool = False) -> None:
        player = self._player(side, set())
        if player is None or _VAR in busy:
            return
        busy.add(_GOAL)
        assist = None if penalty else self._player(side, {player})
        team = self.sides[side].line_name
        kind = "converts the penalty" if penalty else "header"
        self.score[side] += 1
        self.last_goal = (side, clock)
        self.out.append(
            Goal(
                text=f"Goal! {self._label()}. {player} ({team}) {kind}.",
                clock=clock,
                team=team,
                player=player,
                assist=assist,
                penalty=penalty,
                situation="set_piece" if penalty else "open_play",
                score=self._score(),
                **self._teams(),
            )
        )

    def _own_goal(self, clock: MatchClock, side: int, busy: set[str]) -> None:
        player = self._player(side, set())  # of ``side``: the goal counts for the other side
        if player is None or _VAR in busy:
            return
        busy.add(_GOAL)
        self.score[1 - side] += 1
        self.last_goal = (1 - side, clock)
        team = self.sides[side].line_name
        self.out.append(
            Goal(
                text=f"Own Goal by {player}, {team}. {self._label()}.",
                clock=clock,
                team=team,
                player=player,
                own_goal=True,
                score=self._score(),
                **self._teams(),
            )
        )

    def _penalty(self, clock: MatchClock, side: int, busy: set[str]) -> None:
        drew, fouler = self._player(side, set()), self._player(1 - side, set())
        if drew is None or fouler is None:
            return
        team, other = self.sides[side].line_name, self.sides[1 - side].line_name
        self.out.append(
            PenaltyAwarded(
                text=f"Penalty {team}. {drew} draws a foul.", clock=clock, team=team, player=drew
            )
        )
        self.out.append(
            PenaltyConceded(
                text=f"Penalty conceded by {fouler} ({other}).",
                clock=clock,
                team=other,
                player=fouler,
            )
        )
        if self.rng.random() < 0.75:
            self._goal(clock, side, busy, penalty=True)
            return
        outcome = self.rng.choice(("saved", "missed", "woodwork"))
        self.out.append(
            PenaltyMissed(
                text=f"Penalty missed! {drew} ({team}) {outcome}.",
                clock=clock,
                team=team,
                player=drew,
                outcome=outcome,
            )
        )

    def _sub(self, clock: MatchClock, side: int, busy: set[str]) -> None:
        s = self.sides[side]
        off = self._player(side, busy)
        if s.subs >= 5 or not s.bench or off is None:
            return
        on = s.bench.pop(self.rng.randrange(len(s.bench)))
        s.on_pitch[s.on_pitch.index(off)] = on
        s.subs += 1
        busy.update((on, off))
        injury = self.rng.random() < 0.1
        self.out.append(
            Substitution(
                text=f"Substitution, {s.line_name}. {on} replaces {off}.",
                clock=clock,
                team=s.line_name,
                player_on=on,
                player_off=off,
                injury=injury,
            )
        )

    def _book(self, clock: MatchClock, side: int, player: str, card: str) -> None:
        s = self.sides[side]
        text = {"yellow": f"{player} ({s.line_name}) is shown the yellow card.",
                "second_yellow": f"Second yellow card to {player} ({s.line_name}).",
                "red": f"{player} ({s.line_name}) is shown the red card."}[card]  # fmt: skip
        self.out.append(Booking(text=text, clock=clock, team=s.line_name, player=player, card=card))

    def _yellow(self, clock: MatchClock, side: int, busy: set[str]) -> None:
        s = self.sides[side]
        fresh = [p for p in s.on_pitch if p not in s.booked and p not in busy]
        if fresh:
            player = self.rng.choice(fresh)
            s.booked.add(player)
            busy.add(player)
            self._book(clock, side, player, "yellow")

    def _send_off(self, clock: MatchClock, side: int, busy: set[str], card: str) -> None:
        s = self.sides[side]
        pool = [p for p in s.on_pitch if p not in busy and (card == "red" or p in s.booked)]
        if len(s.on_pitch) <= 8 or not pool:
            return
        player = self.rng.choice(pool)
        s.on_pitch.remove(player)
        busy.add(player)
        self._book(clock, side, player, card)

    def _second_yellow(self, clock: MatchClock, side: int, busy: set[str]) -> None:
        self._send_off(clock, side, busy, "second_yellow")

    def _red(self, clock: MatchClock, side: int, busy: set[str]) -> None:
        self._send_off(clock, side, busy, "red")

    def _var(self, clock: MatchClock, side: int, busy: set[str]) -> None:
        """A goal of a previous minute ruled out: ``VAR Decision: No Goal`` with the score."""
        if self.last_goal is None or _GOAL in busy:
            return
        scored_for, when = self.last_goal
        gap = clock.minute + clock.added - when.minute - when.added
        if when.period != clock.period or not 1 <= gap <= 5:
            return
        self.last_goal = None
        busy.add(_VAR)
        self.score[scored_for] -= 1
        h, a = self.sides
        self.out.append(
            VarDecision(
                text=f"VAR Decision: No Goal {h.sheet_name} {self.score[0]}-{self.score[1]} "
                f"{a.sheet_name}.",
                clock=clock,
                decision="no_goal",
                score=self._score(),
                **self._teams(),
            )
        )

    def _unrecognised(self, clock: MatchClock, side: int, busy: set[str]) -> None:
        self.out.append(
            Unrecognised(text=f"What a save that was {self.rng.random():.6f}!", clock=clock)
        )

    def _delay(self, clock: MatchClock, side: int, busy: set[str]) -> None:
        team = self.sides[side].line_name
        self.out.append(
            Delay(text=f"Delay in match ({team}) {self.rng.random():.6f}.", clock=clock, team=team)
        )

    # --- the end ------------------------------------------------------------------------

    def shootout(self) -> None:
        clock = MatchClock(period=5, minute=120)
        self.out.append(
            PeriodStart(text=f"Penalty Shootout begins {self._label()}.", clock=clock, period=5)
        )
        for kick in range(10):
            side = kick % 2
            s = self.sides[side]
            player = s.on_pitch[kick // 2 % len(s.on_pitch)]
            if self.rng.random() < 0.75:
                self.pens[side] += 1
                self.out.append(
                    Goal(
                        text=f"Goal! shoot-out kick {kick} {player} ({s.line_name}).",
                        clock=clock,
                        team=s.line_name,
                        player=player,
                        penalty=True,
                        shootout=True,
                        score=self._score(),
                        shootout_score=Score(home=self.pens[0], away=self.pens[1]),
                        **self._teams(),
                    )
                )
            else:
                self.out.append(
                    PenaltyMissed(
                        text=f"Penalty missed! shoot-out kick {kick} {player} ({s.line_name}).",
                        clock=clock,
                        team=s.line_name,
                        player=player,
                        outcome="saved",
                        shootout=True,
                        shootout_score=Score(home=self.pens[0], away=self.pens[1]),
                    )
                )

    def end(self, *, shootout: bool) -> None:
        last = self.out[-1].clock
        pens = Score(home=self.pens[0], away=self.pens[1]) if shootout else None
        self.out.append(
            MatchEnd(
                text=f"Match ends, {self._label()}.",
                clock=last,
                score=self._score(),
                shootout=pens,
                **self._teams(),
            )
        )
