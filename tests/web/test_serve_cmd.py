"""``livetext serve``: its options and its errors (the page itself is served in the
browser test, by this same command in another process)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import httpx
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


def test_a_port_in_use_is_an_error_before_serving(seed_store_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--store", str(seed_store_path), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "serving" not in result.output


def test_a_damaged_store_is_not_a_missing_one(tmp_path: Path) -> None:
    damaged = tmp_path / "livetext.sqlite"
    damaged.write_bytes(b"not a database at all " * 100)
    result = runner.invoke(app, ["serve", "--store", str(damaged), "--port", "0"])
    assert result.exit_code == 1
    assert str(damaged) in result.stderr
    assert "ingest a match first" not in result.output
    assert damaged.read_bytes() == b"not a database at all " * 100


def test_serves_on_the_port_it_names(seed_store_path: Path) -> None:
    command = "import sys; from replay.cli import main; sys.argv[0] = 'livetext'; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--store", str(seed_store_path), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # said once the port is bound: it answers from now on
        match = re.search(r"on http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        response = httpx.get(f"http://127.0.0.1:{match[1]}/api/matches", timeout=10)
        assert response.status_code == 200
        assert {m["match_id"] for m in response.json()["matches"]} == {
            "inter-milan-derby",
            "inter-juventus-2024-02-04",
        }
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
