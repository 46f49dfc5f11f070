"""The wire formats: what a line message may be, and why one is refused."""

from __future__ import annotations

import orjson
import pytest

from events.clock import MatchClock
from events.models import Booking, Substitution
from events.readers.source import read_source
from stream.kafka.wire import (
    BadMessage,
    dead_letter,
    decode_events,
    decode_lines,
    encode_events,
    line_message,
    match_lines,
)
from tests.kafka.conftest import EXAMPLES


def test_one_line_and_a_chunk_decode_alike() -> None:
    one = decode_lines(b"m", b'{"match_id": "m", "text": "Corner, Inter.", "clock": "45+2\'"}')
    chunk = decode_lines(b"m", line_message("m", [{"text": "Corner, Inter.", "clock": "45+2'"}]))
    assert one == chunk
    assert one.entries[0].clock == MatchClock(period=1, minute=45, added=2)


def test_clock_objects_keep_their_period() -> None:
    """A shoot-out kick at 120' is period 5: only the object form can say so."""
    clock = {"period": 5, "minute": 120, "added": 0, "second": None}
    message = decode_lines(b"m", line_message("m", [{"text": "x", "clock": clock}]))
    assert message.entries[0].clock == MatchClock(period=5, minute=120)


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        (b"m", b"\xff\xfe", "not JSON"),
        (b"m", b"[1, 2]", "not an object"),
        (b"m", b'{"text": "x"}', '"match_id"'),
        (None, b'{"match_id": "m", "text": "x"}', "no key"),
        (b"other", b'{"match_id": "m", "text": "x"}', "is not the match id"),
        (b"m", b'{"match_id": "m", "text": ""}', '"text"'),
        (b"m", b'{"match_id": "m", "text": "x", "clock": "ninety"}', "not a match clock"),
        (b"m", b'{"match_id": "m", "lines": []}', "non-empty array"),
        (b"m", b'{"match_id": "m", "lines": [{"event": {"type": "nope"}}]}', "not an event"),
        (b"m", b'{"match_id": "m", "text": "x", "header": [1]}', '"header"'),
    ],
)
def test_malformed_lines_say_why(key: bytes | None, value: bytes, reason: str) -> None:
    with pytest.raises(BadMessage, match=reason):
        decode_lines(key, value)


def test_a_page_goes_out_as_lines_and_typed_line_up_events() -> None:
    """Annotations the live text does not show travel as typed events, with their ids."""
    match = read_source(EXAMPLES / "inter-milan-derby.txt")
    header, lines = match_lines(match)
    assert header["home"] == "Inter Milan" and header["lineups"]["home"]["starting"]
    message = decode_lines(match.match_id.encode(), line_message(match.match_id, lines, header))
    assert [e.id for e in message.entries] == [e.event_id for e in match.events]
    from_lineups = [e.event for e in message.entries if e.event is not None]
    assert from_lineups and all(isinstance(e, Booking | Substitution) for e in from_lineups)
    assert [e.source for e in from_lineups] == ["lineups"] * len(from_lineups)


def test_events_round_trip_with_their_headers() -> None:
    match = read_source(EXAMPLES / "feed-example.jsonl")
    numbered = [e.model_copy(update={"seq": i}) for i, e in enumerate(match.events, 1)]
    value, headers = encode_events(numbered, 17, {"home": "A"})
    back = decode_events(match.match_id.encode(), value, headers)
    assert list(back.events) == numbered
    assert (back.line_offset, back.header) == (17, {"home": "A"})
    with pytest.raises(BadMessage, match="not of"):
        decode_events(b"another-match", value, headers)


def test_a_dead_letter_keeps_the_message_verbatim() -> None:
    letter = orjson.loads(dead_letter("not JSON", "t.lines", 2, 40, b"m", b"\xff"))
    assert letter == {
        "reason": "not JSON",
        "topic": "t.lines",
        "partition": 2,
        "offset": 40,
        "key": "m",
        "value_base64": "/w==",
    }
