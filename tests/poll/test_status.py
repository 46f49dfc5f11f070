"""What the user sees of each poll: the status line, the JSON object, the log lines."""

from __future__ import annotations

import io

import orjson

from replay.poll.status import PollReport, Reporter, describe

AT = 1_733_344_000.0


def report(**fields: object) -> PollReport:
    base: dict[str, object] = {
        "at": AT,
        "outcome": "appended",
        "match_id": "m1",
        "http_status": 200,
        "appended": 3,
        "new": 2,
        "amended": 1,
        "lines": 40,
        "events": 44,
        "score": (2, 1),
        "teams": ("Inter Milan", "Juventus"),
        "clock": "67'",
        "next_in": 15.0,
    }
    return PollReport(**{**base, **fields})  # type: ignore[arg-type]


def test_the_status_line_says_score_lines_next_poll_and_last_error() -> None:
    line = describe(report(), (AT - 30, "HTTP 503 Service Unavailable"))
    assert line.startswith("m1  Inter Milan 2-1 Juventus  67'  |  40 lines (+2 new, 1 amended)")
    assert "polled " in line and "next in 15 s" in line
    assert line.endswith(": HTTP 503 Service Unavailable")
    failed = describe(report(outcome="error", appended=0, new=0, amended=0), None)
    assert "(failed)" in failed and "last error" not in failed
    assert "match over" in describe(report(ended=True, next_in=None), None)


def test_json_gives_one_object_per_poll_on_stdout() -> None:
    out, err = io.StringIO(), io.StringIO()
    reporter = Reporter(as_json=True, out=out, err=err)
    reporter.show(report())
    reporter.show(report(outcome="error", error="network error (reset)", next_in=0.5))
    reporter.finish("m1: done")
    objects = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert [o["outcome"] for o in objects] == ["appended", "error"]
    assert objects[0]["score"] == {"home": 2, "away": 1} and objects[0]["lines"] == 40
    assert objects[0]["at"].startswith("20") and objects[1]["error"] == "network error (reset)"
    assert err.getvalue() == "m1: done\n"


def test_a_log_that_is_not_a_terminal_gets_a_line_per_change_only() -> None:
    out, err = io.StringIO(), io.StringIO()
    reporter = Reporter(as_json=False, out=out, err=err)
    reporter.show(report())
    reporter.show(report(outcome="unchanged", appended=0, new=0, amended=0))
    reporter.show(report(outcome="not_modified", appended=0, new=0, amended=0))
    reporter.show(report(outcome="error", error="HTTP 503"))
    lines = err.getvalue().splitlines()
    assert len(lines) == 2 and "HTTP 503" in lines[1] and out.getvalue() == ""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_one_line_redrawn_in_place() -> None:
    err = Terminal()
    reporter = Reporter(as_json=False, out=io.StringIO(), err=err)
    reporter.show(report())
    reporter.show(report(outcome="unchanged", appended=0, new=0, amended=0))
    reporter.finish("m1: 3 events appended; stopped (SIGINT)")
    shown = err.getvalue()
    assert shown.count("\r\x1b[2K") == 2 and shown.count("\n") == 2
    assert shown.endswith("\nm1: 3 events appended; stopped (SIGINT)\n")
