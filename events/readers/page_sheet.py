"""A page's ``Line-ups`` and ``Match Stats`` sections.

Line-ups: a team name line, ``Formation 3-5-2``, the starting players as
``- 23BarellaSubstituted forAsllaniat 90+4'minutes``, ``Substitutes``, the bench the same
way, then the other team; ``- Referee:`` and the referee's name on the next line (or
``Referee: Name`` on one) may come anywhere.  The first team is home.
Match Stats: a stat name (``- Shots on Target``) then ``- Home4`` and ``- Away0``; kept
as ``{"shots_on_target": {"home": 4, "away": 0}}``, percentages as plain numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from events.names import slug
from events.readers.annotations import AnnotationError, split_annotations
from events.readers.errors import SourceError
from events.sheet import Annotation, Player, Side, StatValue, TeamSheet
from events.text import repair_accents

_PLAYER = re.compile(r"^-\s*(?:(?P<number>\d{1,3})\s*)?(?P<rest>\S.*?)\s*$")
_FORMATION = re.compile(r"^(?:-\s*)?Formation\s*:?\s*(?P<formation>\S.*?)\s*$", re.I)
_REFEREE = re.compile(r"^(?:-\s*)?Referee\s*:\s*(?P<name>.*?)\s*$", re.I)
_BENCH = re.compile(r"^(?:-\s*)?(?:Substitutes|Subs|Bench)\s*:?\s*$", re.I)
_STAT = re.compile(r"^(?:-\s*)?(?P<side>Home|Away)\s*:?\s*(?P<value>\d+(?:\.\d+)?)\s*%?$", re.I)


@dataclass
class _Team:
    name: str
    formation: str | None = None
    starting: list[Player] = field(default_factory=list)
    bench: list[Player] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    on_bench: bool = False

    def sheet(self) -> TeamSheet:
        return TeamSheet(
            name=self.name,
            formation=self.formation,
            starting=tuple(self.starting),
            bench=tuple(self.bench),
            annotations=tuple(self.annotations),
        )


def read_lineups(lines: Sequence[tuple[int, str]], name: str) -> tuple[list[TeamSheet], str | None]:
    """The team sheets (home first) and the referee of a ``Line-ups`` section."""
    teams: list[_Team] = []
    referee: str | None = None
    referee_next = False
    for n, raw in lines:
        line = repair_accents(raw).strip()
        if not line:
            continue
        if referee_next:
            referee, referee_next = line.lstrip("- ").strip() or None, False
        elif m := _REFEREE.match(line):
            referee, referee_next = m["name"] or None, not m["name"]
        elif not line.startswith("-") and not _BENCH.match(line) and not _FORMATION.match(line):
            if len(teams) == 2:
                raise SourceError(name, n, f"a third team {line!r} in Line-ups")
            teams.append(_Team(line))
        elif not teams:
            raise SourceError(name, n, f"{line!r} before any team name in Line-ups")
        elif m := _FORMATION.match(line):
            teams[-1].formation = m["formation"]
        elif _BENCH.match(line):
            teams[-1].on_bench = True
        else:
            _add_player(teams[-1], line, n, name)
    return [t.sheet() for t in teams], referee


def _add_player(team: _Team, line: str, n: int, name: str) -> None:
    m = _PLAYER.match(line)
    if m is None:
        raise SourceError(name, n, f"not a player line: {line!r}")
    try:
        player, annotations = split_annotations(m["rest"], entry=line[1:].strip(), line=n)
    except AnnotationError as exc:
        raise SourceError(name, n, str(exc)) from None
    number = int(m["number"]) if m["number"] else None
    (team.bench if team.on_bench else team.starting).append(Player(name=player, number=number))
    team.annotations.extend(annotations)


def read_stats(
    lines: Sequence[tuple[int, str]], name: str
) -> dict[str, dict[Side, StatValue]] | None:
    """The ``Match Stats`` section: ``{stat: {"home": n, "away": n}}``, or None if empty."""
    stats: dict[str, dict[Side, StatValue]] = {}
    label: str | None = None
    for n, raw in lines:
        line = raw.strip()
        if not line:
            continue
        if m := _STAT.match(line):
            if label is None:
                raise SourceError(name, n, f"a stat value {line!r} before its name")
            value = float(m["value"])
            side: Side = "home" if m["side"].lower() == "home" else "away"
            stats[label][side] = int(value) if value.is_integer() else value
        else:
            label = slug(line.lstrip("- ")).replace("-", "_")
            stats.setdefault(label, {})
    return stats or None
