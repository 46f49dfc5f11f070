"""Typed reads of decoded JSON, each failure one line naming the field.

``need(obj, "lineups", dict, "match")`` returns ``obj["lineups"]`` when it is an object and
raises :class:`ShapeError` ``"match.lineups" must be an object, not a string ("4-4-2")``
otherwise; readers turn that into ``FILE:LINE: <message>``.  A field's place (``where``)
is a dotted path or a tuple of its parts (``("commentary", 5, "time")``): a tuple costs
nothing until an error names it, which is what loops over many items pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, overload

T = TypeVar("T")
Where = str | tuple[str | int, ...]
"""A field's place: ``"match.lineups"`` or ``("commentary", 5, "time")``."""

_KINDS: dict[type, str] = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
}


class ShapeError(ValueError):
    """A JSON value of the wrong type: ``str()`` is one line naming its path."""


def kind(value: Any) -> str:
    """``"a string ("4-4-2")"``: what a JSON value is, for an error message."""
    if value is None:
        return "null"
    name = _KINDS.get(type(value), type(value).__name__)
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        shown = repr(value) if len(repr(value)) <= 30 else repr(value)[:27] + "..."
        return f"{name} ({shown})"
    return name


def path(where: Where, *more: str | int) -> str:
    """``match.lineups``, ``match.starting[2]``: a place as an error names it."""
    parts = (*where, *more) if isinstance(where, tuple) else (where, *more)
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part:
            out = f"{out}.{part}" if out else part
    return out


def wrong(where: Where, value: Any, expected: type | tuple[type, ...]) -> ShapeError:
    """The error for ``value`` at ``where`` not being of the ``expected`` type(s)."""
    types = expected if isinstance(expected, tuple) else (expected,)
    names = " or ".join(_KINDS.get(t, t.__name__) for t in types)
    return ShapeError(f'"{path(where)}" must be {names}, not {kind(value)}')


def of(value: Any, expected: type[T] | tuple[type, ...], where: Where) -> T:
    """``value`` when it is of the ``expected`` type (a bool is never a number)."""
    if not isinstance(value, expected) or (
        isinstance(value, bool)
        and bool not in (expected if isinstance(expected, tuple) else (expected,))
    ):
        raise wrong(where, value, expected)
    return value  # type: ignore[return-value]


@overload
def need(obj: Mapping[str, Any], key: str, expected: type[T], where: Where) -> T: ...
@overload
def need(obj: Mapping[str, Any], key: str, expected: tuple[type, ...], where: Where) -> Any: ...
def need(obj: Mapping[str, Any], key: str, expected: type | tuple[type, ...], where: Where) -> Any:
    """``obj[key]`` (``obj`` is at ``where``), which must be there and of the ``expected``
    type."""
    if key not in obj:
        raise ShapeError(f'"{path(where, key)}" is missing')
    value = obj[key]
    if type(value) is expected:  # the common case, checked first
        return value
    return of(value, expected, (*where, key) if isinstance(where, tuple) else path(where, key))


@overload
def maybe(obj: Mapping[str, Any], key: str, expected: type[T], where: Where) -> T | None: ...
@overload
def maybe(obj: Mapping[str, Any], key: str, expected: tuple[type, ...], where: Where) -> Any: ...
def maybe(obj: Mapping[str, Any], key: str, expected: type | tuple[type, ...], where: Where) -> Any:
    """``obj[key]`` (``obj`` is at ``where``) if present and not null, which must then be of
    the ``expected`` type."""
    value = obj.get(key)
    if value is None or type(value) is expected:  # the common cases, checked first
        return value
    return of(value, expected, (*where, key) if isinstance(where, tuple) else path(where, key))
