"""The team stats, one row each: the state's name, the label people read, the names pages
and providers give it, and why a provider's count may differ from the lines'.

One table serves reconciliation (``livetext report``), the terminal scoreboard and the web
page (``/api/stats``): adding a stat to all three is one row here (its counting lives in
the ``stats`` projection).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Stat:
    """One team stat as ``stats.home|away`` of the state JSON holds it."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    """What a page's Match Stats or a provider's box score calls it (after snake_casing)."""
    key: bool = False
    """On the terminal scoreboard's short list."""
    differs: str | None = None
    """Why a provider's count may differ from what the lines say, when it is known to."""

    def to_json(self) -> dict[str, Any]:
        """``{name, label, key}``: what the web page needs."""
        return {"name": self.name, "label": self.label, "key": self.key}


# fmt: off
STATS: tuple[Stat, ...] = (
    Stat("goals", "Goals", ("goals",)),
    Stat("shots", "Shots", ("total_shots",), key=True),
    Stat("shots_on_target", "On target", ("on_target",), key=True,
         differs="providers may count a kick or a save the lines do not write as a shot"),
    Stat("shots_off_target", "Off target", ("off_target",)),
    Stat("shots_blocked", "Blocked", ("blocked_shots",)),
    Stat("woodwork", "Woodwork", ("hit_woodwork",)),
    Stat("corners", "Corners", ("won_corners",), key=True),
    Stat("fouls", "Fouls", ("fouls_committed",), key=True,
         differs="the provider counts fouls the lines never write as 'Foul by' "
                 "(a foul giving away a penalty, a hand ball)"),
    Stat("free_kicks_won", "Free kicks won", ("fouls_won",)),
    Stat("offsides", "Offsides", (), key=True),
    Stat("saves", "Saves", (), key=True,
         differs="providers may count a save the lines do not write as a saved shot"),
    Stat("yellow_cards", "Yellow cards", ("yellows",), key=True),
    Stat("red_cards", "Red cards", ("reds",), key=True),
    Stat("penalties_awarded", "Penalties awarded", ()),
    Stat("substitutions", "Substitutions", ("subs",)),
)
# fmt: on

BY_NAME: dict[str, Stat] = {s.name: s for s in STATS}
"""The state's stat name -> its row."""
REPORTED: dict[str, Stat] = {a: s for s in STATS for a in (s.name, *s.aliases)}
"""A page's or provider's stat name -> the row of the same meaning."""
KEY_STATS: tuple[Stat, ...] = tuple(s for s in STATS if s.key)
"""The short list the terminal scoreboard shows."""
