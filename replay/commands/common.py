"""What the command modules share: failing cleanly, opening the store."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer

from stream import EventStore, StoreError, open_store

STORE_HELP = "The store file (default: the user's data directory; LIVETEXT_DATA overrides)."


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``livetext: message`` on stderr and exit with ``code``: never a traceback."""
    typer.echo(f"livetext: {message}", err=True)
    raise typer.Exit(code=code)


def store_or_fail(path: Path | None, *, create: bool = True) -> EventStore:
    """The store at ``path`` (default place when None), or a clean exit naming the file."""
    try:
        return open_store(path, create=create)
    except StoreError as exc:
        fail(str(exc))
