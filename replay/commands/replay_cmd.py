"""``livetext replay SOURCE|MATCH``: a match minute by minute, into a sink
(``replay.sinks``: the terminal board, a ticker line per minute, or JSON lines)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer

from events.clock import ClockError, MatchClock
from events.readers import SourceError, read_source
from replay.commands.common import (
    STORE_HELP,
    fail,
    format_option,
    match_id_problem,
    store_exists,
    store_or_fail,
)
from replay.driver import Frame
from replay.sinks import SINKS
from stream import EventStore, StoreError, UnknownMatchError, require_match

TARGET_HELP = "A source file (a page, a feed, lines, ESPN or Opta JSON), or a match id."
SINK_HELP = (
    f"Where the replay goes: {', '.join(SINKS)} (default: board on a terminal, else ticker)."
)


def _clock(option: str, value: str | None) -> MatchClock | None:
    if value is None:
        return None
    try:
        return MatchClock.parse(value)
    except ClockError:
        fail(f"{option} {value!r} is not a match clock (try 45+2, 46, 90+4)", code=2)


def _is_source(target: str) -> bool:
    return target == "-" or Path(target).is_file()


def resolve_match(store: EventStore, target: str, format: str | None = None) -> str:
    """A match id: ``target`` read and ingested when it is a file, else an id in the store."""
    from replay.ingest import ingest_match

    if _is_source(target):
        try:
            match = read_source(target, format)
        except SourceError as exc:
            fail(str(exc), code=2)
        if problem := match_id_problem(match.match_id):
            fail(f"{target}: match id {match.match_id!r}: {problem}", code=2)
        ingest_match(store, match)
        return match.match_id
    try:
        require_match(store, target)
    except UnknownMatchError as exc:
        fail(f"{target!r} is not a file; {exc}")
    return target


def load_frames(
    store: Path | None,
    target: str,
    start: str | None = None,
    stop: str | None = None,
    format: str | None = None,
) -> list[Frame]:
    """The frames of ``target`` (a file, ingested first, or a match id) from the store,
    from ``start`` to ``stop`` (whole minutes, inclusive).  A store is made only to ingest
    a file into."""
    from projections import projector_for
    from replay.driver import frames

    first, last = _clock("--from", start), _clock("--to", stop)
    if first is not None and last is not None and first.key > last.key:
        fail(f"--from {first.label} is after --to {last.label}", code=2)
    source = _is_source(target)
    if not source and not store_exists(store):
        fail(f"{target!r} is not a file, and there is no store to find a match in")
    events_store = store_or_fail(store, create=source)
    try:
        match_id = resolve_match(events_store, target, format)
        return list(frames(projector_for(events_store), match_id, first, last))
    except StoreError as exc:
        fail(str(exc))
    finally:
        events_store.close()


def _check_sink(value: str | None) -> str | None:
    if value is not None and value not in SINKS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(SINKS)}")
    return value


def replay(
    target: str = typer.Argument(..., metavar="SOURCE|MATCH", help=TARGET_HELP),
    speed: float = typer.Option(
        60.0,
        "--speed",
        min=0,
        help="Match seconds per real second (60: a minute a second; 0: no wait).",
    ),
    start: str | None = typer.Option(None, "--from", help="First minute shown (45+1, 46...)."),
    stop: str | None = typer.Option(None, "--to", help="Last minute shown."),
    as_json: bool = typer.Option(False, "--json", help="One state JSON per minute (JSONL)."),
    sink: str | None = typer.Option(None, "--sink", help=SINK_HELP, callback=_check_sink),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    format: str | None = format_option(),
) -> None:
    """Step through a match minute by minute, stoppage time and breaks included."""
    if as_json and sink not in (None, "jsonl"):
        fail(f"--json and --sink {sink} name two outputs: give one", code=2)
    all_frames = load_frames(store, target, start, stop, format)
    name = "jsonl" if as_json else sink or ("board" if sys.stdout.isatty() else "ticker")
    output = SINKS[name]()
    pause = 60.0 / speed if speed > 0 else 0.0
    try:
        try:
            for frame in all_frames:
                output.show(frame)
                time.sleep(pause)
        finally:
            output.end()
    except KeyboardInterrupt:
        typer.echo("\nlivetext: replay stopped", err=True)
        raise typer.Exit(code=130) from None
