"""Player-line annotations: who was booked, who went off, when."""

from __future__ import annotations

import pytest

from events.clock import MatchClock
from events.readers.annotations import AnnotationError, split_annotations


def notes(text: str) -> list[tuple[str, str, str | None, str | None, str]]:
    _, found = split_annotations(text)
    return [(a.kind, a.player, a.player_on, a.card, a.clock.label) for a in found]


def test_plain_name() -> None:
    assert split_annotations("La Martínez") == ("La Martínez", ())


def test_booking_before_substitution_is_the_starter_s() -> None:
    assert notes("MkhitaryanBooked at 67minsSubstituted forBrozovicat 71'minutes") == [
        ("booking", "Mkhitaryan", None, "yellow", "67'"),
        ("substitution", "Mkhitaryan", "Brozovic", None, "71'"),
    ]


def test_booking_after_substitution_is_the_substitute_s() -> None:
    name, found = split_annotations("OrigiSubstituted forRafael Leãoat 55'minutesBooked at 62mins")
    assert name == "Origi"
    assert [(a.kind, a.player) for a in found] == [
        ("substitution", "Origi"),
        ("booking", "Rafael Leão"),
    ]


def test_stoppage_time_and_spaced_forms() -> None:
    assert notes("Barella Substituted for Asllani at 90+4' minutes") == [
        ("substitution", "Barella", "Asllani", None, "90+4'")
    ]
    assert notes("XBooked at 45+2mins") == [("booking", "X", None, "yellow", "45+2'")]


def test_names_ending_in_at() -> None:
    assert notes("PatSubstituted forBatatat 60'minutes") == [
        ("substitution", "Pat", "Batat", None, "60'")
    ]


def test_half_time_substitution() -> None:
    _, (sub,) = split_annotations("MessiasSubstituted forDíazat 45'minutes")
    assert sub.clock == MatchClock(period=2, minute=45)
    _, (booking,) = split_annotations("MessiasBooked at 45mins")
    assert booking.clock == MatchClock(period=1, minute=45)


def test_red_cards() -> None:
    assert notes("XSent off at 77mins") == [("booking", "X", None, "red", "77'")]
    assert notes("XBooked at 10minsBooked at 20mins")[1][3] == "second_yellow"


@pytest.mark.parametrize("text", ["XBooked at 30mins and more", "XSubstituted forYat 300'minutes"])
def test_unreadable(text: str) -> None:
    with pytest.raises(AnnotationError):
        split_annotations(text)
