"""Properties: parse_line never raises and always returns one event that keeps the line."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.clock import MatchClock
from events.models import EventBase, dumps, fields_json, loads
from events.parser import _LEADING_CLOCK, parse_fields, parse_line, split_clock
from tests.events.kaggle import rows
from tests.events.test_templates import EXAMPLES

REAL_LINES = [line for line, _, _, _ in EXAMPLES]
# no clock, a first-half stoppage minute, a kick of a penalty shoot-out
CLOCKS = [None, MatchClock(period=1, minute=45, added=2), MatchClock(period=5, minute=120)]


def _check(line: str, clock: MatchClock | None = None) -> EventBase:
    event = parse_line(line, clock)
    assert isinstance(event, EventBase)
    assert event.text == line
    assert event.clock == clock
    # The parser assembles events without a second validation pass: whatever it built
    # must be exactly what validating its JSON gives (every field of its declared type).
    data = dumps(event)
    assert data == event.__pydantic_serializer__.to_json(event)  # orjson writes pydantic's bytes
    assert fields_json(*parse_fields(line, clock)) == data  # what `livetext parse` writes
    again = loads(data)
    assert again == event
    assert type(again) is type(event)
    assert again.model_dump() == event.model_dump()
    return event


def test_every_template_example_is_a_valid_event() -> None:
    for line in REAL_LINES:
        for clock in CLOCKS:
            _check(line, clock)


def test_every_real_line_is_a_valid_event() -> None:
    """The Kaggle dev lines (the sample in tests/fixtures without them)."""
    for line in [row["text"] for row in rows()]:
        for clock in CLOCKS:
            _check(line, clock)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.sampled_from(CLOCKS))
def test_random_text(line: str, clock: MatchClock | None) -> None:
    _check(line, clock)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A real line with characters dropped, doubled, swapped or inserted."""
    line = list(draw(st.sampled_from(REAL_LINES)))
    for _ in range(draw(st.integers(1, 6))):
        if not line:
            break
        i = draw(st.integers(0, len(line) - 1))
        op = draw(st.sampled_from(["drop", "double", "insert", "truncate"]))
        if op == "drop":
            del line[i]
        elif op == "double":
            line.insert(i, line[i])
        elif op == "insert":
            line.insert(i, draw(st.sampled_from(list("().,!'-0123456789 Aé©\u00a0\t"))))
        else:
            del line[i:]
    return "".join(line)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.sampled_from(CLOCKS))
def test_mutated_real_lines(line: str, clock: MatchClock | None) -> None:
    _check(line, clock)


@given(st.sampled_from(REAL_LINES), st.sampled_from(["45'+2' ", "90+4 ", "12' ", ""]))
def test_leading_clock_is_split_off(line: str, prefix: str) -> None:
    clock, text = split_clock(prefix + line)
    assert text == line
    assert (clock is None) == (prefix == "")


@given(st.sampled_from(REAL_LINES))
def test_parse_is_deterministic(line: str) -> None:
    assert parse_line(line) == parse_line(line)


def _split_by_regex(line: str) -> tuple[MatchClock | None, str]:
    """``split_clock`` without its look-up of known clock words: the regex alone."""
    m = _LEADING_CLOCK.match(line)
    if m is None:
        return None, line
    try:
        return MatchClock.parse(m.group(1)), line[m.end() :]
    except ValueError:
        return None, line


_CLOCK_WORDS = st.sampled_from(["45'+2'", "90+4", "12'", "67", "45'", "120'", "7:30", "201'", "4"])
_GAPS = st.sampled_from([" ", "  ", "\t", " ' ", "' ", " + 2 ", "+3' ", ""])


@given(_CLOCK_WORDS, _GAPS, st.text(max_size=20))
def test_known_clock_words_split_as_the_regex_does(word: str, gap: str, rest: str) -> None:
    line = word + gap + rest
    for _ in range(2):  # the first split may remember the word; the second uses it
        assert split_clock(line) == _split_by_regex(line)
