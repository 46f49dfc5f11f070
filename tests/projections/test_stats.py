"""Team and player counters: the counting rules of DESIGN.md and projections/README.md."""

from __future__ import annotations

from projections.testing import given
from tests.projections.helpers import SHEET

SHOTS = [
    "10' Attempt saved. Olivier Giroud (AC Milan) right footed shot from outside the box is "
    "saved in the bottom right corner by André Onana (Inter Milan). Assisted by Sandro Tonali.",
    "11' Attempt missed. Olivier Giroud (AC Milan) header from the centre of the box misses to "
    "the left.",
    "12' Attempt blocked. Sandro Tonali (AC Milan) right footed shot from outside the box is "
    "blocked.",
    "13' Olivier Giroud (AC Milan) hits the right post with a right footed shot from the centre "
    "of the box.",
    "14' Goal! Inter Milan 0, AC Milan 1. Olivier Giroud (AC Milan) header from the centre of "
    "the box to the bottom left corner.",
    "15' Penalty missed! Bad penalty by Olivier Giroud (AC Milan) right footed shot misses to "
    "the left.",
]


class TestShots:
    def test_shots_by_outcome(self) -> None:
        """shots = goals + attempts + penalties missed; on target = goals + saved; the rest."""
        given(*SHOTS, meta=SHEET).expect(
            {
                "stats.away": {
                    "shots": 6,
                    "shots_on_target": 2,
                    "shots_off_target": 3,
                    "shots_blocked": 1,
                    "woodwork": 1,
                    "penalties_missed": 1,
                },
                "stats.home.saves": 1,
            }
        )

    def test_shot_outcomes_add_up(self) -> None:
        """on target + off target + blocked = shots."""
        away = given(*SHOTS, meta=SHEET).json()["stats"]["away"]
        assert away["shots_on_target"] + away["shots_off_target"] + away["shots_blocked"] == 6

    def test_player_counters(self) -> None:
        """Per player: shots by outcome, key passes, the named keeper's saves."""
        players = given(*SHOTS, meta=SHEET).json()["players"]
        giroud = players["away"]["Giroud"]
        assert (giroud["shots"], giroud["shots_on_target"], giroud["woodwork"]) == (5, 2, 1)
        assert giroud["goals"] == 1 and giroud["number"] == 9
        assert players["away"]["Tonali"]["key_passes"] == 1
        assert players["home"]["Onana"]["saves"] == 1


class TestSetPiecesAndFouls:
    def test_corners_offsides_fouls_free_kicks(self) -> None:
        """Corners and offsides go to the team named after ``Corner,``/``Offside,``."""
        given(
            "20' Corner, Inter Milan. Conceded by Sandro Tonali.",
            "21' Corner,Inter Milan. Conceded by Ciprian Tatarusanu.",
            "22' Offside, Inter Milan. Romelu Lukaku tries a through ball, but Lautaro Martínez "
            "is caught offside.",
            "23' Foul by Sandro Tonali (AC Milan).",
            "23' Nicolò Barella (Inter Milan) wins a free kick in the defensive half.",
            "24' Hand ball by Simon Kjaer (AC Milan).",
            meta=SHEET,
        ).expect(
            {
                "stats.home": {"corners": 2, "offsides": 1, "free_kicks_won": 1},
                "stats.away": {"fouls": 1, "handballs": 1},
                "players.home.La Martínez.offsides": 1,
            }
        )

    def test_penalty_conceded_after_a_foul_is_a_foul(self) -> None:
        """A penalty conceded after a foul counts as a foul; by hand ball it does not."""
        given(
            "20' Penalty conceded by Simon Kjaer (AC Milan) after a foul in the penalty area.",
            "60' Penalty conceded by Simon Kjaer (AC Milan) with a hand ball in the penalty area.",
            meta=SHEET,
        ).expect({"stats.away": {"fouls": 1, "penalties_conceded": 2}})

    def test_var_no_penalty_takes_back_the_award(self) -> None:
        """``VAR Decision: No Penalty T`` undoes a penalty awarded to T."""
        given(
            "20' Penalty AC Milan. Olivier Giroud draws a foul in the penalty area.",
            "22' VAR Decision: No Penalty AC Milan.",
            meta=SHEET,
        ).expect({"stats.away.penalties_awarded": 0})


class TestAttribution:
    def test_unknown_team_is_an_anomaly_not_a_count(self) -> None:
        """A team that is neither side is reported once and counted nowhere."""
        data = given(
            "20' Corner, Juventus. Conceded by X.",
            "21' Corner, Juventus. Conceded by Y.",
            meta=SHEET,
        ).json()
        assert data["stats"]["home"]["corners"] == data["stats"]["away"]["corners"] == 0
        assert [a["kind"] for a in data["anomalies"]] == ["unknown_team"]
