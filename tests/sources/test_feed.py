"""JSONL feeds, with and without a header, oldest or newest first."""

from __future__ import annotations

import orjson
import pytest

from events.clock import MatchClock
from events.readers import SourceError, read_feed
from tests.sources.conftest import EXAMPLES

HEADER = {
    "match": {"id": "m-1", "home": "Inter Milan", "away": "Juventus", "kickoff": "2024-02-04"}
}
LINES: list[dict[str, object]] = [
    {"text": "First Half begins.", "clock": None},
    {"text": "Foul by Federico Gatti (Juventus).", "clock": "45'+2'", "id": "a"},
    {"text": "First Half ends, Inter Milan 0, Juventus 0.", "clock": None},
    {"text": "Second Half begins Inter Milan 0, Juventus 0.", "clock": "45'"},
    {"text": "Foul by Federico Gatti (Juventus).", "clock": 90},
]


def jsonl(*objects: object) -> str:
    return "\n".join(orjson.dumps(o).decode() for o in objects) + "\n"


def test_example_with_header_and_lineups() -> None:
    match = read_feed((EXAMPLES / "feed-example.jsonl").read_text(encoding="utf-8"))
    assert match.match_id == "inter-juventus-2024-02-04"
    assert match.sheet.kickoff == "2024-02-04T20:45:00+01:00"
    home = match.sheet.team_sheet("home")
    assert home is not None and home.formation == "3-5-2" and len(home.starting) == 11
    assert home.starting[0].position == "GK"
    assert home.player("Lautaro Martinez") == home.starting[10]
    assert [e.clock.label for e in match.events if e.clock][-3:] == ["90+3'", "90+4'", "90+4'"]
    assert match.events[-1].type == "match_end" and match.events[-1].clock_inferred


def test_header_names_teams_and_id() -> None:
    match = read_feed(jsonl(HEADER, *LINES))
    assert (match.match_id, match.sheet.home, match.sheet.away) == (
        "m-1",
        "Inter Milan",
        "Juventus",
    )
    assert [(e.clock, e.clock_inferred) for e in match.events] == [
        (MatchClock(period=1, minute=0), True),
        (MatchClock(period=1, minute=45, added=2), False),
        (MatchClock(period=1, minute=45, added=2), True),
        (MatchClock(period=2, minute=45), False),
        (MatchClock(period=2, minute=90), False),
    ]


def test_without_header_teams_from_the_first_score_line() -> None:
    match = read_feed(jsonl(*LINES), name="feeds/derby.jsonl")
    assert (match.sheet.home, match.sheet.away) == ("Inter Milan", "Juventus")
    assert match.match_id == "derby"


def test_newest_first() -> None:
    oldest = read_feed(jsonl(HEADER, *LINES))
    newest = read_feed(jsonl(HEADER, *reversed(LINES)), newest_first=True)
    assert newest.events == oldest.events


def test_ids_stable_and_keyed_by_the_line_id() -> None:
    first = read_feed(jsonl(HEADER, *LINES))
    assert read_feed(jsonl(HEADER, *LINES)).events == first.events
    renamed = dict(LINES[1], text="Foul by F. Gatti (Juventus).")
    edited = read_feed(jsonl(HEADER, LINES[0], renamed, *LINES[2:]))
    assert edited.events[1].event_id == first.events[1].event_id  # same id "a", same clock
    assert len({e.event_id for e in first.events}) == len(first.events)


def test_identical_lines_in_one_minute_differ_by_occurrence() -> None:
    line = {"text": "Foul by Federico Gatti (Juventus).", "clock": "12'"}
    match = read_feed(jsonl(line, line))
    assert match.events[0].event_id != match.events[1].event_id


@pytest.mark.parametrize(
    ("objects", "line", "message"),
    [
        ([{"text": "Foul by X (A)."}, HEADER], 2, "header after the first line"),
        ([{"clock": "3'"}], 1, '"text"'),
        ([{"text": "Foul by X (A).", "clock": "3 o'clock"}], 1, "not a match clock"),
        ([{"text": "Foul by X (A).", "clock": True}], 1, '"clock" must be'),
        ([[1, 2]], 1, "a JSON list"),
        ([{"match": {"home": "A", "lineups": {"away": {"starting": []}}}}], 1, "'away'"),
        ([{"match": {"home": "A", "lineups": {"home": {"starting": [{"number": 1}]}}}}], 1, "bad"),
    ],
)
def test_broken_feeds(objects: list[object], line: int, message: str) -> None:
    with pytest.raises(SourceError) as err:
        read_feed(jsonl(*objects), name="f.jsonl")
    assert (err.value.path, err.value.line) == ("f.jsonl", line)
    assert message in err.value.message


@pytest.mark.parametrize(
    ("match", "message"),
    [
        ({"home": "A", "lineups": "4-4-2"}, '"match.lineups" must be an object, not a string'),
        (
            {"home": "A", "lineups": {"home": {"starting": ["Sommer"]}}},
            '"match.lineups.home.starting[0]" must be an object, not a string',
        ),
        (
            {"home": "A", "lineups": {"home": {"starting": [{"name": "X", "number": "1"}]}}},
            '"match.lineups.home.starting[0].number" must be a whole number, not a string',
        ),
        (
            {"home": "A", "lineups": {"home": {"bench": {"name": "X"}}}},
            '"match.lineups.home.bench" must be a list, not an object',
        ),
        ({"home": ["A"], "away": "B"}, '"match.home" must be a string, not a list'),
        ({"id": {"n": 1}}, '"match.id" must be a string or a whole number, not an object'),
        ({"kickoff": 20240204}, '"match.kickoff" must be a string, not a whole number'),
        ("A v B", '"match" must be an object, not a string'),
    ],
)
def test_header_of_wrong_types_is_one_clear_line(match: object, message: str) -> None:
    """Issue 15, defect 9: ``FILE:LINE: what is wrong``, never a traceback or a pydantic
    dump."""
    with pytest.raises(SourceError) as err:
        read_feed(jsonl({"match": match}, LINES[0]), name="f.jsonl")
    assert str(err.value).startswith("f.jsonl:1: bad match header: ")
    assert message in err.value.message
    assert "\n" not in str(err.value) and "pydantic" not in str(err.value)


def test_broken_json_names_the_line() -> None:
    with pytest.raises(SourceError, match=r"^f.jsonl:2: not a JSON object"):
        read_feed(jsonl(LINES[0]) + '{"text": "Foul by X (A).", \n', name="f.jsonl")


def test_plain_line_in_a_feed_is_a_mix() -> None:
    with pytest.raises(SourceError, match=r"^<feed>:2: "):
        read_feed(jsonl(LINES[0]) + "Foul by X (A).\n")
