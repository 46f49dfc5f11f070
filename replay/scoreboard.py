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

from events.models import Booking, EventBase, Substitution
from projections.stat_table import KEY_STATS

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


def describe(event: EventBase) -> str:
    """The line as shown to people: the feed's own words, or for an event made from a
    line-up annotation (whose raw text is ``20KaluluBooked at 32mins``) a sentence."""
    if event.source != "lineups":
        return event.text
    if isinstance(event, Substitution):
        return (
            f"Substitution, {event.team}. {event.player_on} replaces {event.player_off}. (line-ups)"
        )
    if isinstance(event, Booking):
        card = {"yellow": "yellow card", "second_yellow": "second yellow card", "red": "red card"}
        return f"{event.player} ({event.team}) is shown the {card[event.card]}. (line-ups)"
    return event.text


def _recent(events: Sequence[EventBase], limit: int) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="dim")
    table.add_column()
    for event in events[-limit:]:
        clock = event.clock.label if event.clock else "-"
        style = EVENT_STYLES.get(event.type, "")
        table.add_row(clock, Text(describe(event), style=style, overflow="fold"))
    return table


def _cards(data: Mapping[str, Any]) -> Text:
    text = Text()
    for card in data["cards"]:
        mark, style = CARD_MARKS.get(card["card"], (card["card"], ""))
        team = data["teams"].get(card["team"]) or card["team"]
        text.append(f" {mark} ", style=style)
        text.append(f" {clock_label(card['clock'])} {player_label(card['player'])} ({team})\n")
    return text


def _clock_order(clock: Mapping[str, Any] | None) -> tuple[int, int, int]:
    return (clock["period"], clock["minute"], clock.get("added", 0)) if clock else (0, 0, 0)


def _changes(data: Mapping[str, Any]) -> Text:
    teams = data["teams"]
    subs = sorted(
        (
            (side, sub)
            for side in ("home", "away")
            for sub in data["lineups"][side].get("substitutions", [])
        ),
        key=lambda pair: _clock_order(pair[1]["clock"]),
    )
    text = Text()
    for side, sub in subs:
        text.append(f"{clock_label(sub['clock'])} ", style="dim")
        text.append(player_label(sub["on"]), style="green")
        text.append(" for ")
        text.append(player_label(sub["off"]), style="red")
        text.append(f" ({teams[side] or side})\n")
    for side in ("home", "away"):
        for player in data["lineups"][side]["sent_off"]:
            text.append(
                f"sent off: {player_label(player)} ({teams[side] or side})\n", style="bold red"
            )
    return text


def _on_pitch(data: Mapping[str, Any]) -> Text:
    text = Text()
    for side in ("home", "away"):
        lineup = data["lineups"][side]
        if not lineup.get("known", True) or not lineup["on_pitch"]:
            continue
        formation = f" {lineup['formation']}" if lineup.get("formation") else ""
        text.append(f"{data['teams'][side] or side}{formation}", style="bold")
        text.append(f" ({len(lineup['on_pitch'])}, subs {lineup['subs_used']}): ")
        text.append(", ".join(player_label(p) for p in lineup["on_pitch"]) + "\n")
    return text


def _extras(data: Mapping[str, Any]) -> Text:
    """Users' own projections and the anomalies of the fold."""
    text = Text()
    for name, value in data.get("custom", {}).items():
        text.append(f"{name}: ", style="bold")
        text.append(f"{value}\n")
    for anomaly in data.get("anomalies", []):
        text.append(f"{clock_label(anomaly['clock'])} {anomaly['kind']}: ", style="yellow")
        text.append(f"{anomaly['detail']}\n")
    return text


def stats_table(data: Mapping[str, Any]) -> Table:
    """The key stats of both teams side by side."""
    teams = data["teams"]
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column("")
    table.add_column(teams["home"] or "Home", justify="right")
    table.add_column(teams["away"] or "Away", justify="right")
    for stat in KEY_STATS:
        home, away = (data["stats"][side][stat.name] for side in ("home", "away"))
        table.add_row(stat.label, str(home), str(away))
    return table


def scoreboard(
    data: Mapping[str, Any],
    recent: Sequence[EventBase] = (),
    *,
    label: str | None = None,
    recent_limit: int = 6,
    on_pitch: bool = False,
) -> RenderableType:
    """The whole scoreboard for one moment of the match (``on_pitch``: the players on
    the pitch too, with custom projections and anomalies)."""
    parts: list[RenderableType] = []
    if recent:
        parts += [Text("latest", style="bold underline"), _recent(recent, recent_limit)]
    if data["cards"]:
        parts += [Text("cards", style="bold underline"), _cards(data)]
    changes = _changes(data)
    if changes.plain:
        parts += [Text("changes on the pitch", style="bold underline"), changes]
    if on_pitch and (players := _on_pitch(data)).plain:
        parts += [Text("on the pitch", style="bold underline"), players]
    parts.append(stats_table(data))
    if on_pitch and (extras := _extras(data)).plain:
        parts.append(extras)
    return Panel(Group(*parts), title=headline(data, label), title_align="left", expand=True)


def ticker_line(data: Mapping[str, Any], label: str, new: Sequence[EventBase]) -> str:
    """One plain line per step, for logs and terminals that cannot redraw."""
    teams, score = data["teams"], data["score"]
    head = f"{label:>10}  {teams['home']} {score['home']}-{score['away']} {teams['away']}"
    if not new:
        return head
    return head + "  | " + " | ".join(describe(e) for e in new)
