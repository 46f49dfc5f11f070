"""Where a replay goes: a :class:`Sink` is shown each frame of the match in turn.

Three sinks ship: ``board`` (the terminal scoreboard, redrawn each minute), ``ticker`` (a
line for each minute where something happened and for each break, then the final board:
for pipes and CI) and ``jsonl`` (one state JSON per minute).  A new sink is a class with
``show`` and ``end`` and a row of :data:`SINKS`; ``livetext replay --sink NAME`` picks it.
Pacing is the command's business: a sink shows what it is given at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, Protocol

import orjson

from replay.driver import Frame

if TYPE_CHECKING:
    from rich.console import Console
    from rich.live import Live


class Sink(Protocol):
    """An output of ``livetext replay``."""

    def show(self, frame: Frame) -> None:
        """Show one step of the match (frames come in match order)."""

    def end(self) -> None:
        """The replay is over (the last frame shown, or stopped by the user)."""


class JsonlSink:
    """One state JSON per step, its ``step`` added (JSON lines), flushed at once."""

    def __init__(self, out: IO[bytes] | None = None) -> None:
        self.out = out if out is not None else sys.stdout.buffer

    def show(self, frame: Frame) -> None:
        data = frame.state.to_json()
        data["step"] = frame.step.to_json()
        self.out.write(orjson.dumps(data) + b"\n")
        self.out.flush()

    def end(self) -> None:
        """Nothing held back."""


def _console(out: IO[str] | None) -> Console:
    from rich.console import Console

    return Console(file=out)


def _board(frame: Frame) -> Any:
    from replay.scoreboard import scoreboard

    return scoreboard(frame.state.to_json(), frame.events_so_far, label=frame.step.label)


class BoardSink:
    """The scoreboard of each step, drawn over the previous one (a terminal)."""

    def __init__(self, out: IO[str] | None = None) -> None:
        self.console = _console(out)
        self._live: Live | None = None

    def show(self, frame: Frame) -> None:
        if self._live is None:
            from rich.live import Live

            self._live = Live(console=self.console, auto_refresh=False, transient=False)
            self._live.start()
        self._live.update(_board(frame), refresh=True)

    def end(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None


class TickerSink:
    """A plain line for each step where something happened and for each break, then the
    board of the last step shown."""

    def __init__(self, out: IO[str] | None = None) -> None:
        self.out = out if out is not None else sys.stdout
        self._last: Frame | None = None

    def show(self, frame: Frame) -> None:
        from replay.scoreboard import ticker_line

        if frame.new_events or frame.step.kind == "break":
            line = ticker_line(frame.state.to_json(), frame.step.label, frame.new_events)
            self.out.write(line + "\n")
            self.out.flush()
        self._last = frame

    def end(self) -> None:
        if self._last is not None:
            _console(self.out).print(_board(self._last))
            self._last = None


SINKS: dict[str, Callable[[], Sink]] = {
    "board": BoardSink,
    "ticker": TickerSink,
    "jsonl": JsonlSink,
}
"""Sink name -> a sink writing to stdout."""
