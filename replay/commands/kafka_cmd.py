"""``livetext worker|publish|follow --broker URL``: the pipeline over Kafka (faust).

``worker`` runs the faust app of :mod:`stream.kafka.app`, handing it the projections'
pure reducers (:class:`ProjectionFold`): the same fold the embedded path runs.
``publish`` sends any source's lines; ``follow`` prints state updates as they arrive.
"""

from __future__ import annotations

import asyncio
import dataclasses
import pickle
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import orjson
import typer

from events.models import EventBase, loads, to_dict
from events.readers.errors import SourceError
from events.readers.match import FORMATS, Format
from events.readers.source import read_source
from projections import DEFAULT_REGISTRY, MatchState, Registry, build_context, fold, initial_state
from projections import replay as replay_events
from projections.base import DEFAULT_RANK, NO_CLOCK_KEY, RANK
from projections.context import MatchContext, sheet_from_meta
from replay.cli import app
from replay.commands.state_cmd import WITH_HELP, load_projections
from stream.kafka.clients import DEFAULT_CHUNK, Outgoing, follow, publish
from stream.kafka.config import (
    DEFAULT_FETCH_WAIT_MS,
    DEFAULT_PARTITIONS,
    DEFAULT_PREFIX,
    KafkaSettings,
    Topics,
)
from stream.kafka.wire import match_lines

BROKER_HELP = "Kafka bootstrap servers: kafka://host:9092 (several: h1:9092,h2:9092)."
PREFIX_HELP = "Topic prefix: PREFIX.lines, PREFIX.events, PREFIX.states, PREFIX.dead-letter."
PARTITIONS_HELP = "Partitions of topics created now (existing topics keep theirs)."
FETCH_WAIT_HELP = (
    "Longest wait of a fetch for new data. Kafka answers as soon as data arrives, so 500 is"
    " fine there; tansu answers late in proportion to it."
)
ENDED = ("finished", "end_of_second_half", "end_of_extra_time_second_half")
UNTIL_END_HELP = (
    "Exit when the match ends: at its 'Match ends' line, or when the last period has ended and"
    " --idle seconds pass without an update (without MATCH: every match seen has ended)."
)

FoldKey = tuple[int, int, int, int, int]
_START: FoldKey = (*NO_CLOCK_KEY, -1)
_DUMP_VERSION = 1
_SETTLED = ("sheet", "score_line")


# --- the fold handed to the worker --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LiveMatch:
    """A match as the Kafka projector folds it: the state, the match-order key of the last
    event folded, and (while the teams are not known from a header or a score line) the
    events so far, to fold again once they are."""

    state: MatchState
    key: FoldKey
    pending: tuple[EventBase, ...] | None = None


def _key(event: EventBase, carried: tuple[int, int, int, int]) -> FoldKey:
    clock = event.clock.key if event.clock is not None else carried
    return (*clock, RANK.get(event.type, DEFAULT_RANK))


def _last_key(events: Sequence[EventBase]) -> FoldKey:
    """The largest match-order key of ``events`` (arrival order): where the next must sort."""
    key, top = _START, _START
    for event in events:
        key = _key(event, key[:4])
        top = max(top, key)
    return top


class ProjectionFold:
    """``projections`` as a :class:`stream.kafka.project.Fold`.

    Events are folded as they arrive while they come in match order, which is
    ``projections.replay`` on the whole match; a retraction or a line for an earlier
    moment asks the projector to rebuild the match from the log.  A state is stored as a
    pickle of its parts (the table is the app's own); one folded by other reducer
    versions is not loaded but rebuilt.
    """

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry if registry is not None else DEFAULT_REGISTRY

    def start(self, match_id: str, header: Mapping[str, Any] | None) -> LiveMatch:
        ctx = build_context(match_id, header, ())
        pending = None if ctx.teams_source in _SETTLED else ()
        return LiveMatch(initial_state(ctx, self.registry), _START, pending)

    def apply(self, live: LiveMatch, events: Sequence[EventBase]) -> LiveMatch | None:
        key = live.key
        for event in events:
            if event.type == "retraction":
                return None
            nxt = _key(event, key[:4])
            if nxt < key:
                return None
            key = nxt
        if live.pending is None:
            return LiveMatch(fold(live.state, events), key)
        pending = (*live.pending, *events)
        old = live.state.context
        ctx = build_context(old.match_id, old.sheet, pending)
        if ctx.fingerprint == old.fingerprint:
            state = fold(live.state, events)
        else:  # the teams just became known (or changed): fold the match again
            state = replay_events(pending, context=ctx, registry=self.registry)
        return LiveMatch(state, key, None if ctx.teams_source in _SETTLED else pending)

    def rebuild(
        self, match_id: str, header: Mapping[str, Any] | None, events: Sequence[EventBase]
    ) -> LiveMatch:
        state = replay_events(events, match_id=match_id, meta=header, registry=self.registry)
        settled = state.context.teams_source in _SETTLED
        return LiveMatch(state, _last_key(events), None if settled else tuple(events))

    def to_json(self, live: LiveMatch) -> dict[str, Any]:
        return live.state.to_json()

    def dumps(self, live: LiveMatch) -> bytes:
        s = live.state
        ctx = s.context
        fields = {
            f.name: getattr(s, f.name)
            for f in dataclasses.fields(s)
            if f.name not in ("context", "plan")
        }
        pending = None if live.pending is None else [to_dict(e) for e in live.pending]
        data = (
            _DUMP_VERSION,
            s.plan.versions,
            (ctx.home, ctx.away, ctx.teams_source),
            fields,
            live.key,
            pending,
        )
        try:
            return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return b""  # a custom part that cannot be pickled: rebuilt from the log

    def loads(
        self, match_id: str, header: Mapping[str, Any] | None, data: bytes
    ) -> LiveMatch | None:
        if not data:
            return None
        try:
            version, versions, teams, fields, key, pending = pickle.loads(data)
        except Exception:  # an unreadable record is rebuilt from the log
            return None
        plan = self.registry.plan()
        if version != _DUMP_VERSION or versions != plan.versions:
            return None
        home, away, source = teams
        try:
            ctx = MatchContext(match_id, home, away, sheet_from_meta(header), source)
            state = MatchState(ctx, plan, **fields)
            events = None if pending is None else tuple(loads(e) for e in pending)
        except (TypeError, ValueError):  # MatchState or the events changed shape: rebuild
            return None
        return LiveMatch(state, tuple(key), events)


# --- commands -----------------------------------------------------------------------------


def _fail(message: str) -> NoReturn:
    typer.echo(f"livetext: {message}", err=True)
    raise typer.Exit(code=1)


def _settings(broker: str, prefix: str, partitions: int = DEFAULT_PARTITIONS) -> KafkaSettings:
    try:
        settings = KafkaSettings(broker=broker, topics=Topics(prefix), app_id=prefix)
        settings.servers  # noqa: B018 - validates the broker string
    except ValueError as exc:
        _fail(f"--broker {broker!r}: {exc}")
    return dataclasses.replace(settings, partitions=partitions)


@app.command("worker")
def worker_command(
    broker: str = typer.Option(..., "--broker", help=BROKER_HELP),
    prefix: str = typer.Option(DEFAULT_PREFIX, "--prefix", help=PREFIX_HELP),
    app_id: str | None = typer.Option(
        None, "--app-id", help="faust app id = consumer group (default: the prefix)."
    ),
    partitions: int = typer.Option(DEFAULT_PARTITIONS, "--partitions", help=PARTITIONS_HELP),
    replication_factor: int = typer.Option(
        1, "--replication-factor", help="Replicas of the topics created now (3 on a cluster)."
    ),
    batch: int = typer.Option(1000, "--batch", help="Most messages an agent takes at once."),
    within_ms: float = typer.Option(5.0, "--within-ms", help="Longest wait to fill a batch."),
    web_port: int | None = typer.Option(
        None, "--web-port", help="Serve faust's web pages on 127.0.0.1:PORT (default: off)."
    ),
    fetch_wait_ms: int = typer.Option(
        DEFAULT_FETCH_WAIT_MS, "--fetch-wait-ms", help=FETCH_WAIT_HELP
    ),
    loglevel: str = typer.Option("warning", "--loglevel", help="debug, info, warning, error."),
    with_: list[str] = typer.Option([], "--with", help=WITH_HELP),
) -> None:
    """Run a pipeline worker: parse lines, fold events, publish states (Ctrl-C stops it)."""
    from stream.kafka.app import run_worker
    from stream.kafka.log import TopicLayoutError

    load_projections(with_)
    settings = dataclasses.replace(
        _settings(broker, prefix, partitions),
        app_id=app_id or prefix,
        replication_factor=replication_factor,
        batch_size=batch,
        batch_within=within_ms / 1000.0,
        web_port=web_port,
        fetch_max_wait_ms=fetch_wait_ms,
    )
    try:
        run_worker(settings, ProjectionFold(), loglevel=loglevel)
    except TopicLayoutError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot reach the broker at {broker}: {exc}")


@app.command("publish")
def publish_command(
    sources: list[str] = typer.Argument(..., help="Pages, JSONL feeds or plain lines (- stdin)."),
    broker: str = typer.Option(..., "--broker", help=BROKER_HELP),
    speed: float | None = typer.Option(
        None, "--speed", help="Pace by match clock: X match seconds per second (all at once)."
    ),
    match: str | None = typer.Option(None, "--match", help="Match id (one source only)."),
    format: str | None = typer.Option(None, "--format", help="page, feed or lines."),
    newest_first: bool = typer.Option(False, "--newest-first", help="Feed or lines, newest first."),
    chunk: int = typer.Option(DEFAULT_CHUNK, "--chunk", help="Most lines per message."),
    prefix: str = typer.Option(DEFAULT_PREFIX, "--prefix", help=PREFIX_HELP),
    partitions: int = typer.Option(DEFAULT_PARTITIONS, "--partitions", help=PARTITIONS_HELP),
) -> None:
    """Publish sources' lines to PREFIX.lines (keyed by match id, header first)."""
    from stream.kafka.log import KafkaError

    if match is not None and len(sources) > 1:
        _fail("--match names one match: give one source")
    if format is not None and format not in FORMATS:
        _fail(f"--format must be one of {', '.join(FORMATS)}")
    if speed is not None and speed <= 0:
        _fail("--speed must be positive")
    if chunk < 1:
        _fail("--chunk must be at least 1")
    fmt: Format | None = format
    outgoing = []
    for source in sources:
        try:
            m = read_source(source, fmt, newest_first=newest_first, match_id=match)
        except SourceError as exc:
            _fail(str(exc))
        header, lines = match_lines(m)
        outgoing.append(Outgoing(m.match_id, header, lines))
    settings = _settings(broker, prefix, partitions)
    try:
        report = asyncio.run(publish(settings, outgoing, speed=speed, chunk=chunk))
    except (KafkaError, OSError) as exc:
        _fail(f"cannot publish to {broker}: {exc}")
    for o in outgoing:
        typer.echo(f"{o.match_id}: {report.lines.get(o.match_id, 0)} lines", err=True)
    typer.echo(f"{report.messages} messages to {settings.topics.lines}", err=True)


def _line(state: Mapping[str, Any]) -> str:
    teams, score = state.get("teams") or {}, state.get("score") or {}
    clock = (state.get("clock") or {}).get("label", "-")
    shootout = state.get("shootout")
    pens = f" (pens {shootout['home']}-{shootout['away']})" if shootout else ""
    return (
        f"{state.get('match_id')}  {clock:>6}  {teams.get('home') or 'Home'} "
        f"{score.get('home', 0)}-{score.get('away', 0)} {teams.get('away') or 'Away'}{pens}"
        f"  [{state.get('status', '?')}]"
    )


@app.command("follow")
def follow_command(
    match: str | None = typer.Argument(None, help="A match id (default: every match)."),
    broker: str = typer.Option(..., "--broker", help=BROKER_HELP),
    as_json: bool = typer.Option(False, "--json", help="One state JSON per line."),
    until_end: bool = typer.Option(False, "--until-end", help=UNTIL_END_HELP),
    idle: float = typer.Option(10.0, "--idle", help="Quiet seconds --until-end waits for."),
    from_now: bool = typer.Option(False, "--from-now", help="Skip the states already published."),
    prefix: str = typer.Option(DEFAULT_PREFIX, "--prefix", help=PREFIX_HELP),
) -> None:
    """Print state updates as they arrive on PREFIX.states."""
    from stream.kafka.log import KafkaError

    settings = _settings(broker, prefix)
    out = sys.stdout

    async def run() -> None:
        status: dict[str, str] = {}
        states = aiter(follow(settings, match, from_start=not from_now))
        while True:
            if until_end and status:
                if match is not None and status[match] == "finished":
                    return
                ended = all(s in ENDED for s in status.values())
            else:
                ended = False
            try:
                message = await asyncio.wait_for(anext(states), idle if ended else None)
            except (TimeoutError, StopAsyncIteration):
                return
            state = message.state
            out.write((orjson.dumps(state).decode() if as_json else _line(state)) + "\n")
            out.flush()
            status[message.match_id] = str(state.get("status"))

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        raise typer.Exit(code=130) from None
    except (KafkaError, OSError) as exc:
        _fail(f"cannot follow {settings.topics.states} at {broker}: {exc}")
