"""The Opta commentary reader, on a real match (ESPN's Germany v Paraguay) put in the shape
of Opta's commentary feed (tests/fixtures/opta_shape.py)."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from events.clock import MatchClock
from events.readers import Match, SourceError, read_data, read_opta, read_source
from tests.sources.conftest import ESPN_SHOOTOUT, OPTA_SHOOTOUT


@pytest.fixture(scope="module")
def opta() -> Match:
    return read_source(OPTA_SHOOTOUT)


def _document() -> dict[str, Any]:
    document: dict[str, Any] = orjson.loads(OPTA_SHOOTOUT.read_bytes())
    return document


def test_detected_with_teams_kickoff_and_status(opta: Match) -> None:
    sheet = opta.sheet
    assert opta.format == "opta"
    assert opta.match_id == _document()["matchInfo"]["id"]
    assert (sheet.home, sheet.away, sheet.kickoff) == (
        "Germany",
        "Paraguay",
        "2026-06-29T20:30:00Z",
    )
    assert (sheet.provider, sheet.status) == ("opta", "final")


def test_newest_first_messages_read_oldest_first(opta: Match) -> None:
    messages = _document()["messages"][0]["message"]
    assert opta.events[0].text.startswith("Lineups are announced")
    assert opta.events[-1].text.startswith("Match ends")
    assert [e.line_id for e in opta.events] == [m["id"] for m in reversed(messages)]


def test_same_lines_and_clocks_as_the_espn_summary(opta: Match) -> None:
    espn = read_source(ESPN_SHOOTOUT)
    assert [(e.type, e.text, e.clock, e.clock_inferred) for e in opta.events] == [
        (e.type, e.text, e.clock, e.clock_inferred) for e in espn.events
    ]
    shootout = [e for e in opta.events if e.clock == MatchClock(period=5, minute=120)]
    assert len(shootout) == 15  # its start, 12 kicks, its end and Match ends


def test_status_and_scores_from_live_data() -> None:
    document = _document()
    document["liveData"] = {
        "matchDetails": {
            "matchStatus": "Playing",
            "scores": {"total": {"home": 1, "away": 1}, "pen": {"home": 3, "away": 4}},
        }
    }
    sheet = read_opta(document).sheet
    assert sheet.status == "in_progress"
    assert (sheet.reported_score, sheet.reported_shootout) == (
        {"home": 1, "away": 1},
        {"home": 3, "away": 4},
    )


def test_status_from_the_periods_of_the_messages() -> None:
    document = _document()
    messages = document["messages"][0]["message"]
    live = [m for m in messages if m["period"] not in ("14",)]
    pre = [m for m in messages if m["period"] == "16"]
    assert read_opta({**document, "messages": [{"message": live}]}).sheet.status == "in_progress"
    assert read_opta({**document, "messages": [{"message": pre}]}).sheet.status == "scheduled"


def test_a_message_without_time_takes_its_minute_in_its_period() -> None:
    document = _document()
    messages = document["messages"][0]["message"]
    goal = next(m for m in messages if m["type"] == "goal" and m["period"] == "2")
    goal["time"] = ""
    match = read_opta(document)
    event = next(e for e in match.events if e.line_id == goal["id"])
    assert event.clock == MatchClock.of(int(goal["minute"]), period=2)
    assert not event.clock_inferred


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["matchInfo"].update(contestant="Germany"), '"matchInfo.contestant" must be'),
        (
            lambda d: d["matchInfo"]["contestant"][0].update(position="host"),
            '"matchInfo.contestant[0].position" must be "home" or "away"',
        ),
        (
            lambda d: d["messages"][0]["message"][3].update(period="second"),
            '"messages[0].message[3].period" must be a whole number',
        ),
        (
            lambda d: d["messages"][0]["message"][3].update(time="late"),
            '"messages[0].message[3].time": not a match clock',
        ),
    ],
)
def test_wrong_types_are_named_in_one_line(change: Any, message: str) -> None:
    document = _document()
    change(document)
    with pytest.raises(SourceError) as err:
        read_data(orjson.dumps(document), "opta.json")
    assert str(err.value).startswith("opta.json:1: not an Opta commentary as expected: ")
    assert message in err.value.message
