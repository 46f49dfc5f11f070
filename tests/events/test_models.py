"""The public JSON shape: envelope, round trip through orjson, the generated schema."""

from __future__ import annotations

import copy
import pickle

import orjson
import pydantic
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic_core import PydanticSerializationError

from events.clock import MatchClock
from events.models import (
    EVENT_TYPES,
    Foul,
    Goal,
    Retraction,
    Score,
    Unrecognised,
    dumps,
    json_schema,
    loads,
)
from events.parser import parse_line

DESIGN_TYPES = {
    "goal", "attempt", "penalty_awarded", "penalty_conceded", "penalty_missed", "corner",
    "offside", "foul", "free_kick_won", "handball", "dangerous_play", "booking", "substitution",
    "var_decision", "delay", "delay_over", "lineups_announced", "period_start", "period_end",
    "added_time", "match_end", "unrecognised",
}  # fmt: skip
ENVELOPE = {
    "type",
    "match_id",
    "seq",
    "clock",
    "clock_inferred",
    "text",
    "event_id",
    "schema_version",
}


def test_every_design_type_exists() -> None:
    assert set(EVENT_TYPES) >= DESIGN_TYPES


def test_envelope_on_every_type() -> None:
    for cls in EVENT_TYPES.values():
        assert set(cls.model_fields) >= ENVELOPE, cls.__name__


def test_round_trip_through_json() -> None:
    event = parse_line(
        "Goal! Inter Milan 1, AC Milan 0. Lautaro Martínez (Inter Milan) header from the centre of the box "
        "to the bottom left corner. Assisted by Hakan Çalhanoglu with a cross following a corner.",
        MatchClock.parse("45+2"),
    )
    data = orjson.loads(dumps(event))
    assert data["type"] == "goal"
    assert data["clock"] == {"period": 1, "minute": 45, "added": 2, "second": None}
    assert data["score"] == {"home": 1, "away": 0}
    assert loads(dumps(event)) == event


def test_events_are_frozen() -> None:
    event = parse_line("Foul by Sandro Tonali (AC Milan).")
    with pytest.raises(pydantic.ValidationError):
        event.text = "changed"  # type: ignore[misc]


def test_schema_is_generated_for_the_union() -> None:
    schema = json_schema()
    assert set(schema["discriminator"]["mapping"]) == set(EVENT_TYPES)


def test_loads_rejects_unknown_type() -> None:
    with pytest.raises(pydantic.ValidationError):
        loads(b'{"type": "nonsense", "text": "x"}')


def test_parsed_events_behave_like_validated_ones() -> None:
    """Parsed events are assembled without a validation pass and share one read-only
    fields set per class: copies, updates, pickles and dumps work as for any model."""
    event = parse_line("Foul by Sandro Tonali (AC Milan).")
    assert event.model_fields_set == set(type(event).model_fields)
    assert event.model_dump(exclude_unset=True) == event.model_dump()

    moved = event.model_copy(update={"match_id": "m1", "seq": 3})
    assert (moved.match_id, moved.seq, moved.player) == ("m1", 3, "Sandro Tonali")  # type: ignore[attr-defined]
    assert (event.match_id, event.seq) == ("", 0)  # the original is untouched
    assert moved.model_fields_set >= {"match_id", "seq"}

    assert copy.deepcopy(event) == event
    assert pickle.loads(pickle.dumps(event)) == event
    with pytest.raises(TypeError, match="shared"):
        event.model_fields_set.add("player")
    assert parse_line("Foul by Nicolò Barella (Inter Milan).").model_fields_set == set(
        type(event).model_fields
    )


def _pydantic_json(event: pydantic.BaseModel) -> bytes:
    return event.__pydantic_serializer__.to_json(event)


@given(
    st.text(st.characters(exclude_categories=())),  # lone surrogates too
    st.one_of(st.none(), st.text()),
    st.integers(min_value=0, max_value=2**70),
    st.sampled_from([None, MatchClock(period=2, minute=90, added=4, second=30)]),
)
@example("a lone \ud800 surrogate", None, 0, None)
@example('\x00\x1f\x7f \u2028 "\\ é ⚽', "Ødegaard", 2**64, None)
def test_dumps_writes_pydantics_bytes(
    text: str, player: str | None, seq: int, clock: MatchClock | None
) -> None:
    """orjson writes what pydantic's serializer writes: any text (escapes, non-ASCII,
    lone surrogates refused alike), integers past 64 bits, nested models, validated or
    assembled events."""
    events = [
        Foul(text=text, player=player, seq=seq, clock=clock),
        Goal(text=text, player=player, score=Score(home=2, away=1), shootout_score=None),
        Retraction(text=text, retracts=text, reason=player),
        parse_line(f"Foul by {player} (Inter Milan).", clock),
    ]
    for event in events:
        try:
            expected = _pydantic_json(event)
        except PydanticSerializationError:
            with pytest.raises(PydanticSerializationError):
                dumps(event)
        else:
            assert dumps(event) == expected


def test_dumps_of_a_subclass_is_pydantics() -> None:
    """A class outside the vocabulary (here one with a computed field) keeps pydantic's
    serializer, whatever its ``__dict__`` holds."""

    class Shouted(Unrecognised):
        @pydantic.computed_field  # type: ignore[prop-decorator]
        @property
        def loud(self) -> str:
            return self.text.upper()

    event = Shouted(text="goal")
    assert orjson.loads(dumps(event))["loud"] == "GOAL"
    assert dumps(event) == _pydantic_json(event)
