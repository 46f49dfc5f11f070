"""``livetext serve [--store PATH] [--broker URL] [--host 127.0.0.1] [--port 8000]``.

The store is opened and the port bound before the command says it serves, so a missing
or damaged store and a port in use are one-line errors.
"""

from __future__ import annotations

import socket
from pathlib import Path

import typer

from replay.commands.common import STORE_HELP, fail, store_exists


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (IPv4 or IPv6), or a clean exit saying why not."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (OSError, UnicodeError) as exc:
        fail(f"--host {host!r}: {exc}", code=2)
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    return sock


def serve(
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    broker: str | None = typer.Option(
        None, "--broker", help="Also push the states of PREFIX.states (Kafka) to open pages."
    ),
    prefix: str = typer.Option("livetext", "--prefix", help="The Kafka topics' prefix."),
    host: str = typer.Option("127.0.0.1", "--host", help="The address to bind."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="The port to bind."),
) -> None:
    """Serve the match pages and the JSON API; open pages follow new events live."""
    from stream import StoreError, open_store

    try:
        events_store = open_store(store, create=False)
    except StoreError as exc:
        advice = (
            ""
            if store_exists(store)
            else " (ingest a match first: livetext ingest SOURCE --store PATH)"
        )
        fail(f"{exc}{advice}")

    try:
        import uvicorn

        from replay.web import create_app
        from replay.web.live import Feed, merged_feed, store_feed

        feed: Feed = store_feed(events_store)
        if broker is not None:
            from replay.web.live import kafka_feed
            from stream.kafka.config import KafkaSettings, Topics

            try:
                settings = KafkaSettings(broker=broker, topics=Topics(prefix), app_id=prefix)
                settings.servers  # noqa: B018 - validates the broker string
            except ValueError as exc:
                fail(f"--broker {broker!r}: {exc}", code=2)
            feed = merged_feed(feed, kafka_feed(settings))

        sock = listen(host, port)
        where = getattr(events_store, "path", "the store")
        shown = f"[{host}]" if ":" in host else host
        typer.echo(
            f"livetext: serving {where} on http://{shown}:{sock.getsockname()[1]}/ (Ctrl-C stops)"
        )
        config = uvicorn.Config(
            create_app(events_store, feed=feed), log_level="warning", timeout_graceful_shutdown=1
        )
        try:
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            sock.close()
    finally:
        events_store.close()
