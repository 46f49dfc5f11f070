"""``livetext replay SOURCE|MATCH`` (minute by minute) and ``livetext plot MATCH``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import orjson
import typer
from rich.console import Console
from rich.live import Live

from events.clock import ClockError, MatchClock
from events.readers import SourceError, read_source
from events.readers.match import Format
from projections import projector_for
from replay.cli import app
from replay.commands.common import STORE_HELP, fail, store_or_fail
from replay.driver import Frame, frames
from replay.ingest import ingest_match
from replay.plot import plot_timeline
from replay.scoreboard import scoreboard, ticker_line
from stream import EventStore, StoreError, UnknownMatchError, require_match


def _clock(option: str, value: str | None) -> MatchClock | None:
    if value is None:
        return None
    try:
        return MatchClock.parse(value)
    except ClockError:
        fail(f"{option} {value!r} is not a match clock (try 45+2, 46, 90+4)", code=2)


def resolve_match(store: EventStore, target: str, format: Format | None = None) -> str:
    """A match id: ``target`` read and ingested when it is a file, else an id in the store."""
    if target == "-" or Path(target).is_file():
        try:
            match = read_source(target, format)
        except SourceError as exc:
            fail(str(exc), code=2)
        ingest_match(store, match)
        return match.match_id
    try:
        require_match(store, target)
    except UnknownMatchError as exc:
        fail(f"{target!r} is not a file; {exc}")
    return target


def _load_frames(
    store: Path | None, target: str, start: str | None, stop: str | None
) -> list[Frame]:
    """The frames of ``target`` (a file, ingested first, or a match id) from the store."""
    events_store = store_or_fail(store)
    try:
        match_id = resolve_match(events_store, target)
        projector = projector_for(events_store)
        return list(frames(projector, match_id, _clock("--from", start), _clock("--to", stop)))
    except StoreError as exc:
        fail(str(exc))
    finally:
        events_store.close()


@app.command()
def replay(
    target: str = typer.Argument(
        ..., metavar="SOURCE|MATCH", help="A page, feed or lines file, or a match id."
    ),
    speed: float = typer.Option(
        60.0,
        "--speed",
        min=0,
        help="Match seconds per real second (60: a minute a second; 0: no wait).",
    ),
    start: str | None = typer.Option(None, "--from", help="First minute shown (45+1, 46...)."),
    stop: str | None = typer.Option(None, "--to", help="Last minute shown."),
    as_json: bool = typer.Option(False, "--json", help="One state JSON per minute (JSONL)."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Step through a match minute by minute, stoppage time and breaks included."""
    all_frames = _load_frames(store, target, start, stop)
    pause = 60.0 / speed if speed > 0 else 0.0
    try:
        if as_json:
            _play_json(all_frames, pause)
        elif sys.stdout.isatty():
            _play_live(all_frames, pause)
        else:
            _play_ticker(all_frames, pause)
    except KeyboardInterrupt:
        typer.echo("\nlivetext: replay stopped", err=True)
        raise typer.Exit(code=130) from None


def _play_json(all_frames: list[Frame], pause: float) -> None:
    out = sys.stdout.buffer
    for frame in all_frames:
        data = frame.state.to_json()
        data["step"] = frame.step.to_json()
        out.write(orjson.dumps(data) + b"\n")
        out.flush()
        time.sleep(pause)


def _play_live(all_frames: list[Frame], pause: float) -> None:
    console = Console()
    with Live(console=console, auto_refresh=False, transient=False) as live:
        for frame in all_frames:
            board = scoreboard(frame.state.to_json(), frame.events_so_far, label=frame.step.label)
            live.update(board, refresh=True)
            time.sleep(pause)


def _play_ticker(all_frames: list[Frame], pause: float) -> None:
    """No terminal to redraw (a pipe, CI): a line for each minute where something
    happened and for each break, then the final board."""
    console = Console()
    for frame in all_frames:
        if frame.new_events or frame.step.kind == "break":
            typer.echo(ticker_line(frame.state.to_json(), frame.step.label, frame.new_events))
        time.sleep(pause)
    if all_frames:
        last = all_frames[-1]
        console.print(scoreboard(last.state.to_json(), last.events_so_far, label=last.step.label))


@app.command()
def plot(
    target: str = typer.Argument(
        ..., metavar="SOURCE|MATCH", help="A page, feed or lines file, or a match id."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="The image to write: .png or .svg."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Draw the match timeline: goals, cards and substitutions, the score, shots."""
    if output.suffix.lower() not in (".png", ".svg"):
        fail(f"{output}: the plot is written as .png or .svg", code=2)
    all_frames = _load_frames(store, target, None, None)
    if not all_frames:
        fail(f"{target}: no minute of the match to draw")
    steps = [f.step for f in all_frames]
    plot_timeline(steps, [f.state.to_json() for f in all_frames], output)
    typer.echo(f"wrote {output}")
