"""The ESPN summary reader, on two trimmed real matches kept in the repository."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from events.clock import MatchClock
from events.models import Goal, PenaltyMissed, PeriodStart, Substitution
from events.readers import Match, SourceError, read_data, read_espn, read_source
from events.sheet import ShootoutKick
from tests.sources.conftest import ESPN_PLAIN, ESPN_SHOOTOUT


@pytest.fixture(scope="module")
def plain() -> Match:
    return read_source(ESPN_PLAIN)


@pytest.fixture(scope="module")
def shootout() -> Match:
    return read_source(ESPN_SHOOTOUT)


def _summary(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = orjson.loads(path.read_bytes())
    summary: dict[str, Any] = document.get("summary", document)
    return summary


def test_wrapped_and_bare_summaries_read_alike(plain: Match) -> None:
    bare = read_espn(_summary(ESPN_PLAIN), name=str(ESPN_PLAIN))
    assert plain.format == "espn"
    assert bare.events == plain.events
    assert bare.sheet == plain.sheet


def test_match_id_teams_and_kickoff_from_the_header(plain: Match) -> None:
    sheet = plain.sheet
    assert plain.match_id == "760415"
    assert {e.match_id for e in plain.events} == {"760415"}
    assert (sheet.home, sheet.away, sheet.kickoff) == (
        "Mexico",
        "South Africa",
        "2026-06-11T19:00Z",
    )
    assert (sheet.provider, sheet.status, sheet.referee) == (
        "espn",
        "final",
        "Wilton Pereira Sampaio",
    )
    given = read_source(ESPN_PLAIN, match_id="mex-rsa")
    assert {e.match_id for e in given.events} == {"mex-rsa"}


def test_lineups_from_the_rosters(plain: Match) -> None:
    lineups = plain.sheet.lineups
    assert lineups is not None and lineups.home is not None and lineups.away is not None
    home = lineups.home
    assert (home.name, home.formation, len(home.starting)) == ("Mexico", "4-1-4-1", 11)
    keeper = home.starting[0]
    assert (keeper.name, keeper.number, keeper.position) == ("Raúl Rangel", 1, "Goalkeeper")
    assert home.bench and all(p.position is None for p in home.bench)
    assert all(p.number is not None for p in home.players + lineups.away.players)
    assert len(lineups.away.starting) == 11


def test_reported_facts_from_the_box_score_and_header(plain: Match, shootout: Match) -> None:
    sheet = plain.sheet
    assert sheet.reported_stats is not None
    assert set(sheet.reported_stats) == {
        "corners",
        "shots",
        "shots_on_target",
        "fouls",
        "yellow_cards",
        "red_cards",
        "offsides",
        "saves",
        "possession",
    }
    box = {
        t["homeAway"]: {s["name"]: s["displayValue"] for s in t["statistics"]}
        for t in _summary(ESPN_PLAIN)["boxscore"]["teams"]
    }
    for side in ("home", "away"):
        assert sheet.reported_stats["corners"][side] == int(box[side]["wonCorners"])
        assert sheet.reported_stats["possession"][side] == float(box[side]["possessionPct"])
    assert sheet.reported_score == {"home": 2, "away": 0}
    assert sheet.reported_periods == ({"home": 1, "away": 0}, {"home": 1, "away": 0})
    assert sheet.reported_shootout is None and sheet.reported_shootout_kicks is None

    pens = shootout.sheet
    assert pens.reported_score == {"home": 1, "away": 1}
    assert pens.reported_shootout == {"home": 3, "away": 4}
    assert pens.reported_periods is not None and len(pens.reported_periods) == 4
    kicks = pens.reported_shootout_kicks
    assert kicks is not None and len(kicks) == 12
    assert kicks[:2] == (
        ShootoutKick(side="home", player="Kai Havertz", scored=False),
        ShootoutKick(side="away", player="Maurício", scored=True),
    )
    assert sum(k.scored for k in kicks if k.side == "away") == 4


def test_lines_in_sequence_order_with_their_line_ids(plain: Match) -> None:
    summary = _summary(ESPN_PLAIN)
    lines = sorted(summary["commentary"], key=lambda c: c["sequence"])
    assert [e.text for e in plain.events] == [c["text"] for c in lines]
    assert [e.line_id for e in plain.events] == [str(c["sequence"]) for c in lines]
    first, last = plain.events[0], plain.events[-1]
    assert first.clock_inferred and last.clock_inferred  # no clock: line-ups, Match ends
    assert not any(e.clock_inferred for e in plain.events[2:-1])


def test_period_of_a_boundary_minute(shootout: Match) -> None:
    """``45'`` after half time, ``90'`` of extra time and ``120'`` of the shoot-out are
    placed in their period, even a line ESPN lists before the period's start."""
    events = shootout.events
    sub = next(e for e in events if isinstance(e, Substitution) and "Velázquez" in e.text)
    assert sub.clock == MatchClock(period=3, minute=90)
    starts = [e for e in events if isinstance(e, PeriodStart)]
    assert [s.period for s in starts] == [1, 2, 3, 4, 5]
    kicks = [e for e in events if e.clock is not None and e.clock.period == 5]
    assert len([e for e in kicks if isinstance(e, Goal | PenaltyMissed)]) == 12
    assert all(e.shootout for e in kicks if isinstance(e, Goal | PenaltyMissed))
    second_half = [e for e in events if e.clock == MatchClock(period=2, minute=45)]
    assert second_half and not any(e.clock == MatchClock(period=1, minute=45) for e in second_half)


def test_event_ids_are_stable(shootout: Match) -> None:
    again = read_data(ESPN_SHOOTOUT.read_bytes(), str(ESPN_SHOOTOUT))
    assert [e.event_id for e in again.events] == [e.event_id for e in shootout.events]
    assert len({e.event_id for e in shootout.events}) == len(shootout.events)


def test_a_summary_before_kick_off() -> None:
    summary = _summary(ESPN_SHOOTOUT)
    summary = {**summary, "commentary": []}
    competition = summary["header"]["competitions"][0]
    competition["status"] = {"type": {"state": "pre", "completed": False}}
    match = read_espn(summary)
    assert (match.events, match.sheet.status) == ((), "scheduled")


def test_a_line_longer_than_the_line_limit_is_fine_in_json() -> None:
    document = orjson.loads(ESPN_SHOOTOUT.read_bytes())
    data = orjson.dumps({**document, "notes": "x" * 100_000})
    assert b"\n" not in data
    assert read_data(data, "big.json").format == "espn"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["header"].pop("id"), '"header.id" is missing'),
        (lambda s: s.update(commentary="none"), '"commentary" must be a list, not a string'),
        (
            lambda s: s["rosters"][0]["roster"][3].update(athlete="Neuer"),
            '"rosters[0].roster[3].athlete" must be an object',
        ),
        (
            lambda s: s["commentary"][5]["time"].update(displayValue="soon"),
            '"commentary[5].time.displayValue": not a match clock',
        ),
        (
            lambda s: s["header"]["competitions"][0]["competitors"][0].update(homeAway="host"),
            '"header.competitions[0].competitors[0].homeAway" must be "home" or "away"',
        ),
    ],
)
def test_wrong_types_are_named_in_one_line(change: Any, message: str) -> None:
    summary = _summary(ESPN_SHOOTOUT)
    change(summary)
    with pytest.raises(SourceError) as err:
        read_data(orjson.dumps(summary), "espn.json")
    assert str(err.value).startswith("espn.json:1: not an ESPN summary as expected: ")
    assert message in err.value.message
    assert "\n" not in str(err.value)
