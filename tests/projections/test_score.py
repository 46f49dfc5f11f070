"""The score projection: goals, own goals, penalties, VAR take-backs, shoot-outs, printed score."""

from __future__ import annotations

from projections.testing import given
from tests.projections.helpers import AWAY, HOME, SHEET, goal_line


class TestGoals:
    def test_goal_counts_for_the_scorers_team(self) -> None:
        """A goal line adds one to its team and credits scorer and assister."""
        g = given(
            "12' " + goal_line(1, 0) + " Assisted by Hakan Çalhanoglu with a cross.", meta=SHEET
        )
        state = g.expect(
            {"score": {"home": 1, "away": 0}, "stats.home.goals": 1, "stats.home.assists": 1}
        )
        players = state.to_json()["players"]["home"]
        assert players["La Martínez"]["goals"] == 1
        assert players["La Martínez"]["number"] == 10
        assert players["Çalhanoglu"]["assists"] == 1

    def test_own_goal_counts_for_the_other_side(self) -> None:
        """``Own Goal by X, T``: T is X's team; the goal goes to the other side."""
        g = given("30' Own Goal by Simon Kjaer, AC Milan. Inter Milan 1, AC Milan 0.", meta=SHEET)
        state = g.expect(
            {
                "score": {"home": 1, "away": 0, "counted": {"home": 1, "away": 0}},
                "stats.away.own_goals": 1,
                "stats.home.shots": 0,
            }
        )
        assert state.to_json()["players"]["away"]["Kjaer"]["own_goals"] == 1
        assert state.to_json()["anomalies"] == []

    def test_team_spelled_differently_in_lines(self) -> None:
        """Lines write ``Atletico Madrid``; the sheet says ``Atlético de Madrid``."""
        given(
            "10' Goal! Atlético de Madrid 1, Real Valladolid 0. Diego Costa (Atletico Madrid) "
            "right footed shot from the centre of the box to the bottom left corner.",
            "20' Corner, Atletico Madrid. Conceded by Someone.",
            home="Atlético de Madrid",
            away="Real Valladolid",
        ).expect({"score": {"home": 1}, "stats.home.corners": 1, "anomalies": []})

    def test_teams_from_first_score_line_without_metadata(self) -> None:
        """Without metadata, home and away come from the first line printing the score."""
        given(
            "5' Corner, AC Milan. Conceded by Francesco Acerbi.",
            "40' " + goal_line(0, 1, "Olivier Giroud", AWAY),
        ).at("10").expect(
            {"teams": {"home": HOME, "away": AWAY}, "stats.away.corners": 1, "score.away": 0}
        )


class TestPenalties:
    def test_penalty_goal_and_miss(self) -> None:
        """A converted penalty is a goal and a penalty scored; a saved one is on target."""
        given(
            "20' Penalty Inter Milan. Lautaro Martínez draws a foul in the penalty area.",
            "20' Penalty conceded by Simon Kjaer (AC Milan) after a foul in the penalty area.",
            "21' Goal! Inter Milan 1, AC Milan 0. Hakan Çalhanoglu (Inter Milan) converts the "
            "penalty with a right footed shot to the bottom left corner.",
            "60' Penalty saved! Olivier Giroud (AC Milan) fails to capitalise on this great "
            "opportunity, right footed shot saved in the bottom left corner.",
            meta=SHEET,
        ).expect(
            {
                "score": {"home": 1, "away": 0},
                "stats.home": {"penalties_awarded": 1, "penalties_scored": 1, "saves": 1},
                "stats.away": {
                    "penalties_conceded": 1,
                    "fouls": 1,
                    "penalties_missed": 1,
                    "shots": 1,
                    "shots_on_target": 1,
                },
            }
        )


class TestVar:
    def test_no_goal_takes_the_goal_back(self) -> None:
        """``VAR Decision: No Goal`` removes the goal it rules out, scorer's goal included."""
        g = given(
            "80' " + goal_line(1, 0),
            "82' VAR Decision: No Goal Inter Milan 0-0 AC Milan.",
            meta=SHEET,
        )
        g.at("81").expect({"score": {"home": 1, "away": 0}})
        state = g.expect(
            {
                "score": {"home": 0, "away": 0, "counted": {"home": 0, "away": 0}},
                "stats.home": {"goals": 0, "goals_disallowed": 1, "shots": 1},
                "anomalies": [],
            }
        )
        assert state.to_json()["players"]["home"]["La Martínez"]["goals"] == 0

    def test_goal_overturned_by_var(self) -> None:
        """``GOAL OVERTURNED BY VAR`` takes back that player's recent goal."""
        given(
            "85' " + goal_line(1, 0, "Romelu Lukaku"),
            "87' GOAL OVERTURNED BY VAR: Romelu Lukaku (Inter Milan) scores but the goal is "
            "ruled out after a VAR review.",
            meta=SHEET,
        ).expect({"score.counted": {"home": 0, "away": 0}, "stats.home.goals_disallowed": 1})

    def test_overturn_without_a_goal_line_takes_nothing(self) -> None:
        """An overturn whose goal line was never posted leaves earlier goals alone."""
        given(
            "20' " + goal_line(1, 0),
            "87' GOAL OVERTURNED BY VAR: Romelu Lukaku (Inter Milan) scores but the goal is "
            "ruled out after a VAR review.",
            meta=SHEET,
        ).expect({"score": {"home": 1, "counted": {"home": 1, "away": 0}}})


class TestShootout:
    def test_shootout_kicks_never_count_in_the_score(self) -> None:
        """Shoot-out goals go to the tally, apart from the score, and are not shots."""
        given(
            "120' Penalty Shootout begins Inter Milan 1, AC Milan 1.",
            "Goal! Inter Milan 1(1), AC Milan 1(0). Nicolò Barella (Inter Milan) converts the "
            "penalty with a right footed shot to the bottom left corner.",
            "Penalty missed! Still Inter Milan 1(1), AC Milan 1(0). Olivier Giroud (AC Milan) "
            "hits the bar with a right footed shot.",
            "Match ends, Inter Milan 1(1), AC Milan 1(0).",
            meta=SHEET,
        ).expect(
            {
                "score": {"home": 1, "away": 1},
                "shootout": {"home": 1, "away": 0},
                "stats.home.shots": 0,
                "stats.away.woodwork": 0,
                "status": "finished",
            }
        )

    def test_no_shootout_is_null(self) -> None:
        """A match without a shoot-out has ``shootout: null``."""
        given("90+4' Match ends, Inter Milan 0, AC Milan 0.").expect({"shootout": None})


class TestPrintedScore:
    def test_printed_score_wins_and_the_gap_is_an_anomaly(self) -> None:
        """A live text that starts late: the feed prints 1-0, no goal line was seen."""
        state = given(
            "84' Foul by Sandro Tonali (AC Milan).",
            "90+4' Second Half ends, Inter Milan 1, AC Milan 0.",
            meta=SHEET,
        ).expect({"score": {"home": 1, "away": 0, "counted": {"home": 0, "away": 0}}})
        (anomaly,) = state.to_json()["anomalies"]
        assert anomaly["kind"] == "score_mismatch"
        assert anomaly["clock"]["label"] == "90+4'"

    def test_agreeing_score_has_no_anomaly(self) -> None:
        """Counted and printed agree: no anomaly."""
        given("10' " + goal_line(1, 0), "45+2' First Half ends, Inter Milan 1, AC Milan 0.").expect(
            {"anomalies": [], "score": {"home": 1}}
        )
