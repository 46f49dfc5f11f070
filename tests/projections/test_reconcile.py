"""Reconciliation against the real seed page (Inter Milan 1-0 AC Milan, a partial live text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from events.readers import read_page, read_source
from projections import MatchState, reconcile, replay
from projections.reconcile import Reconciliation

SEED = Path(__file__).resolve().parents[2] / "examples" / "inter-milan-derby.txt"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def final() -> MatchState:
    match = read_page(SEED.read_text(encoding="utf-8"))
    return replay(match.events, match_id=match.match_id, meta=match.sheet)


@pytest.fixture(scope="module")
def report(final: MatchState) -> Reconciliation:
    return reconcile(final)


def check(report: Reconciliation, item: str, team: str | None = None) -> dict[str, object]:
    found = [c for c in report.checks if c.item == item and c.team == team]
    assert len(found) == 1, [c.item for c in report.checks]
    return found[0].to_json()


class TestSeedPage:
    def test_final_state(self, final: MatchState) -> None:
        """The printed 1-0 stands; the late-starting live text counts no goal."""
        data = final.to_json()
        assert data["teams"] == {"home": "Inter Milan", "away": "AC Milan"}
        assert (data["score"]["home"], data["score"]["away"]) == (1, 0)
        assert [a["kind"] for a in data["anomalies"]] == ["score_mismatch"]
        assert data["lineups"]["home"]["subs_used"] == 5
        assert {"name": "Asllani", "number": 14} in data["lineups"]["home"]["on_pitch"]

    def test_coverage_is_partial(self, report: Reconciliation) -> None:
        """The live text covers the last minutes only, and says so."""
        assert report.partial
        assert report.coverage.startswith("84'")

    def test_stats_disagree_because_of_coverage(self, report: Reconciliation) -> None:
        """Shots 15 on the page, 2 in the lines: disagree, because of the partial coverage."""
        shots = check(report, "shots", "home")
        assert (shots["reported"], shots["computed"], shots["verdict"]) == (15, 2, "disagree")
        assert "covers only" in str(shots["why"])
        assert check(report, "shots_on_target", "away")["verdict"] == "agree"
        assert check(report, "possession", "home")["verdict"] == "not_computed"

    def test_annotations_agree(self, report: Reconciliation) -> None:
        """Every booking and substitution annotated in the line-ups is in the state."""
        annotated = [c for c in report.checks if c.item.startswith(("booking", "substitution"))]
        assert len(annotated) == 17
        assert all(c.verdict == "agree" for c in annotated)
        rebic = check(report, "booking Rebic", "away")
        assert rebic["why"] is None  # from a live-text line, not only the annotation

    def test_score_disagreement_explained(self, report: Reconciliation) -> None:
        """Printed 1-0 vs counted 0-0: the goal came before the live text starts."""
        score = check(report, "score")
        assert score["verdict"] == "disagree" and "covers only" in str(score["why"])


def test_a_provider_s_facts_are_reconciled_stat_by_stat() -> None:
    """An ESPN summary (extra time and a shoot-out): its final score, goals per period,
    shoot-out and box score against the rebuilt state, with the reason where ESPN's count
    differs by its own rule (fouls the lines never write)."""
    match = read_source(FIXTURES / "espn-760489.json")
    report = reconcile(replay(match.events, match_id=match.match_id, meta=match.sheet))
    verdicts = {(c.item, c.team): c for c in report.checks}
    assert verdicts["final score", None].verdict == "agree"
    assert verdicts["shoot-out", None].verdict == "agree"
    periods = [c for c in report.checks if c.item.startswith("goals, period")]
    assert len(periods) == 4 and all(c.verdict == "agree" for c in periods)
    for item in ("corners", "yellow_cards", "offsides", "shots"):
        assert verdicts[item, "home"].verdict == verdicts[item, "away"].verdict == "agree"
    fouls = [c for c in report.checks if c.item == "fouls" and c.verdict == "disagree"]
    assert all(c.why and "Foul by" in c.why for c in fouls)
    assert verdicts["possession", "home"].verdict == "not_computed"
