"""``livetext state`` and ``livetext report`` on a store."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from events.readers import read_page
from replay.cli import app
from tests.projections.test_reconcile import SEED

stream = pytest.importorskip("stream")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SEED.exists():
        pytest.skip("seed page not found")
    path = tmp_path_factory.mktemp("store") / "livetext.db"
    match = read_page(SEED.read_text(encoding="utf-8"))
    store = stream.open_store(path)
    store.put_meta(match.match_id, {"sheet": match.sheet.model_dump(mode="json")})
    store.append(match.match_id, match.events)
    store.close()
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_state_json(store_path: Path) -> None:
    """``--json`` prints the state JSON; ``--at`` bounds it."""
    code, out, _ = run("state", "inter-milan-ac-milan", "--store", str(store_path), "--json")
    assert code == 0
    data = orjson.loads(out)
    assert (data["score"]["home"], data["score"]["away"]) == (1, 0)
    code, out, _ = run(
        "state", "inter-milan-ac-milan", "--store", str(store_path), "--json", "--at", "70"
    )
    at70 = orjson.loads(out)
    assert at70["clock"]["label"] == "70'" and at70["lineups"]["home"]["subs_used"] == 0


def test_state_scoreboard(store_path: Path) -> None:
    """The human form shows the score line, cards, players on the pitch and key stats."""
    code, out, _ = run("state", "inter-milan-ac-milan", "--store", str(store_path))
    assert code == 0
    assert "Inter Milan 1-0 AC Milan" in out
    assert "Rebic" in out and "Corners" in out


def test_state_with_custom_projection(store_path: Path) -> None:
    """``--with module:NAME`` adds a custom projection to the state."""
    code, out, _ = run(
        "state",
        "inter-milan-ac-milan",
        "--store",
        str(store_path),
        "--json",
        "--with",
        "projections.contrib.momentum:MOMENTUM",
    )
    assert code == 0
    assert orjson.loads(out)["custom"]["momentum"]["home"]["corners"] == 2


def test_report(store_path: Path) -> None:
    """``report`` lists agreements and disagreements with reasons."""
    code, out, _ = run("report", "inter-milan-ac-milan", "--store", str(store_path), "--json")
    assert code == 0
    report = orjson.loads(out)
    assert report["coverage"]["partial"] is True
    assert report["summary"]["disagree"] >= 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("state", "nope"), "no match 'nope'"),
        (("state", "inter-milan-ac-milan", "--at", "soon"), "not a match clock"),
        (("state", "x", "--with", "no.such.module"), "cannot import"),
    ],
)
def test_errors_are_clean(store_path: Path, args: tuple[str, ...], message: str) -> None:
    """Errors print one line and exit non-zero, no traceback."""
    code, out, err = run(*args, "--store", str(store_path))
    assert code != 0
    assert message in err and "Traceback" not in out + err


def test_missing_store_is_clean(tmp_path: Path) -> None:
    """A store that does not exist is an error, not a new empty file."""
    code, _, err = run("state", "m", "--store", str(tmp_path / "none.db"))
    assert code != 0 and "no livetext store" in err
    assert not (tmp_path / "none.db").exists()
