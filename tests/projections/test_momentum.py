"""The shipped custom example: momentum (shots and corners per team, last 10 minutes)."""

from __future__ import annotations

from projections.contrib.momentum import MOMENTUM
from projections.testing import given

LINES = (
    "10' Corner, Inter Milan. Conceded by Sandro Tonali.",
    "12' Attempt missed. Lautaro Martínez (Inter Milan) header from the centre of the box is "
    "too high.",
    "15' Attempt saved. Olivier Giroud (AC Milan) header from the centre of the box is saved in "
    "the centre of the goal.",
    "21' Own Goal by Simon Kjaer, AC Milan. Inter Milan 1, AC Milan 0.",
    "45+3' Corner, AC Milan. Conceded by Alessandro Bastoni.",
)


def test_window_counts_the_last_ten_minutes() -> None:
    """At 15': everything since 6'; at 21': only what happened after 11'."""
    match = given(*LINES, projections=[MOMENTUM])
    match.at("15").expect(
        {
            "custom.momentum": {
                "home": {"shots": 1, "corners": 1},
                "away": {"shots": 1, "corners": 0},
            }
        }
    )
    match.at("21").expect({"custom.momentum.home": {"shots": 1, "corners": 0}})


def test_own_goal_is_not_a_shot() -> None:
    """An own goal counts for no one's momentum."""
    given(*LINES, projections=[MOMENTUM]).at("30").expect(
        {"custom.momentum.home.shots": 0, "custom.momentum.away.shots": 0}
    )


def test_stoppage_time_counts_into_the_second_half() -> None:
    """45+3 is 48 minutes of play: inside the window at 50'."""
    given(*LINES, projections=[MOMENTUM]).at("50").expect({"custom.momentum.away.corners": 1})
