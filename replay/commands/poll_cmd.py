"""``livetext poll URL``: follow a match as a provider serves it, appending what is new.

Fetches the payload every ``--every`` seconds (15; fractions too), reads it with the
readers ``ingest`` uses, and appends what is new to the store (``--store``) or sends it
to the Kafka pipeline's lines topic (``--broker``): new lines, amended lines (a
retraction, then the new version), withdrawn lines (a retraction).  Faults are retried
with backoff and shown on the status line; ``--until-end`` exits 0 once the payload says
the match is over; Ctrl-C stops between appends (exit 130).  See :mod:`replay.poll`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from replay.commands.common import STORE_HELP, check_match_option, fail, format_option

BROKER_HELP = "Send to the Kafka pipeline at this broker (kafka://host:9092) instead of a store."
PREFIX_HELP = "Topic prefix of the pipeline (--broker): new lines go to PREFIX.lines."
SIGNAL_EXIT = {"SIGINT": 130, "SIGTERM": 143}

if TYPE_CHECKING:
    from replay.poll.loop import Poller


def poll_match(
    url: str,
    *,
    match: str | None = None,
    every: float = 15.0,
    until_end: bool = False,
    store: Path | None = None,
    broker: str | None = None,
    prefix: str = "livetext",
    format: str | None = None,
    as_json: bool = False,
    timeout: float = 10.0,
) -> int:
    """Poll ``url`` into the store or the broker; the exit code (0: the match is over,
    130/143: stopped by SIGINT/SIGTERM).  Bad arguments and faults no retry mends exit
    through :func:`~replay.commands.common.fail`."""
    from replay.poll.fetch import FatalFetchError, Fetcher
    from replay.poll.loop import Poller, Stopped
    from replay.poll.read import formats
    from replay.poll.sinks import Sink, StoreSink
    from replay.poll.status import Reporter
    from stream import StoreError

    if store is not None and broker is not None:
        fail("--store and --broker: give one (the store, or the Kafka pipeline)", code=2)
    if not every > 0:
        fail("--every must be a positive number of seconds", code=2)
    if not timeout > 0:
        fail("--timeout must be a positive number of seconds", code=2)
    if format is not None and format not in formats():
        fail(f"--format must be one of {', '.join(formats())}", code=2)
    check_match_option(match)
    try:
        fetcher = Fetcher(url, timeout)
    except FatalFetchError as exc:
        fail(str(exc), code=2)

    sink: Sink
    if broker is not None:
        from replay.poll.kafka import BrokerSink, BrokerUnavailable

        try:
            sink = BrokerSink(broker, prefix)
        except (BrokerUnavailable, ValueError) as exc:
            fetcher.close()
            fail(str(exc))
    else:
        from replay.commands.common import store_or_fail
        from stream import default_store_path

        sink = StoreSink(store_or_fail(store), str(store or default_store_path()))

    reporter = Reporter(as_json=as_json)
    poller = Poller(
        fetcher,
        sink,
        reporter.show,
        every=every,
        until_end=until_end,
        fmt=format,
        match_id=match,
    )
    try:
        poller.run()
    except Stopped as exc:
        reporter.finish(_summary(poller, sink.target, f"stopped ({exc})"))
        return SIGNAL_EXIT.get(str(exc), 130)
    except FatalFetchError as exc:
        reporter.finish()
        fail(str(exc))
    except StoreError as exc:  # a damaged store: no retry mends it
        reporter.finish()
        fail(str(exc))
    finally:
        fetcher.close()
        sink.close()
    reporter.finish(_summary(poller, sink.target, "the match is over"))
    return 0


def _summary(poller: Poller, target: str, why: str) -> str:
    return (
        f"{poller.match_id or '?'}: {poller.appended} events appended to {target} "
        f"over {poller.polls} polls; {why}"
    )


def poll(
    url: str = typer.Argument(..., help="The payload's URL (an ESPN summary, a feed...)."),
    match: str | None = typer.Option(
        None, "--match", help="The match id (default: the payload's, e.g. ESPN's event id)."
    ),
    every: float = typer.Option(15.0, "--every", help="Seconds between polls (fractions too)."),
    until_end: bool = typer.Option(
        False, "--until-end", help="Exit once the payload says the match is over."
    ),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    broker: str | None = typer.Option(None, "--broker", help=BROKER_HELP),
    prefix: str = typer.Option("livetext", "--prefix", help=PREFIX_HELP),
    format: str | None = format_option(),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per poll on stdout."),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds to wait for an answer."),
) -> None:
    """Follow a live match at URL: append what is new every --every seconds."""
    code = poll_match(
        url,
        match=match,
        every=every,
        until_end=until_end,
        store=store,
        broker=broker,
        prefix=prefix,
        format=format,
        as_json=as_json,
        timeout=timeout,
    )
    if code:
        raise typer.Exit(code=code)
