"""Typed reads of decoded JSON, each failure one line naming the field.

``need(obj, "lineups", dict, "match")`` returns ``obj["lineups"]`` when it is an object and
raises :class:`ShapeError` ``"match.lineups" must be an object, not a string ("4-4-2")``
otherwise; readers turn that into ``FILE:LINE: <message>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, overload

T = TypeVar("T")

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


def path(where: str, key: str | int) -> str:
    """``match.lineups``, ``match.starting[2]``."""
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


def wrong(where: str, value: Any, expected: type | tuple[type, ...]) -> ShapeError:
    """The error for ``value`` at ``where`` not being of the ``expected`` type(s)."""
    types = expected if isinstance(expected, tuple) else (expected,)
    names = " or ".join(_KINDS.get(t, t.__name__) for t in types)
    return ShapeError(f'"{where}" must be {names}, not {kind(value)}')


def of(value: Any, expected: type[T] | tuple[type, ...], where: str) -> T:
    """``value`` when it is of the ``expected`` type (a bool is never a number)."""
    if isinstance(value, bool) and bool not in (
        expected if isinstance(expected, tuple) else (expected,)
    ):
        raise wrong(where, value, expected)
    if not isinstance(value, expected):
        raise wrong(where, value, expected)
    return value  # type: ignore[return-value]


@overload
def need(obj: Mapping[str, Any], key: str, expected: type[T], where: str) -> T: ...
@overload
def need(obj: Mapping[str, Any], key: str, expected: tuple[type, ...], where: str) -> Any: ...
def need(obj: Mapping[str, Any], key: str, expected: type | tuple[type, ...], where: str) -> Any:
    """``obj[key]``, which must be there and of the ``expected`` type."""
    at = path(where, key)
    if key not in obj:
        raise ShapeError(f'"{at}" is missing')
    return of(obj[key], expected, at)


@overload
def maybe(obj: Mapping[str, Any], key: str, expected: type[T], where: str) -> T | None: ...
@overload
def maybe(obj: Mapping[str, Any], key: str, expected: tuple[type, ...], where: str) -> Any: ...
def maybe(obj: Mapping[str, Any], key: str, expected: type | tuple[type, ...], where: str) -> Any:
    """``obj[key]`` if present and not null, which must then be of the ``expected`` type."""
    value = obj.get(key)
    if value is None:
        return None
    return of(value, expected, path(where, key))
