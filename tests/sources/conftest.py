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


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ESPN_PLAIN = FIXTURES / "espn-760415.json"
"""Mexico 2-0 South Africa, wrapped as ``{"url", "league", "summary"}``."""
ESPN_SHOOTOUT = FIXTURES / "espn-760489.json"
"""Germany 1-1 Paraguay after extra time, 3-4 on penalties: a bare summary."""
OPTA_SHOOTOUT = FIXTURES / "opta-760489.json"
"""The same match in the shape of Opta's commentary feed."""
ESPN_DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "espn-worldcup-dev"
"""The 39 ESPN dev matches, beside the repository (absent from a bare clone)."""
