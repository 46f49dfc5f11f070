"""``livetext worker|publish|follow --broker URL``: the pipeline over Kafka (faust).

``worker`` runs the faust app of :mod:`stream.kafka.app`, handing it the projections'
pure reducers (:class:`projections.incremental.ProjectionFold`): the same fold the
embedded path runs.
``publish`` sends any source's lines; ``follow`` prints state updates as they arrive.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from collections.abc import Mapping
from typing import Any, NoReturn

import orjson
import typer

from events.readers import SourceError, read_source
from projections.incremental import ProjectionFold
from replay.commands.common import (
    check_match_option,
    format_option,
    match_id_problem,
)
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
    from stream.kafka.log import KafkaError, TopicLayoutError

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
    except (KafkaError, OSError) as exc:
        _fail(f"cannot reach the broker at {broker}: {exc}")


def publish_command(
    sources: list[str] = typer.Argument(..., help="Pages, JSONL feeds or plain lines (- stdin)."),
    broker: str = typer.Option(..., "--broker", help=BROKER_HELP),
    speed: float | None = typer.Option(
        None, "--speed", help="Pace by match clock: X match seconds per second (all at once)."
    ),
    match: str | None = typer.Option(None, "--match", help="Match id (one source only)."),
    format: str | None = format_option(),
    newest_first: bool = typer.Option(False, "--newest-first", help="Feed or lines, newest first."),
    chunk: int = typer.Option(DEFAULT_CHUNK, "--chunk", help="Most lines per message."),
    prefix: str = typer.Option(DEFAULT_PREFIX, "--prefix", help=PREFIX_HELP),
    partitions: int = typer.Option(DEFAULT_PARTITIONS, "--partitions", help=PARTITIONS_HELP),
) -> None:
    """Publish sources' lines to PREFIX.lines (keyed by match id, header first)."""
    from stream.kafka.log import KafkaError

    if match is not None and len(sources) > 1:
        _fail("--match names one match: give one source")
    check_match_option(match)
    if speed is not None and speed <= 0:
        _fail("--speed must be positive")
    if chunk < 1:
        _fail("--chunk must be at least 1")
    fmt = format
    outgoing = []
    for source in sources:
        try:
            m = read_source(source, fmt, newest_first=newest_first, match_id=match)
        except SourceError as exc:
            _fail(str(exc))
        if problem := match_id_problem(m.match_id):
            _fail(f"{source}: match id {m.match_id!r}: {problem}; name the match with --match ID")
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
