"""``livetext events`` and ``livetext matches`` against a real store file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from events.models import Booking, Goal, Score, loads
from replay.cli import app
from stream.sqlite import SqliteStore
from tests.stream.contract import clock, line

runner = CliRunner()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite"
    with SqliteStore(path) as store:
        store.set_match_info("inter-milan", "Inter", "Milan")
        store.append(
            "inter-milan",
            [
                line("First Half begins.", "1"),
                Goal(
                    text="Goal! Inter 1, Milan 0.", clock=clock("45+2"), score=Score(home=1, away=0)
                ),
                line("First Half ends, Inter 1, Milan 0."),
                line("Second Half begins.", "46"),
                Booking(text="Booked.", clock=clock("45+1"), card="yellow", source="lineups"),
            ],
        )
        store.append("other", [line("Kick-off.", "1")])
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_events_prints_the_stream_in_seq_order(store_path: Path) -> None:
    code, out, _ = run("events", "inter-milan", "--store", str(store_path))
    assert code == 0
    rows = out.splitlines()
    assert [r.split()[0] for r in rows] == ["1", "2", "3", "4", "5"]
    assert "45+2'" in rows[1] and "goal" in rows[1]
    assert "[line-ups] Booked." in rows[4]


def test_events_json_is_the_stored_events(store_path: Path) -> None:
    code, out, _ = run("events", "inter-milan", "--json", "--store", str(store_path))
    assert code == 0
    with SqliteStore(store_path) as store:
        assert [loads(row) for row in out.splitlines()] == store.read("inter-milan")


@pytest.mark.parametrize(
    ("at", "seqs"),
    [
        ("45+2", [1, 2, 3, 5]),  # the half-time line has no clock but comes before 46'
        ("45", [1]),
        ("ht", [1, 2, 3, 5]),
        ("46", [1, 2, 3, 4, 5]),
    ],
)
def test_events_at_a_clock(store_path: Path, at: str, seqs: list[int]) -> None:
    code, out, _ = run("events", "inter-milan", "--json", "--at", at, "--store", str(store_path))
    assert code == 0
    assert [loads(row).seq for row in out.splitlines()] == seqs


def test_events_from_seq(store_path: Path) -> None:
    code, out, _ = run(
        "events", "inter-milan", "--json", "--from-seq", "4", "--store", str(store_path)
    )
    assert code == 0 and [loads(row).seq for row in out.splitlines()] == [4, 5]


def test_matches_lists_teams_counts_and_clocks(store_path: Path) -> None:
    code, out, _ = run("matches", "--store", str(store_path))
    assert code == 0
    header, inter, other = out.splitlines()
    assert header.split() == ["match", "home", "away", "events", "last", "clock"]
    assert inter.split() == ["inter-milan", "Inter", "Milan", "5", "46'"]
    assert other.split() == ["other", "1", "1'"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["events", "inter-milna"],
            1,
            "no match 'inter-milna' in the store; did you mean 'inter-milan'",
        ),
        (["events", "inter-milan", "--at", "45+x"], 2, "--at: not a match clock: '45+x'"),
    ],
)
def test_errors_are_one_clear_line(
    store_path: Path, args: list[str], code: int, message: str
) -> None:
    exit_code, out, err = run(*args, "--store", str(store_path))
    assert exit_code == code and out == ""
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["events", "m"], ["matches"]])
def test_a_foreign_or_missing_store_is_named(tmp_path: Path, command: list[str]) -> None:
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database, just notes\n" * 20)
    code, _, err = run(*command, "--store", str(foreign))
    assert code == 1 and "notes.txt is not a livetext store" in err
    assert foreign.read_text().startswith("not a database")
    missing = tmp_path / "missing.sqlite"
    code, _, err = run(*command, "--store", str(missing))
    assert code == 1 and "no livetext store at" in err and not missing.exists()


def test_the_default_store_comes_from_livetext_data(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIVETEXT_DATA", str(store_path.parent))
    store_path.rename(store_path.parent / "livetext.sqlite")
    code, out, _ = run("events", "other")
    assert code == 0 and "Kick-off." in out
