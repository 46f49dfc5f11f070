"""Line-ups (on the pitch, substitutions, sent off) and cards (per player, VAR changes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from events.readers import read_source
from projections import replay
from projections.testing import given
from tests.projections.helpers import SHEET

PAGE = Path(__file__).resolve().parents[2] / "examples" / "inter-milan-derby.txt"


def names(players: list[dict[str, Any]]) -> list[str]:
    return [p["name"] for p in players]


class TestLineups:
    def test_starting_bench_formation_from_the_sheet(self) -> None:
        """Starting XI, bench and formation come from the metadata; all start on the pitch."""
        data = given("1' Foul by Sandro Tonali (AC Milan).", meta=SHEET).json()
        home = data["lineups"]["home"]
        assert home["formation"] == "3-5-2"
        assert len(home["starting"]) == 11 and home["starting"][0] == {
            "name": "Onana",
            "number": 24,
        }
        assert names(home["bench"]) == ["Asllani", "Lukaku"]
        assert home["on_pitch"] == home["starting"]
        assert home["subs_used"] == 0 and home["sent_off"] == []

    def test_substitution_takes_the_slot(self) -> None:
        """``Asllani replaces Barella``: Asllani is on the pitch in Barella's slot."""
        g = given(
            "71' Substitution, Inter Milan. Kristjan Asllani replaces Nicolò Barella.", meta=SHEET
        )
        before = g.at("70").json()["lineups"]["home"]
        after = g.json()["lineups"]["home"]
        assert names(before["on_pitch"])[5] == "Barella"
        assert after["on_pitch"][5] == {"name": "Asllani", "number": 14}
        assert after["subs_used"] == 1
        assert g.json()["stats"]["home"]["substitutions"] == 1
        assert g.json()["anomalies"] == []

    def test_substituting_a_player_not_on_the_pitch_is_an_anomaly(self) -> None:
        """A player who already went off cannot go off again: anomaly, no crash, and the
        side keeps eleven (no one to take the place of); the substitution still counts."""
        data = given(
            "60' Substitution, Inter Milan. Kristjan Asllani replaces Nicolò Barella.",
            "70' Substitution, Inter Milan. Romelu Lukaku replaces Nicolò Barella.",
            meta=SHEET,
        ).json()
        kinds = [a["kind"] for a in data["anomalies"]]
        assert kinds == ["substitution_not_on_pitch"]
        assert "Lukaku" not in names(data["lineups"]["home"]["on_pitch"])
        assert len(data["lineups"]["home"]["on_pitch"]) == 11
        assert data["lineups"]["home"]["subs_used"] == 2

    def test_red_card_takes_a_player_off(self) -> None:
        """Sent off: out of the pitch, in ``sent_off`` with the clock and the card."""
        data = given(
            "50' Simon Kjaer (AC Milan) is shown the red card for violent conduct.", meta=SHEET
        ).json()
        away = data["lineups"]["away"]
        assert len(away["on_pitch"]) == 10 and "Kjaer" not in names(away["on_pitch"])
        assert away["sent_off"] == [
            {"name": "Kjaer", "number": 24, "clock": away["sent_off"][0]["clock"], "card": "red"}
        ]

    def test_without_a_lineup_nothing_is_on_the_pitch_and_no_anomaly(self) -> None:
        """No sheet: on_pitch is unknown (empty, ``known: false``); substitutions still count."""
        data = given(
            "10' Goal! Inter Milan 1, AC Milan 0. Lautaro Martínez (Inter Milan).",
            "71' Substitution, Inter Milan. Kristjan Asllani replaces Nicolò Barella.",
        ).json()
        home = data["lineups"]["home"]
        assert home["known"] is False and home["on_pitch"] == []
        assert home["subs_used"] == 1 and data["anomalies"] == []

    def test_a_player_retiring_after_all_subs_leaves_his_side_one_short(self) -> None:
        """``X went off injured after T had used all subs.``: off, nobody on."""
        data = given(
            "90+8' Sandro Tonali went off injured after AC Milan had used all subs.", meta=SHEET
        ).json()
        away = data["lineups"]["away"]
        assert len(away["on_pitch"]) == 10 and "Tonali" not in names(away["on_pitch"])
        assert names(away["retired"]) == ["Tonali"]
        assert away["subs_used"] == 0 and data["stats"]["away"]["substitutions"] == 0

    def test_an_unmatched_name_falls_back_to_the_only_player_it_can_mean(self) -> None:
        """A sending-off or a substitution naming a player in a form resolution misses
        takes the one player on the pitch the name can mean (here the only Giroud)."""
        data = given(
            "50' Olivier Giroux (AC Milan) is shown the red card.",
            "60' Substitution, AC Milan. Ante Rebic replaces Sandro Tonalli.",
            meta=SHEET,
        ).json()
        away = data["lineups"]["away"]
        assert names(away["sent_off"]) == ["Giroud"]
        assert "Rebic" in names(away["on_pitch"]) and "Tonali" not in names(away["on_pitch"])
        assert len(away["on_pitch"]) == 10
        assert data["anomalies"] == []

    def test_a_name_matching_no_one_on_the_pitch_is_an_anomaly(self) -> None:
        """No guess when the line-up allows none: the count stays honest and it is said."""
        data = given(
            "60' Substitution, AC Milan. Ante Rebic replaces Somebody Unknown.", meta=SHEET
        ).json()
        assert [a["kind"] for a in data["anomalies"]] == ["substitution_not_on_pitch"]


class TestCards:
    def test_yellow_then_second_yellow_is_a_sending_off(self) -> None:
        """A second yellow counts as a yellow and a red, and sends the player off."""
        g = given(
            "30' Simon Kjaer (AC Milan) is shown the yellow card for a bad foul.",
            "75' Second yellow card to Simon Kjaer (AC Milan) for a bad foul.",
            meta=SHEET,
        )
        data = g.json()
        assert [(c["player"]["name"], c["card"]) for c in data["cards"]] == [
            ("Kjaer", "yellow"),
            ("Kjaer", "second_yellow"),
        ]
        assert data["cards"][1]["clock"]["label"] == "75'"
        assert data["stats"]["away"]["yellow_cards"] == 2
        assert data["stats"]["away"]["red_cards"] == 1
        assert names(data["lineups"]["away"]["sent_off"]) == ["Kjaer"]
        g.at("74").expect({"stats.away.red_cards": 0, "lineups.away.sent_off": []})

    def test_yellow_written_twice_is_a_second_yellow(self) -> None:
        """Two ``yellow`` lines for one player: the second is a second yellow (noted)."""
        data = given(
            "30' Simon Kjaer (AC Milan) is shown the yellow card.",
            "75' Simon Kjaer (AC Milan) is shown the yellow card.",
            meta=SHEET,
        ).json()
        assert [c["card"] for c in data["cards"]] == ["yellow", "second_yellow"]
        assert [a["kind"] for a in data["anomalies"]] == ["yellow_twice"]

    def test_var_upgrades_a_recent_yellow(self) -> None:
        """``Card upgraded``: the recent yellow becomes a red; the player is sent off."""
        data = given(
            "40' Simon Kjaer (AC Milan) is shown the yellow card for a bad foul.",
            "42' VAR Decision: Card upgraded Simon Kjaer (AC Milan).",
            meta=SHEET,
        ).json()
        assert [(c["card"], c["var"]) for c in data["cards"]] == [("red", "card_upgraded")]
        assert data["stats"]["away"]["yellow_cards"] == 0
        assert data["stats"]["away"]["red_cards"] == 1
        assert names(data["lineups"]["away"]["sent_off"]) == ["Kjaer"]

    def test_red_after_var_upgrade_is_not_counted_twice(self) -> None:
        """A red line after the VAR upgrade is the same sending-off (ESPN writes both), not
        a second one; a red long after a sending-off still is."""
        data = given(
            "42' VAR Decision: Card upgraded Simon Kjaer (AC Milan).",
            "43' Simon Kjaer (AC Milan) is shown the red card.",
            meta=SHEET,
        ).json()
        assert data["stats"]["away"]["red_cards"] == 1
        assert data["anomalies"] == []
        assert len(data["lineups"]["away"]["on_pitch"]) == 10
        late = given(
            "42' VAR Decision: Card upgraded Simon Kjaer (AC Milan).",
            "80' Simon Kjaer (AC Milan) is shown the red card.",
            meta=SHEET,
        ).json()
        assert [a["kind"] for a in late["anomalies"]] == ["sent_off_twice"]

    def test_booking_of_a_substitute_names_the_substitute(self) -> None:
        """Cards are per player, resolved to the line-up entry."""
        data = given(
            "71' Substitution, Inter Milan. Kristjan Asllani replaces Nicolò Barella.",
            "80' Kristjan Asllani (Inter Milan) is shown the yellow card.",
            meta=SHEET,
        ).json()
        assert data["cards"][0]["player"] == {"name": "Asllani", "number": 14}
        assert data["players"]["home"]["Asllani"]["yellow_cards"] == 1
        assert data["players"]["home"]["Asllani"]["subbed_on"] == "71'"


def test_a_page_read_again_with_more_entries_counts_each_incident_once(tmp_path: Path) -> None:
    """A page ingested before its latest live-text entries (the line-ups annotate the
    90+4' substitution the text does not show yet), then again whole: the stream holds
    the annotation's event and the line's, and the state counts the substitution once."""
    text = PAGE.read_text(encoding="utf-8")
    latest = text.index("Post update\nFull Time\n")
    older = text.index("Post update\nRoberto Gagliardini (Inter Milan) wins")
    earlier = tmp_path / "derby.txt"
    earlier.write_text(text[:latest] + text[older:], encoding="utf-8")
    before = read_source(earlier, match_id="derby")
    after = read_source(PAGE, match_id="derby")
    assert any(e.source == "lineups" and e.type == "substitution" for e in before.events)
    ids = {e.event_id for e in before.events}
    stream = [*before.events, *(e for e in after.events if e.event_id not in ids)]
    whole = replay(after.events, match_id="derby", meta=after.sheet).to_json()
    twice = replay(stream, match_id="derby", meta=after.sheet).to_json()
    assert twice["lineups"]["home"]["subs_used"] == whole["lineups"]["home"]["subs_used"] == 5
    assert twice["stats"] == whole["stats"] and twice["cards"] == whole["cards"]
