"""``livetext poll`` of provider payloads served as a live match is: an ESPN soccer
summary (the commentary growing, the status in progress until the end) and an Opta-style
commentary (messages newest first).

The poll, given no match id, takes the provider's; it rides out faults, a withdrawn line
and amended ones, stops by itself (ESPN's final status, a ``Match ends`` line), and its
state equals ingesting the finished payload (the provider's reported facts included).
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.poll.conftest import (
    ESPN_DEV,
    FIXTURES,
    espn_played,
    ingested_state,
    opta_played,
    polled_state,
    run_poll,
)
from tests.poll.server import CutOff, MatchServer, Reset, Snapshot, Status, Step


def faulty(n: int) -> list[Step]:
    """Every snapshot in turn, faults between the first few."""
    faults: list[Step] = [Status(503), Status(429, retry_after=1), Reset(), CutOff(3)]
    script: list[Step] = []
    for i in range(n):
        script.append(Snapshot(i))
        if i < len(faults):
            script.append(faults[i])
    return script


def play(path: Path, tmp_path: Path, per_snapshot: int) -> None:
    event_id, snapshots = espn_played(path, per_snapshot)
    store = tmp_path / "poll.sqlite"
    with MatchServer(snapshots, faulty(len(snapshots))) as server:
        done = run_poll(
            server.url, "--store", str(store), "--every", "0.05", "--until-end", "--json"
        )
        assert done.returncode == 0, done.stderr
        assert server.played()
    polls = [orjson.loads(line) for line in done.stdout.splitlines()]
    assert {p["match_id"] for p in polls if p["match_id"]} == {event_id}
    assert sum(p["outcome"] == "error" for p in polls) == 4
    assert sum(p["withdrawn"] for p in polls) == 1 and sum(p["amended"] for p in polls) == 2
    assert polls[-1]["ended"]
    polled = polled_state(store, event_id)
    assert polled == ingested_state(snapshots[-1], tmp_path, event_id)
    assert polled["status"] == "finished"


def test_an_espn_summary_polled_live_ends_as_the_finished_summary(tmp_path: Path) -> None:
    play(FIXTURES / "espn-760415.json", tmp_path, per_snapshot=10)


@pytest.mark.skipif(not ESPN_DEV.is_dir(), reason="../shared/data/espn-worldcup-dev is absent")
@pytest.mark.parametrize("game", ["760489", "760422"])
def test_a_dev_match_polled_live_ends_as_the_finished_summary(game: str, tmp_path: Path) -> None:
    """760489 ends in a shoot-out; 760422 in normal time."""
    play(ESPN_DEV / f"{game}.json", tmp_path, per_snapshot=15)


def test_an_opta_commentary_polled_live_ends_as_the_finished_file(tmp_path: Path) -> None:
    match_id, snapshots = opta_played(FIXTURES / "opta-760489.json", per_snapshot=20)
    store = tmp_path / "poll.sqlite"
    with MatchServer(snapshots, [Snapshot(i) for i in range(len(snapshots))]) as server:
        done = run_poll(
            server.url,
            *("--format", "opta", "--store", str(store), "--every", "0.05", "--until-end"),
            "--json",
        )
        assert done.returncode == 0, done.stderr
    polls = [orjson.loads(line) for line in done.stdout.splitlines()]
    assert {p["match_id"] for p in polls} == {match_id}
    assert sum(p["withdrawn"] for p in polls) == 1 and sum(p["amended"] for p in polls) == 1
    polled = polled_state(store, match_id)
    assert polled == ingested_state(snapshots[-1], tmp_path, match_id)
    assert polled["shootout"] == {"home": 3, "away": 4}
