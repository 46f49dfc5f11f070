"""Line-up annotations: reading them off a player line, and squaring them with the text.

A page writes ``- 24KjaerSubstituted forRebicat 86'minutesBooked at 88mins``: the player
went off at 86 and a booking written *after* ``Substituted for X`` belongs to X (Rebic);
one written before it belongs to the starter.  Each annotation the live text shows gives
that line its clock; each one it does not show becomes an event with
``source="lineups"`` (its text is the player line, verbatim).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from events.clock import ClockError, MatchClock
from events.models import Booking, Card, EventBase, Substitution
from events.names import same_player, same_substitution
from events.sheet import Annotation, MatchSheet, Side

_CLOCK = r"\d{1,3}\s*'?(?:\s*\+\s*\d{1,2})?"
_ANNOTATION = re.compile(
    rf"(?P<booked>Booked)\s+at\s*(?P<bclock>{_CLOCK})\s*'?\s*(?:minutes|mins?)?"
    rf"|(?P<sent>Sent off|Dismissed|Red card)\s+at\s*(?P<sclock>{_CLOCK})\s*'?\s*(?:minutes|mins?)?"
    rf"|Substituted\s+for\s*(?P<on>.+?)\s*at\s*(?P<subclock>{_CLOCK})\s*'?\s*(?:minutes|mins?)?",
    re.IGNORECASE,
)
_GAP = " ,;."

LINEUPS_TEMPLATE = "lineups"


class AnnotationError(ValueError):
    """A player line whose annotations cannot be read."""


def _clock(text: str, *, substitution: bool) -> MatchClock:
    clock = MatchClock.parse(text.replace(" ", ""))
    if substitution and clock.minute == 45 and not clock.added and clock.period == 1:
        # "Substituted ... at 45'" is a half-time change: the second half's first instant.
        return MatchClock(period=2, minute=45)
    return clock


def split_annotations(
    text: str, *, entry: str = "", line: int | None = None
) -> tuple[str, tuple[Annotation, ...]]:
    """``"KjaerSubstituted forRebicat 86'minutesBooked at 88mins"`` -> the name and its
    annotations (the booking given to Rebic).  A substitute's later substitution takes
    them off in turn.  Raises :class:`AnnotationError` on text between annotations."""
    first = _ANNOTATION.search(text)
    if first is None:
        return text.strip(), ()
    name = text[: first.start()].strip()
    current, pos, out = name, first.start(), []
    booked: set[str] = set()
    while pos < len(text):
        m = _ANNOTATION.match(text, pos)
        if m is None:
            raise AnnotationError(f"unreadable player annotation {text[pos:]!r}")
        try:
            if m["on"] is not None:
                on = m["on"].strip()
                clock = _clock(m["subclock"], substitution=True)
                out.append(_annotation("substitution", clock, current, m, entry, line, on=on))
                current = on
            else:
                clock = _clock(m["bclock"] or m["sclock"], substitution=False)
                card: Card = "red" if m["sent"] else "yellow"
                if m["booked"] and current in booked:
                    card = "second_yellow"
                booked.add(current)
                out.append(_annotation("booking", clock, current, m, entry, line, card=card))
        except ClockError as exc:
            raise AnnotationError(f"bad minute in player annotation {m.group()!r}") from exc
        pos = m.end()
        while pos < len(text) and text[pos] in _GAP:
            pos += 1
    return name, tuple(out)


def _annotation(
    kind: Literal["booking", "substitution"],
    clock: MatchClock,
    player: str,
    m: re.Match[str],
    entry: str,
    line: int | None,
    *,
    on: str | None = None,
    card: Card | None = None,
) -> Annotation:
    return Annotation(
        kind=kind,
        clock=clock,
        player=player,
        player_on=on,
        card=card,
        text=m.group().strip(),
        entry=entry,
        line=line,
    )


def _shows(event: EventBase, a: Annotation) -> bool:
    """True when a parsed line reports the annotated incident."""
    if isinstance(event, Substitution) and a.kind == "substitution":
        return same_substitution(event.player_off, event.player_on, a.player, a.player_on)
    if isinstance(event, Booking) and a.kind == "booking":
        return bool(event.player and same_player(event.player, a.player))
    return False


def _rank(event: EventBase, a: Annotation) -> tuple[bool, bool]:
    red = isinstance(event, Booking) and event.card != "yellow"
    return (event.clock == a.clock, red == (a.card not in (None, "yellow")))


def match_annotations(
    events: Sequence[EventBase | None], sheet: MatchSheet
) -> tuple[dict[int, Annotation], list[tuple[Side, Annotation]]]:
    """Which annotation each substitution/booking line shows (by index), and the rest.

    Candidates are the annotations of the line's team (both teams when the team is not
    recognised) for the same player; the one with the line's own clock and a matching
    card colour wins, then the earliest.  Each annotation is used once.
    """
    pool = list(sheet.annotations())
    if not pool:
        return {}, []
    used: set[int] = set()
    shown: dict[int, Annotation] = {}
    for i, event in enumerate(events):
        if not isinstance(event, Substitution | Booking):
            continue
        side = sheet.side_of(event.team)
        best: int | None = None
        for j, (s, a) in enumerate(pool):
            if j in used or (side and s != side) or not _shows(event, a):
                continue
            if best is None or _rank(event, a) > _rank(event, pool[best][1]):
                best = j
        if best is not None:
            used.add(best)
            shown[i] = pool[best][1]
    return shown, [p for j, p in enumerate(pool) if j not in used]


def lineup_event(side: Side, a: Annotation, sheet: MatchSheet) -> EventBase:
    """The event an annotation the live text does not show stands for."""
    common = {
        "team": sheet.team_name(side),
        "text": a.entry,
        "clock": a.clock,
        "source": "lineups",
        "template": LINEUPS_TEMPLATE,
    }
    if a.kind == "substitution":
        return Substitution.model_validate(
            {**common, "player_off": a.player, "player_on": a.player_on}
        )
    return Booking.model_validate({**common, "player": a.player, "card": a.card or "yellow"})
