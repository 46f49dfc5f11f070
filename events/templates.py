"""The template table: one row per live-text template, in the order they are tried.

A row names the event type it yields, its pattern (with ``{P}`` a player, ``{T}`` a team
in brackets, ``{SCORE}`` a printed score ``H h, A a`` with optional shoot-out tallies),
constant fields, optional ``tables`` (a group's phrase -> the vocabulary's value) and an
optional ``post`` step that reads the shared slots.  Named groups that are fields of the
event are copied as they are (through their table if they have one).  Adding a template
is one row here and one test.  Rows marked ``loose`` catch a known prefix with an unexpected tail: the
right type, with the fields that could be read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from events.clock import MatchClock
from events.models import (
    AddedTime,
    Attempt,
    Booking,
    Corner,
    DangerousPlay,
    Delay,
    DelayOver,
    EventBase,
    Foul,
    FreeKickWon,
    Goal,
    Handball,
    LineupsAnnounced,
    MatchEnd,
    Offside,
    PenaltyAwarded,
    PenaltyConceded,
    PenaltyMissed,
    PeriodEnd,
    PeriodStart,
    PlayerRetired,
    Score,
    Simulation,
    Substitution,
    VarDecision,
    assemble,
    blank,
    required,
)
from events.phrases import (
    FREE_KICK_AREAS,
    PLACEMENTS,
    SHOT_TAIL,
    shot_slots,
    tolerant_shot_details,
)
from events.text import first_word

Fields = dict[str, Any]
Post = Callable[[re.Match[str], Fields], None]

_SLOTS = {
    # a player and his team: the name runs to the first bracket (greedy: no step-by-step
    # search for " (" as a lazy name would make)
    "{P} {T}": r"(?P<player>[^()]+) \((?P<team>[^()]+)\)",
    "{P}": r"(?P<player>[^()]+?)",
    "{T}": r"\((?P<team>[^()]+)\)",
    # a team ends at ". "; it holds ". " only after a lone digit ("1. FC Köln") or "St":
    # runs without a dot joined by the dots it may hold, as few as the rest allows
    "{TEAM}": (
        r"(?P<team>(?:[^.]|{DOT})[^.]*(?:{DOT}[^.]*)*?)(?<!\b\d)(?<!\bSt)".replace(
            "{DOT}", r"(?:\.(?! )|(?<=\b\d)\.|(?<=\bSt)\.)"
        )
    ),
    "{SCORE}": (
        r"(?P<home_team>.+?) (?P<hg>\d+) ?(?:\((?P<hp>\d+)\))?, ?"
        r"(?P<away_team>.+?) (?P<ag>\d+) ?(?:\((?P<ap>\d+)\))?"
    ),
}
_NO_CONST: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Template:
    """One live-text template and the event it becomes."""

    name: str
    event: type[EventBase]
    pattern: str
    const: Mapping[str, Any] = field(default_factory=lambda: _NO_CONST)
    post: Post | None = None
    tables: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: _NO_CONST)
    loose: bool = False
    starts: tuple[str, ...] = ()
    needle: str = ""
    regex: re.Pattern[str] = field(init=False, repr=False)
    field_names: frozenset[str] = field(init=False, repr=False)
    copied_groups: tuple[str, ...] = field(init=False, repr=False)
    plain: bool = field(init=False, repr=False)
    scored: bool = field(init=False, repr=False)
    tallied: bool = field(init=False, repr=False)
    shootout_kick: bool = field(init=False, repr=False)
    base: dict[str, Any] = field(init=False, repr=False)  # never mutated: copied by build
    unread: frozenset[str] = field(init=False, repr=False)
    width: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        source = self.pattern
        for slot, regex in _SLOTS.items():
            source = source.replace(slot, regex)
        object.__setattr__(self, "regex", re.compile(source, re.IGNORECASE))
        object.__setattr__(self, "field_names", frozenset(self.event.model_fields))
        copied = tuple(g for g in self.regex.groupindex if g in self.field_names)
        object.__setattr__(self, "copied_groups", copied)
        object.__setattr__(self, "scored", "hg" in self.regex.groupindex)
        object.__setattr__(self, "tallied", "hp" in self.regex.groupindex)
        shootout = self.event.model_fields.get("shootout")
        object.__setattr__(
            self, "shootout_kick", shootout is not None and shootout.annotation is bool
        )
        # every field's default, this row's constants and its name: what ``build`` starts from
        base = blank(self.event, {**self.const, "template": self.name})
        object.__setattr__(self, "base", base)
        # required fields the line must give (None in ``base`` until it does)
        unread = required(self.event) - set(self.const) - {"text"}
        object.__setattr__(self, "unread", unread)
        object.__setattr__(self, "width", len(self.field_names))
        # every group a field, nothing computed or required: the groups are the values
        plain = len(copied) == len(self.regex.groupindex) and self.post is None and not unread
        object.__setattr__(self, "plain", plain)
        if not self.starts:
            lead = first_word(self.pattern.lstrip("^"))
            object.__setattr__(self, "starts", (lead,) if lead else ())

    def build(
        self, m: re.Match[str], text: str, clock: MatchClock | None, clock_inferred: bool
    ) -> EventBase | None:
        """The event a match of this row describes, ``text`` and ``clock`` attached;
        None when the match lacks a field the event requires.

        Its values (:meth:`fields`) are each of its field's type by construction (groups
        are text, the slot tables hold only the vocabulary's values, and tests hold every
        row to ``model_validate``), so the event is assembled without a second validation
        pass."""
        values = self.fields(m, text, clock, clock_inferred)
        return None if values is None else assemble(self.event, values)

    def fields(
        self, m: re.Match[str], text: str, clock: MatchClock | None, clock_inferred: bool
    ) -> Fields | None:
        """Every field of the event :meth:`build` makes, in the event's order (a fresh
        dict); None when the match lacks a field the event requires.

        The values start from ``base`` (every field's default and the row's constants).
        A kick of a penalty shoot-out (period 5) is flagged ``shootout`` even when the
        line prints no tally.
        """
        values = self.base.copy()
        if self.plain:
            values.update(m.groupdict())  # a group that matched nothing: None, its default
        elif not self._read(m, values):
            return None
        if self.tables:
            for group, table in self.tables.items():
                if (phrase := values[group]) is not None:
                    values[group] = table[phrase.lower()]
        values["text"] = text
        values["clock"] = clock
        values["clock_inferred"] = clock_inferred
        if clock is not None and self.shootout_kick and clock.period == 5:
            values["shootout"] = True
        return values

    def _read(self, m: re.Match[str], values: Fields) -> bool:
        """Read what a match holds into ``values``; False when a required field is missing."""
        for group in self.copied_groups:
            if (value := m[group]) is not None:
                values[group] = value
        if self.scored and m["hg"] is not None:
            values["score"] = score_of(m["hg"], m["ag"])
            if self.tallied and m["hp"] is not None and m["ap"] is not None:
                values["shootout_score"] = score_of(m["hp"], m["ap"])
        if self.post is not None:
            self.post(m, values)
            if len(values) != self.width:
                # the shared slot readers may read more than this event type holds
                for extra in values.keys() - self.field_names:
                    del values[extra]
        return None not in map(values.__getitem__, self.unread)


@lru_cache(maxsize=1024)
def score_of(home: str, away: str) -> Score:
    """The printed score ``home``-``away`` (digits): a frozen model, shared by every line
    printing it (validating a new one costs more than the rest of a period line)."""
    return Score(home=int(home), away=int(away))


# ---- post steps: the shared slots ---------------------------------------------------


def _shot(m: re.Match[str], f: Fields) -> None:
    shot_slots(m, f)


def _goal(m: re.Match[str], f: Fields) -> None:
    shot_slots(m, f)
    f["shootout"] = f["shootout_score"] is not None


def _penalty_goal(m: re.Match[str], f: Fields) -> None:
    f.update(tolerant_shot_details(m["tail"], penalty=True), penalty=True)
    f["shootout"] = f["shootout_score"] is not None


def _attempt(m: re.Match[str], f: Fields) -> None:
    shot_slots(m, f)
    f["outcome"] = m["outcome"].lower()


def _woodwork(m: re.Match[str], f: Fields) -> None:
    shot_slots(m, f)
    f["outcome"] = "woodwork"
    f["placement"] = PLACEMENTS.get(m["where"].lower())


def _penalty_kick(m: re.Match[str], f: Fields) -> None:
    tail = m["tail"].lower()
    f.update(tolerant_shot_details(m["tail"], penalty=True))
    if woodwork := re.search(r"hits the (left post|right post|crossbar|bar)", tail):
        f["outcome"], f["placement"] = "woodwork", PLACEMENTS[woodwork.group(1)]
    elif f["outcome"] is None:  # required: set here unless the row's constant did
        f["outcome"] = "saved" if "saved" in tail else "missed"
    f.pop("zone", None)
    f["shootout"] = f["shootout_score"] is not None


def _reason(m: re.Match[str], f: Fields) -> None:
    if reason := m["reason"]:
        f["reason"] = reason_key(reason)


@lru_cache(maxsize=256)
def reason_key(reason: str) -> str:
    """``a bad foul`` -> ``bad_foul``: the few reasons a card is shown for, as keys."""
    reason = re.sub(r"^(?:a|an|the)\s+", "", reason.strip().lower())
    return re.sub(r"[^a-z0-9]+", "_", reason).strip("_")


def _own_goal(m: re.Match[str], f: Fields) -> None:
    """``Own Goal by {P}, {T}. {SCORE}.``: the team may hold ". " itself (``1. FC Köln``)."""
    rest = m["rest"].rstrip(".")
    candidates = [i for i in range(len(rest)) if rest.startswith(". ", i)]
    for i in candidates:
        team, score = rest[:i], _SCORE_ONLY.match(rest[i + 2 :])
        if score and team in (score["home_team"], score["away_team"]):
            break
    else:
        i = candidates[0] if candidates else len(rest)
        team, score = rest[:i], _SCORE_ONLY.match(rest[i + 2 :])
    f["team"] = team
    if score:
        f["home_team"], f["away_team"] = score["home_team"], score["away_team"]
        f["score"] = score_of(score["hg"], score["ag"])


def _minutes(m: re.Match[str], f: Fields) -> None:
    f["minutes"] = int(m["minutes"])


_PERIODS = {
    "first half": 1,
    "second half": 2,
    "first half extra time": 3,
    "second half extra time": 4,
    "penalty shootout": 5,
}


def _period(m: re.Match[str], f: Fields) -> None:
    f["period"] = _PERIODS[re.sub(r"\s+", " ", m["which"].lower())]


def _match_end(m: re.Match[str], f: Fields) -> None:
    if "shootout_score" in f:
        f["shootout"] = f.pop("shootout_score")


_SCORE_ONLY = re.compile(_SLOTS["{SCORE}"] + r"\s*$")
_SHOT_TAIL = SHOT_TAIL  # the canonical slots read in the same match, then the whole tail
_KICK_TAIL = r"(?P<tail>.*)$"  # a penalty kick's tail: read slot by slot
_PERIOD = r"(?P<which>First Half Extra Time|Second Half Extra Time|First Half|Second Half|Penalty Shootout)"
_PERIOD_WORDS = ("first", "second", "penalty")
_VAR_SCORE = r"(?P<home_team>.+?) (?P<hg>\d+) ?- ?(?P<ag>\d+) (?P<away_team>.+?)"

# ---- the table ----------------------------------------------------------------------

# fmt: off
TEMPLATES: tuple[Template, ...] = (
    # goals
    Template("goal_penalty", Goal, r"^Goal! ?{SCORE}\. {P} {T} converts the penalty" + _KICK_TAIL, post=_penalty_goal, needle=" converts the penalty"),
    Template("goal", Goal, r"^Goal! ?{SCORE}\. {P} {T}" + _SHOT_TAIL, post=_goal),
    Template("goal~loose", Goal, r"^Goal!" + _SHOT_TAIL, post=_goal, loose=True),
    Template("own_goal", Goal, r"^Own Goal by (?P<player>[^,]+), (?P<rest>.+)$", const={"own_goal": True}, post=_own_goal),
    # attempts and woodwork
    Template("attempt", Attempt, r"^Attempt (?P<outcome>saved|missed|blocked)\. {P} {T}" + _SHOT_TAIL, post=_attempt),
    Template("big_chance_missed", Attempt, r"^Big chance missed\.? {P} {T}" + _SHOT_TAIL, const={"big_chance": True, "outcome": "missed"}, post=_shot),
    Template("woodwork", Attempt, r"^{P} {T} hits the (?P<where>left post|right post|crossbar|bar|post)" + _SHOT_TAIL, post=_woodwork, needle=" hits the "),
    Template("attempt~loose", Attempt, r"^Attempt (?P<outcome>saved|missed|blocked)\b" + _SHOT_TAIL, post=_attempt, loose=True),
    # penalties
    Template("penalty_awarded", PenaltyAwarded, r"^Penalty {TEAM}\. (?P<player>.+?) draws a foul in the penalty area\.?$"),
    Template("penalty_conceded", PenaltyConceded, r"^Penalty conceded by {P} {T} after a foul in the penalty area\.?$"),
    Template("penalty_conceded_handball", PenaltyConceded, r"^Penalty conceded by {P} {T} with a hand ?ball in the penalty area\.?$", const={"handball": True}, needle=" with a hand"),
    Template("penalty_saved", PenaltyMissed, r"^Penalty saved[!.] {P} {T}" + _KICK_TAIL, const={"outcome": "saved"}, post=_penalty_kick),
    Template("penalty_missed_still", PenaltyMissed, r"^Penalty missed! Still {SCORE}\. {P} {T}" + _KICK_TAIL, post=_penalty_kick),
    Template("penalty_missed_bad", PenaltyMissed, r"^Penalty missed[!.] Bad penalty by {P} {T}" + _KICK_TAIL, post=_penalty_kick),
    Template("penalty_missed", PenaltyMissed, r"^Penalty missed[!.] {P} {T}" + _KICK_TAIL, post=_penalty_kick),
    # set pieces, fouls
    Template("corner", Corner, r"^Corner, ?{TEAM}\. Conceded by (?P<conceded_by>.+?)\.?$"),
    Template("corner_unconceded", Corner, r"^Corner, ?{TEAM}\.?$"),
    Template("corner~loose", Corner, r"^Corner, ?{TEAM}(?:\. |$)", loose=True),
    Template("offside_through_ball", Offside, r"^Offside, ?{TEAM}\. (?P<passer>.+?) tries a through ball, but (?P<player>.+?) is caught offside\.?$", needle=" tries a through ball"),
    Template("offside", Offside, r"^Offside, ?{TEAM}\. (?P<player>.+?) is caught offside\.?$"),
    Template("offside~loose", Offside, r"^Offside, ?{TEAM}(?:\. |\.?$)", loose=True),
    Template("foul", Foul, r"^Foul by {P}(?: {T}.*|\.?)$"),
    Template("free_kick_won", FreeKickWon, r"^{P} {T} wins a free kick(?: (?P<area>in the defensive half|in the attacking half|on the left wing|on the right wing))?", tables={"area": FREE_KICK_AREAS}, needle=" wins a free kick"),
    Template("free_kick_won_unnamed", FreeKickWon, r"^{T} wins a free kick(?: (?P<area>in the defensive half|in the attacking half|on the left wing|on the right wing))?", tables={"area": FREE_KICK_AREAS}, needle=" wins a free kick"),
    Template("handball", Handball, r"^Hand ?ball by {P}(?: {T}.*|\.?)$", starts=("hand", "handball")),
    Template("simulation", Simulation, r"^{P} {T} has gone down, but the referee deems it simulation\.?$", needle=" deems it simulation"),
    Template("retired_after_all_subs", PlayerRetired, r"^{P} went off injured after (?P<team>.+?) had used all subs\.?$", needle=" went off injured after "),
    Template("dangerous_play", DangerousPlay, r"^Dangerous play by {P}(?: {T}.*|\.?)$"),
    # discipline, substitutions
    Template("yellow_card", Booking, r"^{P} {T} is shown the yellow card(?: for (?P<reason>.+?))?\.?$", const={"card": "yellow"}, post=_reason, needle=" is shown the yellow card"),
    Template("red_card", Booking, r"^{P} {T} is shown the red card(?: for (?P<reason>.+?))?\.?$", const={"card": "red"}, post=_reason, needle=" is shown the red card"),
    Template("second_yellow", Booking, r"^Second yellow card to {P} {T}(?: for (?P<reason>.+?))?\.?$", const={"card": "second_yellow"}, post=_reason),
    Template("substitution_injury", Substitution, r"^Substitution, ?{TEAM}\. (?P<player_on>.+?) replaces (?P<player_off>.+?) because of an injury\.?$", const={"injury": True}, needle=" because of an injury"),
    Template("substitution", Substitution, r"^Substitution, ?{TEAM}\. (?P<player_on>.+?) replaces (?P<player_off>.+?)\.?$"),
    Template("substitution~loose", Substitution, r"^Substitution, ?{TEAM}(?:\. |\.?$)", loose=True),
    # VAR
    Template("var_goal", VarDecision, r"^VAR Decision: Goal " + _VAR_SCORE + r"(?: \((?P<player>[^()]+)\))?\.?$", const={"decision": "goal"}),
    Template("var_no_goal", VarDecision, r"^VAR Decision: No Goal " + _VAR_SCORE + r"(?: \((?P<player>[^()]+)\))?\.?$", const={"decision": "no_goal"}),
    Template("var_penalty", VarDecision, r"^VAR Decision: Penalty (?P<team>.+?)\.?$", const={"decision": "penalty"}),
    Template("var_no_penalty", VarDecision, r"^VAR Decision: No Penalty (?P<team>.+?)\.?$", const={"decision": "no_penalty"}),
    Template("var_card_upgraded", VarDecision, r"^VAR Decision: Card upgraded {P}(?: {T})?\.?$", const={"decision": "card_upgraded"}),
    Template("var_card_downgraded", VarDecision, r"^VAR Decision: Card downgraded {P}(?: {T})?\.?$", const={"decision": "card_downgraded"}),
    Template("var_no_card_change", VarDecision, r"^VAR Decision: No card change(?: {P})?(?: {T})?\.?$", const={"decision": "no_card_change"}),
    Template("var_red_card", VarDecision, r"^VAR Decision: Red card(?: {P})?(?: {T})?\.?$", const={"decision": "red_card"}),
    Template("var_other_cancelled", VarDecision, r"^VAR Decision: Other Decision Cancelled(?: {P})?(?: {T})?\.?$", const={"decision": "other_decision_cancelled"}),
    Template("var~loose", VarDecision, r"^VAR Decision:? ?(?P<detail>.*?)\.?$", const={"decision": "other"}, loose=True),
    Template("goal_overturned", VarDecision, r"^GOAL OVERTURNED BY VAR: {P} {T} scores but the goal is ruled out after a VAR review\.?$", const={"decision": "goal_overturned"}),
    Template("video_review", VarDecision, r"^Video Review: (?P<detail>.+?)\.?$", const={"decision": "review"}),
    Template("referee_decision", VarDecision, r"^Referee decision on field (?P<detail>.+?)\.?$", const={"decision": "on_field_decision"}),
    # match flow
    Template("lineups", LineupsAnnounced, r"^Lineups are announced and players are warming up\.?$"),
    Template("period_begins", PeriodStart, r"^" + _PERIOD + r" begins,?(?: {SCORE})?\.?$", post=_period, starts=_PERIOD_WORDS),
    Template("period_ends", PeriodEnd, r"^" + _PERIOD + r" ends,?(?: {SCORE})?\.?$", post=_period, starts=_PERIOD_WORDS),
    Template("match_ends", MatchEnd, r"^Match ends,?(?: {SCORE})?\.?$", post=_match_end),
    Template("added_time", AddedTime, r"^(?:Fourth official|The match official|The fourth official) has announced (?P<minutes>\d+) minutes? of added time\.?$", starts=("fourth", "the"), post=_minutes),
    Template("delay_injury", Delay, r"^Delay in match because of an injury {P}(?: {T})?\.?$", const={"reason": "injury"}),
    Template("delay_drinks", Delay, r"^Delay in match for a drinks break\.?$", const={"reason": "drinks_break"}),
    Template("delay_team", Delay, r"^Delay in match ?{T}\.?$"),
    Template("delay", Delay, r"^Delay in match\.?$"),
    Template("drinks_break", Delay, r"^Drinks break\.?$", const={"reason": "drinks_break"}),
    Template("delay_over", DelayOver, r"^Delay over\. They are ready to continue\.?$"),
    Template("delay_over~loose", DelayOver, r"^Delay over\b", loose=True),
    # a foul line that lost its "Foul by" (ESPN): a player and his team, nothing else
    Template("foul~bare", Foul, r"^{P} {T}\.?$", loose=True, needle=")"),
)
# fmt: on
