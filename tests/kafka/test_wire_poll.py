"""What ``livetext poll --broker`` puts on the lines topic, as the worker's parse step
takes it: line ids kept, retractions as typed events, the poller's memory alongside."""

from __future__ import annotations

import pytest

from events.models import Retraction
from events.readers import read_source
from stream.amend import amend
from stream.kafka.parse import LineParser
from stream.kafka.wire import BadMessage, decode_lines, entry_event, event_lines, line_message
from tests.poll.conftest import EXAMPLES


def test_retractions_and_line_ids_reach_the_events_as_sent() -> None:
    match = read_source(EXAMPLES / "feed-example.jsonl")
    mid = match.match_id
    stored = list(match.events)
    found = amend(mid, stored, [e for e in match.events if e.line_id != "c6"])
    found = amend(mid, stored, [e for e in match.events if e.line_id != "c6"], found.missing)
    (retraction,) = found.appends
    assert isinstance(retraction, Retraction)
    parser = LineParser()
    parser.accept(decode_lines(mid.encode(), line_message(mid, event_lines(stored))), 0)
    value = line_message(mid, event_lines(found.appends), poll={"missing": found.missing})
    message = decode_lines(mid.encode(), value)
    assert message.poll == {"missing": {}}
    parsed = parser.accept(message, 1)
    assert parsed is not None
    (event,) = parsed.events
    assert isinstance(event, Retraction) and event.seq == len(stored) + 1
    assert event.retracts == retraction.retracts and event.event_id == retraction.event_id
    assert event.line_id == "c6"
    first = decode_lines(mid.encode(), line_message(mid, event_lines(stored[:1])))
    assert entry_event(first.entries[0], mid).line_id == "c1"
    assert entry_event(first.entries[0], mid).event_id == stored[0].event_id


def test_only_a_message_carrying_the_poll_memory_may_have_no_lines() -> None:
    message = decode_lines(b"m", line_message("m", [], poll={"missing": {"abc": 1}}))
    assert message.entries == () and message.poll == {"missing": {"abc": 1}}
    assert LineParser().accept(message, 0) is not None
    with pytest.raises(BadMessage, match="non-empty array"):
        decode_lines(b"m", line_message("m", []))
    with pytest.raises(BadMessage, match='"poll" must be an object'):
        decode_lines(b"m", b'{"match_id": "m", "lines": [], "poll": 3}')
    with pytest.raises(BadMessage, match='"line_id" must be a non-empty string'):
        decode_lines(b"m", b'{"match_id": "m", "text": "Corner, Inter.", "line_id": 7}')
