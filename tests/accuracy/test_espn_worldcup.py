"""Every dev match of the 2026 World Cup, as ESPN serves it and as plain lines, rebuilt to
the facts ESPN itself reports (see tests/accuracy/espn.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from events.readers import read_source
from projections import build_context, fold, initial_state, prepare, replay
from tests.accuracy.espn import DEV, check, facts, matches, plain_lines, readings, summary

pytestmark = pytest.mark.skipif(
    not matches(), reason=f"the ESPN dev matches are not beside the repo ({DEV})"
)
MATCHES = matches()


@pytest.mark.parametrize("path", MATCHES, ids=[p.stem for p in MATCHES])
def test_a_match_rebuilds_to_espns_own_facts(path: Path, tmp_path: Path) -> None:
    """Final score, shoot-out, goals per period, corners, cards, offsides, shots and
    substitutions exact; on target and saves within one; on the pitch = 11 - sent off -
    retired; no line unrecognised: read as ESPN JSON and as plain lines."""
    expected = facts(summary(path))
    for how, match in readings(path, tmp_path):
        failed = [k for k, ok in check(match, expected, lineups=how == "espn").items() if not ok]
        assert failed == [], f"{how}: {failed}"


@pytest.mark.parametrize("path", MATCHES[::4], ids=[p.stem for p in MATCHES[::4]])
@pytest.mark.parametrize("renamed", ["header", "lines"])
def test_teams_named_in_other_words_lose_no_stat(path: Path, renamed: str, tmp_path: Path) -> None:
    """Both teams renamed (no word in common, in no alias table), in the header or in the
    lines: every stat, the score and the cards stay what they were."""
    text = plain_lines(summary(path))
    home, away = facts(summary(path)).names.values()
    original = tmp_path / "original.txt"
    original.write_text(text, encoding="utf-8")
    new = {home: "Qwerty Land", away: "Zxcv Republic"}
    header, body = text.split("\n", 1)
    for old, name in new.items():
        if renamed == "header":
            header = header.replace(old, name)
        else:
            body = body.replace(old, name)
    renamed_file = tmp_path / "renamed.txt"
    renamed_file.write_text(f"{header}\n{body}", encoding="utf-8")
    matches = (read_source(original, match_id="m"), read_source(renamed_file, match_id="m"))
    before, after = (replay(m.events, match_id="m", meta=m.sheet).to_json() for m in matches)
    assert after["stats"] == before["stats"]
    assert (after["score"]["home"], after["score"]["away"]) == (
        before["score"]["home"],
        before["score"]["away"],
    )
    assert after["cards"] == before["cards"]
    assert not [a for a in after["anomalies"] if a["kind"] == "unknown_team"]
    listed = {n for side in ("home", "away") for n in after["team_names"][side]}
    used = {t for e in matches[1].events if (t := getattr(e, "team", None))}
    assert used <= listed


@pytest.mark.parametrize("path", MATCHES, ids=[p.stem for p in MATCHES])
def test_on_the_pitch_holds_at_every_minute(path: Path) -> None:
    """After every event of the match (so at every minute, stoppage time included): on
    the pitch = 11 - sent off - retired, on both sides."""
    match = read_source(path)
    ctx = build_context(match.match_id, match.sheet, match.events)
    state = initial_state(ctx)
    for event in prepare(match.events).events:
        state = fold(state, [event])
        for side, lineup in enumerate(state.lineups):
            expected = 11 - len(lineup.sent_off) - len(lineup.retired)
            assert len(lineup.on_pitch) == expected, (event.clock, side, event.text)
