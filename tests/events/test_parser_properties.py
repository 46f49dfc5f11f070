"""Properties: parse_line never raises and always returns one event that keeps the line."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import EventBase, dumps, loads
from events.parser import parse_line, split_clock
from tests.events.test_templates import EXAMPLES

REAL_LINES = [line for line, _, _, _ in EXAMPLES]


def _check(line: str) -> EventBase:
    event = parse_line(line)
    assert isinstance(event, EventBase)
    assert event.text == line
    assert loads(dumps(event)) == event  # whatever was read is valid JSON of its type
    return event


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_text(line: str) -> None:
    _check(line)


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
@given(mutated())
def test_mutated_real_lines(line: str) -> None:
    _check(line)


@given(st.sampled_from(REAL_LINES), st.sampled_from(["45'+2' ", "90+4 ", "12' ", ""]))
def test_leading_clock_is_split_off(line: str, prefix: str) -> None:
    clock, text = split_clock(prefix + line)
    assert text == line
    assert (clock is None) == (prefix == "")


@given(st.sampled_from(REAL_LINES))
def test_parse_is_deterministic(line: str) -> None:
    assert parse_line(line) == parse_line(line)
