"""``livetext replay`` through its JSON mode, its terminal mode without a terminal, and
``livetext plot``."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import ClassVar

import orjson
import pytest
from typer.testing import CliRunner

from projections import state_at
from replay.cli import app
from replay.driver import Frame
from replay.sinks import SINKS, Sink
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


def test_plot_into_a_place_it_cannot_write_is_a_clean_error(
    store_path: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    out = blocker / "timeline.png"  # its "directory" is a file: no one can write there
    result = runner.invoke(
        app, ["plot", "inter-milan-derby", "-o", str(out), "--store", str(store_path)]
    )
    assert result.exit_code == 1
    assert str(out) in result.stderr and "cannot write the plot" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("verb", ["replay", "plot"])
def test_an_unknown_match_makes_no_store(verb: str, tmp_path: Path) -> None:
    store = tmp_path / "never.sqlite"
    args = [verb, "nosuch", "--store", str(store)]
    result = runner.invoke(app, args + (["-o", str(tmp_path / "x.png")] if verb == "plot" else []))
    assert result.exit_code == 1
    assert "'nosuch' is not a file" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_from_after_to_is_an_error(store_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "replay",
            "inter-milan-derby",
            "--json",
            "--from",
            "90",
            "--to",
            "45",
            "--store",
            str(store_path),
        ],
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--from 90' is after --to 45'" in result.stderr


def test_sink_option_picks_the_output(store_path: Path) -> None:
    window = ["--from", "90+3", "--to", "90+4", "--speed", "0", "--store", str(store_path)]
    ticker = runner.invoke(app, ["replay", "inter-milan-derby", "--sink", "ticker", *window])
    default = runner.invoke(app, ["replay", "inter-milan-derby", *window])  # not a terminal
    assert ticker.exit_code == 0 and ticker.stdout == default.stdout
    jsonl = runner.invoke(app, ["replay", "inter-milan-derby", "--sink", "jsonl", *window])
    json_flag = runner.invoke(app, ["replay", "inter-milan-derby", "--json", *window])
    assert jsonl.stdout == json_flag.stdout
    assert [orjson.loads(x)["step"]["label"] for x in jsonl.stdout.splitlines()] == [
        "90+3'",
        "90+4'",
    ]
    wrong = runner.invoke(app, ["replay", "inter-milan-derby", "--sink", "nosuch", *window])
    assert wrong.exit_code == 2 and "board, ticker, jsonl" in wrong.output


class Recorder:
    """A sink of a test's own: what it was shown, and whether it was ended."""

    shown: ClassVar[list[str]] = []
    ended: ClassVar[int] = 0

    def show(self, frame: Frame) -> None:
        Recorder.shown.append(frame.step.label)

    def end(self) -> None:
        Recorder.ended += 1


def test_a_new_sink_is_one_class_and_one_row(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(SINKS, "recorder", Recorder)
    monkeypatch.setattr(Recorder, "shown", [])
    monkeypatch.setattr(Recorder, "ended", 0)
    _: Sink = Recorder()  # mypy checks that it is a Sink
    result = runner.invoke(
        app,
        [
            "replay",
            "inter-milan-derby",
            "--sink",
            "recorder",
            "--speed",
            "0",
            "--from",
            "45",
            "--to",
            "46",
            "--store",
            str(store_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert Recorder.shown == ["45'", "HT", "46'"]
    assert Recorder.ended == 1


def test_a_file_whose_match_id_cannot_be_served_is_refused(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"match": {"id": "../../etc", "home": "A", "away": "B"}}\n'
        '{"text": "Foul by X (A).", "clock": "9\'"}\n',
        encoding="utf-8",
    )
    store = tmp_path / "s.sqlite"
    result = runner.invoke(app, ["replay", str(feed), "--json", "--store", str(store)])
    assert result.exit_code == 2
    assert "'../../etc'" in result.stderr and "cannot contain '/'" in result.stderr
    s = open_store(store)
    try:
        assert s.matches() == []
    finally:
        s.close()
