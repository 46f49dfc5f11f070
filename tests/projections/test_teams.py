"""Teams named otherwise in the lines than in the header: each line still counts for its side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from events.models import EventBase, updated
from events.parser import parse_line
from events.readers import read_source
from projections import replay
from projections.teams import pair_teams

FEED = Path(__file__).resolve().parents[2] / "examples" / "feed-example.jsonl"
HOME, AWAY = 0, 1


def lines(*texts: str) -> list[EventBase]:
    return [parse_line(t) for t in texts]


class TestPairTeams:
    """Each kind of evidence, alone, pairs a name the header does not use."""

    def test_folded_and_contained_names(self) -> None:
        """Accents, case, ``&``, ``FC`` and a name inside the other pair directly."""
        events = lines(
            "Corner, Brighton and Hove Albion. Conceded by Ben White.",
            "Foul by Bukayo Saka (arsenal).",
        )
        pairs = pair_teams("Brighton & Hove Albion FC", "Arsenal FC", events)
        assert pairs["Brighton and Hove Albion"] == HOME and pairs["arsenal"] == AWAY

    def test_score_lines_print_home_first(self) -> None:
        """``Goal! A 1, B 0.`` pairs A with home even with no word in common."""
        events = lines(
            "Goal! Ivory Coast 1, Japan 0. Sébastien Haller (Ivory Coast) header.",
            "Foul by Seko Fofana (Ivory Coast).",
        )
        assert pair_teams("Elephants", "Japan", events)["Ivory Coast"] == HOME

    def test_players_of_a_line_up(self) -> None:
        """The players a name goes with belong to one side's line-up."""
        events = lines(
            "Foul by Son Heung-Min (South Korea).",
            "Corner, South Korea. Conceded by Diogo Dalot.",
            "Attempt missed. Lee Kang-In (South Korea) left footed shot from outside the box misses to the left.",
        )
        rosters = (("Diogo Costa", "Diogo Dalot"), ("Son Heung-Min", "Lee Kang-In"))
        assert pair_teams("Portugal", "Taegeuk Warriors", events, rosters)["South Korea"] == AWAY

    def test_elimination(self) -> None:
        """The one name left when the other side's name is already paired."""
        events = lines("Corner, Haiti. Conceded by Noussair Mazraoui.", "Foul by X (Atlas Lions).")
        assert pair_teams("Haiti", "Morocco", events)["Atlas Lions"] == AWAY

    def test_alias_table_only_as_a_last_resort(self) -> None:
        """Official/common names from the table when nothing in the lines says."""
        events = lines("Foul by X (Korea Republic).", "Foul by Y (Turkey).")
        pairs = pair_teams("Türkiye", "South Korea", events)
        assert pairs["Korea Republic"] == AWAY and pairs["Turkey"] == HOME

    def test_an_unpairable_name_stays_unknown(self) -> None:
        """Never a guess: a third name no evidence pairs is left out, and its lines are
        anomalies in the state, not silent zeros."""
        events = lines(
            "Corner, Haiti. Conceded by X.", "Corner, Morocco. Conceded by Y.", "Corner, Narnia."
        )
        assert "Narnia" not in pair_teams("Haiti", "Morocco", events)
        state = replay(events, match_id="m", meta={"home": "Haiti", "away": "Morocco"}).to_json()
        assert [a["kind"] for a in state["anomalies"]] == ["unknown_team"]


def _renamed(text: str, names: dict[str, str]) -> str:
    for old, new in names.items():
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("direction", ["header renamed", "lines renamed"], ids=["header", "lines"])
def test_a_renamed_team_loses_no_stat(direction: str) -> None:
    """The example feed with its teams named in other words (no word in common, not in
    the alias table), in the header or in the lines: the same state as the original."""
    match = read_source(FEED)
    original = replay(match.events, match_id=match.match_id, meta=match.sheet).to_json()
    names = {"Inter Milan": "Nerazzurri", "Juventus": "Bianconeri"}
    if direction == "header renamed":
        sheet = match.sheet.model_copy(update={"home": "Nerazzurri", "away": "Bianconeri"})
        events: list[Any] = list(match.events)
    else:
        sheet = match.sheet
        events = [
            updated(parse_line(_renamed(e.text, names), e.clock), {"event_id": e.event_id})
            if e.source == "live_text"
            else e
            for e in match.events
        ]
    state = replay(events, match_id=match.match_id, meta=sheet).to_json()
    assert state["stats"] == original["stats"]
    assert state["score"]["home"] == original["score"]["home"]
    assert state["cards"] == original["cards"]
    assert [len(state["lineups"][s]["on_pitch"]) for s in ("home", "away")] == [11, 11]
    assert not [a for a in state["anomalies"] if a["kind"] == "unknown_team"]
    assert set(names.values()) <= {*state["team_names"]["home"], *state["team_names"]["away"]}


def test_the_incremental_fold_pairs_names_as_they_come() -> None:
    """Live, a name the header does not use is paired once its lines arrive: the fold a
    Kafka worker runs (rebuilding from the log when a line may pair a name anew) ends in
    the state of the whole match."""
    from projections.incremental import ProjectionFold

    match = read_source(FEED)
    header = {"home": "Nerazzurri", "away": "Bianconeri", "lineups": None}
    folder = ProjectionFold()
    live = folder.start(match.match_id, header)
    rebuilds = 0
    for i, event in enumerate(match.events):
        nxt = folder.apply(live, [event])
        if nxt is None:
            rebuilds += 1
            nxt = folder.rebuild(match.match_id, header, match.events[: i + 1])
        live = nxt
    whole = replay(match.events, match_id=match.match_id, meta=header).to_json()
    assert folder.to_json(live)["stats"] == whole["stats"]
    assert whole["stats"]["home"]["corners"] + whole["stats"]["away"]["corners"] > 0
    assert 1 <= rebuilds <= 4  # once per new name, not once per line
