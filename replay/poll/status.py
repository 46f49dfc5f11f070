"""What the user sees of each poll: a status line on a terminal, a JSON object for scripts.

Every poll gives a :class:`PollReport`.  With ``--json`` it is printed as one JSON object
per line on stdout (:meth:`PollReport.to_json`).  Otherwise a terminal gets one status
line redrawn in place on stderr (last poll, lines so far, the score, the next poll, the
last error); output that is not a terminal gets a line per poll that changed something
or failed, so a log shows what happened without a line every ``--every`` seconds.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any, Literal, TextIO

import orjson

Outcome = Literal["appended", "unchanged", "not_modified", "error", "unreadable", "stopped"]


@dataclass(frozen=True, slots=True)
class PollReport:
    """One poll: what came back, what was appended, where the match stands."""

    at: float
    """When the poll started (``time.time()``)."""
    outcome: Outcome
    match_id: str | None = None
    http_status: int | None = None
    appended: int = 0
    """Events appended (new lines, new versions and retractions)."""
    new: int = 0
    amended: int = 0
    withdrawn: int = 0
    missing: int = 0
    """Lines stored that this snapshot lacked (withdrawn if the next lacks them too)."""
    lines: int = 0
    """Lines in force: served by the latest snapshot (or missing from it once)."""
    events: int = 0
    """Events the match's stream holds."""
    score: tuple[int, int] | None = None
    teams: tuple[str, str] | None = None
    clock: str | None = None
    ended: bool = False
    error: str | None = None
    failures: int = 0
    """Faults in a row (0 after a clean poll)."""
    next_in: float | None = None
    """Seconds until the next poll (``None``: no next poll)."""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = datetime.fromtimestamp(self.at).astimezone().isoformat(timespec="milliseconds")
        data["score"] = None if self.score is None else _sides(self.score)
        data["teams"] = None if self.teams is None else _sides(self.teams)
        return data

    def with_next(self, next_in: float | None) -> PollReport:
        return replace(self, next_in=next_in)


def _sides(pair: tuple[Any, Any]) -> dict[str, Any]:
    return {"home": pair[0], "away": pair[1]}


def describe(report: PollReport, last_error: tuple[float, str] | None) -> str:
    """The status line of a report (and the last error seen, with its time)."""
    parts = [_scoreline(report)]
    lines = f"{report.lines} lines"
    changes = [
        f"+{report.new} new" if report.new else "",
        f"{report.amended} amended" if report.amended else "",
        f"{report.withdrawn} withdrawn" if report.withdrawn else "",
        f"{report.missing} missing" if report.missing else "",
    ]
    changed = ", ".join(c for c in changes if c)
    parts.append(f"{lines} ({changed})" if changed else lines)
    polled = f"polled {_hms(report.at)}"
    if report.outcome == "not_modified":
        polled += " (not modified)"
    elif report.outcome in ("error", "unreadable"):
        polled += f" ({'failed' if report.outcome == 'error' else 'unreadable'})"
    parts.append(polled)
    if report.ended:
        parts.append("match over")
    elif report.next_in is not None:
        parts.append(f"next in {_seconds(report.next_in)}")
    if last_error is not None:
        at, error = last_error
        parts.append(f"last error {_hms(at)}: {error}")
    return "  |  ".join(parts)


def _scoreline(report: PollReport) -> str:
    name = report.match_id or "?"
    if report.score is None:
        return name
    home, away = report.teams or ("Home", "Away")
    clock = f"  {report.clock}" if report.clock else ""
    return f"{name}  {home} {report.score[0]}-{report.score[1]} {away}{clock}"


def _hms(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%H:%M:%S")


def _seconds(value: float) -> str:
    return f"{value:.1f} s" if value < 10 else f"{value:.0f} s"


class Reporter:
    """Shows each report: JSON lines, a status line redrawn in place, or a log line."""

    def __init__(
        self, *, as_json: bool, out: TextIO | None = None, err: TextIO | None = None
    ) -> None:
        self.as_json = as_json
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.live = not as_json and self.err.isatty()
        self.last_error: tuple[float, str] | None = None
        self._drawn = False

    def show(self, report: PollReport) -> None:
        if report.error:
            self.last_error = (report.at, report.error)
        if self.as_json:
            self.out.write(orjson.dumps(report.to_json()).decode() + "\n")
            self.out.flush()
            return
        line = describe(report, self.last_error)
        if self.live:
            width = shutil.get_terminal_size().columns - 1
            if len(line) > width:  # a wrapped line could not be redrawn in place
                line = line[: max(width - 3, 0)] + "..."
            self.err.write("\r\x1b[2K" + line)
            self._drawn = True
        elif report.outcome not in ("unchanged", "not_modified") or report.ended:
            self.err.write(line + "\n")
        self.err.flush()

    def finish(self, message: str | None = None) -> None:
        """End the status line and say on stderr why the poll stopped (stdout keeps only
        the JSON objects)."""
        if self._drawn:
            self.err.write("\n")
            self._drawn = False
        if message:
            self.err.write(message + "\n")
        self.err.flush()
