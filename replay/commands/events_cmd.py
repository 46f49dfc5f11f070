"""``livetext events MATCH`` and ``livetext matches``: what the store holds.

``events`` prints a match's stream in seq order (``--json``: one event per line, the public
JSON shape); ``--at`` keeps what happened at or before a clock, the whole minute included
(``stream.store.up_to_clock`` says where lines without a clock go).  ``matches`` lists the
matches with their teams, event counts and latest clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import typer

from events.clock import ClockError, MatchClock
from events.models import EventBase, dumps
from replay.commands.common import MAX_SEQ, STORE_HELP, fail, store_or_fail
from stream import EventStore, StoreError, default_store_path, require_match

AT_HELP = "Only events at or before this clock, its whole minute included: 45+2, 46, 90+4, ht, ft."

# Named ends of play: every event of the period, stoppage time included.
_NAMED_CLOCKS = {
    "ht": MatchClock(period=1, minute=45, added=60, second=59),
    "ft": MatchClock(period=2, minute=90, added=60, second=59),
    "aet": MatchClock(period=4, minute=120, added=60, second=59),
}


def parse_at(text: str) -> MatchClock:
    """The inclusive bound ``--at`` names: a clock without seconds covers its whole minute."""
    named = _NAMED_CLOCKS.get(text.strip().lower())
    if named is not None:
        return named
    try:
        clock = MatchClock.parse(text)
    except ClockError as exc:
        fail(f"--at: {exc} (try 45+2, 46, 90+4, ht or ft)", code=2)
    return clock.minute_end() if clock.second is None else clock


@contextmanager
def _store(path: Path | None) -> Iterator[EventStore]:
    """The existing store (never a new one), with its errors as one-line messages."""
    store = store_or_fail(path, create=False)
    try:
        yield store
    except StoreError as exc:
        fail(f"{exc} [{path or default_store_path()}]")
    finally:
        store.close()


def _clock(event: EventBase) -> str:
    if event.clock is None:
        return ""
    return ("~" if event.clock_inferred else "") + event.clock.label


def events_command(
    match: str = typer.Argument(..., help="The match id."),
    as_json: bool = typer.Option(False, "--json", help="One JSON event per line."),
    from_seq: int = typer.Option(1, "--from-seq", min=1, max=MAX_SEQ, help="Start at this seq."),
    at: str | None = typer.Option(None, "--at", help=AT_HELP),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """A match's events in stream order (~ marks an inferred clock)."""
    to_clock = None if at is None else parse_at(at)
    with _store(store) as events_store:
        require_match(events_store, match)
        events = events_store.read(match, from_seq=from_seq, to_clock=to_clock)
    if as_json:
        for event in events:
            typer.echo(dumps(event).decode())
        return
    for event in events:
        origin = "[line-ups] " if event.source == "lineups" else ""
        typer.echo(f"{event.seq:>5}  {_clock(event):>7}  {event.type:<18} {origin}{event.text}")


def matches_command(
    as_json: bool = typer.Option(False, "--json", help="One JSON object per match."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """The matches in the store: teams, number of events, latest clock."""
    with _store(store) as events_store:
        infos = events_store.matches()
    if as_json:
        for info in infos:
            last = None if info.last_clock is None else info.last_clock.label
            entry = {
                "match_id": info.match_id,
                "home": info.home,
                "away": info.away,
                "events": info.event_count,
                "last_clock": last,
            }
            typer.echo(orjson.dumps(entry).decode())
        return
    if not infos:
        typer.echo("livetext: no matches in the store yet", err=True)
        return
    rows = [("match", "home", "away", "events", "last clock")]
    for info in infos:
        last = "" if info.last_clock is None else info.last_clock.label
        home, away = info.home or "", info.away or ""
        rows.append((info.match_id, home, away, str(info.event_count), last))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [
            c.rjust(w) if i == 3 else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        typer.echo("  ".join(cells).rstrip())
