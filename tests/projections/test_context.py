"""The match context: teams from metadata or lines, names resolved to line-up entries."""

from __future__ import annotations

from events.names import resolve
from events.sheet import Player
from projections.context import Resolver, build_context
from tests.projections.helpers import SHEET

SPELLINGS = [
    "Nicolò Barella", "Barella", "Lautaro Martínez", "La Martínez", "L. Martínez",
    "Hakan Çalhanoglu", "Calhanoglu", "Rafael Leão", "Leao", "de Vrij", "Stefan de Vrij",
    "N'Golo Kanté", "Kante", "Yang Hyun-Jun", "Hyun-Jun", "MartA­nez", "Theo Hernández",
    "Hernández", "Martinez", "Ballo-Touré", "Fodé Ballo-Touré",
]  # fmt: skip


def test_resolver_equals_events_resolve() -> None:
    """Indexed resolution gives what :func:`events.names.resolve` gives."""
    roster = ["Barella", "La Martínez", "Çalhanoglu", "Hernández", "Theo Hernández", "de Vrij"]
    resolver = Resolver(roster)
    for name in SPELLINGS:
        expected = resolve(name, [Player(name=n) for n in roster])
        assert resolver.resolve(name) == (expected.name if expected else None), name


def test_context_from_sheet_and_fuzzy_team_names() -> None:
    """Sides by exact, folded and contained names; players to their line-up entries."""
    ctx = build_context("m", SHEET)
    assert (ctx.home, ctx.away, ctx.teams_source) == ("Inter Milan", "AC Milan", "sheet")
    assert ctx.side("Inter Milan") == 0 and ctx.side("ac milan") == 1
    assert ctx.side("Milan") is None  # both contain it: ambiguous
    assert ctx.side("Juventus") is None
    assert ctx.player(0, "Lautaro Martínez") == "La Martínez"
    assert ctx.number(0, "La Martínez") == 10
    assert ctx.player(0, "Someone Else") == "Someone Else"


def test_context_reads_the_sheet_once() -> None:
    """Team sheets, line-up presence and starting XIs are read at construction."""
    ctx = build_context("m", SHEET)
    for side in (0, 1):
        sheet = ctx.team_sheet(side)
        assert sheet is not None
        assert ctx.starting(side) == tuple(p.name for p in sheet.starting)
        assert ctx.has_lineup(side) == bool(sheet.starting)
    bare = build_context("m", {"home": "Inter Milan", "away": "AC Milan"})
    assert (bare.team_sheet(0), bare.starting(1), bare.has_lineup(0)) == (None, (), False)


def test_context_fingerprint_changes_with_metadata() -> None:
    """Snapshots key on the fingerprint: other metadata, other fingerprint."""
    assert build_context("m", SHEET).fingerprint == build_context("m", SHEET).fingerprint
    assert (
        build_context("m", SHEET).fingerprint
        != build_context("m", {"home": "A", "away": "B"}).fingerprint
    )
