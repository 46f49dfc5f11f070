"""Lines listed newest first but read as oldest first (or the other way round) are refused
with the fix, not stored backwards (issue 15, defect 6)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from events.readers import SourceError, read_feed, read_lines, read_source
from tests.sources.conftest import EXAMPLES


def _newest_first(text: str) -> str:
    """The lines after the header (the feed's match object, the ``#`` title) reversed."""
    header, *lines = text.strip().split("\n")
    return "\n".join([header, *reversed(lines)]) + "\n"


@pytest.mark.parametrize("name", ["feed-example.jsonl", "lines-example.txt"])
def test_newest_first_without_the_flag_is_refused_with_the_fix(tmp_path: Path, name: str) -> None:
    source = EXAMPLES / name
    path = tmp_path / name
    path.write_text(_newest_first(source.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        read_source(path)
    assert "newest first" in err.value.message and "--newest-first" in err.value.message
    assert "Match ends" in err.value.message
    assert "\n" not in str(err.value)
    right = read_source(path, newest_first=True)
    assert right.events == read_source(source).events


def test_oldest_first_with_the_flag_is_refused() -> None:
    with pytest.raises(SourceError, match=r"oldest first.*without --newest-first"):
        read_source(EXAMPLES / "lines-example.txt", newest_first=True)


def test_clocks_alone_show_the_order() -> None:
    lines = "80' Foul by A (X).\n70' Foul by B (Y).\n60' Foul by A (X).\n"
    with pytest.raises(SourceError, match=r"^x.txt:1: the lines run newest first \(line 1 80'"):
        read_lines(lines, name="x.txt")
    assert [e.clock.minute for e in read_lines(lines, newest_first=True).events if e.clock] == [
        60,
        70,
        80,
    ]


@pytest.mark.parametrize(
    "text",
    [
        "9' Foul by X (A).\n",
        "9' Foul by X (A).\n8' Foul by Y (B).\n",  # one step back: not enough to tell
        "90'+6' Second Half ends, A 1, B 1.\n90' First Half Extra Time begins A 1, B 1.\n"
        "95' Foul by X (A).\n",  # extra time starts at a minute already passed
    ],
)
def test_lines_in_match_order_are_read(text: str) -> None:
    assert read_lines(text, name="ok.txt").events


def test_a_feed_with_its_markers_in_order_but_a_late_line_is_read() -> None:
    lines = [
        {"text": "First Half begins.", "clock": None},
        {"text": "Foul by X (A).", "clock": "30'"},
        {"text": "Foul by Y (B).", "clock": "20'"},  # posted late
        {"text": "Foul by X (A).", "clock": "10'"},  # posted late
        {"text": "First Half ends, A 0, B 0.", "clock": None},
    ]
    feed = "\n".join(orjson.dumps(line).decode() for line in lines)
    assert len(read_feed(feed, name="late.jsonl").events) == 5
