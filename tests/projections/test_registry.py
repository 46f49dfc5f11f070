"""Users' own projections: registering, versions, snapshots rebuilt when a version changes."""

from __future__ import annotations

from functools import singledispatch
from typing import Any

import pytest

from events.models import Corner, EventBase, Foul
from projections import (
    DEFAULT_REGISTRY,
    MatchContext,
    Projection,
    ProjectionError,
    Projector,
    new_registry,
    register,
)
from projections.testing import ListSource, given
from tests.synth import synth_match

FOULS_V1: Projection[int] = Projection("foul_count", version=1, initial=0)


@FOULS_V1.on(Foul)
def _count_fouls(state: int, event: Foul, ctx: MatchContext) -> int:
    return state + 1


class TestCustomProjection:
    def test_custom_projection_appears_under_custom(self) -> None:
        """A registered projection is folded and rendered under ``custom.<name>``."""
        given(
            "10' Foul by Sandro Tonali (AC Milan).",
            "11' Foul by Olivier Giroud (AC Milan).",
            projections=[FOULS_V1],
        ).at("10").expect({"custom": {"foul_count": 1}, "projections.foul_count": 1})

    def test_singledispatch_reducer(self) -> None:
        """``reducer=`` takes a singledispatch function registered per event class."""

        @singledispatch
        def reducer(state: int, event: EventBase, ctx: MatchContext) -> int:
            return state

        # Registered by event class (dispatch is on the event, not on the state).
        @reducer.register(Corner)
        def _(state: int, event: Corner, ctx: MatchContext) -> int:  # type: ignore[misc]
            return state + 10

        corners = Projection("corners_x10", version=1, initial=0, reducer=reducer)
        given("5' Corner, Inter Milan.", "6' Foul by X (AC Milan).", projections=[corners]).expect(
            {"custom.corners_x10": 10}
        )

    def test_default_registry_registration(self) -> None:
        """``register`` adds to the registry that ``state_at`` and ``livetext state`` use."""
        projection = Projection("test_default_reg", version=1, initial=0)
        try:
            register(projection)
            assert "test_default_reg" in DEFAULT_REGISTRY.names
            with pytest.raises(ProjectionError, match="is registered"):
                register(projection)
        finally:
            DEFAULT_REGISTRY.unregister("test_default_reg")

    def test_builtins_cannot_be_removed_and_names_must_be_words(self) -> None:
        """The built-in projections stay; names are words."""
        with pytest.raises(ProjectionError):
            new_registry().unregister("score")
        with pytest.raises(ProjectionError):
            Projection("not a name", version=1, initial=0)


class TestVersions:
    def test_snapshots_rebuilt_when_a_version_changes(self) -> None:
        """Bumping a projection's version drops its snapshots and refolds with the new code."""
        m = synth_match(3, 150)
        registry = new_registry(FOULS_V1)
        projector = Projector(ListSource(m.match_id, m.events, m.meta), registry, snapshot_every=10)
        v1 = projector.final_state(m.match_id)
        assert {s.versions for s in projector.snapshots(m.match_id)} == {registry.plan().versions}

        fouls_v2: Projection[int] = Projection("foul_count", version=2, initial=0)

        @fouls_v2.on(Foul)
        def _double(state: int, event: Foul, ctx: MatchContext) -> int:
            return state + 2

        registry.register(fouls_v2, replace=True)
        v2 = projector.final_state(m.match_id)
        assert v2.part("foul_count") == 2 * v1.part("foul_count") > 0
        versions = {s.versions for s in projector.snapshots(m.match_id)}
        assert versions == {registry.plan().versions}
        assert dict(registry.plan().versions)["foul_count"] == 2

    def test_state_carries_versions(self) -> None:
        """The state JSON lists the projections and versions it was folded with."""
        data: dict[str, Any] = given("1' Foul by X (AC Milan).").json()
        assert set(data["projections"]) >= {"score", "lineups", "cards", "stats", "players"}
