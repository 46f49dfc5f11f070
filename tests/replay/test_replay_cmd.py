"""``livetext replay`` through its JSON mode, its terminal mode without a terminal, and
``livetext plot``."""

from __future__ import annotations

import struct
from pathlib import Path

import orjson
from typer.testing import CliRunner

from projections import state_at
from replay.cli import app
from stream import open_store

from .conftest import SEED_PAGE

runner = CliRunner()


def test_json_mode_every_minute_in_order_equal_to_state_at(store_path: Path) -> None:
    result = runner.invoke(
        app, ["replay", "inter-milan-derby", "--json", "--speed", "0", "--store", str(store_path)]
    )
    assert result.exit_code == 0, result.output
    frames = [orjson.loads(line) for line in result.stdout.splitlines()]
    labels = [f["step"]["label"] for f in frames]
    assert labels[0] == "1'"
    assert labels[44:47] == ["45'", "HT", "46'"]
    assert labels[-6:] == ["90'", "90+1'", "90+2'", "90+3'", "90+4'", "FT"]
    store = open_store(store_path)
    try:
        for frame in frames:
            at = frame["step"]["at"]
            expected = state_at(store, "inter-milan-derby", at).to_json()
            assert {k: v for k, v in frame.items() if k != "step"} == orjson.loads(
                orjson.dumps(expected)
            ), at
    finally:
        store.close()
    assert frames[-1]["score"] == {**frames[-1]["score"], "home": 1, "away": 0}


def test_from_to_window(store_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "replay",
            "inter-milan-derby",
            "--json",
            "--speed",
            "0",
            "--from",
            "90+2",
            "--to",
            "90+4",
            "--store",
            str(store_path),
        ],
    )
    assert result.exit_code == 0
    assert [orjson.loads(line)["step"]["label"] for line in result.stdout.splitlines()] == [
        "90+2'",
        "90+3'",
        "90+4'",
    ]


def test_terminal_mode_runs_without_a_terminal(store_path: Path) -> None:
    result = runner.invoke(
        app,
        ["replay", "inter-milan-derby", "--speed", "0", "--from", "88", "--store", str(store_path)],
    )
    assert result.exit_code == 0, result.output
    assert "90+4'  Inter Milan 1-0 AC Milan" in result.stdout
    assert "Asllani" in result.stdout and "Shots" in result.stdout


def test_replay_of_a_file_ingests_it_first(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    for _ in range(2):  # idempotent: the second run appends nothing new
        result = runner.invoke(
            app,
            [
                "replay",
                str(SEED_PAGE),
                "--json",
                "--speed",
                "0",
                "--to",
                "2",
                "--store",
                str(store),
            ],
        )
        assert result.exit_code == 0, result.output
    s = open_store(store)
    try:
        assert s.last_seq("inter-milan-derby") == 31
    finally:
        s.close()


def test_unknown_match_and_bad_clock(store_path: Path) -> None:
    result = runner.invoke(app, ["replay", "nope", "--store", str(store_path)])
    assert result.exit_code == 1 and "no match 'nope' in the store" in result.stderr
    result = runner.invoke(
        app, ["replay", "inter-milan-derby", "--from", "45++2", "--store", str(store_path)]
    )
    assert result.exit_code == 2 and "not a match clock" in result.stderr


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_plot_png_is_drawn(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "timeline.png"
    result = runner.invoke(
        app, ["plot", "inter-milan-derby", "-o", str(out), "--store", str(store_path)]
    )
    assert result.exit_code == 0, result.output
    width, height = _png_size(out)
    assert width >= 800 and height >= 500
    from matplotlib.image import imread

    pixels = imread(str(out))
    assert pixels.std() > 0.05  # not a blank canvas
    assert (pixels[..., :3].mean(axis=2) < 0.5).mean() > 0.005  # some ink was drawn


def test_plot_rejects_other_formats(store_path: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["plot", "inter-milan-derby", "-o", str(tmp_path / "x.jpg"), "--store", str(store_path)],
    )
    assert result.exit_code == 2
