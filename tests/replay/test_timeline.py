"""The steps of a match: every minute, stoppage minutes and breaks, in football order."""

from __future__ import annotations

from events.clock import MatchClock
from events.models import EventBase
from events.parser import parse_line
from replay.timeline import clip, timeline


def _events(*lines: tuple[str, str]) -> list[EventBase]:
    return [parse_line(text, MatchClock.parse(clock)) for clock, text in lines]


def test_regulation_match_with_stoppage_time() -> None:
    events = _events(
        ("0", "First Half begins."),
        ("45+2", "Foul by Sandro Tonali (AC Milan)."),
        ("45+3", "First Half ends, Inter Milan 0, AC Milan 0."),
        ("90", "Fourth official has announced 4 minutes of added time."),
        ("90+4", "Second Half ends, Inter Milan 1, AC Milan 0."),
    )
    labels = [s.label for s in timeline(events)]
    assert labels[:3] == ["1'", "2'", "3'"]
    i = labels.index("45'")
    assert labels[i : i + 6] == ["45'", "45+1'", "45+2'", "45+3'", "HT", "46'"]
    assert labels[-6:] == ["90'", "90+1'", "90+2'", "90+3'", "90+4'", "FT"]
    assert "47'" in labels and labels.index("45+2'") < labels.index("46'")
    assert len(labels) == 45 + 3 + 1 + 45 + 4 + 1


def test_announced_added_time_gives_minutes_without_events() -> None:
    events = _events(("45", "Fourth official has announced 2 minutes of added time."))
    labels = [s.label for s in timeline(events)]
    assert labels[-3:] == ["45+1'", "45+2'", "HT"]


def test_extra_time_and_shootout() -> None:
    shootout = MatchClock(period=5, minute=120)
    events = [
        *_events(
            ("90+2", "Second Half ends, Inter Milan 1, AC Milan 1."),
            ("105+1", "First Half Extra Time ends, Inter Milan 1, AC Milan 1."),
            ("120", "Second Half Extra Time ends, Inter Milan 1, AC Milan 1."),
        ),
        parse_line("Penalty Shootout ends, Inter Milan 1(4), AC Milan 1(3).", shootout),
    ]
    steps = timeline(events)
    labels = [s.label for s in steps]
    assert "End of 90'" in labels and "FT" not in labels
    assert (
        labels.index("90+2'") < labels.index("91'") < labels.index("105+1'") < labels.index("ET HT")
    )
    assert labels[-2:] == ["AET", "PSO"]
    assert steps[-1].clock.period == 5


def test_clip_is_inclusive() -> None:
    steps = timeline(_events(("45+2", "Foul by A (B)."), ("60", "Foul by C (D).")))
    labels = [s.label for s in clip(steps, MatchClock.parse("45+1"), MatchClock.parse("46"))]
    assert labels == ["45+1'", "45+2'", "HT", "46'"]
