"""Shared helpers of the built-in projections (``projections.base``)."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from projections.base import replacer


class Row(NamedTuple):
    a: int = 0
    b: tuple[int, ...] = ()
    c: str = ""
    d: int | None = None
    e: int = 5


@pytest.mark.parametrize("names", [("c",), ("a", "d"), ("e", "b", "a"), ("a", "b", "c", "d")])
def test_replacer_is_replace(names: tuple[str, ...]) -> None:
    """``replacer(cls, *names)(s, *values)`` is ``s._replace(...)``: a new frozen row."""
    row = Row(1, (2,), "x", None, 7)
    values: dict[str, Any] = {"a": 10, "b": (3, 4), "c": "y", "d": 8, "e": 9}
    new = replacer(Row, *names)(row, *(values[n] for n in names))
    assert new == row._replace(**{n: values[n] for n in names})
    assert type(new) is Row
    assert row == Row(1, (2,), "x", None, 7)  # the original is untouched


def test_replacer_rejects_unknown_fields() -> None:
    with pytest.raises(ValueError):
        replacer(Row, "z")
