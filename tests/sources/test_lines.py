"""Plain lines, with and without clocks."""

from __future__ import annotations

import pytest

from events.clock import MatchClock
from events.readers import SourceError, read_lines
from tests.sources.conftest import EXAMPLES


def test_example_with_title_and_clocks() -> None:
    match = read_lines((EXAMPLES / "lines-example.txt").read_text(encoding="utf-8"))
    assert (match.sheet.home, match.sheet.away, match.sheet.kickoff) == (
        "Inter Milan",
        "Juventus",
        "2024-02-04",
    )
    assert match.match_id == "inter-milan-juventus-2024-02-04"
    labels = {e.text: (e.clock, e.clock_inferred) for e in match.events}
    assert labels["Corner, Juventus. Conceded by Alessandro Bastoni."] == (
        MatchClock(period=1, minute=45, added=2),
        False,
    )
    assert labels["Substitution, Juventus. Arkadiusz Milik replaces Dusan Vlahovic."] == (
        MatchClock(period=2, minute=76),
        True,
    )
    assert match.events[-1].clock == MatchClock(period=2, minute=90, added=3)
    assert not any(e.type == "unrecognised" for e in match.events)


def test_without_clocks() -> None:
    text = (
        "First Half begins.\n"
        "Foul by Nicolò Barella (Inter Milan).\n\n"
        "First Half ends, Inter Milan 0, Juventus 0.\n"
        "Second Half begins Inter Milan 0, Juventus 0.\n"
        "Corner, Inter Milan. Conceded by Bremer.\n"
        "Match ends, Inter Milan 0, Juventus 0.\n"
    )
    match = read_lines(text)
    assert all(e.clock_inferred for e in match.events)
    assert [e.clock.label for e in match.events if e.clock] == [
        "0'",
        "0'",
        "45'",
        "45'",
        "45'",
        "90'",
    ]
    assert [e.clock.period for e in match.events if e.clock] == [1, 1, 1, 2, 2, 2]
    assert match.match_id == "inter-milan-juventus"  # no file, no date: the teams


def test_newest_first_and_comments() -> None:
    text = "# a note, not a title\n90+3 Foul by B (Y).\n12' Foul by A (X).\n"
    match = read_lines(text, newest_first=True)
    assert [e.text for e in match.events] == ["Foul by A (X).", "Foul by B (Y)."]
    assert match.sheet.home is None and match.match_id == "match"


def test_text_is_kept_verbatim_without_its_clock() -> None:
    (event,) = read_lines("67' Unknown words here\n").events
    assert (event.type, event.text, event.clock) == (
        "unrecognised",
        "Unknown words here",
        MatchClock(period=2, minute=67),
    )


def test_feed_object_among_lines_is_a_mix() -> None:
    with pytest.raises(SourceError, match=r"^x.txt:2: .*mixes"):
        read_lines('Foul by A (X).\n{"text": "Foul by B (Y)."}\n', name="x.txt")
