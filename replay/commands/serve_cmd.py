"""``livetext serve [--store PATH] [--broker URL] [--host 127.0.0.1] [--port 8000]``."""

from __future__ import annotations

from pathlib import Path

import typer

from replay.cli import app
from replay.commands.common import STORE_HELP, fail
from stream import StoreError, open_store


@app.command()
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
    try:
        events_store = open_store(store, create=False)
    except StoreError as exc:
        fail(f"{exc} (ingest a match first: livetext ingest SOURCE --store PATH)")

    import uvicorn

    from replay.web import create_app
    from replay.web.live import kafka_feed, merged_feed, store_feed

    feed = store_feed(events_store)
    if broker is not None:
        from stream.kafka.config import KafkaSettings, Topics

        try:
            settings = KafkaSettings(broker=broker, topics=Topics(prefix), app_id=prefix)
            settings.servers  # noqa: B018 - validates the broker string
        except ValueError as exc:
            fail(f"--broker {broker!r}: {exc}", code=2)
        feed = merged_feed(feed, kafka_feed(settings))

    try:
        where = getattr(events_store, "path", "the store")
        typer.echo(f"livetext: serving {where} on http://{host}:{port}/ (Ctrl-C stops)")
        uvicorn.run(
            create_app(events_store, feed=feed),
            host=host,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=1,
        )
    finally:
        events_store.close()
