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
        None, "--broker", help="Also follow the livetext.states Kafka topic (not yet)."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="The address to bind."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="The port to bind."),
) -> None:
    """Serve the match pages and the JSON API; open pages follow new events live."""
    if broker is not None:
        fail(
            "--broker: following the livetext.states topic is not available yet; "
            "serve the store (pages follow its appends live)",
            code=2,
        )
    try:
        events_store = open_store(store, create=False)
    except StoreError as exc:
        fail(f"{exc} (ingest a match first: livetext ingest SOURCE --store PATH)")

    import uvicorn

    from replay.web import create_app

    try:
        where = getattr(events_store, "path", "the store")
        typer.echo(f"livetext: serving {where} on http://{host}:{port}/ (Ctrl-C stops)")
        uvicorn.run(
            create_app(events_store),
            host=host,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=1,
        )
    finally:
        events_store.close()
