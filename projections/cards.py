"""The ``cards`` projection: every card per player with its clock, VAR changes included.

A second yellow is a sending-off (``second_yellow``); a ``yellow`` to a player already on
a yellow is taken as a second yellow (and noted).  ``VAR Decision: Card upgraded`` turns
the player's recent yellow into a red (or adds a red); a downgrade turns a red into a
yellow.  Cards are kept in canonical order (clock, side, player, card), so lines shuffled
within a minute give the same list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from events.clock import MatchClock
from events.models import Booking, VarDecision
from projections.base import (
    VAR_WINDOW_MINUTES,
    Anomaly,
    add_anomaly,
    clock_json,
    clock_key,
    replacer,
    within,
)
from projections.context import SIDE_NAMES, MatchContext
from projections.lineups import SENDING_OFF_CARDS, effective_card
from projections.registry import Projection

if TYPE_CHECKING:
    from projections.state import MatchState

VERSION = 2


class CardEntry(NamedTuple):
    """One card: ``yellow``, ``second_yellow`` or ``red``; ``var`` says how VAR changed it."""

    clock: MatchClock | None
    side: int
    player: str
    card: str
    var: str | None = None
    reason: str | None = None
    source: str = "live_text"


class CardsState(NamedTuple):
    """Cards in canonical order, and what did not add up."""

    cards: tuple[CardEntry, ...] = ()
    anomalies: tuple[Anomaly, ...] = ()


_new = tuple.__new__
_set_anomalies = replacer(CardsState, "anomalies")
_set_cards = replacer(CardsState, "cards")


def _key(c: CardEntry) -> tuple[Any, ...]:
    clock, side, player, card = c[:4]
    return (clock_key(clock) if clock is not None else (0,), side, player, card)


def _insert(cards: tuple[CardEntry, ...], card: CardEntry) -> tuple[CardEntry, ...]:
    if not cards:
        return (card,)
    if _key(cards[-1]) <= _key(card):  # the usual case: cards come in match order
        return (*cards, card)
    return tuple(sorted((*cards, card), key=_key))


def _of(cards: tuple[CardEntry, ...], side: int, player: str) -> list[CardEntry]:
    return [c for c in cards if c[2] == player and c[1] == side]  # (player, side) by index


def _sent_off(mine: list[CardEntry]) -> bool:
    return any(c.card in SENDING_OFF_CARDS for c in mine)


def _by_var(mine: list[CardEntry], clock: MatchClock | None) -> bool:
    """True when VAR sent the player off shortly before ``clock``."""
    return any(c.var is not None and within(c.clock, clock, VAR_WINDOW_MINUTES) for c in mine)


def booking(s: CardsState, event: Booking, ctx: MatchContext) -> CardsState:
    """Record a card; a second sending-off of the same player is an anomaly, not a card,
    unless it is the red card a VAR upgrade has just announced (ESPN writes both)."""
    fields = event.__dict__  # six fields: dict reads (see players.attempt)
    side = ctx.sides[fields["team"]]
    player = fields["player"]
    clock = fields["clock"]
    if side is None or not player:
        detail = f"card for {player!r} of unknown team {event.team!r}"
        return _set_anomalies(s, add_anomaly(s.anomalies, clock, "card_unattributed", detail))
    player = ctx.keys[side][player]
    cards, anomalies = s
    written: str = fields["card"]
    card = written
    mine = _of(cards, side, player) if cards else None
    if mine:  # the player's earlier cards (most cards are a player's first)
        card = effective_card(written, any(c.card == "yellow" for c in mine))
        if card != written:
            detail = (
                f"{player} ({ctx.team_name(side)}) is shown a second yellow written as a yellow"
            )
            anomalies = add_anomaly(anomalies, clock, "yellow_twice", detail)
        if card in SENDING_OFF_CARDS and _sent_off(mine):
            if _by_var(mine, clock):  # the red card VAR's upgrade announced, now shown
                return s
            detail = f"{player} ({ctx.team_name(side)}) is sent off twice"
            return _set_anomalies(s, add_anomaly(anomalies, clock, "sent_off_twice", detail))
    entry = _new(CardEntry, (clock, side, player, card, None, fields["reason"], fields["source"]))
    return _new(CardsState, (_insert(cards, entry), anomalies))


def var_decision(s: CardsState, event: VarDecision, ctx: MatchContext) -> CardsState:
    """VAR upgrades a recent yellow to a red (or shows a red), or downgrades a red."""
    if event.decision not in ("card_upgraded", "red_card", "card_downgraded"):
        return s
    side = ctx.side(event.team)
    if side is None or not event.player:
        return s
    player = ctx.player(side, event.player)
    mine = _of(s.cards, side, player)
    if event.decision == "card_downgraded":
        reds = [c for c in mine if c.card == "red"]
        if not reds:
            return s
        old = reds[-1]
        cards = tuple(c for c in s.cards if c is not old)
        return _set_cards(s, _insert(cards, old._replace(card="yellow", var="downgraded")))
    if _sent_off(mine):
        return s
    yellows = [
        c for c in mine if c.card == "yellow" and within(c.clock, event.clock, VAR_WINDOW_MINUTES)
    ]
    cards = s.cards
    if event.decision == "card_upgraded" and yellows:
        cards = tuple(c for c in cards if c is not yellows[-1])
    red = CardEntry(event.clock, side, player, "red", event.decision, None, event.source)
    return _set_cards(s, _insert(cards, red))


def render(s: CardsState, state: MatchState) -> list[dict[str, Any]]:
    """``[{team, player, card, clock, ...}]`` in match order."""
    ctx = state.context
    return [
        {
            "team": SIDE_NAMES[c.side],
            "player": ctx.player_json(c.side, c.player),
            "card": c.card,
            "clock": clock_json(c.clock),
            "var": c.var,
            "reason": c.reason,
            "source": c.source,
        }
        for c in s.cards
    ]


PROJECTION: Projection[CardsState] = Projection(
    "cards",
    VERSION,
    CardsState(),
    {Booking: booking, VarDecision: var_decision},
    render=render,
    doc="Yellow, second yellow, red and VAR card changes, per player, with the clock.",
    key="cards",
    builtin=True,
)
