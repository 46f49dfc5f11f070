"""Reconciliation: a final state against what the source itself says.

Stat by stat (a page's ``Match Stats``, a provider's box score), annotation by annotation
(``Booked at 68mins``, ``Substituted for X at 71'``), for the score (printed and counted;
a provider's final score, goals per period and shoot-out): ``agree``, ``disagree`` or
``not_computed``, with the reason where one can be told: a live text that covers only
part of the match, a line the live text lacks, counting rules that differ (the stat
table's ``differs``: ESPN counts fouls the text never writes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from events.clock import MatchClock
from projections.base import clock_json, clock_label
from projections.context import SIDE_NAMES
from projections.stat_table import REPORTED
from projections.state import MatchState

Verdict = Literal["agree", "disagree", "not_computed"]

FINISHED = frozenset(
    {"finished", "end_of_second_half", "end_of_extra_time_second_half", "end_of_shootout"}
)

CLOCK_SLACK = 1
"""Minutes an annotation's clock may differ from the line's (pages round differently)."""

FULL_COVERAGE_FROM = 5
"""A live text whose first clocked line is later than this minute starts late."""


@dataclass(frozen=True, slots=True)
class Check:
    """One comparison: what the page reports against what the state computed."""

    item: str
    team: str | None
    reported: Any
    computed: Any
    verdict: Verdict
    why: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The check as plain data."""
        return {
            "item": self.item,
            "team": self.team,
            "reported": self.reported,
            "computed": self.computed,
            "verdict": self.verdict,
            "why": self.why,
        }


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """Every check of one match, and how much of the match the live text covers."""

    match_id: str
    covered_from: MatchClock | None
    covered_to: MatchClock | None
    partial: bool
    finished: bool
    checks: tuple[Check, ...]

    def count(self, verdict: Verdict) -> int:
        """How many checks ended with ``verdict``."""
        return sum(1 for c in self.checks if c.verdict == verdict)

    @property
    def coverage(self) -> str:
        """``84'-90+5' (partial)`` or ``0'-90+4'``."""
        span = f"{clock_label(self.covered_from) or '?'}-{clock_label(self.covered_to) or '?'}"
        return f"{span} (partial)" if self.partial else span

    def to_json(self) -> dict[str, Any]:
        """The report as plain data."""
        return {
            "match_id": self.match_id,
            "coverage": {
                "from": clock_json(self.covered_from),
                "to": clock_json(self.covered_to),
                "partial": self.partial,
                "finished": self.finished,
            },
            "summary": {v: self.count(v) for v in ("agree", "disagree", "not_computed")},
            "checks": [c.to_json() for c in self.checks],
        }


def _partial(state: MatchState) -> bool:
    """True when the lines start late: no kick-off line and a first clock past minute 5."""
    if 1 in state.score.periods:
        return False
    first = state.first_clock
    return first is None or first.period > 1 or first.minute > FULL_COVERAGE_FROM


def _stat_why(partial: bool, finished: bool, reported: float, computed: float, cover: str) -> str:
    if computed < reported and partial:
        return f"the live text covers only {cover} of the match; the page counts all of it"
    if computed < reported and not finished:
        return f"the live text stops at {cover.split('-')[-1]}; the page counts the whole match"
    if computed < reported:
        return "lines missing from the live text, or the page counts more than these lines say"
    return "the lines count more than the page reports (counting rules differ, or repeated lines)"


def reconcile(state: MatchState) -> Reconciliation:
    """Compare a (final) state with the page's Match Stats and line-up annotations."""
    partial = _partial(state)
    finished = state.score.status in FINISHED
    rendered = state.to_json()
    stats = rendered["stats"]
    cover = f"{clock_label(state.first_clock) or '?'}-{clock_label(state.last_clock) or '?'}"
    checks: list[Check] = []
    sheet = state.context.sheet
    reported_stats = (sheet.reported_stats if sheet is not None else None) or {}
    for name, values in reported_stats.items():
        stat = REPORTED.get(name)
        for side in SIDE_NAMES:
            if side not in values:
                continue
            value = values[side]
            if stat is None:
                checks.append(
                    Check(name, side, value, None, "not_computed", "not derivable from the lines")
                )
                continue
            computed = stats[side][stat.name]
            if computed == value:
                checks.append(Check(name, side, value, computed, "agree"))
            else:
                why = _stat_why(partial, finished, value, computed, cover)
                if stat.differs and not partial:
                    why = stat.differs
                checks.append(Check(name, side, value, computed, "disagree", why))
    if sheet is not None:
        checks.extend(_provider_checks(state, rendered))
    score = state.score
    if score.printed is not None:
        printed = f"{score.printed[0]}-{score.printed[1]}"
        counted = f"{score.counted[0]}-{score.counted[1]}"
        if printed == counted:
            checks.append(Check("score", None, printed, counted, "agree"))
        else:
            why = (
                f"the live text covers only {cover}: goals before it are not in the lines"
                if partial
                else "a goal line is missing or a goal was taken back without a printed score"
            )
            checks.append(Check("score", None, printed, counted, "disagree", why))
    if sheet is not None:
        checks.extend(_annotation_checks(state, partial, cover))
    return Reconciliation(
        state.match_id, state.first_clock, state.last_clock, partial, finished, tuple(checks)
    )


def _pair(value: Any) -> str:
    return f"{value['home']}-{value['away']}"


def _provider_checks(state: MatchState, rendered: dict[str, Any]) -> list[Check]:
    """A provider's final score, goals per period and shoot-out against the state's."""
    sheet = state.context.sheet
    assert sheet is not None
    checks: list[Check] = []
    if sheet.reported_score is not None:
        reported, computed = _pair(sheet.reported_score), _pair(rendered["score"])
        verdict: Verdict = "agree" if reported == computed else "disagree"
        why = None if verdict == "agree" else "a goal line is missing, or the match goes on"
        checks.append(Check("final score", None, reported, computed, verdict, why))
    if sheet.reported_periods is not None:
        ours = {p["period"]: p for p in rendered["score"]["periods"]}
        for period, theirs in enumerate(sheet.reported_periods, 1):
            computed_pair = _pair(ours[period]) if period in ours else None
            reported = _pair(theirs)
            verdict = "agree" if computed_pair == reported else "disagree"
            why = None
            if verdict == "disagree":
                why = "the lines do not reach this period" if computed_pair is None else None
                why = why or "a goal line of this period is missing or misplaced"
            checks.append(
                Check(f"goals, period {period}", None, reported, computed_pair, verdict, why)
            )
    if sheet.reported_shootout is not None:
        shootout = rendered["shootout"]
        reported = _pair(sheet.reported_shootout)
        computed_so = _pair(shootout) if shootout else None
        verdict = "agree" if computed_so == reported else "disagree"
        why = None if verdict == "agree" else "a kick of the shoot-out is missing from the lines"
        checks.append(Check("shoot-out", None, reported, computed_so, verdict, why))
    return checks


def _near(a: MatchClock | None, b: MatchClock | None) -> bool:
    if a is None or b is None:
        return True
    return a.period == b.period and abs((a.minute + a.added) - (b.minute + b.added)) <= CLOCK_SLACK


def _annotation_checks(state: MatchState, partial: bool, cover: str) -> list[Check]:
    ctx = state.context
    sheet = ctx.sheet
    assert sheet is not None
    checks: list[Check] = []
    cards = state.cards.cards
    for side_name, a in sheet.annotations():
        side = SIDE_NAMES.index(side_name)
        player = ctx.player(side, a.player)
        label = clock_label(a.clock)
        before = state.first_clock is not None and a.clock < state.first_clock
        if a.kind == "booking":
            item = f"booking {player}"
            found = [
                c
                for c in cards
                if c.side == side and c.player == player and _near(c.clock, a.clock)
            ]
            reported = f"{a.card or 'card'} {label}"
            if found:
                c = found[0]
                why = (
                    "from the line-up annotation (no live-text line)"
                    if c.source == "lineups"
                    else None
                )
                checks.append(
                    Check(
                        item, side_name, reported, f"{c.card} {clock_label(c.clock)}", "agree", why
                    )
                )
            else:
                why = (
                    f"before the live text starts ({cover})"
                    if before
                    else "no such card in the lines"
                )
                checks.append(Check(item, side_name, reported, None, "disagree", why))
            continue
        on = ctx.player(side, a.player_on) if a.player_on else None
        item = f"substitution {player} -> {on or '?'}"
        subs = state.lineups[side].subs
        found_subs = [
            s
            for s in subs
            if s.off == player and (on is None or s.on == on) and _near(s.clock, a.clock)
        ]
        if found_subs:
            s = found_subs[0]
            why = (
                "from the line-up annotation (no live-text line)" if s.source == "lineups" else None
            )
            checks.append(Check(item, side_name, label, clock_label(s.clock), "agree", why))
        else:
            why = (
                f"before the live text starts ({cover})"
                if before
                else "no such substitution in the lines"
            )
            checks.append(Check(item, side_name, label, None, "disagree", why))
    return checks
