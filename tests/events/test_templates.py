"""One line in, one event out: every template of commentary-templates.md, every slot read."""

from __future__ import annotations

from typing import Any

import pytest

from events.clock import MatchClock
from events.models import Score
from events.parser import match_template, parse_line
from events.templates import TEMPLATES
from events.text import clean

# (line, template row expected to match, expected type, expected fields)
EXAMPLES: list[tuple[str, str, str, dict[str, Any]]] = [
    # ---- goals
    ("Goal!  Inter Milan 1, AC Milan 0. Lautaro Martínez (Inter Milan) header from the centre of the box to the bottom left corner. Assisted by Hakan Çalhanoglu with a cross following a corner.",
     "goal", "goal", dict(team="Inter Milan", player="Lautaro Martínez", assist="Hakan Çalhanoglu", body_part="head",
                          zone="centre_of_box", placement="bottom_left", assist_method="cross", situation="corner",
                          score=Score(home=1, away=0), home_team="Inter Milan", away_team="AC Milan", own_goal=False, penalty=False)),
    ("Goal! Inter Milan 2, AC Milan 0. Romelu Lukaku (Inter Milan).",
     "goal", "goal", dict(player="Romelu Lukaku", team="Inter Milan", body_part=None, zone=None, score=Score(home=2, away=0))),
    ("Goal! FC Bayern München 3, 1899 Hoffenheim 2. Sejad Salihovic (1899 Hoffenheim) from a free kick with a left footed shot to the top left corner.",
     "goal", "goal", dict(free_kick=True, situation="free_kick", body_part="left_foot", placement="top_left",
                          home_team="FC Bayern München", away_team="1899 Hoffenheim", score=Score(home=3, away=2))),
    ("Goal! Bologna 0, Napoli 2. Edinson Cavani (Napoli) converts the penalty with a right footed shot to the bottom left corner.",
     "goal_penalty", "goal", dict(penalty=True, situation="set_piece", body_part="right_foot", zone="penalty_spot",
                                  placement="bottom_left", shootout=False)),
    ("Goal! Borussia Mönchengladbach 0, Borussia Dortmund 2. Henrikh Mkhitaryan (Borussia Dortmund) right footed shot from the centre of the box to the bottom right corner. Assisted by Marco Reus with a through ball following a fast break.",
     "goal", "goal", dict(assist="Marco Reus", assist_method="through_ball", fast_break=True, situation="open_play")),
    ("Goal! Lorient 1, Brest 1. Bruno Ecuele Manga (Lorient) header from the left side of the six yard box to the high centre of the goal. Assisted by Arnold Mvuemba following a corner.",
     "goal", "goal", dict(zone="left_side_of_six_yard_box", placement="top_centre", assist_method="pass", situation="corner")),
    ("Goal! 1. FSV Mainz 05 2, 1. FC Köln 0. Leon Balogun (1. FSV Mainz 05) header from the centre of the box to the bottom left corner. Assisted by Daniel Brosinski with a cross following a set piece situation.",
     "goal", "goal", dict(home_team="1. FSV Mainz 05", away_team="1. FC Köln", team="1. FSV Mainz 05",
                          score=Score(home=2, away=0), situation="set_piece", assist_method="cross")),
    ("Goal! Cagliari 1, Sassuolo 1. Francesco Acerbi (Sassuolo) right footed shot from the left side of the six yard box to the bottom left corner following a corner.",
     "goal", "goal", dict(assist=None, assist_method=None, situation="corner")),
    ("Own Goal by Federico Gatti, Juventus. Inter Milan 1, Juventus 0.",
     "own_goal", "goal", dict(own_goal=True, team="Juventus", player="Federico Gatti", score=Score(home=1, away=0),
                              home_team="Inter Milan", away_team="Juventus", body_part=None)),
    ("Goal!        Own Goal by Bradley Johnson, Norwich City.  Manchester City 1, Norwich City 0.",
     "own_goal", "goal", dict(own_goal=True, team="Norwich City", player="Bradley Johnson")),
    ("Own Goal by Timo Horn, 1. FC Köln. 1. FC Köln 0, FC Bayern München 1.",
     "own_goal", "goal", dict(team="1. FC Köln", home_team="1. FC Köln", score=Score(home=0, away=1))),
    ("Goal! Inter Milan 1(4), AC Milan 1(3). Nicolò Barella (Inter Milan) converts the penalty with a right footed shot to the top right corner.",
     "goal_penalty", "goal", dict(shootout=True, score=Score(home=1, away=1), shootout_score=Score(home=4, away=3))),
    ("Goal!  Goal!  Stoke City 0, Southampton 1. Morgan Schneiderlin (Southampton) right footed shot from very close range to the bottom left corner. Assisted by Jose Fonte following a corner.",
     "goal", "goal", dict(player="Morgan Schneiderlin", zone="very_close_range", home_team="Stoke City")),
    ("Goal! What a strike from distance!", "goal~loose", "goal", dict(score=None, player=None)),
    # ---- attempts and woodwork
    ("Attempt saved. Romelu Lukaku (Inter Milan) right footed shot from outside the box is saved in the bottom right corner. Assisted by Robin Gosens.",
     "attempt", "attempt", dict(outcome="saved", player="Romelu Lukaku", team="Inter Milan", body_part="right_foot",
                                zone="outside_box", placement="bottom_right", assist="Robin Gosens", assist_method="pass")),
    ("Attempt saved. Brahim Díaz (AC Milan) left footed shot from the right side of the box is saved in the centre of the goal by André Onana (Inter Milan).",
     "attempt", "attempt", dict(team="AC Milan", goalkeeper="André Onana", goalkeeper_team="Inter Milan", placement="centre")),
    ("Attempt missed. Edin Dzeko (Roma) right footed shot from the centre of the box is too high. Assisted by Miralem Pjanic.",
     "attempt", "attempt", dict(outcome="missed", placement="too_high")),
    ("Attempt missed. Ezequiel Lavezzi (Napoli) right footed shot from outside the box is close, but misses to the right from a direct free kick.",
     "attempt", "attempt", dict(outcome="missed", placement="close_misses_right", situation="free_kick")),
    ("Attempt missed. Lorenzo Insigne (Napoli) right footed shot from outside the box is close, but misses the top right corner. Assisted by Blerim Dzemaili from a direct free kick.",
     "attempt", "attempt", dict(placement="close_misses_top_right", assist="Blerim Dzemaili", situation="free_kick")),
    ("Attempt missed. Olivier Giroud (AC Milan) header from the centre of the box is high and wide to the left following a corner.",
     "attempt", "attempt", dict(body_part="head", placement="high_and_wide_left", situation="corner")),
    ("Attempt missed. Gylfi Sigurdsson (Swansea City) right footed shot from more than 35 yards is just a bit too high.",
     "attempt", "attempt", dict(zone="more_than_35_yards", placement="just_too_high")),
    ("Attempt blocked. Hakan Çalhanoglu (Inter Milan) right footed shot from outside the box is blocked. Assisted by Romelu Lukaku.",
     "attempt", "attempt", dict(outcome="blocked", player="Hakan Çalhanoglu", assist="Romelu Lukaku")),
    ("Attempt blocked. Felipe (Hannover 96) with an attempt from the centre of the box is blocked. Assisted by Hiroshi Kiyotake with a cross.",
     "attempt", "attempt", dict(body_part=None, zone="centre_of_box", assist_method="cross", team="Hannover 96")),
    ("Attempt missed. Andy Delort (Caen) right footed shot from a difficult angle and long range on the right misses to the left.",
     "attempt", "attempt", dict(zone="difficult_angle_and_long_range", placement="misses_left")),
    ("Daniele Conti (Cagliari) hits the right post with a right footed shot from outside the box from a direct free kick.",
     "woodwork", "attempt", dict(outcome="woodwork", placement="right_post", situation="free_kick", player="Daniele Conti")),
    ("Lautaro Martínez (Inter Milan) hits the bar with a header from the centre of the box. Assisted by Federico Dimarco with a cross.",
     "woodwork", "attempt", dict(placement="bar", body_part="head", assist="Federico Dimarco", assist_method="cross")),
    ("Big chance missed. Rafael Leão (AC Milan) right footed shot from the left side of the box misses to the right.",
     "big_chance_missed", "attempt", dict(big_chance=True, outcome="missed", player="Rafael Leão")),
    ("Attempt saved. something nobody has written before",
     "attempt~loose", "attempt", dict(outcome="saved", player=None)),
    # ---- penalties
    ("Penalty Inter Milan. Lautaro Martínez draws a foul in the penalty area.",
     "penalty_awarded", "penalty_awarded", dict(team="Inter Milan", player="Lautaro Martínez")),
    ("Penalty 1. FC Köln. Anthony Modeste draws a foul in the penalty area.",
     "penalty_awarded", "penalty_awarded", dict(team="1. FC Köln", player="Anthony Modeste")),
    ("Penalty conceded by Malick Thiaw (AC Milan) after a foul in the penalty area.",
     "penalty_conceded", "penalty_conceded", dict(team="AC Milan", player="Malick Thiaw", handball=False)),
    ("Penalty conceded by Benedikt Höwedes (FC Schalke 04) with a hand ball in the penalty area.",
     "penalty_conceded_handball", "penalty_conceded", dict(handball=True, team="FC Schalke 04")),
    ("Penalty saved! Mevlut Erding (St Etienne) fails to capitalise on this great opportunity,  right footed shot saved  in the centre of the goal.",
     "penalty_saved", "penalty_missed", dict(outcome="saved", body_part="right_foot", placement="centre", situation="set_piece")),
    ("Penalty saved. Olivier Giroud (AC Milan) left footed shot saved.",
     "penalty_saved", "penalty_missed", dict(outcome="saved", body_part="left_foot", player="Olivier Giroud")),
    ("Penalty missed! Bad penalty by Zlatan Ibrahimovic (AC Milan) right footed shot is too high.",
     "penalty_missed_bad", "penalty_missed", dict(outcome="missed", placement="too_high", player="Zlatan Ibrahimovic")),
    ("Penalty missed! Still Inter Milan 1, AC Milan 0. Olivier Giroud (AC Milan) hits the left post with a right footed shot.",
     "penalty_missed_still", "penalty_missed", dict(outcome="woodwork", placement="left_post", score=Score(home=1, away=0), shootout=False)),
    ("Penalty missed. Theo Hernández (AC Milan) right footed shot is close, but misses to the left.",
     "penalty_missed", "penalty_missed", dict(outcome="missed", placement="close_misses_left")),
    ("Penalty missed! Still Inter Milan 1(3), AC Milan 1(2). Sandro Tonali (AC Milan) hits the bar with a right footed shot.",
     "penalty_missed_still", "penalty_missed", dict(outcome="woodwork", placement="bar", shootout=True,
                                                    shootout_score=Score(home=3, away=2), score=Score(home=1, away=1))),
    # ---- set pieces and fouls
    ("Corner, Inter Milan. Conceded by Sandro Tonali.",
     "corner", "corner", dict(team="Inter Milan", conceded_by="Sandro Tonali")),
    ("Corner,Inter Milan. Conceded by Ciprian Tatarusanu.",
     "corner", "corner", dict(team="Inter Milan", conceded_by="Ciprian Tatarusanu")),
    ("Corner,  VfL Wolfsburg. Conceded by Julian Schuster.",
     "corner", "corner", dict(team="VfL Wolfsburg")),
    ("Corner, 1. FC Köln.", "corner_unconceded", "corner", dict(team="1. FC Köln", conceded_by=None)),
    ("Corner, AC Milan. Taken short and the ball is lost.", "corner~loose", "corner", dict(team="AC Milan")),
    ("Offside, Inter Milan. Romelu Lukaku tries a through ball, but Lautaro Martínez is caught offside.",
     "offside_through_ball", "offside", dict(team="Inter Milan", passer="Romelu Lukaku", player="Lautaro Martínez")),
    ("Offside, 1. FSV Mainz 05. Yunus Malli tries a through ball, but Yoshinori Muto is caught offside.",
     "offside_through_ball", "offside", dict(team="1. FSV Mainz 05", passer="Yunus Malli")),
    ("Offside, AC Milan. Olivier Giroud is caught offside.",
     "offside", "offside", dict(team="AC Milan", player="Olivier Giroud", passer=None)),
    ("Offside, AC Milan. The flag goes up late.", "offside~loose", "offside", dict(team="AC Milan", player=None)),
    ("Foul by Sandro Tonali (AC Milan).", "foul", "foul", dict(player="Sandro Tonali", team="AC Milan")),
    ("Foul by N'Golo Kanté (Chelsea).", "foul", "foul", dict(player="N'Golo Kanté", team="Chelsea")),
    ("Roberto Gagliardini (Inter Milan) wins a free kick on the right wing.",
     "free_kick_won", "free_kick_won", dict(player="Roberto Gagliardini", area="right_wing")),
    ("Nicolò Barella (Inter Milan) wins a free kick in the defensive half.",
     "free_kick_won", "free_kick_won", dict(area="defensive_half")),
    ("Yang Hyun-Jun (Celtic) wins a free kick in the attacking half.",
     "free_kick_won", "free_kick_won", dict(player="Yang Hyun-Jun", area="attacking_half")),
    ("Hervin Ongenda (Bastia) wins a free kick on the left wing.",
     "free_kick_won", "free_kick_won", dict(area="left_wing")),
    ("Hand ball by Dries Mertens (Napoli).", "handball", "handball", dict(player="Dries Mertens", team="Napoli")),
    ("Handball by Raúl Jiménez (Mexico).", "handball", "handball", dict(player="Raúl Jiménez", team="Mexico")),
    ("(England) wins a free kick in the attacking half.", "free_kick_won_unnamed", "free_kick_won", dict(player=None, team="England", area="attacking_half")),
    ("Brian Gutiérrez (Mexico).", "foul~bare", "foul", dict(player="Brian Gutiérrez", team="Mexico")),
    ("Jude Bellingham (England) has gone down, but the referee deems it simulation.", "simulation", "simulation", dict(player="Jude Bellingham", team="England")),
    ("Sofyan Amrabat went off injured after Morocco had used all subs.", "retired_after_all_subs", "player_retired", dict(player="Sofyan Amrabat", team="Morocco", injury=True)),
    ("Dangerous play by Charles De Ketelaere (AC Milan).",
     "dangerous_play", "dangerous_play", dict(player="Charles De Ketelaere", team="AC Milan")),
    # ---- discipline and substitutions
    ("Ante Rebic (AC Milan) is shown the yellow card for a bad foul.",
     "yellow_card", "booking", dict(card="yellow", player="Ante Rebic", team="AC Milan", reason="bad_foul")),
    ("Craig Bellamy (Cardiff City) is shown the yellow card.",
     "yellow_card", "booking", dict(card="yellow", reason=None)),
    ("Booking      Adrian Mariappa (Crystal Palace) is shown the yellow card for excessive celebration.",
     "yellow_card", "booking", dict(player="Adrian Mariappa", reason="excessive_celebration")),
    ("Aly Cissokho (Aston Villa) is shown the red card.", "red_card", "booking", dict(card="red")),
    ("Vinícius Júnior (Real Madrid) is shown the red card for violent conduct.",
     "red_card", "booking", dict(card="red", player="Vinícius Júnior", reason="violent_conduct")),
    ("Second yellow card to Simon Kjaer (AC Milan) for a bad foul.",
     "second_yellow", "booking", dict(card="second_yellow", player="Simon Kjaer", reason="bad_foul")),
    ("Substitution, Inter Milan. Kristjan Asllani replaces Nicolò Barella.",
     "substitution", "substitution", dict(team="Inter Milan", player_on="Kristjan Asllani", player_off="Nicolò Barella", injury=False)),
    ("Substitution, AC Milan. Rafael Leão replaces Divock Origi because of an injury.",
     "substitution_injury", "substitution", dict(player_on="Rafael Leão", player_off="Divock Origi", injury=True)),
    ("Substitution      Substitution, Arsenal. Nicklas Bendtner replaces Olivier Giroud.",
     "substitution", "substitution", dict(team="Arsenal", player_on="Nicklas Bendtner")),
    ("Substitution, 1. FSV Mainz 05. Levin Öztunali replaces Jairo Samperio.",
     "substitution", "substitution", dict(team="1. FSV Mainz 05", player_on="Levin Öztunali")),
    ("Substitution, Juventus. Change of shape.", "substitution~loose", "substitution", dict(team="Juventus", player_on=None)),
    # ---- VAR
    ("VAR Decision: Goal Inter Milan 2-0 AC Milan (Lautaro Martínez).",
     "var_goal", "var_decision", dict(decision="goal", score=Score(home=2, away=0), player="Lautaro Martínez",
                                      home_team="Inter Milan", away_team="AC Milan")),
    ("VAR Decision: No Goal Inter Milan 1-0 AC Milan.",
     "var_no_goal", "var_decision", dict(decision="no_goal", score=Score(home=1, away=0))),
    ("VAR Decision: Penalty Inter Milan.", "var_penalty", "var_decision", dict(decision="penalty", team="Inter Milan")),
    ("VAR Decision: No Penalty AC Milan.", "var_no_penalty", "var_decision", dict(decision="no_penalty", team="AC Milan")),
    ("VAR Decision: Card upgraded Theo Hernández (AC Milan).",
     "var_card_upgraded", "var_decision", dict(decision="card_upgraded", player="Theo Hernández", team="AC Milan")),
    ("VAR Decision: Card downgraded Theo Hernández (AC Milan).",
     "var_card_downgraded", "var_decision", dict(decision="card_downgraded")),
    ("VAR Decision: No card change.", "var_no_card_change", "var_decision", dict(decision="no_card_change")),
    ("VAR Decision: Red Card Sandro Tonali (AC Milan).",
     "var_red_card", "var_decision", dict(decision="red_card", player="Sandro Tonali")),
    ("VAR Decision: Other Decision Cancelled.",
     "var_other_cancelled", "var_decision", dict(decision="other_decision_cancelled")),
    ("VAR Decision: Offside confirmed.", "var~loose", "var_decision", dict(decision="other", detail="Offside confirmed")),
    ("GOAL OVERTURNED BY VAR: Romelu Lukaku (Inter Milan) scores but the goal is ruled out after a VAR review.",
     "goal_overturned", "var_decision", dict(decision="goal_overturned", player="Romelu Lukaku", team="Inter Milan")),
    ("Video Review: Goal.", "video_review", "var_decision", dict(decision="review", detail="Goal")),
    ("Referee decision on field stands.", "referee_decision", "var_decision", dict(decision="on_field_decision", detail="stands")),
    # ---- match flow
    ("Lineups are announced and players are warming up.", "lineups", "lineups_announced", {}),
    ("First Half begins.", "period_begins", "period_start", dict(period=1, score=None)),
    ("First Half ends, Inter Milan 0, AC Milan 0.",
     "period_ends", "period_end", dict(period=1, score=Score(home=0, away=0), home_team="Inter Milan")),
    ("Second Half begins Inter Milan 0, AC Milan 0.", "period_begins", "period_start", dict(period=2, score=Score(home=0, away=0))),
    ("Second Half ends, Inter Milan 1, AC Milan 0.", "period_ends", "period_end", dict(period=2, score=Score(home=1, away=0))),
    ("First Half Extra Time begins Inter Milan 1, AC Milan 1.", "period_begins", "period_start", dict(period=3)),
    ("First Half Extra Time ends, Inter Milan 1, AC Milan 1.", "period_ends", "period_end", dict(period=3)),
    ("Second Half Extra Time begins Inter Milan 1, AC Milan 1.", "period_begins", "period_start", dict(period=4)),
    ("Second Half Extra Time ends, Inter Milan 1, AC Milan 1.", "period_ends", "period_end", dict(period=4)),
    ("Penalty Shootout begins Inter Milan 1, AC Milan 1.", "period_begins", "period_start", dict(period=5)),
    ("Penalty Shootout ends, Inter Milan 1(4), AC Milan 1(3).",
     "period_ends", "period_end", dict(period=5, score=Score(home=1, away=1), shootout_score=Score(home=4, away=3))),
    ("Match ends, Inter Milan 1, AC Milan 0.", "match_ends", "match_end", dict(score=Score(home=1, away=0), shootout=None)),
    ("Match ends, Inter Milan 1(4), AC Milan 1(3).",
     "match_ends", "match_end", dict(score=Score(home=1, away=1), shootout=Score(home=4, away=3))),
    ("Fourth official has announced 4 minutes of added time.", "added_time", "added_time", dict(minutes=4)),
    ("The match official has announced 1 minute of added time.", "added_time", "added_time", dict(minutes=1)),
    ("Delay in match because of an injury Simon Kjaer (AC Milan).",
     "delay_injury", "delay", dict(reason="injury", player="Simon Kjaer", team="AC Milan")),
    ("Delay in match (Inter Milan).", "delay_team", "delay", dict(team="Inter Milan", reason=None)),
    ("Delay in match(Inter Milan).", "delay_team", "delay", dict(team="Inter Milan")),
    ("Delay in match for a drinks break.", "delay_drinks", "delay", dict(reason="drinks_break")),
    ("Delay in match.", "delay", "delay", dict(reason=None, team=None)),
    ("Drinks break.", "drinks_break", "delay", dict(reason="drinks_break")),
    ("Delay over. They are ready to continue.", "delay_over", "delay_over", {}),
    ("Delay over, play resumes", "delay_over~loose", "delay_over", {}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("line", "row", "kind", "fields"), EXAMPLES, ids=[e[0][:60] for e in EXAMPLES]
)
def test_template_example(line: str, row: str, kind: str, fields: dict[str, Any]) -> None:
    """Each example line becomes its type, through its own row, with every slot read."""
    event = parse_line(line)
    assert event.type == kind
    assert event.template == row
    assert event.text == line
    for name, value in fields.items():
        assert getattr(event, name) == value, name


def test_every_template_row_has_an_example() -> None:
    """Adding a row without an example line is caught here."""
    covered = {row for _, row, _, _ in EXAMPLES}
    assert {t.name for t in TEMPLATES} <= covered


def test_every_row_name_is_unique() -> None:
    names = [t.name for t in TEMPLATES]
    assert len(names) == len(set(names))


class TestNoise:
    """Real feeds are noisy: broken accents, glued headers, odd spacing."""

    def test_broken_accents_are_repaired_in_the_fields(self) -> None:
        event = parse_line("Foul by JA©rA´me Roussillon (Sochaux).")
        assert event.player == "Jérôme Roussillon"  # type: ignore[attr-defined]
        assert event.text == "Foul by JA©rA´me Roussillon (Sochaux)."

    def test_broken_team_name(self) -> None:
        event = parse_line("Corner,  AtlA©tico de Madrid. Conceded by Sergio SA¡nchez.")
        assert event.team == "Atlético de Madrid"  # type: ignore[attr-defined]
        assert event.conceded_by == "Sergio Sánchez"  # type: ignore[attr-defined]

    def test_double_encoded_accent(self) -> None:
        assert clean("Jose MarA\x83A\xada Movilla") == "Jose María Movilla"

    def test_goal_header_is_not_mistaken_for_the_template(self) -> None:
        assert clean("Goal!  Stoke City 0, Southampton 1.") == "Goal! Stoke City 0, Southampton 1."

    def test_second_half_is_not_a_header(self) -> None:
        assert parse_line("Second Half begins Inter Milan 0, AC Milan 0.").type == "period_start"

    def test_unknown_line_is_kept_unrecognised(self) -> None:
        event = parse_line("What a game this is turning out to be!", MatchClock.parse("67"))
        assert event.type == "unrecognised"
        assert event.text == "What a game this is turning out to be!"
        assert event.clock == MatchClock.parse("67")

    def test_shootout_kick_flagged_from_the_clock(self) -> None:
        event = parse_line(
            "Penalty saved! Sandro Tonali (AC Milan) fails to capitalise on this great opportunity, "
            "right footed shot saved in the bottom left corner.",
            MatchClock(period=5, minute=120),
        )
        assert event.shootout is True  # type: ignore[attr-defined]

    def test_match_template_on_clean_line(self) -> None:
        found = match_template(clean("Foul by Sandro Tonali (AC Milan)."))
        assert found is not None and found[0].name == "foul"
