"""The terminal scoreboard (rich): score and clock, the latest events, cards, changes on
the pitch and the key stats side by side.  Built from the state JSON alone, so what the
terminal shows is what ``livetext state --json`` says."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from events.models import EventBase

KEY_STATS = (
    ("shots", "Shots"),
    ("shots_on_target", "On target"),
    ("corners", "Corners"),
    ("fouls", "Fouls"),
    ("offsides", "Offsides"),
    ("saves", "Saves"),
    ("yellow_cards", "Yellow cards"),
    ("red_cards", "Red cards"),
)
CARD_MARKS = {
    "yellow": ("Y", "black on yellow"),
    "second_yellow": ("2Y", "white on red"),
    "red": ("R", "white on red"),
}
EVENT_STYLES = {
    "goal": "bold green",
    "booking": "yellow",
    "substitution": "cyan",
    "var_decision": "magenta",
}


def clock_label(clock: Mapping[str, Any] | None) -> str:
    """``45+2'`` from a clock JSON (``-`` for none)."""
    if not clock:
        return "-"
    label = clock.get("label")
    if label:
        return str(label)
    return f"{clock['minute']}+{clock['added']}'" if clock.get("added") else f"{clock['minute']}'"


def player_label(player: Mapping[str, Any] | None) -> str:
    """``23 Barella`` (or just the name when the number is unknown)."""
    if not player:
        return "?"
    number = player.get("number")
    return f"{number} {player['name']}" if number is not None else str(player["name"])


def headline(data: Mapping[str, Any], label: str | None = None) -> Text:
    """``Inter Milan 1-0 AC Milan   90+4'`` with the shoot-out tally when there is one."""
    teams, score = data["teams"], data["score"]
    home, away = teams["home"] or "Home", teams["away"] or "Away"
    text = Text(f"{home} {score['home']}-{score['away']} {away}", style="bold")
    if shootout := data.get("shootout"):
        text.append(f" (pens {shootout['home']}-{shootout['away']})", style="bold")
    text.append(f"   {label or clock_label(data.get('clock'))}", style="bold cyan")
    return text


def _recent(events: Sequence[EventBase], limit: int) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="dim")
    table.add_column()
    for event in events[-limit:]:
        clock = event.clock.label if event.clock else "-"
        style = EVENT_STYLES.get(event.type, "")
        table.add_row(clock, Text(event.text, style=style, overflow="fold"))
    return table


def _cards(data: Mapping[str, Any]) -> Text:
    text = Text()
    for card in data["cards"]:
        mark, style = CARD_MARKS.get(card["card"], (card["card"], ""))
        team = data["teams"].get(card["team"]) or card["team"]
        text.append(f" {mark} ", style=style)
        text.append(f" {clock_label(card['clock'])} {player_label(card['player'])} ({team})\n")
    return text


def _changes(data: Mapping[str, Any]) -> Text:
    text = Text()
    for side in ("home", "away"):
        lineup = data["lineups"][side]
        for sub in lineup.get("substitutions", []):
            text.append(f"{clock_label(sub['clock'])} ", style="dim")
            text.append(f"{player_label(sub['on'])}", style="green")
            text.append(" for ")
            text.append(f"{player_label(sub['off'])}", style="red")
            text.append(f" ({data['teams'][side] or side})\n")
        for player in lineup["sent_off"]:
            text.append(
                f"sent off: {player_label(player)} ({data['teams'][side] or side})\n",
                style="bold red",
            )
    return text


def stats_table(data: Mapping[str, Any]) -> Table:
    """The key stats of both teams side by side."""
    teams = data["teams"]
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column("")
    table.add_column(teams["home"] or "Home", justify="right")
    table.add_column(teams["away"] or "Away", justify="right")
    for key, label in KEY_STATS:
        table.add_row(label, str(data["stats"]["home"][key]), str(data["stats"]["away"][key]))
    return table


def scoreboard(
    data: Mapping[str, Any],
    recent: Sequence[EventBase] = (),
    *,
    label: str | None = None,
    recent_limit: int = 6,
) -> RenderableType:
    """The whole scoreboard for one moment of the match."""
    parts: list[RenderableType] = []
    if recent:
        parts += [Text("latest", style="bold underline"), _recent(recent, recent_limit)]
    if data["cards"]:
        parts += [Text("cards", style="bold underline"), _cards(data)]
    changes = _changes(data)
    if changes.plain:
        parts += [Text("changes on the pitch", style="bold underline"), changes]
    parts.append(stats_table(data))
    return Panel(Group(*parts), title=headline(data, label), title_align="left", expand=True)


def ticker_line(data: Mapping[str, Any], label: str, new: Sequence[EventBase]) -> str:
    """One plain line per step, for logs and terminals that cannot redraw."""
    teams, score = data["teams"], data["score"]
    head = f"{label:>10}  {teams['home']} {score['home']}-{score['away']} {teams['away']}"
    if not new:
        return head
    return head + "  | " + " | ".join(e.text for e in new)
