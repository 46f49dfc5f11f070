"""The shared slots of shot lines (body part, zone, placement, assist, situation).

Each table maps the words of the feed to the vocabulary's enum value; ``shot_details``
reads whatever slots a line's tail holds, so a tail in an unexpected order or with an
unknown phrase still yields the slots it does hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

BODY_PARTS = {
    "right footed shot": "right_foot",
    "left footed shot": "left_foot",
    "header": "head",
    "right foot": "right_foot",
    "left foot": "left_foot",
}

ZONES = {
    "the centre of the box": "centre_of_box",
    "outside the box": "outside_box",
    "the left side of the box": "left_side_of_box",
    "the right side of the box": "right_side_of_box",
    "the left side of the six yard box": "left_side_of_six_yard_box",
    "the right side of the six yard box": "right_side_of_six_yard_box",
    "the centre of the six yard box": "centre_of_six_yard_box",
    "very close range": "very_close_range",
    "a difficult angle on the left": "difficult_angle_left",
    "a difficult angle on the right": "difficult_angle_right",
    "long range on the left": "long_range_left",
    "long range on the right": "long_range_right",
    "more than 35 yards": "more_than_35_yards",
    "more than 40 yards": "more_than_40_yards",
    "the penalty spot": "penalty_spot",
    "a difficult angle and long range": "difficult_angle_and_long_range",
}

PLACEMENTS = {
    # goals: "to the ..."; saves: "is saved in the ..."
    "bottom left corner": "bottom_left",
    "bottom right corner": "bottom_right",
    "top left corner": "top_left",
    "top right corner": "top_right",
    "centre of the goal": "centre",
    "high centre of the goal": "top_centre",
    "top centre of the goal": "top_centre",
    # misses
    "misses to the left": "misses_left",
    "misses to the right": "misses_right",
    "is close, but misses to the left": "close_misses_left",
    "is close, but misses to the right": "close_misses_right",
    "is close, but misses the top left corner": "close_misses_top_left",
    "is close, but misses the top right corner": "close_misses_top_right",
    "is too high": "too_high",
    "is just a bit too high": "just_too_high",
    "is high and wide to the left": "high_and_wide_left",
    "is high and wide to the right": "high_and_wide_right",
    # woodwork
    "left post": "left_post",
    "right post": "right_post",
    "bar": "bar",
    "crossbar": "bar",
}

ASSIST_METHODS = {
    "with a cross": "cross",
    "with a through ball": "through_ball",
    "with a headed pass": "headed_pass",
}

FREE_KICK_AREAS = {
    "in the defensive half": "defensive_half",
    "in the attacking half": "attacking_half",
    "on the left wing": "left_wing",
    "on the right wing": "right_wing",
}


def _alternation(phrases: Iterable[str]) -> str:
    """A regex matching any of the phrases, the longest it can, as a prefix tree
    (``the (?:left|right) side``): a shared prefix is read once, not once per phrase."""
    tree: dict[str, Any] = {}
    for phrase in phrases:
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here
    return _branches(tree)


def _branches(node: dict[str, Any]) -> str:
    alternatives = [re.escape(char) + _branches(child) for char, child in node.items() if char]
    if not alternatives:
        return ""
    if "" in node:  # a phrase ends here: the longer ones first, then this one
        return "(?:" + "|".join(alternatives) + ")?"
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


_BODY = re.compile(rf"\b({_alternation(BODY_PARTS)})\b", re.IGNORECASE)
_ZONE = re.compile(rf"\bfrom ({_alternation(ZONES)})\b", re.IGNORECASE)
_ON_TARGET = {k: v for k, v in PLACEMENTS.items() if k.endswith(("corner", "goal"))}
_MISSES = {k: v for k, v in PLACEMENTS.items() if k.startswith(("is ", "misses"))}
_GOAL_PLACE = re.compile(rf"\bto the ({_alternation(_ON_TARGET)})", re.IGNORECASE)
_SAVE_PLACE = re.compile(rf"\bsaved\s+in the ({_alternation(_ON_TARGET)})", re.IGNORECASE)
_MISS_PLACE = re.compile(rf"({_alternation(_MISSES)})", re.IGNORECASE)
_ASSIST = re.compile(
    rf"\bAssisted by (?P<assist>.+?)(?: (?P<method>{_alternation(ASSIST_METHODS)}))?"
    r"(?: following a (?P<after>corner|set piece situation|fast break))?"
    r"(?: from a (?:direct )?free kick)?\s*\.?\s*$",
    re.IGNORECASE,
)
_FOLLOWING = re.compile(r"\bfollowing a (corner|set piece situation|fast break)\b", re.IGNORECASE)
_FREE_KICK = re.compile(r"\bfrom a (?:direct )?free kick\b", re.IGNORECASE)
_KEEPER = re.compile(r"\bsaved\b.*?\bby (?P<gk>[^()]+?) \((?P<gk_team>[^()]+)\)", re.IGNORECASE)
_NO_BODY = re.compile(r"\bwith an attempt\b", re.IGNORECASE)


# The canonical order of a shot tail, as a pattern a template appends after ``{P} {T}``:
# a lookahead whose ``s_*`` groups read every slot in one pass when the tail is in that
# order, in the feed's own case (they are all None otherwise, ``s_zone`` included),
# followed by the whole tail.
SHOT_TAIL = (
    r"(?:(?=(?-i:"
    rf" (?:(?P<s_body>{_alternation(BODY_PARTS)})|with an attempt)"
    rf" from (?P<s_zone>{_alternation(ZONES)})"
    rf"(?: to the (?P<s_on>{_alternation(_ON_TARGET)})"
    rf"| is saved in the (?P<s_saved>{_alternation(_ON_TARGET)})"
    r"(?: by (?P<s_gk>[^()]+?) \((?P<s_gk_team>[^()]+)\))?"  # the keeper, as _KEEPER reads him
    rf"| (?P<s_off>{_alternation(_MISSES)})| is blocked)?"
    r"(?: following a (?P<s_follow>corner|set piece situation|fast break)"
    r"| from a (?P<s_fk>direct )free kick)?\."
    r"(?: Assisted by (?P<s_assist>[^.]+)\.)?$"  # the whole clause: see _assist_clause
    r"))|)(?P<tail>.*)$"
)
_CANONICAL_GROUPS = (
    *("s_body", "s_zone", "s_on", "s_saved", "s_off"),
    *("s_follow", "s_fk", "s_assist", "s_gk"),
)


def shot_slots(m: re.Match[str], out: dict[str, Any]) -> None:
    """Write the slots of a match of a template ending in :data:`SHOT_TAIL` into ``out``:
    read off its ``s_*`` groups when the tail was in the canonical order, else slot by
    slot (:func:`tolerant_shot_details`)."""
    if m["s_zone"] is None:
        out.update(tolerant_shot_details(m["tail"]))
        return
    body, zone, on, saved, off, follow, fk, clause, keeper = m.group(*_CANONICAL_GROUPS)
    after = fk2 = None
    if clause:
        assist, method, after, fk2 = _assist_clause(clause)
        out["assist"] = assist
        out["assist_method"] = method
    out["zone"] = ZONES[zone]
    if body:
        out["body_part"] = BODY_PARTS[body]
    if placement := on or saved or off:
        out["placement"] = PLACEMENTS[placement]
    if keeper is not None:
        out["goalkeeper"], out["goalkeeper_team"] = keeper, m["s_gk_team"]
    out["fast_break"] = follow == "fast break" or after == "fast break"
    if fk or fk2:
        out["situation"], out["free_kick"] = "free_kick", True
    elif "corner" in (follow, after):
        out["situation"] = "corner"
    elif "set piece situation" in (follow, after):
        out["situation"] = "set_piece"
    else:
        out["situation"] = "open_play"


_AFTER = {f" following a {s}": s for s in ("corner", "set piece situation", "fast break")}
_METHOD = {f" {phrase}": method for phrase, method in ASSIST_METHODS.items()}
_DIRECT_FREE_KICK = " from a direct free kick"


def _assist_clause(clause: str) -> tuple[str, str, str | None, bool]:
    """``X with a cross following a corner from a direct free kick`` (each part after
    the name optional, in that order) -> the assister, the method (``pass`` when none is
    named), the situation followed and whether it came from a direct free kick."""
    fk = clause.endswith(_DIRECT_FREE_KICK)
    if fk:
        clause = clause[: -len(_DIRECT_FREE_KICK)]
    after = None
    for suffix, situation in _AFTER.items():
        if clause.endswith(suffix):
            clause, after = clause[: -len(suffix)], situation
            break
    for suffix, method in _METHOD.items():
        if clause.endswith(suffix):
            return clause[: -len(suffix)], method, after, fk
    return clause, "pass", after, fk


def _lookup(table: dict[str, str], phrase: str) -> str:
    return table[phrase.lower()]


def tolerant_shot_details(tail: str, *, penalty: bool = False) -> dict[str, Any]:
    """``shot_details`` slot by slot: any order, unknown phrases skipped."""
    shot, _, assist_part = tail.partition("Assisted by")
    if assist_part:
        assist_part = "Assisted by" + assist_part
    out: dict[str, Any] = {}
    if not _NO_BODY.search(shot) and (m := _BODY.search(shot)):
        out["body_part"] = _lookup(BODY_PARTS, m.group(1))
    if m := _ZONE.search(shot):
        out["zone"] = _lookup(ZONES, m.group(1))
    elif penalty:
        out["zone"] = "penalty_spot"
    if (m := _GOAL_PLACE.search(shot) or _SAVE_PLACE.search(shot)) or (
        m := _MISS_PLACE.search(shot)
    ):
        out["placement"] = _lookup(PLACEMENTS, m.group(1))
    if m := _KEEPER.search(shot):
        out["goalkeeper"], out["goalkeeper_team"] = m["gk"], m["gk_team"]

    following = {f.lower() for f in _FOLLOWING.findall(shot)}
    if assist_part and (m := _ASSIST.search(assist_part)):
        out["assist"] = m["assist"]
        out["assist_method"] = _lookup(ASSIST_METHODS, m["method"]) if m["method"] else "pass"
        if m["after"]:
            following.add(m["after"].lower())
    out["fast_break"] = "fast break" in following
    if penalty:
        out["situation"] = "set_piece"
    elif _FREE_KICK.search(tail):
        out["situation"] = "free_kick"
        out["free_kick"] = True
    elif "corner" in following:
        out["situation"] = "corner"
    elif "set piece situation" in following:
        out["situation"] = "set_piece"
    else:
        out["situation"] = "open_play"
    return out
