"""Typed parse rate next to a raw regex baseline, on the same real lines, in one process.

Run: ``.venv/bin/python -m bench.parse`` (needs ../shared beside the repo).
The baseline dispatches on the first word to one plain regex per kind, reads the shot
slots of shot lines with one more regex, and builds no model: the floor any regex parser
pays for the same information.  Goal: typed parse at >= 0.5x the raw rate.
"""

from __future__ import annotations

import re
import sys

from pydantic import BaseModel, ConfigDict

from bench.common import best_of, dev_rows, table
from events.parser import parse_line

_P, _T = r"(?P<player>[^()]+?)", r"\((?P<team>[^()]+)\)"
_RAW: dict[str, list[re.Pattern[str]]] = {
    "goal!": [
        re.compile(
            r"^Goal!\s+(?P<home>.+?) (?P<hg>\d+), (?P<away>.+?) (?P<ag>\d+)\. "
            + _P
            + " "
            + _T
            + r"(?P<tail>.*)$"
        )
    ],
    "own": [re.compile(r"^Own Goal by (?P<player>[^,]+), (?P<rest>.+)$")],
    "attempt": [re.compile(r"^Attempt (?P<outcome>\w+)\. " + _P + " " + _T + r"(?P<tail>.*)$")],
    "corner,": [re.compile(r"^Corner,\s*(?P<team>.+?)\.(?: Conceded by (?P<player>.+?)\.)?$")],
    "offside,": [re.compile(r"^Offside, (?P<team>.+?)\. (?P<rest>.+?) is caught offside\.$")],
    "foul": [re.compile(r"^Foul by " + _P + " " + _T + r"\.$")],
    "hand": [re.compile(r"^Hand ball by " + _P + " " + _T + r"\.$")],
    "substitution,": [
        re.compile(r"^Substitution, (?P<team>.+?)\. (?P<on>.+?) replaces (?P<off>.+?)\.$")
    ],
    "penalty": [re.compile(r"^Penalty (?P<rest>.+)$")],
}
_RAW_PLAYER_LED = [
    re.compile("^" + _P + " " + _T + r" wins a free kick(?P<tail>.*)$"),
    re.compile("^" + _P + " " + _T + r" is shown the (?P<card>\w+) card(?P<tail>.*)$"),
    re.compile("^" + _P + " " + _T + r" hits the (?P<where>.+)$"),
]


# The same shot slots the typed parser reads (body, zone, placement, assist, situation).
_RAW_SHOT = re.compile(
    r" (?:(?P<body>right footed shot|left footed shot|header)|with an attempt) from (?P<zone>.+?)"
    r"(?: (?:to the |is saved in the )(?P<on>.+? corner|.*?centre of the goal)"
    r"| (?P<off>misses .+?|is close, but misses .+?|is too high|is just a bit too high"
    r"|is high and wide .+?)| is blocked)?"
    r"(?: following a (?P<follow>corner|set piece situation|fast break)"
    r"| from a (?P<fk>direct )free kick)?\."
    r"(?: Assisted by (?P<assist>[^.]+?)(?: with a (?P<method>cross|through ball|headed pass))?"
    r"(?: following a (?P<after>corner|set piece situation|fast break))?"
    r"(?P<fk2> from a direct free kick)?\.)?$"
)


def raw_parse(line: str) -> dict[str, str | None] | None:
    """The baseline: first word -> one regex per kind -> a dict of groups, plus the shot
    slots for shot lines: the same information, as plain dicts, no model, no cleaning."""
    for pattern in _RAW.get(line.split(" ", 1)[0].lower(), _RAW_PLAYER_LED):
        if m := pattern.match(line):
            return _with_shot(m.groupdict())
    for pattern in _RAW_PLAYER_LED:
        if m := pattern.match(line):
            return _with_shot(m.groupdict())
    return None


def _with_shot(groups: dict[str, str | None]) -> dict[str, str | None]:
    tail = groups.get("tail")
    if tail and (shot := _RAW_SHOT.match(tail)):
        groups.update(shot.groupdict())
    return groups


class NaiveEvent(BaseModel):
    """What a naive typed parser builds: the baseline's groups in one pydantic model."""

    model_config = ConfigDict(frozen=True)

    kind: str
    text: str
    home: str | None = None
    away: str | None = None
    hg: str | None = None
    ag: str | None = None
    player: str | None = None
    team: str | None = None
    rest: str | None = None
    tail: str | None = None
    outcome: str | None = None
    on: str | None = None
    off: str | None = None
    card: str | None = None
    where: str | None = None
    body: str | None = None
    zone: str | None = None
    follow: str | None = None
    fk: str | None = None
    assist: str | None = None
    method: str | None = None
    after: str | None = None
    fk2: str | None = None


def naive_parse(line: str) -> NaiveEvent:
    """The baseline's regexes with a pydantic model per line: the naive typed parser."""
    return NaiveEvent(kind=line.split(" ", 1)[0].lower(), text=line, **(raw_parse(line) or {}))


ROUNDS = 15


def main() -> None:
    lines = [row["text"] for row in dev_rows()]
    n = len(lines)
    # The parsers take turns, round after round, so a change in the machine's load weighs
    # on all of them alike; each keeps its fastest round.
    raw = naive = typed = float("inf")
    for _ in range(ROUNDS):
        raw = min(raw, best_of(lambda: [raw_parse(line) for line in lines], 1))
        naive = min(naive, best_of(lambda: [naive_parse(line) for line in lines], 1))
        typed = min(typed, best_of(lambda: [parse_line(line) for line in lines], 1))
    print(
        f"{n} real lines (kaggle-events-dev), best of {ROUNDS} rounds taken in turns, "
        f"Python {sys.version.split()[0]}"
    )
    print(
        table(
            [
                ("parser", "lines/s", "µs/line", "ratio"),
                (
                    "raw regex dispatch (baseline)",
                    f"{n / raw:,.0f}",
                    f"{raw / n * 1e6:.1f}",
                    "1.00x",
                ),
                (
                    "naive: same regexes + a pydantic model per line",
                    f"{n / naive:,.0f}",
                    f"{naive / n * 1e6:.1f}",
                    f"{raw / naive:.2f}x",
                ),
                (
                    "livetext parse_line (typed)",
                    f"{n / typed:,.0f}",
                    f"{typed / n * 1e6:.1f}",
                    f"{raw / typed:.2f}x",
                ),
            ]
        )
    )
    print(f"goal: typed >= 0.50x raw -> {'met' if raw / typed >= 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
