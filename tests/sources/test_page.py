"""The seed page (Inter Milan 1-0 AC Milan) read whole, and pages built to probe the edges."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

import pytest

from events.clock import MatchClock
from events.models import Booking, EventBase, Substitution
from events.readers import Match, SourceError, read_page
from events.sheet import Side, TeamSheet


def clock(text: str, period: int | None = None) -> MatchClock:
    return MatchClock.parse(text, period)


def team(match: Match, side: Side) -> TeamSheet:
    sheet = match.sheet.team_sheet(side)
    assert sheet is not None
    return sheet


E = TypeVar("E", bound=EventBase)


def of_type(match: Match, kind: type[E]) -> Iterator[E]:
    return (e for e in match.events if isinstance(e, kind))


class TestSeedSheet:
    def test_teams_and_id(self, derby: Match) -> None:
        """Home and away come from the line-ups; the id from the file's stem."""
        assert (derby.sheet.home, derby.sheet.away) == ("Inter Milan", "AC Milan")
        assert derby.match_id == "inter-milan-derby"
        assert derby.format == "page"
        assert {e.match_id for e in derby.events} == {"inter-milan-derby"}

    def test_formations(self, derby: Match) -> None:
        assert team(derby, "home").formation == team(derby, "away").formation == "3-5-2"

    def test_starting_elevens_with_numbers(self, derby: Match) -> None:
        home, away = team(derby, "home"), team(derby, "away")
        assert [(p.number, p.name) for p in home.starting] == [
            (24, "Onana"),
            (37, "Skriniar"),
            (15, "Acerbi"),
            (95, "Bastoni"),
            (36, "Darmian"),
            (23, "Barella"),
            (20, "Çalhanoglu"),
            (22, "Mkhitaryan"),
            (32, "Dimarco"),
            (9, "Dzeko"),
            (10, "La Martínez"),
        ]
        assert len(away.starting) == 11
        assert away.starting[10].name == "Origi" and away.starting[10].number == 27

    def test_substitutes(self, derby: Match) -> None:
        home, away = team(derby, "home"), team(derby, "away")
        assert len(home.bench) == len(away.bench) == 13
        assert (home.bench[3].number, home.bench[3].name) == (6, "de Vrij")
        assert (home.bench[8].number, home.bench[8].name) == (33, "D'Ambrosio")
        assert [p.name for p in away.bench if p.number in (5, 17, 90)] == [
            "Ballo-Touré",
            "Rafael Leão",
            "De Ketelaere",
        ]

    def test_referee_summary_and_stats(self, derby: Match) -> None:
        assert derby.sheet.referee == "Davide Massa"
        assert derby.sheet.summary is not None
        assert derby.sheet.summary.startswith("Match ends, Inter Milan 1, AC Milan 0.")
        assert derby.sheet.reported_stats == {
            "possession": {"home": 64, "away": 36},
            "shots": {"home": 15, "away": 4},
            "shots_on_target": {"home": 4, "away": 0},
            "corners": {"home": 8, "away": 0},
            "fouls": {"home": 13, "away": 14},
        }


class TestSeedAnnotations:
    def test_five_substitutions_per_team(self, derby: Match) -> None:
        subs = {
            side: [(a.player, a.player_on, a.clock.label) for a in team(derby, side).annotations
                   if a.kind == "substitution"]
            for side in ("home", "away")
        }  # fmt: skip
        assert subs["home"] == [
            ("Barella", "Asllani", "90+4'"),
            ("Çalhanoglu", "Gagliardini", "89'"),
            ("Mkhitaryan", "Brozovic", "71'"),
            ("Dimarco", "Gosens", "71'"),
            ("Dzeko", "Lukaku", "71'"),
        ]
        assert subs["away"] == [
            ("Kjaer", "Rebic", "86'"),
            ("Gabbia", "Thiaw", "70'"),
            ("Calabria", "Saelemaekers", "55'"),
            ("Messias", "Díaz", "45'"),
            ("Origi", "Rafael Leão", "55'"),
        ]

    def test_half_time_substitution_is_second_half(self, derby: Match) -> None:
        """``Substituted ... at 45'`` is made at half time: (2, 45), after 45+x."""
        (messias,) = [a for a in team(derby, "away").annotations if a.player == "Messias"]
        assert messias.clock == MatchClock(period=2, minute=45)

    def test_every_booking_to_the_right_player(self, derby: Match) -> None:
        """A booking written after ``Substituted for X`` is X's (Rebic, Rafael Leão)."""
        bookings = {
            side: sorted((a.clock.minute, a.player) for a in team(derby, side).annotations
                         if a.kind == "booking")
            for side in ("home", "away")
        }  # fmt: skip
        assert bookings["home"] == [(67, "Mkhitaryan"), (68, "Acerbi")]
        assert bookings["away"] == [
            (32, "Kalulu"),
            (49, "Gabbia"),
            (62, "Rafael Leão"),
            (84, "Giroud"),
            (88, "Rebic"),
        ]


class TestSeedEvents:
    def test_live_text_in_match_order(self, derby: Match) -> None:
        """The page lists newest first; events run oldest first, ending at full time."""
        live = [e for e in derby.events if e.source == "live_text"]
        assert live[0].text == "Foul by Olivier Giroud (AC Milan)."
        assert live[-1].type == "period_end"
        assert len(live) == 19  # every live-text line; entry headers are not lines
        assert not any(e.text in ("Full Time", "Post update") for e in derby.events)

    def test_clocks_are_inferred_from_anchors(self, derby: Match) -> None:
        live = [e for e in derby.events if e.source == "live_text"]
        assert all(e.clock_inferred for e in live)
        by_text = {e.text: e.clock for e in live}
        assert by_text["Olivier Giroud (AC Milan) is shown the yellow card for a bad foul."] == (
            clock("84")
        )
        assert by_text["Foul by Olivier Giroud (AC Milan)."] == clock("84")  # before 1st anchor
        assert by_text["Foul by Ante Rebic (AC Milan)."] == clock("86")  # after Kjaer off
        assert by_text["Ante Rebic (AC Milan) is shown the yellow card for a bad foul."] == (
            clock("88")
        )
        assert by_text["Second Half ends, Inter Milan 1, AC Milan 0."] == clock("90+4")

    def test_clocks_never_go_back(self, derby: Match) -> None:
        clocks = [e.clock for e in derby.events if e.clock is not None]
        assert len(clocks) == len(derby.events)
        assert clocks == sorted(clocks)

    def test_annotations_missing_from_text_become_lineup_events(self, derby: Match) -> None:
        lineup = [e for e in derby.events if e.source == "lineups"]
        assert not any(e.clock_inferred for e in lineup)
        subs = [(e.team, e.player_off, e.clock) for e in of_type(derby, Substitution)
                if e.source == "lineups"]  # fmt: skip
        assert len(subs) == 7  # 10 annotated, 3 shown by the live text
        assert ("AC Milan", "Messias", MatchClock(period=2, minute=45)) in subs
        booked = [
            (e.player, str(e.clock)) for e in of_type(derby, Booking) if e.source == "lineups"
        ]
        assert booked == [
            ("Kalulu", "32'"),
            ("Gabbia", "49'"),
            ("Rafael Leão", "62'"),
            ("Mkhitaryan", "67'"),
            ("Acerbi", "68'"),
        ]

    def test_nothing_doubled(self, derby: Match) -> None:
        """Each annotated incident appears once: 10 substitutions, 7 bookings in all."""
        assert len(list(of_type(derby, Substitution))) == 10
        bookings = list(of_type(derby, Booking))
        assert len(bookings) == 7
        rebic = [b for b in bookings if "Rebic" in (b.player or "")]
        assert [(b.source, b.clock) for b in rebic] == [("live_text", clock("88"))]

    def test_event_ids_are_unique_and_stable(self, derby: Match) -> None:
        from tests.sources.conftest import SEED

        ids = [e.event_id for e in derby.events]
        assert len(set(ids)) == len(ids) == 19 + 12
        again = read_page(SEED.read_text(encoding="utf-8"), name=str(SEED))
        assert [e.event_id for e in again.events] == ids


PAGE = """\
Line-ups
Home Town
Formation 4-4-2
- 1Keeper
- 5StonesBooked at 30minsBooked at 60mins
- 9StrikerSubstituted forSubat 45'minutesSubstituted forLateat 80'minutesBooked at 85mins
Substitutes
- 12Sub
- 14Late
Away City
- 1Other
- Referee:
- Anna Official
Live Text
Get involved
What a game! #football
Full time
Match ends, Home Town 1, Away City 0.
Goal!
67'
Goal! Home Town 1, Away City 0. Striker (Home Town) header from the centre of the box.
Half time
First Half ends, Home Town 0, Away City 0.
Kick off
First Half begins.
"""


@pytest.fixture(scope="module")
def page() -> Match:
    return read_page(PAGE, name="edges.txt")


class TestPageEdges:
    def test_chained_substitutions_and_second_yellow(self, page: Match) -> None:
        notes = [(a.kind, a.player, a.player_on, a.card, a.clock.label)
                 for a in team(page, "home").annotations]  # fmt: skip
        assert notes == [
            ("booking", "Stones", None, "yellow", "30'"),
            ("booking", "Stones", None, "second_yellow", "60'"),
            ("substitution", "Striker", "Sub", None, "45'"),
            ("substitution", "Sub", "Late", None, "80'"),
            ("booking", "Late", None, "yellow", "85'"),
        ]

    def test_entry_clock_and_headers(self, page: Match) -> None:
        texts = [(e.type, e.clock, e.clock_inferred) for e in page.events if e.source != "lineups"]
        assert texts[0] == ("period_start", clock("0"), True)
        assert texts[1] == ("period_end", clock("45"), True)
        assert ("goal", clock("67"), False) in texts
        assert texts[-1][0] == "match_end"
        assert texts[-1][1] == clock("90")  # Late was booked at 85, before the final whistle

    def test_reader_posts_are_kept_not_parsed(self, page: Match) -> None:
        assert [(p.text, p.clock) for p in page.reader_posts] == [
            ("What a game! #football", clock("90"))
        ]
        assert not any("What a game" in e.text for e in page.events)

    def test_referee_with_one_sided_lineups(self, page: Match) -> None:
        assert page.sheet.referee == "Anna Official"
        assert team(page, "away").starting[0].name == "Other"
        assert page.sheet.reported_stats is None

    def test_live_text_only(self) -> None:
        """Entries without sections read as Live Text; teams from the first score line."""
        match = read_page("Post update\nFirst Half ends, A 0, B 1.\nKick off\nFirst Half begins.")
        assert [e.type for e in match.events] == ["period_start", "period_end"]
        assert (match.sheet.home, match.sheet.away) == ("A", "B")
        assert match.sheet.lineups is None

    @pytest.mark.parametrize(
        ("text", "line", "message"),
        [
            ("Line-ups\nA\nB\nC\n", 4, "a third team"),
            ("Line-ups\n- 1Keeper\n", 2, "before any team"),
            ("Line-ups\nA\n- 9XBooked at 30mins what\n", 3, "unreadable player annotation"),
            ("Match Stats\n- Home64%\n", 2, "before its name"),
            ("Live Text\nPost update\nLive Text\n", 3, "a second"),
            ("just some words\n", 1, "not a page"),
            ('Live Text\nPost update\n{"text": "Foul by X (A).", "clock": 3}\n', 3, "mixes"),
        ],
    )
    def test_broken_pages(self, text: str, line: int, message: str) -> None:
        with pytest.raises(SourceError) as err:
            read_page(text, name="bad.txt")
        assert err.value.line == line and message in err.value.message
        assert str(err.value).startswith(f"bad.txt:{line}: ")


@pytest.mark.parametrize(
    "header",
    [
        "Post update",
        "Goal!",
        "Substitution",
        "Booking",
        "Dismissal",
        "Kick off",
        "Half time",
        "Second half",
        "Full time",
        "Penalties in progress",
        "Penalties over",
        "90+4' Post update",
        "POST UPDATE",
    ],
)
def test_every_entry_header_is_dropped(header: str) -> None:
    match = read_page(f"Live Text\n{header}\nFoul by A (X).\n{header}\nFoul by B (Y).\n")
    assert [e.text for e in match.events] == ["Foul by B (Y).", "Foul by A (X)."]
    assert match.reader_posts == ()
