"""One stat table for reconciliation, the scoreboard and the web page."""

from __future__ import annotations

from projections.stat_table import KEY_STATS, REPORTED, STATS
from projections.testing import given
from replay.scoreboard import stats_table
from tests.projections.helpers import SHEET


def test_every_row_is_a_stat_the_state_counts() -> None:
    stats = given("10' Corner, Inter Milan. Conceded by Kjaer.", meta=SHEET).json()["stats"]
    assert [s.name for s in STATS if s.name not in stats["home"]] == []


def test_page_and_provider_names_reach_the_same_row() -> None:
    """``Total shots``, ``wonCorners``, ``fouls committed``: one meaning each."""
    assert REPORTED["total_shots"].name == "shots"
    assert REPORTED["won_corners"].name == "corners"
    assert REPORTED["fouls_committed"].name == "fouls"


def test_the_scoreboard_shows_the_key_rows() -> None:
    data = given("10' Corner, Inter Milan. Conceded by Kjaer.", meta=SHEET).json()
    table = stats_table(data)
    assert table.row_count == len(KEY_STATS)
    assert [str(c) for c in table.columns[0]._cells] == [s.label for s in KEY_STATS]
