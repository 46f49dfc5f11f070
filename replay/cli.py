"""The ``livetext`` command: a table of verbs, each a plain function in ``replay/commands/``.

A verb's module is imported only when that verb runs (or its help is shown), so
``livetext state MATCH --json`` never pays for matplotlib, Kafka or the web server.  A new
verb is a function in a command module plus one row of :data:`VERBS`.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

HELP = "Football live text -> typed events -> an append-only stream -> state at any minute."

VERBS: dict[str, str] = {
    "parse": "replay.commands.parse_cmd:parse",
    "ingest": "replay.commands.ingest_cmd:ingest",
    "matches": "replay.commands.events_cmd:matches_command",
    "events": "replay.commands.events_cmd:events_command",
    "state": "replay.commands.state_cmd:state_command",
    "report": "replay.commands.state_cmd:report_command",
    "replay": "replay.commands.replay_cmd:replay",
    "plot": "replay.commands.plot_cmd:plot",
    "serve": "replay.commands.serve_cmd:serve",
    "schema": "replay.commands.schema:schema",
    "worker": "replay.commands.kafka_cmd:worker_command",
    "publish": "replay.commands.kafka_cmd:publish_command",
    "follow": "replay.commands.kafka_cmd:follow_command",
    "poll": "replay.commands.poll_cmd:poll",
}
"""Verb -> ``module:function``, in the order ``livetext --help`` lists them."""


def verb_command(name: str) -> Any:
    """The click command of one verb, built from its function by typer."""
    module, _, attr = VERBS[name].partition(":")
    function = getattr(importlib.import_module(module), attr)
    one = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    one.command(name)(function)
    return typer.main.get_command(one)


class Verbs(TyperGroup):
    """The verbs of :data:`VERBS`, each built the first time it is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(VERBS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in VERBS:
            return None
        if cmd_name not in self.commands:
            self.commands[cmd_name] = verb_command(cmd_name)
        return self.commands[cmd_name]


app = typer.Typer(
    name="livetext",
    cls=Verbs,
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Football live text -> typed events -> an append-only stream -> state at any minute."""


def main() -> None:
    """Console-script entry point."""
    app()
