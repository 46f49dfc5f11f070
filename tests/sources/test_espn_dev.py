"""Every ESPN dev match (../shared, absent from a bare clone): read as ESPN serves it, and
as the same match in Opta's shape, against what the summary itself says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from events.readers import read_opta, read_source
from tests.fixtures.opta_shape import espn_to_opta
from tests.sources.conftest import ESPN_DEV

FILES = sorted(ESPN_DEV.glob("*.json")) if ESPN_DEV.exists() else []
pytestmark = pytest.mark.skipif(not FILES, reason="../shared ESPN dev data not beside the repo")
BOX = {
    "wonCorners": "corners",
    "totalShots": "shots",
    "shotsOnTarget": "shots_on_target",
    "foulsCommitted": "fouls",
    "yellowCards": "yellow_cards",
    "redCards": "red_cards",
    "offsides": "offsides",
    "saves": "saves",
    "possessionPct": "possession",
}


def _summary(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = orjson.loads(path.read_bytes())
    summary: dict[str, Any] = document.get("summary", document)
    return summary


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_dev_match(path: Path) -> None:
    summary = _summary(path)
    competition = summary["header"]["competitions"][0]
    competitors = {c["homeAway"]: c for c in competition["competitors"]}
    match = read_source(path)
    sheet = match.sheet

    assert (match.format, match.match_id) == ("espn", summary["header"]["id"])
    assert sheet.home == competitors["home"]["team"]["displayName"]
    assert sheet.away == competitors["away"]["team"]["displayName"]
    assert sheet.lineups is not None
    for side in ("home", "away"):
        team = getattr(sheet.lineups, side)
        assert team is not None and len(team.starting) == 11, side
        assert team.formation

    assert sheet.status == ("final" if competition["status"]["type"]["completed"] else None)
    assert sheet.reported_score == {s: int(c["score"]) for s, c in competitors.items()}
    shootout = "shootoutScore" in competitors["home"]
    periods = [
        [int(p["displayValue"]) for p in competitors[s]["linescores"]] for s in ("home", "away")
    ]
    if shootout:
        periods = [p[:-1] for p in periods]
        assert sheet.reported_shootout == {
            s: int(c["shootoutScore"]) for s, c in competitors.items()
        }
        kicks = sheet.reported_shootout_kicks
        assert kicks is not None
        assert len(kicks) == sum(len(t["shots"]) for t in summary["shootout"])
        for side, shootout_score in sheet.reported_shootout.items():
            assert sum(k.scored for k in kicks if k.side == side) == shootout_score
    else:
        assert sheet.reported_shootout is None and sheet.reported_shootout_kicks is None
    assert sheet.reported_periods == tuple(
        {"home": h, "away": a} for h, a in zip(*periods, strict=True)
    )
    stats = sheet.reported_stats
    assert stats is not None
    for team in summary["boxscore"]["teams"]:
        for stat in team["statistics"]:
            if stat["name"] in BOX:
                value = stats[BOX[stat["name"]]][team["homeAway"]]
                assert value == float(stat["displayValue"]), stat["name"]

    lines = [e for e in match.events if e.source == "live_text"]
    assert len(lines) == len([c for c in summary["commentary"] if c["text"].strip()])
    assert all(e.line_id is not None for e in lines)
    for period in range(1, 6):
        clocks = [e.clock for e in match.events if e.clock is not None and e.clock.period == period]
        assert clocks == sorted(clocks), f"clocks go back in period {period}"


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_dev_match_in_opta_shape_reads_the_same(path: Path) -> None:
    espn = read_source(path)
    opta = read_opta(espn_to_opta(_summary(path)))
    assert [(e.type, e.text, e.clock) for e in opta.events] == [
        (e.type, e.text, e.clock) for e in espn.events
    ]
    assert (opta.sheet.home, opta.sheet.away, opta.sheet.status) == (
        espn.sheet.home,
        espn.sheet.away,
        "final",
    )
