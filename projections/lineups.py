"""The ``lineups`` projection: who is on the pitch, substitutions used, who was sent off.

The starting XI, bench and formation come from the match's metadata (the sheet); the
events move players: a substitution swaps a player for another in his slot, a sending-off
(red card, second yellow, a card upgraded by VAR) takes a player off, and so does a player
retiring injured after his side used every substitution.  A name that resolves to no one
on the pitch falls back to the only player on the pitch it can name (``Yaya Sithole`` for
the ``Sphephelo Sithole`` of the line-up); when there is no such player, it is an anomaly,
not an error, and the side stays as it was.  Every change keeps the count, so on the pitch
is always 11 - sent off - retired, whatever the spelling (a substitute sent off from the
bench is in ``cards``, not one short on the pitch).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from events.clock import MatchClock
from events.models import Booking, PlayerRetired, Substitution, VarDecision
from events.names import NONE, name_score
from projections.base import Anomaly, add_anomaly, clock_json, replacer
from projections.context import AWAY, HOME, SIDE_NAMES, MatchContext
from projections.registry import Projection

if TYPE_CHECKING:
    from projections.state import MatchState

VERSION = 3
SENDING_OFF_CARDS = frozenset({"second_yellow", "red"})


class Sub(NamedTuple):
    """One substitution: ``on`` replaces ``off``."""

    clock: MatchClock | None
    on: str | None
    off: str | None
    injury: bool
    source: str


class SentOff(NamedTuple):
    """A player sent off, when and how (``red``, ``second_yellow``, ``var``)."""

    player: str
    clock: MatchClock | None
    card: str


class Retired(NamedTuple):
    """A player who left the pitch injured with nobody to replace him."""

    player: str
    clock: MatchClock | None


class SideLineup(NamedTuple):
    """One side: players on the pitch (line-up keys, in their slots), the yellow-booked,
    the sent off, the substitutions made and the players retired."""

    on_pitch: tuple[str, ...] = ()
    booked: frozenset[str] = frozenset()
    sent_off: tuple[SentOff, ...] = ()
    subs: tuple[Sub, ...] = ()
    anomalies: tuple[Anomaly, ...] = ()
    retired: tuple[Retired, ...] = ()


class LineupsState(NamedTuple):
    """Both sides."""

    home: SideLineup
    away: SideLineup


_new = tuple.__new__
_set_sent_off = replacer(SideLineup, "on_pitch", "sent_off")
# The initial state and the lines of every match (substitutions, yellow cards) build their
# SideLineup in one tuple: (on_pitch, booked, sent_off, subs, anomalies, retired).


def initial(ctx: MatchContext) -> LineupsState:
    """The starting XIs on the pitch (empty when the metadata gives no line-up)."""
    home = _new(SideLineup, (ctx.starting(HOME), frozenset(), (), (), (), ()))
    away = _new(SideLineup, (ctx.starting(AWAY), frozenset(), (), (), (), ()))
    return _new(LineupsState, (home, away))


def _with(s: LineupsState, side: int, lineup: SideLineup) -> LineupsState:
    return _new(LineupsState, (lineup, s[1]) if side == HOME else (s[0], lineup))


def effective_card(card: str, booked: bool) -> str:
    """A yellow to a player already on a yellow is a second yellow."""
    return "second_yellow" if card == "yellow" and booked else card


def on_pitch_key(ctx: MatchContext, side: int, on_pitch: tuple[str, ...], name: str) -> str:
    """The key of the player on the pitch a name means: the line-up entry it resolves
    to when he is on the pitch, else the only player on the pitch the name can mean at
    all (a shared surname is enough), else the resolved key as it is."""
    key = ctx.keys[side][name]
    if key in on_pitch or not on_pitch:
        return key
    found = {p for p in on_pitch if name_score(name, p) > NONE}
    return found.pop() if len(found) == 1 else key


def _send_off(
    ctx: MatchContext, side: int, line: SideLineup, player: str, clock: MatchClock | None, card: str
) -> SideLineup:
    """Off the pitch and into ``sent_off``.  A player the line-up shows off the pitch (on
    the bench, substituted) is not one short for his side: his card stands in ``cards``;
    a name the line-up cannot place at all is an anomaly."""
    if any(x.player == player for x in line.sent_off):
        return line
    if ctx.has_lineup(side) and player not in line.on_pitch:
        if any(p.name == player for p in ctx.roster(side)):
            return line
        detail = f"{player} ({ctx.team_name(side)}) is sent off but is not on the pitch"
        return line._replace(
            anomalies=add_anomaly(line.anomalies, clock, "sent_off_not_on_pitch", detail)
        )
    on_pitch = tuple(p for p in line.on_pitch if p != player)
    return _set_sent_off(line, on_pitch, (*line.sent_off, SentOff(player, clock, card)))


def substitution(s: LineupsState, event: Substitution, ctx: MatchContext) -> LineupsState:
    """``player_on`` takes ``player_off``'s slot; a player off who is not on the pitch, or
    on who already is, is an anomaly and changes no slot (the substitution still counts)."""
    side = ctx.sides[event.team]
    if side is None:
        return s
    line = s[side]
    keys = ctx.keys[side]
    on = event.player_on
    off = event.player_off
    on = keys[on] if on else None
    off = on_pitch_key(ctx, side, line.on_pitch, off) if off else None
    clock = event.clock
    anomalies = line.anomalies
    on_pitch = line.on_pitch
    if ctx.has_lineup(side):  # every change keeps eleven, less sent off and retired
        if on is not None and on in on_pitch:
            detail = f"{on} ({ctx.team_name(side)}) comes on but is already on the pitch"
            anomalies = add_anomaly(anomalies, clock, "substitute_already_on_pitch", detail)
        elif on is not None and any(x[0] == on for x in (*line.sent_off, *line.retired)):
            detail = f"{on} ({ctx.team_name(side)}) comes on but has left the match"
            anomalies = add_anomaly(anomalies, clock, "substitute_already_off", detail)
        elif off is not None and off in on_pitch:
            if on is not None:  # one slot changes hands (a line naming no one on changes none)
                i = on_pitch.index(off)
                on_pitch = (*on_pitch[:i], on, *on_pitch[i + 1 :])
        elif off is not None:  # no one to take the place of: the side stays as it was
            detail = f"{off} ({ctx.team_name(side)}) is substituted but is not on the pitch"
            anomalies = add_anomaly(anomalies, clock, "substitution_not_on_pitch", detail)
    sub = _new(Sub, (clock, on, off, event.injury, event.source))
    line = _new(SideLineup, (on_pitch, line[1], line[2], (*line[3], sub), anomalies, line[5]))
    return _new(LineupsState, (line, s[1]) if side == HOME else (s[0], line))


def booking(s: LineupsState, event: Booking, ctx: MatchContext) -> LineupsState:
    """A red card or a second yellow sends a player off; a yellow books him."""
    side = ctx.sides[event.team]
    written = event.player
    if side is None or not written:
        return s
    line = s[side]
    player = ctx.keys[side][written]
    booked = line[1]
    card = event.card
    if card == "yellow" and player in booked:  # effective_card, inlined
        card = "second_yellow"
    if card in SENDING_OFF_CARDS:
        player = on_pitch_key(ctx, side, line.on_pitch, written)
        return _with(s, side, _send_off(ctx, side, line, player, event.clock, card))
    line = _new(SideLineup, (line[0], booked | {player}, line[2], line[3], line[4], line[5]))
    return _new(LineupsState, (line, s[1]) if side == HOME else (s[0], line))


def var_decision(s: LineupsState, event: VarDecision, ctx: MatchContext) -> LineupsState:
    """A card upgraded (or a red card given) by VAR sends off; a downgrade brings back."""
    side = ctx.side(event.team)
    if side is None or not event.player:
        return s
    line = s[side]
    player = ctx.player(side, event.player)
    if event.decision in ("card_upgraded", "red_card"):
        player = on_pitch_key(ctx, side, line.on_pitch, event.player)
        return _with(s, side, _send_off(ctx, side, line, player, event.clock, "red"))
    if event.decision == "card_downgraded" and any(x.player == player for x in line.sent_off):
        sent_off = tuple(x for x in line.sent_off if x.player != player)
        on_pitch = line.on_pitch
        if ctx.has_lineup(side) and player not in on_pitch:
            on_pitch = (*on_pitch, player)
        return _with(s, side, _set_sent_off(line, on_pitch, sent_off))
    return s


def player_retired(s: LineupsState, event: PlayerRetired, ctx: MatchContext) -> LineupsState:
    """A player leaves injured and nobody comes on: his side plays one short."""
    side = ctx.sides[event.team]
    if side is None or not event.player:
        return s
    line = s[side]
    player = on_pitch_key(ctx, side, line.on_pitch, event.player)
    if ctx.has_lineup(side) and player not in line.on_pitch:
        detail = f"{player} ({ctx.team_name(side)}) retires but is not on the pitch"
        anomalies = add_anomaly(line.anomalies, event.clock, "retired_not_on_pitch", detail)
        return _with(s, side, line._replace(anomalies=anomalies))
    on_pitch = tuple(p for p in line.on_pitch if p != player)
    retired = (*line.retired, Retired(player, event.clock))
    return _with(s, side, line._replace(on_pitch=on_pitch, retired=retired))


def render(s: LineupsState, state: MatchState) -> dict[str, Any]:
    """``{home|away: {formation, starting, bench, on_pitch, sent_off, subs_used, ...}}``."""
    ctx = state.context
    out: dict[str, Any] = {}
    for side, line in enumerate(s):
        sheet = ctx.team_sheet(side)
        subs = sorted(line.subs, key=lambda x: (x.clock.key if x.clock else (0,), x.on or ""))
        out[SIDE_NAMES[side]] = {
            "team": ctx.team_name(side),
            "formation": sheet.formation if sheet is not None else None,
            "starting": [ctx.player_json(side, p.name) for p in sheet.starting] if sheet else [],
            "bench": [ctx.player_json(side, p.name) for p in sheet.bench] if sheet else [],
            "known": ctx.has_lineup(side),
            "on_pitch": [ctx.player_json(side, p) for p in line.on_pitch],
            "sent_off": [
                {**ctx.player_json(side, x.player), "clock": clock_json(x.clock), "card": x.card}
                for x in sorted(
                    line.sent_off, key=lambda x: (x.clock.key if x.clock else (0,), x.player)
                )
            ],
            "retired": [
                {**ctx.player_json(side, x.player), "clock": clock_json(x.clock)}
                for x in line.retired
            ],
            "subs_used": len(line.subs),
            "substitutions": [
                {
                    "clock": clock_json(x.clock),
                    "on": None if x.on is None else ctx.player_json(side, x.on),
                    "off": None if x.off is None else ctx.player_json(side, x.off),
                    "injury": x.injury,
                    "source": x.source,
                }
                for x in subs
            ],
        }
    return out


PROJECTION: Projection[LineupsState] = Projection(
    "lineups",
    VERSION,
    initial,
    {
        Substitution: substitution,
        Booking: booking,
        VarDecision: var_decision,
        PlayerRetired: player_retired,
    },
    render=render,
    doc="Starting XI, bench, on the pitch, substitutions, sent off, formation.",
    key="lineups",
    builtin=True,
)
