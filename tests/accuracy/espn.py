"""Accuracy on whole real matches: ESPN World Cup summaries against their own box scores.

Each match is read twice, as the ESPN JSON (``livetext`` detects it) and as plain text
lines with their clock strings (no line-ups), folded to its final state, and held to
what ESPN itself reports, read here straight from the JSON (not through the reader, so
a reader's mistake shows): the final score and shoot-out, the goals of each period, the
box score's counters, the substitutions of the rosters.  ``python -m tests.accuracy.espn``
prints the table the README records.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from events.readers import Match, read_source
from projections import MatchState, replay

DEV = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "espn-worldcup-dev"
SIDES = ("home", "away")

EXACT = {
    "corners": "wonCorners",
    "yellow_cards": "yellowCards",
    "red_cards": "redCards",
    "offsides": "offsides",
    "shots": "totalShots",
}
"""State stat -> ESPN box score stat, equal in every match."""
WITHIN_ONE = {"shots_on_target": "shotsOnTarget", "saves": "saves"}
"""Within one: ESPN's count and the text's may differ by a kick or a save."""
CHECKS = (
    "final score",
    "shoot-out",
    "goals per period",
    *EXACT,
    "substitutions",
    *WITHIN_ONE,
    "on the pitch at the end",
    "no line unrecognised",
)


def summary(path: Path) -> dict[str, Any]:
    """The ESPN summary object of a file (bare, or wrapped as ``{"summary": ...}``)."""
    data: dict[str, Any] = orjson.loads(path.read_bytes())
    inner = data.get("summary")
    return inner if isinstance(inner, dict) else data


@dataclass(frozen=True)
class Facts:
    """What ESPN reports about one match, per side."""

    score: dict[str, int]
    shootout: dict[str, int] | None
    periods: dict[str, list[int]]
    box: dict[str, dict[str, float]]
    substitutions: dict[str, int]
    names: dict[str, str] = field(default_factory=dict)


def facts(s: dict[str, Any]) -> Facts:
    """ESPN's own facts, read from the summary's header, box score and rosters."""
    competitors = {c["homeAway"]: c for c in s["header"]["competitions"][0]["competitors"]}
    names = {side: competitors[side]["team"]["displayName"] for side in SIDES}
    by_name = {v: k for k, v in names.items()}
    shootout = None
    if all("shootoutScore" in competitors[side] for side in SIDES):
        shootout = {side: int(float(competitors[side]["shootoutScore"])) for side in SIDES}
    box: dict[str, dict[str, float]] = {}
    for team in s["boxscore"]["teams"]:
        side = team.get("homeAway") or by_name[team["team"]["displayName"]]
        box[side] = {x["name"]: float(x["displayValue"]) for x in team["statistics"]}
    subs = {r["homeAway"]: sum(bool(p.get("subbedIn")) for p in r["roster"]) for r in s["rosters"]}
    return Facts(
        score={side: int(competitors[side]["score"]) for side in SIDES},
        shootout=shootout,
        periods={
            side: [int(float(x["displayValue"])) for x in competitors[side]["linescores"]][:4]
            for side in SIDES
        },
        box=box,
        substitutions=subs,
        names=names,
    )


def plain_lines(s: dict[str, Any]) -> str:
    """The commentary as plain lines, each led by its clock string, under a header."""
    competitors = {c["homeAway"]: c for c in s["header"]["competitions"][0]["competitors"]}
    home, away = (competitors[side]["team"]["displayName"] for side in SIDES)
    out = [f"# {home} v {away}"]
    for item in sorted(s.get("commentary", ()), key=lambda c: c["sequence"]):
        clock = (item.get("time") or {}).get("displayValue") or ""
        out.append(f"{clock} {item['text']}" if clock else item["text"])
    return "\n".join(out) + "\n"


def state_of(match: Match) -> MatchState:
    """The final state of a read match."""
    return replay(match.events, match_id=match.match_id, meta=match.sheet)


def check(match: Match, expected: Facts, *, lineups: bool) -> dict[str, bool]:
    """Each of :data:`CHECKS` -> whether the rebuilt state agrees with ESPN."""
    state = state_of(match).to_json()
    stats = state["stats"]
    periods = {side: [p[side] for p in state["score"]["periods"]] for side in SIDES}
    out = {
        "final score": all(state["score"][side] == expected.score[side] for side in SIDES),
        "shoot-out": state["shootout"] == expected.shootout,
        "goals per period": periods == expected.periods,
        "substitutions": all(
            stats[side]["substitutions"] == expected.substitutions[side] for side in SIDES
        ),
        "no line unrecognised": not any(e.type == "unrecognised" for e in match.events),
    }
    for ours, theirs in EXACT.items():
        out[ours] = all(stats[side][ours] == expected.box[side][theirs] for side in SIDES)
    for ours, theirs in WITHIN_ONE.items():
        out[ours] = all(abs(stats[side][ours] - expected.box[side][theirs]) <= 1 for side in SIDES)
    if lineups:
        out["on the pitch at the end"] = all(
            len(lu["on_pitch"]) == 11 - len(lu["sent_off"]) - len(lu["retired"])
            for lu in (state["lineups"][side] for side in SIDES)
        )
    return out


def matches() -> list[Path]:
    """The dev matches, one file each (empty without ../shared)."""
    return sorted(DEV.glob("*.json")) if DEV.is_dir() else []


def readings(path: Path, tmp: Path) -> Iterator[tuple[str, Match]]:
    """A match read as ESPN JSON and as plain lines (written to ``tmp``)."""
    yield "espn", read_source(path)
    lines = tmp / f"{path.stem}.txt"
    lines.write_text(plain_lines(summary(path)), encoding="utf-8")
    yield "lines", read_source(lines, match_id=path.stem)


def table(tmp: Path) -> str:
    """The README's accuracy table: each check, agreeing matches per reading."""
    tally: dict[str, Counter[str]] = {"espn": Counter(), "lines": Counter()}
    total: Counter[tuple[str, str]] = Counter()
    for path in matches():
        expected = facts(summary(path))
        for how, match in readings(path, tmp):
            for name, ok in check(match, expected, lineups=how == "espn").items():
                tally[how][name] += ok
                total[how, name] += 1
    rows = ["| check | ESPN JSON | plain lines |", "|---|---|---|"]
    for name in CHECKS:
        cells = [
            f"{tally[how][name]}/{total[how, name]}" if total[how, name] else "n/a (no line-ups)"
            for how in ("espn", "lines")
        ]
        rows.append(f"| {name} | {cells[0]} | {cells[1]} |")
    return "\n".join(rows)


if __name__ == "__main__":
    import tempfile

    if not matches():
        sys.exit(f"no dev matches in {DEV}")
    with tempfile.TemporaryDirectory() as d:
        print(table(Path(d)))
