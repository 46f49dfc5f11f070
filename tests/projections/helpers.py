"""Shared builders for projection tests: a small sheet and event constructors."""

from __future__ import annotations

from typing import Any

from events.clock import MatchClock

HOME, AWAY = "Inter Milan", "AC Milan"

SHEET: dict[str, Any] = {
    "home": HOME,
    "away": AWAY,
    "lineups": {
        "home": {
            "name": HOME,
            "formation": "3-5-2",
            "starting": [
                {"name": n, "number": k}
                for n, k in [
                    ("Onana", 24),
                    ("Skriniar", 37),
                    ("Acerbi", 15),
                    ("Bastoni", 95),
                    ("Darmian", 36),
                    ("Barella", 23),
                    ("Çalhanoglu", 20),
                    ("Mkhitaryan", 22),
                    ("Dimarco", 32),
                    ("Dzeko", 9),
                    ("La Martínez", 10),
                ]
            ],
            "bench": [{"name": "Asllani", "number": 14}, {"name": "Lukaku", "number": 90}],
        },
        "away": {
            "name": AWAY,
            "formation": "3-5-2",
            "starting": [
                {"name": n, "number": k}
                for n, k in [
                    ("Tatarusanu", 1),
                    ("Kalulu", 20),
                    ("Kjaer", 24),
                    ("Gabbia", 46),
                    ("Calabria", 2),
                    ("Messias", 30),
                    ("Krunic", 33),
                    ("Tonali", 8),
                    ("Hernández", 19),
                    ("Giroud", 9),
                    ("Origi", 27),
                ]
            ],
            "bench": [{"name": "Rebic", "number": 12}, {"name": "Díaz", "number": 10}],
        },
    },
}


def clock(text: str) -> MatchClock:
    """``"45+2"`` -> the clock."""
    return MatchClock.parse(text)


def goal_line(h: int, a: int, player: str = "Lautaro Martínez", team: str = HOME) -> str:
    """A goal line printing ``HOME h, AWAY a``."""
    return (
        f"Goal! {HOME} {h}, {AWAY} {a}. {player} ({team}) header from the centre of the box "
        "to the bottom left corner."
    )
