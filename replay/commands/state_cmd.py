"""``livetext state MATCH [--at CLOCK] [--json]`` and ``livetext report MATCH``.

``state`` prints a compact scoreboard (score, clock, cards, who is on the pitch, key stats)
or, with ``--json``, the state JSON.  ``report`` compares the final state with the page's
own Match Stats and line-up annotations.  ``--with MODULE[:NAME]`` loads a custom
projection (a module that registers itself, or a ``Projection`` object to register).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, NoReturn

import orjson
import typer
from rich.console import Console
from rich.table import Table

from projections import (
    DEFAULT_REGISTRY,
    AtClockError,
    MatchState,
    Projection,
    ProjectionError,
    reconcile,
    state_at,
)
from replay.cli import app

STORE_HELP = "The store file (default: the user's data directory; LIVETEXT_DATA overrides)."
WITH_HELP = "Load a custom projection: MODULE (registers itself) or MODULE:NAME (a Projection)."
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
    "yellow": "[black on yellow] Y [/]",
    "second_yellow": "[white on red] 2Y [/]",
    "red": "[white on red] R [/]",
}


def _fail(message: str) -> NoReturn:
    typer.echo(f"livetext: {message}", err=True)
    raise typer.Exit(code=1)


def load_projections(specs: list[str]) -> None:
    """Import ``MODULE`` or register ``MODULE:NAME`` for every ``--with``."""
    for spec in specs:
        module_name, _, attr = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            _fail(f"--with {spec}: cannot import {module_name!r} ({exc})")
        if not attr:
            continue
        projection = getattr(module, attr, None)
        if not isinstance(projection, Projection):
            _fail(f"--with {spec}: {attr!r} is not a Projection in {module_name}")
        if projection.name not in DEFAULT_REGISTRY:
            try:
                DEFAULT_REGISTRY.register(projection)
            except ProjectionError as exc:
                _fail(f"--with {spec}: {exc}")


def _state(match: str, at: str | None, store: Path | None) -> MatchState:
    from stream import StoreError, open_store

    try:
        events_store = open_store(store, create=False)
    except StoreError as exc:
        _fail(str(exc))
    try:
        if events_store.last_seq(match) == 0 and not events_store.get_meta(match):
            known = ", ".join(m.match_id for m in events_store.matches()[:10]) or "none"
            _fail(f"no match {match!r} in the store (matches: {known})")
        return state_at(events_store, match, at)
    except AtClockError as exc:
        _fail(str(exc))
    except StoreError as exc:
        _fail(str(exc))
    finally:
        events_store.close()


@app.command("state")
def state_command(
    match: str = typer.Argument(..., help="The match id."),
    at: str | None = typer.Option(None, "--at", help="Inclusive clock: 45+2, 46, 90+4, ht, ft."),
    as_json: bool = typer.Option(False, "--json", help="Print the state JSON."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    with_: list[str] = typer.Option([], "--with", help=WITH_HELP),
) -> None:
    """The state of a match at a clock: score, cards, who is on the pitch, stats."""
    load_projections(with_)
    state = _state(match, at, store)
    data = state.to_json()
    if as_json:
        typer.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
        return
    scoreboard(data, Console())


@app.command("report")
def report_command(
    match: str = typer.Argument(..., help="The match id."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Reconcile the final state with the page's Match Stats and line-up annotations."""
    report = reconcile(_state(match, None, store))
    if as_json:
        typer.echo(orjson.dumps(report.to_json(), option=orjson.OPT_INDENT_2).decode())
        return
    console = Console()
    console.print(f"[bold]{match}[/]  lines cover {report.coverage}")
    table = Table(show_edge=False, header_style="bold")
    for column in ("check", "team", "page", "state", "verdict", "why"):
        table.add_column(column)
    colours = {"agree": "green", "disagree": "red", "not_computed": "dim"}
    for c in report.checks:
        verdict = f"[{colours[c.verdict]}]{c.verdict}[/]"
        table.add_row(
            c.item, c.team or "", _text(c.reported), _text(c.computed), verdict, c.why or ""
        )
    console.print(table)
    console.print(
        f"{report.count('agree')} agree, {report.count('disagree')} disagree, "
        f"{report.count('not_computed')} not computed"
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _clock(value: dict[str, Any] | None) -> str:
    return value["label"] if value else "-"


def _player(p: dict[str, Any] | None) -> str:
    if not p:
        return "?"
    return f"{p['number']} {p['name']}" if p.get("number") is not None else str(p["name"])


def scoreboard(data: dict[str, Any], console: Console) -> None:
    """The human form of a state: score line, cards, players on the pitch, key stats."""
    teams, score = data["teams"], data["score"]
    home, away = teams["home"] or "Home", teams["away"] or "Away"
    shootout = data["shootout"]
    pens = f" (pens {shootout['home']}-{shootout['away']})" if shootout else ""
    status = data["status"].replace("_", " ")
    console.print(
        f"[bold]{home} {score['home']}-{score['away']} {away}[/]{pens}   "
        f"{_clock(data['clock'])}  [dim]{status}[/]"
    )
    for g in score["goals"]:
        note = " (og)" if g["own_goal"] else " (pen)" if g["penalty"] else ""
        console.print(f"  [green]goal[/] {_clock(g['clock'])} {_player(g['player'])}{note}")
    for c in data["cards"]:
        team = teams[c["team"]] or c["team"]
        mark = CARD_MARKS.get(c["card"], c["card"])
        console.print(f"  {mark} {_clock(c['clock'])} {_player(c['player'])} ({team})")
    for side in ("home", "away"):
        line = data["lineups"][side]
        if not line["known"]:
            continue
        formation = f" {line['formation']}" if line["formation"] else ""
        on = ", ".join(_player(p) for p in line["on_pitch"])
        off = "".join(f"  [red]sent off: {_player(p)}[/]" for p in line["sent_off"])
        console.print(
            f"[bold]{teams[side] or side}[/]{formation} ({len(line['on_pitch'])}, "
            f"subs {line['subs_used']}): {on}{off}"
        )
    table = Table(show_edge=False, header_style="bold")
    table.add_column("")
    table.add_column(home, justify="right")
    table.add_column(away, justify="right")
    for key, label in KEY_STATS:
        table.add_row(label, str(data["stats"]["home"][key]), str(data["stats"]["away"][key]))
    console.print(table)
    for name, value in data["custom"].items():
        console.print(f"[bold]{name}[/]: {orjson.dumps(value).decode()}")
    if data["anomalies"]:
        console.print(f"[yellow]{len(data['anomalies'])} anomalies[/]")
        for a in data["anomalies"]:
            console.print(f"  [yellow]{_clock(a['clock'])} {a['kind']}[/]: {a['detail']}")
