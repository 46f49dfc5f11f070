"""The common back half of every reader: parse, time, complete and identify the lines.

1. each line is parsed (``events.parser.parse_line``); reader posts are not;
2. home and away, when the source did not name them, come from the first score line;
3. substitution and booking lines are matched to the line-up annotations;
4. every line gets a clock (:mod:`events.readers.clocks`);
5. annotations the text does not show become ``source="lineups"`` events, placed by
   their clock (after the lines of the same minute, before a period's end);
6. each event gets the match id and a stable ``event_id``: the key is the source's line
   id, else the text; the clock is the one the source gave (none when inferred, so that
   a page read again with more entries keeps its ids even if anchors move); the
   occurrence counts the same (key, clock) earlier in the match.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath

from events.clock import MatchClock
from events.identity import event_id, normalise_key
from events.models import EventBase, MatchEnd, PeriodEnd, PeriodStart
from events.names import slug
from events.parser import parse_line
from events.readers.annotations import lineup_event, match_annotations
from events.readers.clocks import Hint, infer_clocks
from events.readers.match import Format, Match, RawLine, ReaderPost
from events.sheet import MatchSheet


def assemble(
    sheet: MatchSheet,
    lines: Sequence[RawLine],
    *,
    fmt: Format,
    name: str,
    match_id: str | None = None,
) -> Match:
    """A :class:`Match` from a sheet and its raw lines, already in match order."""
    parsed = [None if r.reader_post else parse_line(r.text, r.clock) for r in lines]
    sheet = _with_teams(sheet, parsed)
    shown, unshown = match_annotations(parsed, sheet)
    latest: dict[int, MatchClock] = {}
    for _, a in sheet.annotations():
        latest[a.clock.period] = max(a.clock, latest.get(a.clock.period, a.clock))
    hints = [_hint(e, shown[i].clock if i in shown else None) for i, e in enumerate(parsed)]

    events: list[tuple[EventBase, str]] = []
    posts: list[ReaderPost] = []
    for raw, event, (clock, inferred) in zip(
        lines, parsed, infer_clocks(hints, latest), strict=True
    ):
        if event is None:
            posts.append(ReaderPost(text=raw.text, line=raw.line, clock=clock))
            continue
        if clock.period == 5 and event.clock is None:  # a shoot-out kick printing no tally
            event = parse_line(raw.text, clock)
        update = {"clock": clock, "clock_inferred": inferred}
        events.append((event.model_copy(update=update), raw.key or raw.text))
    for side, a in sorted(unshown, key=lambda p: p[1].clock):
        _insert(events, lineup_event(side, a, sheet), f"{a.entry} | {a.text}")

    mid = match_id or sheet.match_id or default_match_id(sheet, name)
    return Match(
        sheet=sheet.model_copy(update={"match_id": mid}),
        events=_identify(mid, events),
        reader_posts=tuple(posts),
        format=fmt,
        source=name,
    )


def _hint(event: EventBase | None, anchor: MatchClock | None) -> Hint:
    """What a parsed line says about its time (a reader post says nothing)."""
    starts = event.period if isinstance(event, PeriodStart) else None
    if event is None:
        return Hint()
    if event.clock is not None:
        return Hint(clock=event.clock, starts=starts)
    if anchor is not None:
        return Hint(clock=anchor, inferred=True)
    if isinstance(event, PeriodEnd):
        return Hint(ends=event.period)
    if isinstance(event, MatchEnd):
        return Hint(ends=0)
    return Hint(starts=starts)


def _with_teams(sheet: MatchSheet, events: Sequence[EventBase | None]) -> MatchSheet:
    """Home and away from the first line that prints both, if the sheet lacks them."""
    if sheet.home and sheet.away:
        return sheet
    for event in events:
        home, away = getattr(event, "home_team", None), getattr(event, "away_team", None)
        if home and away:
            update = {"home": sheet.home or home, "away": sheet.away or away}
            return sheet.model_copy(update=update)
    return sheet


def _insert(events: list[tuple[EventBase, str]], event: EventBase, key: str) -> None:
    """Place ``event`` after the events of its clock, before a period end at that clock."""
    assert event.clock is not None
    for i, (other, _) in enumerate(events):
        if other.clock is None:
            continue
        if other.clock > event.clock or (
            other.clock == event.clock and isinstance(other, PeriodEnd | MatchEnd)
        ):
            events.insert(i, (event, key))
            return
    events.append((event, key))


def _identify(mid: str, events: Sequence[tuple[EventBase, str]]) -> tuple[EventBase, ...]:
    seen: Counter[tuple[str, tuple[int, int, int, int] | None]] = Counter()
    out = []
    for event, key in events:
        given = None if event.clock_inferred else event.clock
        slot = (normalise_key(key), given.key if given else None)
        eid = event_id(mid, key, given, seen[slot])
        seen[slot] += 1
        out.append(event.model_copy(update={"match_id": mid, "event_id": eid}))
    return tuple(out)


def default_match_id(sheet: MatchSheet, name: str) -> str:
    """``home-away-<kickoff date>`` when both are known, else the file's stem, else
    ``home-away``, else ``match``: all slugs (``inter-milan-ac-milan-2023-02-05``)."""
    teams = f"{sheet.home}-{sheet.away}" if sheet.home and sheet.away else ""
    if teams and sheet.kickoff:
        return slug(f"{teams}-{sheet.kickoff[:10]}")
    stem = "" if name.startswith("<") or name == "-" else PurePath(name).stem
    return slug(stem) or slug(teams) or "match"
