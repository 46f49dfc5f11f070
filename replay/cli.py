"""The ``livetext`` command: one typer app; each verb lives in ``replay/commands/``."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="livetext",
    help="Football live text -> typed events -> an append-only stream -> state at any minute.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Football live text -> typed events -> an append-only stream -> state at any minute."""


def _register() -> None:
    # One import per command module; each calls ``app.command()`` on import.
    from replay.commands import (  # noqa: F401
        events_cmd,
        ingest_cmd,
        kafka_cmd,
        parse_cmd,
        replay_cmd,
        schema,
        serve_cmd,
        state_cmd,
    )


_register()


def main() -> None:
    """Console-script entry point."""
    app()
