"""Map the Kaggle "football events" labels onto livetext events, field by field."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from events.models import EventBase

DEV_CSV = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "data"
    / "kaggle-events-dev"
    / "events_dev.csv"
)
FAULTS_CSV = Path(__file__).with_name("kaggle_label_faults.csv")
SAMPLE_CSV = Path(__file__).resolve().parents[1] / "fixtures" / "kaggle-sample.csv"
"""Every 10th dev row and every row with a listed label fault (565 rows): what the checks
read in a clone without the data beside it (``tests/fixtures/make_kaggle_sample.py``)."""
FULL = DEV_CSV.exists()
LABELLED = DEV_CSV if FULL else SAMPLE_CSV
"""The labelled lines the checks read: the whole dev half when it is beside the repo."""
ROWS = 4702 if FULL else 565

_TYPES: dict[str, set[str]] = {
    "Attempt": {"goal", "attempt", "penalty_missed"},
    "Corner": {"corner"},
    "Foul": {"foul"},
    "Yellow card": {"booking"},
    "Red card": {"booking"},
    "Substitution": {"substitution"},
    "Free kick won": {"free_kick_won"},
    "Offside": {"offside"},
    "Hand ball": {"handball"},
    "Penalty conceded": {"penalty_awarded", "penalty_conceded"},
}
_OUTCOMES = {
    "saved": "On target",
    "missed": "Off target",
    "blocked": "Blocked",
    "woodwork": "Hit the bar",
}
_BODY = {"right_foot": "right foot", "left_foot": "left foot", "head": "head"}
_AREAS = {"defensive_half": "Defensive half", "attacking_half": "Attacking half",
          "left_wing": "Left wing", "right_wing": "Right wing"}  # fmt: skip
_ASSIST = {None: "None", "pass": "Pass", "cross": "Cross", "through_ball": "Through ball",
           "headed_pass": "Headed pass"}  # fmt: skip
_SITUATION = {"open_play": "Open play", "set_piece": "Set piece", "corner": "Corner",
              "free_kick": "Free kick"}  # fmt: skip


_TRANSLITERATE = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "ı": "i"}
)


def fold(name: str | None) -> str:
    """A name as the labels write it: lower case, no accents, letters and digits only.

    Spaces are dropped too: the labels write hyphens now as a space, now as nothing.
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name.translate(_TRANSLITERATE))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "", text)


def rows() -> list[dict[str, str]]:
    """The labelled lines (:data:`LABELLED`), in the file's order."""
    with LABELLED.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def label_faults() -> dict[tuple[str, str], str]:
    """(id_event, field) -> why the label is wrong."""
    with FAULTS_CSV.open(encoding="utf-8", newline="") as f:
        return {(r["id_event"], r["field"]): r["reason"] for r in csv.DictReader(f)}


def type_agrees(row: dict[str, str], event: EventBase) -> bool:
    allowed = _TYPES.get(row["event_type"], set())
    if event.type not in allowed:
        return False
    if row["event_type"] == "Attempt":
        return (row["is_goal"] == "1") == (event.type == "goal")
    return True


@dataclass(frozen=True)
class FieldCheck:
    """One labelled field: whether it applies to a row, the label, and our value."""

    name: str
    applies: Callable[[dict[str, str], EventBase], bool]
    label: Callable[[dict[str, str]], str]
    ours: Callable[[EventBase], str]


def _get(event: EventBase, attr: str) -> Any:
    return getattr(event, attr, None)


def _player(e: EventBase) -> str:
    return fold(_get(e, "conceded_by") if e.type == "corner" else _get(e, "player"))


def _passer(e: EventBase) -> str:
    return fold(_get(e, "passer") if e.type == "offside" else _get(e, "assist"))


def _outcome(e: EventBase) -> str:
    return "On target" if e.type == "goal" else _OUTCOMES.get(_get(e, "outcome"), "")


def _card(e: EventBase) -> str:
    return str(_get(e, "card"))


def _label_card(r: dict[str, str]) -> str:
    if r["event_type"] == "Red card":
        return "red"
    return "second_yellow" if r["event_type2"] == "Sending off" else "yellow"


def _shot(r: dict[str, str], e: EventBase) -> bool:
    return r["event_type"] == "Attempt" and e.type in ("goal", "attempt", "penalty_missed")


def _not_own_goal(r: dict[str, str], e: EventBase) -> bool:
    return _shot(r, e) and r["event_type2"] != "Own goal"


CHECKS: tuple[FieldCheck, ...] = (
    FieldCheck("player", lambda r, e: r["player"] != "NA" and r["event_type"] != "Penalty conceded",
               lambda r: fold(r["player"]), _player),
    FieldCheck("passer", lambda r, e: r["event_type"] in ("Attempt", "Offside"),
               lambda r: fold(r["player2"]) if r["player2"] != "NA" else "", _passer),
    FieldCheck("player_on", lambda r, e: r["event_type"] == "Substitution",
               lambda r: fold(r["player_in"]), lambda e: fold(_get(e, "player_on"))),
    FieldCheck("player_off", lambda r, e: r["event_type"] == "Substitution",
               lambda r: fold(r["player_out"]), lambda e: fold(_get(e, "player_off"))),
    FieldCheck("outcome", lambda r, e: _shot(r, e) and r["event_type2"] != "Own goal",
               lambda r: r["shot_outcome"], _outcome),
    FieldCheck("body_part", _not_own_goal, lambda r: r["bodypart"],
               lambda e: _BODY.get(_get(e, "body_part"), "NA")),
    FieldCheck("free_kick_area", lambda r, e: r["event_type"] == "Free kick won",
               lambda r: r["location"], lambda e: _AREAS.get(_get(e, "area"), "NA")),
    FieldCheck("assist_method", _not_own_goal, lambda r: r["assist_method"],
               lambda e: _ASSIST.get(_get(e, "assist_method"), "?")),
    FieldCheck("situation", _not_own_goal, lambda r: r["situation"],
               lambda e: _SITUATION.get(_get(e, "situation"), "NA")),
    FieldCheck("card", lambda r, e: r["event_type"] in ("Yellow card", "Red card"), _label_card, _card),
    FieldCheck("own_goal", lambda r, e: r["event_type"] == "Attempt",
               lambda r: str(r["event_type2"] == "Own goal"), lambda e: str(bool(_get(e, "own_goal")))),
)  # fmt: skip


def disagreements(
    parsed: list[tuple[dict[str, str], EventBase]],
) -> Iterator[tuple[str, dict[str, str], str, str]]:
    """(field, row, label, ours) for every labelled field we read differently."""
    for row, event in parsed:
        if not type_agrees(row, event):
            continue
        for check in CHECKS:
            if check.applies(row, event):
                label, ours = check.label(row), check.ours(event)
                if label != ours:
                    yield check.name, row, label, ours
