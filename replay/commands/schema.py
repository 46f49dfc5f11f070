"""``livetext schema``: the JSON Schema of the event union, generated from the models."""

from __future__ import annotations

import orjson
import typer

from events.models import json_schema


def schema() -> None:
    """Print the JSON Schema of every event type."""
    typer.echo(orjson.dumps(json_schema(), option=orjson.OPT_INDENT_2).decode())
