"""``livetext serve``: its options and its errors (the page itself is served in the
browser test, by this same command in another process)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from replay.cli import app

runner = CliRunner()


def test_serve_is_a_command_binding_localhost_by_default() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--store", "--broker", "--host", "--port"):
        assert option in result.output
    assert "127.0.0.1" in result.output
    assert "8000" in result.output


def test_a_missing_store_is_a_clean_error(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.sqlite"
    result = runner.invoke(app, ["serve", "--store", str(missing)])
    assert result.exit_code == 1
    assert "no livetext store" in result.output
    assert "livetext ingest" in result.output
    assert not missing.exists()


def test_broker_mode_refuses_a_broker_without_address(seed_store_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--store", str(seed_store_path), "--broker", " , "])
    assert result.exit_code == 2
    assert "--broker" in result.output
