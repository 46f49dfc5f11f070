"""Player names in the forms real providers write them, against the line-up's form."""

from __future__ import annotations

import pytest

from events.names import resolve, same_player
from events.sheet import Player

ROSTER = tuple(
    Player(name=n)
    for n in (
        "Anis Slimane",
        "Fredrik André Bjørkan",
        "Hamdy Fathy",
        "Ehsan Hajsafi",
        "Odiljon Xamrobekov",
        "Behruzjon Karimov",
        "Ahmed Qasim",
        "Sphephelo Sithole",
        "Mohamed Hadj Mahmoud",
        "Micky van de Ven",
        "Jordan Ayew",
        "André Ayew",
    )
)


@pytest.mark.parametrize(
    ("written", "entry"),
    [
        ("Anis Ben Slimane", "Anis Slimane"),  # an extra particle
        ("Fredrik Bjørkan", "Fredrik André Bjørkan"),  # a middle name dropped
        ("Hadj Mahmoud", "Mohamed Hadj Mahmoud"),  # a given name dropped
        ("Hamdi Fathy", "Hamdy Fathy"),  # transliterations
        ("Odiljon Khamrobekov", "Odiljon Xamrobekov"),
        ("Bekhruz Karimov", "Behruzjon Karimov"),
        ("Ahmed Qasem", "Ahmed Qasim"),  # one letter apart
        ("Qasem", "Ahmed Qasim"),
        ("Ehsan Hajisafi", "Ehsan Hajsafi"),
        ("Yaya Sithole", "Sphephelo Sithole"),  # the only Sithole: his surname is enough
        ("Van de Ven", "Micky van de Ven"),
        ("Jordan Ayew", "Jordan Ayew"),
    ],
)
def test_resolve_real_variants(written: str, entry: str) -> None:
    player = resolve(written, ROSTER)
    assert player is not None and player.name == entry


@pytest.mark.parametrize("written", ["Ayew", "Kwame Ayew", "Ahmed Hassan", "Karim"])
def test_a_shared_surname_under_another_name_is_no_guess(written: str) -> None:
    """Two Ayews: a surname alone, or a third given name, names neither; a stranger
    with a known given name names no one."""
    assert resolve(written, ROSTER) is None


def test_same_player_is_stricter_than_resolve() -> None:
    """Matching a line to a line-up annotation needs more than the surname."""
    assert same_player("Anis Ben Slimane", "Anis Slimane")
    assert same_player("Ahmed Qasem", "Ahmed Qasim")
    assert not same_player("Yaya Sithole", "Sphephelo Sithole")
    assert not same_player("Lisandro Martínez", "Lautaro Martínez")
