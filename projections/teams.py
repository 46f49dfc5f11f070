"""Which side each team name of a match's lines means, when they name a team otherwise
than the header does (``IR Iran`` for ``Iran``, ``Türkiye`` for ``Turkey``).

A match knows each side by the header's name and by every name its lines use for it.
The pairing is read from the whole match, strongest evidence first:

1. the name is the header's, folded (accents, case, ``&``/``and``, ``FC``...), or the
   one header name containing it or contained in it (``Inter`` ~ ``Inter Milan``);
2. the score lines print home first: ``Goal! A 1, B 0.`` pairs A with home, B with away;
3. the players the lines name with it belong to one side's line-up;
4. elimination: one name left over when the other side's name is already paired;
5. last, the alias table of :mod:`events.team_names` (official and common names).

A name none of these pairs stays unknown: its lines are anomalies, never silent zeros.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from events.models import EventBase
from events.names import SURNAME, name_score, team_key, team_side
from events.team_names import known_aliases

HOME, AWAY = 0, 1
_SIDE = {"home": HOME, "away": AWAY}


class Mentions(NamedTuple):
    """The team names a match's lines use, and the home/away order its score lines give."""

    named: frozenset[str]
    ordered: dict[str, list[int]]
    """Name -> [times printed first (home), times printed second (away)]."""


def mentions(events: Iterable[EventBase]) -> Mentions:
    """Every team name of the lines (a line's team, a printed score's, a keeper's) and the
    score lines' votes, in one pass (the hot part of building a context: most lines name
    a team, few print a score)."""
    named: set[str | None] = set()
    add = named.add
    scored: list[dict[str, Any]] = []
    for event in events:
        fields = event.__dict__  # getattr of a field the class lacks costs an exception
        add(fields.get("team"))
        if "home_team" in fields:
            scored.append(fields)
        elif "goalkeeper_team" in fields:
            add(fields["goalkeeper_team"])
    ordered: dict[str, list[int]] = {}
    for fields in scored:
        home, away = fields["home_team"], fields["away_team"]
        if home and away and home != away:
            add(home)
            add(away)
            ordered.setdefault(home, [0, 0])[HOME] += 1
            ordered.setdefault(away, [0, 0])[AWAY] += 1
    named.discard(None)
    return Mentions(frozenset(n for n in named if n), ordered)


def pair_teams(
    home: str | None,
    away: str | None,
    events: Sequence[EventBase],
    rosters: Sequence[Sequence[str]] = ((), ()),
    seen: Mentions | None = None,
) -> dict[str, int]:
    """Every team name the lines use (and the header's two) -> 0 (home) or 1 (away);
    names no evidence pairs are left out.  ``seen``: :func:`mentions` of ``events``, when
    the caller has it."""
    named, ordered = seen if seen is not None else mentions(events)
    keys = {team_key(team): side for side, team in ((HOME, home), (AWAY, away)) if team}
    if len(keys) < 2:  # one side unnamed, or both named alike: nothing to tell apart
        keys = {}
    pairs = {team: side for side, team in ((HOME, home), (AWAY, away)) if team}
    unknown: list[str] = []
    for name in sorted(named):
        if name in pairs:
            continue
        if (side := keys.get(team_key(name))) is not None:
            pairs[name] = side
        else:
            unknown.append(name)
    if not unknown:
        return pairs
    # 2. the order of the score lines: the provider's own pairing
    still: list[str] = []
    for name in unknown:
        votes = ordered.get(name)
        if votes and votes[HOME] != votes[AWAY]:
            pairs[name] = HOME if votes[HOME] > votes[AWAY] else AWAY
        elif (named_side := team_side(name, home, away)) is not None:
            pairs[name] = _SIDE[named_side]
        else:
            still.append(name)
    # 3. the players named with it
    unknown, still = still, []
    players = _players(events, set(unknown)) if unknown else {}
    for name in unknown:
        side = _by_players(players.get(name, ()), rosters)
        if side is None:
            still.append(name)
        else:
            pairs[name] = side
    # 4. elimination, 5. the alias table
    for name in still:
        side = _by_elimination(name, pairs, named)
        if side is None:
            side = _by_aliases(name, home, away)
        if side is not None:
            pairs[name] = side
    return pairs


def team_names(event: EventBase) -> tuple[str, ...]:
    """The team names one line uses (its team, the teams of a printed score, the keeper's)."""
    fields = event.__dict__
    return tuple(
        name
        for key in ("team", "home_team", "away_team", "goalkeeper_team")
        if (name := fields.get(key))
    )


def _players(events: Iterable[EventBase], teams: set[str]) -> dict[str, list[str]]:
    """The players the lines name with each of ``teams`` (a keeper with his own team)."""
    players: dict[str, list[str]] = {}
    for event in events:
        fields = event.__dict__
        team = fields.get("team")
        if team in teams and (player := fields.get("player")):
            players.setdefault(team, []).append(player)
        keeper_team = fields.get("goalkeeper_team")
        if keeper_team in teams and (keeper := fields.get("goalkeeper")):
            players.setdefault(keeper_team, []).append(keeper)
    return players


def _by_players(names: Iterable[str], rosters: Sequence[Sequence[str]]) -> int | None:
    """The side whose line-up holds most of the players named, if any does."""
    votes: Counter[int] = Counter()
    for name in set(names):
        sides = {
            side
            for side, roster in enumerate(rosters)
            if any(name_score(name, entry) > SURNAME for entry in roster)
        }
        if len(sides) == 1:
            votes[sides.pop()] += 1
    if not votes or votes[HOME] == votes[AWAY]:
        return None
    return HOME if votes[HOME] > votes[AWAY] else AWAY


def _by_elimination(name: str, pairs: dict[str, int], named: Iterable[str]) -> int | None:
    """The other side, when every other name the lines use is already one side's."""
    used = {pairs[n] for n in named if n != name and n in pairs}
    others = [n for n in named if n != name and n not in pairs]
    if len(used) == 1 and not others:
        return AWAY if used.pop() == HOME else HOME
    return None


def _by_aliases(name: str, home: str | None, away: str | None) -> int | None:
    """The side the alias table names, if exactly one."""
    sides = [s for s, team in ((HOME, home), (AWAY, away)) if team and known_aliases(name, team)]
    return sides[0] if len(sides) == 1 else None
