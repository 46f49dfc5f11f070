"""``state_at``: the inclusive clock, extra time, named bounds, snapshots and live arrivals."""

from __future__ import annotations

import pytest

from events.clock import MatchClock
from events.models import Corner, Retraction
from projections import AtClockError, Projector, at_bound, replay
from projections.testing import ListSource, given, stamp
from tests.projections.helpers import SHEET
from tests.synth import synth_match

LINES = [
    "45' Corner, Inter Milan. Conceded by A.",
    "45+2' Corner, Inter Milan. Conceded by B.",
    "45+3' Corner, Inter Milan. Conceded by C.",
    "45+3' First Half ends, Inter Milan 0, AC Milan 0.",
    "46' Corner, Inter Milan. Conceded by D.",
    "90+4' Corner, Inter Milan. Conceded by E.",
    "95' Corner, Inter Milan. Conceded by F.",
    "105+1' Corner, Inter Milan. Conceded by G.",
    "118' Corner, Inter Milan. Conceded by H.",
]


class TestInclusiveClock:
    @pytest.mark.parametrize(
        ("at", "corners"),
        [
            ("44", 0),
            ("45", 1),
            ("45+2", 2),
            ("45+2'", 2),
            ("45'+2'", 2),
            ("45+3", 3),
            ("ht", 3),
            ("46", 4),
            ("90+4", 5),
            ("ft", 5),
            ("95", 6),
            ("105+1", 7),
            ("120", 8),
            (None, 8),
        ],
    )
    def test_at_includes_its_minute_and_not_the_next(self, at: str | None, corners: int) -> None:
        """``--at 45+2`` includes 45+2 and not 45+3; ``46`` is the second half's 46th."""
        given(*LINES, meta=SHEET).at(at).expect({"stats.home.corners": corners})

    def test_state_clock_is_the_clock_asked(self) -> None:
        """The state shows the clock it was asked for, the last event's clock apart."""
        data = given(*LINES, meta=SHEET).at("50").json()
        assert data["clock"]["label"] == "50'" and data["clock"]["period"] == 2
        assert data["last_event_clock"]["label"] == "46'"

    def test_at_with_seconds(self) -> None:
        """A clock with seconds bounds by the second."""
        bound, clock = at_bound("67:30")
        assert clock == MatchClock(period=2, minute=67, second=30)
        assert bound is not None and (2, 67, 0, 30, 0, 1) < bound < (2, 67, 0, 31, 0, 0)

    def test_not_a_clock(self) -> None:
        """A bad ``--at`` is a clear error."""
        with pytest.raises(AtClockError, match="not a match clock"):
            at_bound("half past nine")


class TestSnapshots:
    def test_snapshots_every_n_and_at_period_ends(self) -> None:
        """Snapshots are taken every N events and right after each period's end."""
        m = synth_match(7, 200)
        p = Projector(ListSource(m.match_id, m.events, m.meta), snapshot_every=50)
        p.final_state(m.match_id)
        folded = p.events(m.match_id)
        ends = {i + 1 for i, e in enumerate(folded) if e.type == "period_end"}
        indices = {s.index for s in p.snapshots(m.match_id)}
        assert ends <= indices
        assert {50, 100, 150} <= indices

    def test_a_late_line_drops_later_snapshots(self) -> None:
        """A line arriving late that sorts before a snapshot invalidates it."""
        m = synth_match(8, 150)
        source = ListSource(m.match_id, m.events, m.meta)
        p = Projector(source, snapshot_every=20)
        before = p.final_state(m.match_id)
        late = Corner(text="Corner, late line.", clock=MatchClock.parse("3"), team=m.meta["home"])
        source.append(late)
        after = p.final_state(m.match_id)
        assert after.stats.home.corners == before.stats.home.corners + 1
        assert after == replay(source.read(m.match_id), meta=m.meta)

    def test_retraction_removes_the_line_at_every_clock(self) -> None:
        """A retraction makes the retracted line never posted, before and after it."""
        source = ListSource("r", stamp("r", []), SHEET)
        source.append(
            Corner(text="Corner, Inter Milan. A.", clock=MatchClock.parse("10"), team="Inter Milan")
        )
        p = Projector(source)
        assert p.state_at("r", "20").stats.home.corners == 1
        target = source.read("r")[0].event_id
        source.append(Retraction(text="(retracted)", clock=MatchClock.parse("30"), retracts=target))
        assert p.state_at("r", "20").stats.home.corners == 0
        assert p.final_state("r").stats.home.corners == 0

    def test_unknown_retraction_is_an_anomaly(self) -> None:
        """Retracting an id the stream never had is reported."""
        data = given(Retraction(text="(retracted)", retracts="nope"), meta=SHEET).json()
        assert [a["kind"] for a in data["anomalies"]] == ["retraction_unknown"]
