"""The parse step numbers each match's events once, whatever is delivered twice."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from events.identity import event_id
from events.readers.source import read_source
from stream.kafka.parse import LineParser
from stream.kafka.wire import LineMessage, decode_lines, line_message, match_lines
from tests.kafka.conftest import EXAMPLES


def message(
    match_id: str, *lines: Mapping[str, Any], header: dict[str, Any] | None = None
) -> LineMessage:
    return decode_lines(match_id.encode(), line_message(match_id, list(lines), header))


def test_seqs_run_per_match() -> None:
    parser = LineParser()
    a1 = parser.accept(message("a", {"text": "Foul by X (A).", "clock": "3"}), 0)
    b1 = parser.accept(message("b", {"text": "Foul by X (A).", "clock": "3"}), 1)
    a2 = parser.accept(
        message("a", {"text": "Corner, A.", "clock": "4"}, {"text": "Corner, A."}), 2
    )
    assert a1 and b1 and a2
    assert [e.seq for e in a1.events + a2.events] == [1, 2, 3]
    assert [(e.match_id, e.seq) for e in b1.events] == [("b", 1)]
    assert a1.events[0].type == "foul" and a1.events[0].event_id != b1.events[0].event_id


def test_a_redelivered_message_is_skipped() -> None:
    parser = LineParser()
    first = message("m", {"text": "Foul by X (A).", "clock": "3"})
    assert parser.accept(first, 10)
    assert parser.accept(first, 10) is None
    assert parser.accept(first, 9) is None
    # The same line sent again later (a new offset) without an id is another foul ...
    again = parser.accept(first, 11)
    assert again and again.events[0].seq == 2
    assert again.events[0].event_id == event_id("m", "Foul by X (A).", again.events[0].clock, 1)


def test_a_line_sent_again_with_its_id_is_not_a_new_event() -> None:
    parser = LineParser()
    line = {"text": "Foul by X (A).", "clock": "3", "id": "feed-17"}
    assert parser.accept(message("m", line), 0)
    again = parser.accept(message("m", line, {"text": "Corner, A.", "id": "feed-18"}), 1)
    assert again and [e.event_id for e in again.events] == ["feed-18"]
    assert again.duplicates == 1 and again.events[0].seq == 2


def test_rebuilt_from_the_log_it_carries_on_where_it_stopped() -> None:
    """learn() from the events already emitted gives the same memory as having emitted them."""
    match = read_source(EXAMPLES / "feed-example.jsonl")
    header, lines = match_lines(match)
    live = LineParser()
    emitted = [live.accept(message(match.match_id, *lines[:10], header=header), 5)]
    restarted = LineParser()
    for parsed in emitted:
        assert parsed is not None
        restarted.learn(match.match_id, parsed.events, 5, parsed.header)
    assert restarted.accept(message(match.match_id, *lines[:10]), 5) is None
    tail_live = live.accept(message(match.match_id, *lines[5:]), 6)
    tail_restarted = restarted.accept(message(match.match_id, *lines[5:]), 6)
    assert tail_live == tail_restarted
    assert tail_live and [e.seq for e in tail_live.events] == list(range(11, len(lines) + 1))
    assert tail_live.duplicates == 5


def test_the_header_goes_with_the_first_events_and_again_when_it_changes() -> None:
    parser = LineParser()
    first = parser.accept(message("m", {"text": "a"}, header={"home": "A", "away": "B"}), 0)
    same = parser.accept(message("m", {"text": "b"}, header={"home": "A", "away": "B"}), 1)
    changed = parser.accept(message("m", {"text": "c"}, header={"home": "A", "away": "C"}), 2)
    assert first and same and changed
    assert first.header == {"home": "A", "away": "B"}
    assert same.header is None
    assert changed.header == {"home": "A", "away": "C"}
