"""The common back half of every reader: parse, time, complete and identify the lines.

1. each line is parsed (``events.parser.parse_line``); reader posts are not;
2. home and away, when the source did not name them, come from the first score line;
3. substitution and booking lines are matched to the line-up annotations;
4. every line gets a clock (:mod:`events.readers.clocks`);
5. annotations the text does not show become ``source="lineups"`` events, placed by
   their clock (after the lines of the same minute, before a period's end);
6. each event gets the match id, the source's line id (``line_id``) and a stable
   ``event_id``: the key is the source's line id, else the text; the clock is the one the
   source gave (none when inferred, so that a page read again with more entries keeps its
   ids even if anchors move); the occurrence counts the same (key, clock) earlier in the
   match.

A format whose order the caller states (``newest_first``) is checked: lines that run
backwards once put in match order are refused with the fix (:mod:`events.readers.order`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from events.clock import MatchClock
from events.identity import clock_part, normalise_key, stable_id
from events.models import EventBase, FieldNames, MatchEnd, PeriodEnd, PeriodStart
from events.names import slug
from events.parser import parse_line
from events.readers.annotations import lineup_event, match_annotations
from events.readers.clocks import Hint, infer_clocks
from events.readers.errors import SourceError
from events.readers.match import Format, Match, RawLine, ReaderPost
from events.readers.order import runs_backwards
from events.sheet import MatchSheet


def assemble(
    sheet: MatchSheet,
    lines: Sequence[RawLine],
    *,
    fmt: Format,
    name: str,
    match_id: str | None = None,
    newest_first: bool | None = None,
) -> Match:
    """A :class:`Match` from a sheet and its raw lines, already in match order.

    ``newest_first`` is how the caller said the lines were listed (None: the format fixes
    its order); lines that still run backwards raise :class:`SourceError` with the fix.
    """
    parsed = [None if r.reader_post else parse_line(r.text, r.clock) for r in lines]
    if newest_first is not None:
        _check_order(lines, parsed, name, newest_first)
    sheet = _with_teams(sheet, parsed)
    shown, unshown = match_annotations(parsed, sheet)
    latest: dict[int, MatchClock] = {}
    for _, a in sheet.annotations():
        latest[a.clock.period] = max(a.clock, latest.get(a.clock.period, a.clock))
    if shown:
        hints = [_hint(e, shown[i].clock if i in shown else None) for i, e in enumerate(parsed)]
    else:
        hints = _hints(parsed)

    events: list[_Timed] = []
    posts: list[ReaderPost] = []
    for raw, event, (clock, inferred) in zip(
        lines, parsed, infer_clocks(hints, latest), strict=True
    ):
        if event is None:
            posts.append(ReaderPost(text=raw.text, line=raw.line, clock=clock))
            continue
        if clock.period == 5 and event.clock is None:  # a shoot-out kick printing no tally
            event = parse_line(raw.text, clock)
        events.append((event, raw.key or raw.text, clock, inferred, raw.key))
    for side, a in sorted(unshown, key=lambda p: p[1].clock):
        event = lineup_event(side, a, sheet)
        assert event.clock is not None
        key = f"{a.entry} | {a.text}"
        _insert(events, (event, key, event.clock, event.clock_inferred, None))

    mid = match_id or sheet.match_id or default_match_id(sheet, name)
    return Match(
        sheet=sheet.model_copy(update={"match_id": mid}),
        events=_identify(mid, events),
        reader_posts=tuple(posts),
        format=fmt,
        source=name,
    )


def _hint(event: EventBase | None, anchor: MatchClock | None = None) -> Hint:
    """What a parsed line says about its time (a reader post says nothing)."""
    if event is None:
        return _NOTHING
    clock = event.clock
    if clock is not None:
        return Hint(clock, False, event.period if isinstance(event, PeriodStart) else None)
    if anchor is not None:
        return Hint(anchor, True)
    if isinstance(event, PeriodStart):
        return Hint(starts=event.period)
    if isinstance(event, PeriodEnd):
        return Hint(ends=event.period)
    if isinstance(event, MatchEnd):
        return Hint(ends=0)
    return _NOTHING


_NOTHING = Hint()


def _given(clock: MatchClock) -> Hint:
    """``Hint(clock)``, without the named tuple's Python-level ``__new__``."""
    return tuple.__new__(Hint, (clock, False, None, None))


def _hints(events: Sequence[EventBase | None]) -> list[Hint]:
    """``_hint`` of each event (no annotation anchors): the lines printing one clock share
    one hint (most lines print their clock; a hint a line is the most the reader makes).
    The events are the parser's, of its own classes: ``type(...) is`` is exact here, and
    several times cheaper than ``isinstance`` of a pydantic class (an ABC)."""
    given: dict[int, Hint] = {}  # by clock object, alive here
    out = []
    for event in events:
        if event is None or (clock := event.clock) is None or type(event) is PeriodStart:
            out.append(_hint(event))
        elif (hint := given.get(id(clock))) is not None:
            out.append(hint)
        else:
            out.append(given.setdefault(id(clock), _given(clock)))
    return out


def _with_teams(sheet: MatchSheet, events: Sequence[EventBase | None]) -> MatchSheet:
    """Home and away from the first line that prints both, if the sheet lacks them."""
    if sheet.home and sheet.away:
        return sheet
    for event in events:
        if event is None:
            continue
        fields = event.__dict__  # getattr of a field the class lacks costs an exception
        home, away = fields.get("home_team"), fields.get("away_team")
        if home and away:
            update = {"home": sheet.home or home, "away": sheet.away or away}
            return sheet.model_copy(update=update)
    return sheet


_Timed = tuple[EventBase, str, MatchClock, bool, str | None]
"""An event, its id key (the source's line id, else its text), its clock, whether the
clock was inferred and the source's line id: what ``_identify`` makes the event."""


def _insert(events: list[_Timed], timed: _Timed) -> None:
    """Place an event after the events of its clock, before a period end at that clock."""
    clock = timed[2]
    for i, (other, _, other_clock, _, _) in enumerate(events):
        if other_clock > clock or (
            other_clock == clock and isinstance(other, PeriodEnd | MatchEnd)
        ):
            events.insert(i, timed)
            return
    events.append(timed)


def _identify(mid: str, events: Sequence[_Timed]) -> tuple[EventBase, ...]:
    """The events as the match holds them: each completed in place with its clock, the
    match id, the source's line id and the stable id (keyed by the clock the source gave,
    none when inferred).

    Every event here was made by this read alone (parsed, or built from an annotation) and
    nothing else holds it yet, so it is completed rather than copied (``updated`` would
    copy it, as a store must): its fields are its ``__dict__``, which pydantic's frozen
    check does not guard, and a fields set of its own gains the names set.
    """
    seen: dict[tuple[str, str], int] = {}
    for event, key, clock, inferred, line_id in events:
        slot = (normalise_key(key), "" if inferred else clock_part(clock))
        occurrence = seen.get(slot, 0)
        seen[slot] = occurrence + 1
        fields = event.__dict__
        fields["clock"] = clock
        fields["clock_inferred"] = inferred
        fields["match_id"] = mid
        fields["event_id"] = stable_id(mid, *slot, occurrence)
        fields["line_id"] = line_id
        fields_set = event.__pydantic_fields_set__
        if not isinstance(fields_set, FieldNames):  # (the shared one holds every field)
            fields_set.update(_ENVELOPE)
    return tuple(timed[0] for timed in events)


_ENVELOPE = ("clock", "clock_inferred", "match_id", "event_id", "line_id")


def _check_order(
    lines: Sequence[RawLine], parsed: Sequence[EventBase | None], name: str, newest_first: bool
) -> None:
    """Refuse lines that run backwards once put in match order, naming two of them."""
    found = runs_backwards(parsed, [r.clock for r in lines])
    if found is None:
        return
    first, then = lines[found.first], lines[found.then]
    listed, fix = (
        ("oldest first", "read them without --newest-first")
        if newest_first
        else ("newest first", "read them with --newest-first")
    )
    raise SourceError(
        name,
        min(first.line, then.line),
        f"the lines run {listed} (line {first.line} {_said(first)} comes before line "
        f"{then.line} {_said(then)}): {fix}",
    )


def _said(raw: RawLine) -> str:
    text = raw.text if len(raw.text) <= 40 else raw.text[:37] + "..."
    return f"{raw.clock} {text!r}" if raw.clock else repr(text)


STDIN_NAMES = ("<stdin>", "-")


def default_match_id(sheet: MatchSheet, name: str) -> str:
    """``home-away-<kickoff date>`` when both are known, else the file's stem, else
    ``home-away``, else ``match``: all slugs (``inter-milan-ac-milan-2023-02-05``).

    Standard input has no stem: without both teams and the kickoff its id would be a
    guess, and two pipes would mix into one match, so it raises :class:`SourceError`
    asking for ``--match``.
    """
    teams = f"{sheet.home}-{sheet.away}" if sheet.home and sheet.away else ""
    if teams and sheet.kickoff and (mid := slug(f"{teams}-{sheet.kickoff[:10]}")):
        return mid
    if name in STDIN_NAMES:
        raise SourceError(
            name,
            1,
            "no match id: the input names no id, nor both teams and the kickoff; give --match ID",
        )
    stem = "" if name.startswith("<") else PurePath(name).stem
    return slug(stem) or slug(teams) or "match"
