"""Names as lines write them, resolved to line-up entries and teams."""

from __future__ import annotations

import pytest

from events.names import fold, resolve, same_player, slug, team_side
from events.sheet import Player

ROSTER = tuple(
    Player(name=n)
    for n in (
        "La Martínez",
        "Li Martínez",
        "Barella",
        "Çalhanoglu",
        "de Vrij",
        "D'Ambrosio",
        "Rafael Leão",
        "Ballo-Touré",
    )
)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Hakan  Çalhanoğlu", "hakan calhanoglu"),
        ("AtlA©tico", "atletico"),  # UTF-8 read as Latin-1, the lead byte lost
        ("AtlÃ©tico", "atletico"),
        ("Martin Ødegaard", "martin odegaard"),
        ("NicolÃ² Barella", "nicolo barella"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("written", "entry"),
    [
        ("Lautaro Martínez", "La Martínez"),
        ("Lautaro MartA\xadnez", "La Martínez"),
        ("Nicolò Barella", "Barella"),
        ("Nicolo Barella", "Barella"),
        ("Hakan Calhanoglu", "Çalhanoglu"),
        ("Stefan de Vrij", "de Vrij"),
        ("Danilo D’Ambrosio", "D'Ambrosio"),
        ("Leão", "Rafael Leão"),
        ("Fodé Ballo Touré", "Ballo-Touré"),
    ],
)
def test_resolve(written: str, entry: str) -> None:
    player = resolve(written, ROSTER)
    assert player is not None and player.name == entry


@pytest.mark.parametrize("written", ["Martínez", "L. Martínez", "Olivier Giroud", ""])
def test_resolve_refuses_ties_and_strangers(written: str) -> None:
    assert resolve(written, ROSTER) is None


def test_same_player_needs_the_surname() -> None:
    assert same_player("Lautaro Martínez", "La Martínez")
    assert not same_player("Lisandro Martínez", "La Martínez")
    assert not same_player("Ante Rebic", "Kjaer")


@pytest.mark.parametrize(
    ("team", "side"),
    [
        ("Inter Milan", "home"),
        ("inter milan", "home"),
        ("Inter", "home"),
        ("AC Milan", "away"),
        ("Milan", None),  # both teams' names hold it
        ("Juventus", None),
        (None, None),
    ],
)
def test_team_side(team: str | None, side: str | None) -> None:
    assert team_side(team, "Inter Milan", "AC Milan") == side


def test_slug() -> None:
    assert slug("1. FC Köln-Atlético Madrid 2024-02-04") == "1-fc-koln-atletico-madrid-2024-02-04"
