"""The seed page, read once for the module that asks for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from events.readers import Match, read_source

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEED = EXAMPLES / "inter-milan-derby.txt"


@pytest.fixture(scope="module")
def derby() -> Match:
    """The real BBC page of Inter Milan 1-0 AC Milan, read whole."""
    return read_source(SEED)
