"""``livetext state MATCH [--at CLOCK] [--json]`` and ``livetext report MATCH``.

``state`` prints a compact scoreboard (score, clock, cards, who is on the pitch, key stats)
or, with ``--json``, the state JSON.  ``report`` compares the final state with the page's
own Match Stats and line-up annotations.  ``--with MODULE[:NAME]`` loads a custom
projection (a module that registers itself, or a ``Projection`` object to register).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import orjson
import typer

from projections import (
    DEFAULT_REGISTRY,
    AtClockError,
    MatchState,
    Projection,
    ProjectionError,
    projector_for,
    reconcile,
)
from replay.commands.common import STORE_HELP, fail, store_or_fail
from replay.timeline import require_played
from stream import StoreError, require_match

WITH_HELP = "Load a custom projection: MODULE (registers itself) or MODULE:NAME (a Projection)."


def load_projections(specs: list[str]) -> None:
    """Import ``MODULE`` or register ``MODULE:NAME`` for every ``--with``."""
    for spec in specs:
        module_name, _, attr = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            fail(f"--with {spec}: cannot import {module_name!r} ({exc})")
        if not attr:
            continue
        projection = getattr(module, attr, None)
        if not isinstance(projection, Projection):
            fail(f"--with {spec}: {attr!r} is not a Projection in {module_name}")
        if projection.name not in DEFAULT_REGISTRY:
            try:
                DEFAULT_REGISTRY.register(projection)
            except ProjectionError as exc:
                fail(f"--with {spec}: {exc}")


def _state(match: str, at: str | None, store: Path | None) -> MatchState:
    events_store = store_or_fail(store, create=False)
    try:
        require_match(events_store, match)
        projector = projector_for(events_store)
        if at is not None:
            require_played(projector.events(match), at)
        return projector.state_at(match, at)
    except AtClockError as exc:
        fail(str(exc), code=2)
    except StoreError as exc:
        fail(str(exc))
    finally:
        events_store.close()


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
    from rich.console import Console

    from replay.scoreboard import scoreboard

    Console().print(scoreboard(data, on_pitch=True))


def report_command(
    match: str = typer.Argument(..., help="The match id."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Reconcile the final state with what the source reports: stats, score, line-ups."""
    report = reconcile(_state(match, None, store))
    if as_json:
        typer.echo(orjson.dumps(report.to_json(), option=orjson.OPT_INDENT_2).decode())
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{match}[/]  lines cover {report.coverage}")
    table = Table(show_edge=False, header_style="bold")
    for column in ("check", "team", "reported", "state", "verdict"):
        table.add_column(column)
    colours = {"agree": "green", "disagree": "red", "not_computed": "dim"}
    reasons: dict[str, int] = {}  # each distinct reason printed once, as a numbered note
    for c in report.checks:
        note = f" [{reasons.setdefault(c.why, len(reasons) + 1)}]" if c.why else ""
        verdict = f"[{colours[c.verdict]}]{c.verdict}[/]{note}"
        table.add_row(c.item, c.team or "", _text(c.reported), _text(c.computed), verdict)
    console.print(table)
    for why, n in reasons.items():
        console.print(f"[{n}] {why}", markup=False, highlight=False)
    console.print(
        f"{report.count('agree')} agree, {report.count('disagree')} disagree, "
        f"{report.count('not_computed')} not computed"
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value)
