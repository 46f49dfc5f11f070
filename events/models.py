"""The event vocabulary: one frozen pydantic model per ``type``, discriminated by ``type``.

Field names are the public contract (DESIGN.md "Events"): add fields freely, never rename.
Every event carries the envelope of :class:`EventBase` and the raw line in ``text``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, Literal, NoReturn, TypeVar, cast

import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from events.clock import MatchClock

SCHEMA_VERSION = 1

BodyPart = Literal["right_foot", "left_foot", "head"]
AssistMethod = Literal["pass", "cross", "through_ball", "headed_pass"]
Situation = Literal["open_play", "set_piece", "corner", "free_kick"]
Zone = Literal[
    "centre_of_box",
    "outside_box",
    "left_side_of_box",
    "right_side_of_box",
    "left_side_of_six_yard_box",
    "right_side_of_six_yard_box",
    "centre_of_six_yard_box",
    "very_close_range",
    "difficult_angle_left",
    "difficult_angle_right",
    "long_range_left",
    "long_range_right",
    "more_than_35_yards",
    "more_than_40_yards",
    "penalty_spot",
    "difficult_angle_and_long_range",
]
Placement = Literal[
    # on target (goals and saves)
    "bottom_left",
    "bottom_right",
    "top_left",
    "top_right",
    "centre",
    "top_centre",
    # off target
    "misses_left",
    "misses_right",
    "close_misses_left",
    "close_misses_right",
    "close_misses_top_left",
    "close_misses_top_right",
    "too_high",
    "just_too_high",
    "high_and_wide_left",
    "high_and_wide_right",
    # woodwork
    "left_post",
    "right_post",
    "bar",
]
AttemptOutcome = Literal["saved", "missed", "blocked", "woodwork"]
PenaltyOutcome = Literal["saved", "missed", "woodwork"]
Card = Literal["yellow", "second_yellow", "red"]
FreeKickArea = Literal["defensive_half", "attacking_half", "left_wing", "right_wing"]
Source = Literal["live_text", "lineups"]
VarDecisionKind = Literal[
    "goal",
    "no_goal",
    "penalty",
    "no_penalty",
    "card_upgraded",
    "card_downgraded",
    "no_card_change",
    "red_card",
    "other_decision_cancelled",
    "goal_overturned",
    "review",
    "on_field_decision",
    "other",
]


class Score(BaseModel):
    """A score line as printed: ``{home, away}``."""

    model_config = ConfigDict(frozen=True)

    home: int = Field(ge=0)
    away: int = Field(ge=0)


class EventBase(BaseModel):
    """The envelope every event carries.

    Each class's validator and serializer are built the first time one is used
    (``defer_build``): the parser assembles events without them and ``dumps`` writes
    them with orjson, so a process that only parses builds the few it meets.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    type: str
    match_id: str = ""
    seq: int = Field(default=0, ge=0, description="1.. per match once appended; 0 before")
    position: int = Field(default=0, ge=0, description="global position once appended")
    clock: MatchClock | None = None
    clock_inferred: bool = False
    text: str
    event_id: str = ""
    schema_version: int = SCHEMA_VERSION
    source: Source = "live_text"
    template: str | None = Field(default=None, description="name of the template that matched")
    line_id: str | None = Field(
        default=None, description="the source's own id for the line (a feed's id, ESPN's sequence)"
    )


class _Scored(EventBase):
    """Lines that print the score (and the team names they print it with)."""

    score: Score | None = None
    home_team: str | None = None
    away_team: str | None = None


class Goal(_Scored):
    type: Literal["goal"] = "goal"
    team: str | None = None
    player: str | None = None
    assist: str | None = None
    body_part: BodyPart | None = None
    zone: Zone | None = None
    placement: Placement | None = None
    assist_method: AssistMethod | None = None
    situation: Situation | None = None
    fast_break: bool = False
    penalty: bool = False
    own_goal: bool = False
    free_kick: bool = False
    shootout: bool = False
    shootout_score: Score | None = None


class Attempt(EventBase):
    type: Literal["attempt"] = "attempt"
    team: str | None = None
    player: str | None = None
    outcome: AttemptOutcome
    body_part: BodyPart | None = None
    zone: Zone | None = None
    placement: Placement | None = None
    assist: str | None = None
    assist_method: AssistMethod | None = None
    situation: Situation | None = None
    fast_break: bool = False
    goalkeeper: str | None = None
    goalkeeper_team: str | None = None
    big_chance: bool = False


class PenaltyAwarded(EventBase):
    type: Literal["penalty_awarded"] = "penalty_awarded"
    team: str | None = None
    player: str | None = None


class PenaltyConceded(EventBase):
    type: Literal["penalty_conceded"] = "penalty_conceded"
    team: str | None = None
    player: str | None = None
    handball: bool = False


class PenaltyMissed(_Scored):
    type: Literal["penalty_missed"] = "penalty_missed"
    team: str | None = None
    player: str | None = None
    outcome: PenaltyOutcome
    shootout: bool = False
    shootout_score: Score | None = None
    body_part: BodyPart | None = None
    placement: Placement | None = None
    situation: Situation | None = "set_piece"


class Corner(EventBase):
    type: Literal["corner"] = "corner"
    team: str | None = None
    conceded_by: str | None = None


class Offside(EventBase):
    type: Literal["offside"] = "offside"
    team: str | None = None
    player: str | None = None
    passer: str | None = None


class Foul(EventBase):
    type: Literal["foul"] = "foul"
    team: str | None = None
    player: str | None = None


class FreeKickWon(EventBase):
    type: Literal["free_kick_won"] = "free_kick_won"
    team: str | None = None
    player: str | None = None
    area: FreeKickArea | None = None


class Handball(EventBase):
    type: Literal["handball"] = "handball"
    team: str | None = None
    player: str | None = None


class DangerousPlay(EventBase):
    type: Literal["dangerous_play"] = "dangerous_play"
    team: str | None = None
    player: str | None = None


class Simulation(EventBase):
    """A player goes down and the referee deems it simulation (a booking may follow)."""

    type: Literal["simulation"] = "simulation"
    team: str | None = None
    player: str | None = None


class PlayerRetired(EventBase):
    """A player leaves the pitch and nobody replaces him: he went off injured after his
    side had used every substitution, so the side plays on one short."""

    type: Literal["player_retired"] = "player_retired"
    team: str | None = None
    player: str | None = None
    injury: bool = True


class Booking(EventBase):
    type: Literal["booking"] = "booking"
    team: str | None = None
    player: str | None = None
    card: Card
    reason: str | None = None


class Substitution(EventBase):
    type: Literal["substitution"] = "substitution"
    team: str | None = None
    player_on: str | None = None
    player_off: str | None = None
    injury: bool = False


class VarDecision(_Scored):
    type: Literal["var_decision"] = "var_decision"
    decision: VarDecisionKind
    team: str | None = None
    player: str | None = None
    detail: str | None = None


class Delay(EventBase):
    type: Literal["delay"] = "delay"
    reason: Literal["injury", "drinks_break"] | None = None
    team: str | None = None
    player: str | None = None


class DelayOver(EventBase):
    type: Literal["delay_over"] = "delay_over"


class LineupsAnnounced(EventBase):
    type: Literal["lineups_announced"] = "lineups_announced"


class PeriodStart(_Scored):
    type: Literal["period_start"] = "period_start"
    period: int = Field(ge=1, le=5)


class PeriodEnd(_Scored):
    type: Literal["period_end"] = "period_end"
    period: int = Field(ge=1, le=5)
    shootout_score: Score | None = None


class AddedTime(EventBase):
    type: Literal["added_time"] = "added_time"
    minutes: int = Field(ge=0)


class MatchEnd(_Scored):
    type: Literal["match_end"] = "match_end"
    shootout: Score | None = None


class Unrecognised(EventBase):
    type: Literal["unrecognised"] = "unrecognised"


class Retraction(EventBase):
    """A correction: the event ``retracts`` (an event_id of the same match) no longer holds.

    It never edits the stream; projections fold it like any other event.
    """

    type: Literal["retraction"] = "retraction"
    retracts: str
    reason: str | None = None


Event = Annotated[
    Goal
    | Attempt
    | PenaltyAwarded
    | PenaltyConceded
    | PenaltyMissed
    | Corner
    | Offside
    | Foul
    | FreeKickWon
    | Handball
    | DangerousPlay
    | Simulation
    | PlayerRetired
    | Booking
    | Substitution
    | VarDecision
    | Delay
    | DelayOver
    | LineupsAnnounced
    | PeriodStart
    | PeriodEnd
    | AddedTime
    | MatchEnd
    | Unrecognised
    | Retraction,
    Field(discriminator="type"),
]

EVENT_TYPES: dict[str, type[EventBase]] = {
    cls.model_fields["type"].default: cls
    for cls in (
        Goal,
        Attempt,
        PenaltyAwarded,
        PenaltyConceded,
        PenaltyMissed,
        Corner,
        Offside,
        Foul,
        FreeKickWon,
        Handball,
        DangerousPlay,
        Simulation,
        PlayerRetired,
        Booking,
        Substitution,
        VarDecision,
        Delay,
        DelayOver,
        LineupsAnnounced,
        PeriodStart,
        PeriodEnd,
        AddedTime,
        MatchEnd,
        Unrecognised,
        Retraction,
    )
}


@cache
def event_adapter() -> TypeAdapter[Event]:
    """The validator of the event union (built on first use: it builds every class's)."""
    return TypeAdapter(Event)


_new = object.__new__
_slots = BaseModel.__dict__
_set_dict = _slots["__dict__"].__set__
_set_fields_set = _slots["__pydantic_fields_set__"].__set__
_set_extra = _slots["__pydantic_extra__"].__set__
_set_private = _slots["__pydantic_private__"].__set__


def required(cls: type[EventBase]) -> frozenset[str]:
    """The fields of ``cls`` without a default."""
    return frozenset(name for name, info in cls.model_fields.items() if info.is_required())


def blank(cls: type[EventBase], values: Mapping[str, Any]) -> dict[str, Any]:
    """Every field of ``cls`` in its order: ``values``, else its default (None for a
    required field), as a key-sharing dict (PEP 412: its copies hold only their values,
    the keys stay shared), the cheapest start for an event's ``__dict__``."""
    kind = _HOLDERS.get(cls) or _HOLDERS.setdefault(cls, type(f"{cls.__name__}Values", (), {}))
    holder = kind()  # a fresh instance: its __dict__ is this call's, its keys the class's
    for name, info in cls.model_fields.items():
        if name in values:
            value = values[name]
        elif info.is_required():
            value = None
        elif info.default_factory is None:
            value = info.default
        else:
            raise TypeError(f"{cls.__name__}.{name}: a default factory is not a plain value")
        setattr(holder, name, value)
    values_dict: dict[str, Any] = vars(holder)
    return values_dict


_HOLDERS: dict[type[EventBase], type] = {}


class FieldNames(set[str]):
    """Every field name of an event class, as the fields set of the events the parser
    assembles (all their fields are given, as for an event read back from JSON).

    One instance is shared by all such events of a class, so it is read-only; a copy
    (what ``model_copy`` makes before adding to it) is a plain ``set``.
    """

    def __copy__(self) -> set[str]:
        return set(self)

    def _read_only(self, *args: object) -> NoReturn:
        raise TypeError("the fields set of an assembled event is shared: copy it to change it")

    add = discard = remove = pop = clear = _read_only
    update = difference_update = intersection_update = symmetric_difference_update = _read_only
    __ior__ = __iand__ = __isub__ = __ixor__ = _read_only


def assemble(
    cls: type[EventBase], values: dict[str, Any], fields_set: set[str] | None = None
) -> EventBase:
    """An event of ``cls`` from ``values`` already known to fit it: every field present,
    each of its declared type (what ``cls.model_construct`` does, without its generic
    per-field loop); its fields set is ``fields_set``, else the class's shared
    :class:`FieldNames`.  Only for the classes of this module (no extras, no private
    attributes) and for values a validated path guarantees; anything else goes through
    ``cls.model_validate``."""
    event: EventBase = _new(cls)
    _set_dict(event, values)
    _set_fields_set(event, _FIELD_NAMES[cls] if fields_set is None else fields_set)
    _set_extra(event, None)
    _set_private(event, None)
    return event


_FIELD_NAMES = {cls: FieldNames(cls.model_fields) for cls in EVENT_TYPES.values()}
_PLAIN_CLASSES = frozenset(
    cls
    for cls in EVENT_TYPES.values()
    if cls.model_config.get("extra") != "allow" and not cls.__private_attributes__
)
"""The event classes of this module (no extra fields, no private attributes): a copy of
one is its ``__dict__`` and its fields set, nothing else."""

E = TypeVar("E", bound=EventBase)


def updated(event: E, changes: dict[str, Any]) -> E:
    """``event.model_copy(update=changes)`` (which does not validate either), for the
    classes of this module made directly, a copy of ``__dict__`` updated, without pydantic's
    generic ``__copy__`` (readers and stores make one per event); other classes go through
    ``model_copy``.  ``changes`` names fields of the event."""
    cls = type(event)
    if cls not in _PLAIN_CLASSES:
        return event.model_copy(update=changes)
    values = event.__dict__.copy()
    values.update(changes)
    fields_set = event.__pydantic_fields_set__
    if not isinstance(fields_set, FieldNames):  # (which holds every field already)
        fields_set = fields_set | changes.keys()
    return cast(E, assemble(cls, values, fields_set))


def to_dict(event: EventBase) -> dict[str, Any]:
    """The event as plain JSON-ready data."""
    return event.model_dump(mode="json")


def dumps(event: EventBase) -> bytes:
    """The event as compact JSON bytes, every field in its order: the bytes pydantic's own
    serializer gives (``to_json``), made by orjson from the event's ``__dict__`` for the
    classes of this module (twice as fast); anything orjson refuses (a lone surrogate, an
    integer past 64 bits) or another class goes through pydantic, errors and all."""
    values = event.__dict__
    if _WIDTH.get(type(event)) == len(values):
        try:
            return orjson.dumps(values, default=_nested)
        except orjson.JSONEncodeError:
            pass
    return event.__pydantic_serializer__.to_json(event)


def fields_json(cls: type[EventBase], values: dict[str, Any]) -> bytes:
    """``dumps(assemble(cls, values))`` without assembling the event: ``values`` holds
    every field of ``cls`` in its order (as ``events.parser.parse_fields`` gives them)."""
    try:
        return orjson.dumps(values, default=_nested)
    except orjson.JSONEncodeError:
        return dumps(assemble(cls, values))


_WIDTH = {cls: len(cls.model_fields) for cls in _PLAIN_CLASSES}
"""Fields of each plain event class: an event whose ``__dict__`` holds exactly as many
holds exactly its fields, in their order (every constructor path fills them so)."""


def _nested(value: object) -> dict[str, Any]:
    """The fields of a model inside an event (a ``Score``, a ``MatchClock``) for orjson."""
    if isinstance(value, (Score, MatchClock)):
        fields: dict[str, Any] = value.__dict__
        return fields
    raise TypeError(f"{type(value).__name__} is not JSON serializable here")


def loads(data: bytes | str | dict[str, Any]) -> EventBase:
    """An event back from JSON bytes, a string or a dict; raises ``pydantic.ValidationError``."""
    event: EventBase = (
        event_adapter().validate_python(data)
        if isinstance(data, dict)
        else event_adapter().validate_json(data)
    )
    return event


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the event union, generated from the models."""
    return event_adapter().json_schema()
