"""``livetext parse``: one JSON event per line, clear errors, never a traceback."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from events.models import dumps
from events.parser import parse_lines, split_clock
from events.readers import MAX_LINE_BYTES
from replay.cli import app
from replay.commands import parse_cmd
from replay.commands.parse_cmd import (
    BATCH_LINES,
    WORKERS_FROM_LINES,
    WorkerError,
    _lines_fit,
    commentary,
    workers_for,
    write_events,
    write_events_parallel,
)
from tests.events import kaggle

runner = CliRunner()


def _run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_one_event_per_line_in_order(tmp_path: Path) -> None:
    f = tmp_path / "lines.txt"
    f.write_text(
        "45'+2' Foul by Sandro Tonali (AC Milan).\n"
        "\n"
        "90+4 Substitution, Inter Milan. Kristjan Asllani replaces Nicolò Barella.\n"
        "Nobody saw that coming.\n",
        encoding="utf-8",
    )
    code, out, _ = _run("parse", str(f))
    assert code == 0
    events = [orjson.loads(line) for line in out.splitlines()]
    assert [e["type"] for e in events] == ["foul", "substitution", "unrecognised"]
    assert events[0]["clock"] == {"period": 1, "minute": 45, "added": 2, "second": None}
    assert events[1]["player_on"] == "Kristjan Asllani"
    assert events[2]["text"] == "Nobody saw that coming."


def test_stdin_and_stats() -> None:
    code, out, _ = _run("parse", "--stats", input=b"Foul by A (B).\nFoul by C (D).\n???\n")
    assert code == 0
    assert "foul" in out and "2" in out
    assert "unrecognised lines (1):" in out and "???" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary", "binary data"),
        (b"Foul by \xe9t\xe9 (X).\n", "not UTF-8"),
        (b"", "empty file"),
        (b"Foul by " + b"x" * 70_000 + b"\n", "limit 65536"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path: Path, content: bytes, message: str) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(b"Foul by A (B).\n" + content if content else content)
    code, out, err = _run("parse", str(f))
    assert code == 2
    assert out == ""
    assert str(f) in err and message in err
    assert "Traceback" not in err


def test_the_line_limit_is_the_readers() -> None:
    assert parse_cmd.MAX_LINE_BYTES == MAX_LINE_BYTES


@pytest.mark.parametrize(
    ("lines", "refused"),
    [
        ([b"x" * MAX_LINE_BYTES], None),  # at the limit
        ([b"x" * 40_000, b"Foul by A (B)."], None),  # long, under the limit
        ([b"Foul by A (B).", b"\xc3\xa9" * (MAX_LINE_BYTES // 2)], None),  # bytes, not chars
        ([b"Foul by A (B).", b"x" * (MAX_LINE_BYTES + 1)], 2),
        ([b"\xef\xbb\xbf" + b"x" * (MAX_LINE_BYTES - 2)], 1),  # a BOM counts on line 1
        ([b"Foul by A (B).", b"\xe9t\xe9 x" * 30_000], 2),  # two faults: the first one named
    ],
)
def test_line_limit_as_the_readers_have_it(
    tmp_path: Path, lines: list[bytes], refused: int | None
) -> None:
    f = tmp_path / "long.txt"
    f.write_bytes(b"\n".join(lines) + b"\n")
    code, out, err = _run("parse", str(f))
    if refused is None:
        assert code == 0 and out.count("\n") == len(lines)
    else:
        assert code == 2 and out == ""
        assert f"{f}:{refused}: a line of" in err


@given(st.lists(st.integers(0, 40)), st.integers(0, 12))
def test_lines_fit_never_passes_a_long_line(lengths: list[int], limit: int) -> None:
    data = b"\n".join(b"x" * n for n in lengths)
    if _lines_fit(data, limit):
        assert all(n <= limit for n in lengths)


def test_parse_loads_no_reader(tmp_path: Path) -> None:
    """``parse`` imports the parser, not the readers (nor the stream, nor anything heavy)."""
    code = (
        "import sys\n"
        "from replay.cli import main\n"
        f"sys.argv = ['livetext', 'parse', {str(EXAMPLES / 'inter-milan-derby.txt')!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = set(done.stderr.split())
    assert "events.parser" in loaded  # the verb ran
    assert {m for m in loaded if m.startswith(("events.readers", "stream", "projections"))} == set()


def test_missing_file(tmp_path: Path) -> None:
    code, _, err = _run("parse", str(tmp_path / "nope.txt"))
    assert code == 2 and "nope.txt" in err


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _reference(path: Path) -> bytes:
    """What parse printed before it streamed: each line of commentary parsed, then dumped."""
    text = path.read_text(encoding="utf-8-sig")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    return b"".join(dumps(event) + b"\n" for event in parse_lines(lines))


@pytest.mark.parametrize("path", sorted(EXAMPLES.iterdir()), ids=lambda p: p.name)
def test_output_bytes_are_the_events_of_every_line(path: Path) -> None:
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 0
    assert result.stdout_bytes == _reference(path)


def test_small_writes_give_the_same_bytes() -> None:
    lines = (EXAMPLES / "inter-milan-derby.txt").read_text(encoding="utf-8").splitlines()
    whole, pieces = io.BytesIO(), io.BytesIO()
    write_events(commentary(lines), whole)
    write_events(commentary(lines), pieces, chunk_bytes=100)  # a write every line or two
    assert pieces.getvalue() == whole.getvalue() == _reference(EXAMPLES / "inter-milan-derby.txt")


def test_stats_do_not_count_the_header_comment() -> None:
    path = EXAMPLES / "lines-example.txt"
    code, out, _ = _run("parse", "--stats", str(path))
    assert code == 0
    assert "# Inter Milan v Juventus" not in out
    commentary_lines = [
        ln
        for ln in path.read_text(encoding="utf-8").splitlines()
        if ln.strip()[:1] not in ("", "#")
    ]
    assert out.startswith(f"{len(commentary_lines)} events from {path}")
    assert "unrecognised" not in out  # as ingest reads the same file: nothing unrecognised


# ---- worker processes: the same bytes, in order ----------------------------------------


LIVETEXT = [sys.executable, "-c", "from replay.cli import main; main()"]
"""The command as a process of its own (its stdout a real file, a pipe)."""


def _example_lines() -> list[str]:
    text = (EXAMPLES / "inter-milan-derby.txt").read_text(encoding="utf-8")
    return list(commentary(text.splitlines()))


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no CPU affinity here")
def test_one_worker_per_core_for_a_large_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2})
    assert workers_for(WORKERS_FROM_LINES) == 3
    assert workers_for(WORKERS_FROM_LINES - 1) == 1  # a small input: one process
    assert workers_for(10, asked=2) == 2  # as asked
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert workers_for(10 * WORKERS_FROM_LINES) == 1  # one core: no worker to fork


@pytest.mark.parametrize(("workers", "batch"), [(2, 7), (3, 5), (4, 1000), (3, 1)])
def test_workers_write_the_same_bytes_in_order(tmp_path: Path, workers: int, batch: int) -> None:
    lines = _example_lines()
    with (tmp_path / "out.jsonl").open("wb") as out:
        write_events_parallel(lines, out.fileno(), workers, batch)
    pinned = (GOLDEN / "inter-milan-derby.txt.jsonl").read_bytes()
    assert (tmp_path / "out.jsonl").read_bytes() == pinned


def test_a_large_input_is_parsed_by_workers_to_the_same_bytes(tmp_path: Path) -> None:
    """Past one batch a line, the command forks workers (``--workers 3`` even on one
    core): its output is the pinned output of the page, once per copy, in order."""
    page = (EXAMPLES / "inter-milan-derby.txt").read_bytes()
    copies = BATCH_LINES // page.count(b"\n") * 2 + 1
    big = tmp_path / "big.txt"
    big.write_bytes(page * copies)
    out = tmp_path / "out.jsonl"
    with out.open("wb") as sink:
        done = subprocess.run(
            [*LIVETEXT, "parse", "--workers", "3", str(big)],
            stdout=sink,
            stderr=subprocess.PIPE,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == (GOLDEN / "inter-milan-derby.txt.jsonl").read_bytes() * copies


def test_workers_stop_quietly_when_the_reader_goes_away(tmp_path: Path) -> None:
    page = (EXAMPLES / "inter-milan-derby.txt").read_bytes()
    big = tmp_path / "big.txt"
    big.write_bytes(page * (BATCH_LINES // page.count(b"\n") * 3))
    command = [*LIVETEXT, "parse", "--workers", "2", str(big)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as parse:
        assert parse.stdout is not None and parse.stderr is not None
        assert parse.stdout.read(1000)  # then the reader goes away, as `| head` does
        parse.stdout.close()
        err = parse.stderr.read()
        assert parse.wait(timeout=300) == 1
    assert b"Traceback" not in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_unwritable_output_is_a_clear_error(tmp_path: Path, workers: str) -> None:
    page = (EXAMPLES / "inter-milan-derby.txt").read_bytes()
    big = tmp_path / "big.txt"
    big.write_bytes(page * (BATCH_LINES // page.count(b"\n") * 2))
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*LIVETEXT, "parse", "--workers", workers, str(big)],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=300,
        )
    assert done.returncode == 1
    assert done.stderr.decode().strip() == (
        "livetext parse: cannot write the events: No space left on device"
    )


def test_without_room_for_spools_the_lines_are_parsed_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_room() -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_room)
    with (tmp_path / "out.jsonl").open("wb") as out:
        write_events_parallel(_example_lines(), out.fileno(), 3, 5)
    pinned = (GOLDEN / "inter-milan-derby.txt.jsonl").read_bytes()
    assert (tmp_path / "out.jsonl").read_bytes() == pinned


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_worker_whose_spool_cannot_grow_is_a_clear_error(tmp_path: Path) -> None:
    """A spool past what the workers may write (here a file size limit; a full TMPDIR
    alike): one line per worker naming the error, no traceback, exit status 1."""
    import resource

    page = (EXAMPLES / "inter-milan-derby.txt").read_bytes()
    big = tmp_path / "big.txt"
    big.write_bytes(page * (BATCH_LINES // page.count(b"\n") * 2))
    done = subprocess.run(
        [*LIVETEXT, "parse", "--workers", "2", str(big)],
        capture_output=True,
        timeout=300,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000)),
    )
    assert done.returncode == 1
    err = done.stderr.decode()
    assert re.search(r"^livetext parse: worker \d: File too large$", err, re.MULTILINE)
    assert "livetext parse: a parse worker stopped (exit status 1)" in err
    assert "Traceback" not in err


def test_a_failing_worker_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A worker that stops (here: the parser raising on one line of the second batch) is
    reported once the others are done, with the batches it left unwritten (the ones
    before it are written); no worker is left behind."""
    import events.parser

    real = events.parser.parse_fields
    lines = _example_lines()
    poisoned = lines[15]  # in batch 1 (of 10 lines)

    def parse_fields(text: str, *args: object, **kwargs: object) -> object:
        if text == split_clock(poisoned)[1]:
            raise RuntimeError("poisoned line")
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(events.parser, "parse_fields", parse_fields)
    count = -(-len(lines) // 10)
    with (tmp_path / "out.jsonl").open("wb") as out, pytest.raises(WorkerError) as stopped:
        write_events_parallel(lines, out.fileno(), 2, 10)
    assert str(stopped.value) == (
        f"a parse worker stopped (exit status 1) with {count - 1} of {count} batches unwritten"
    )
    written = (tmp_path / "out.jsonl").read_bytes()
    assert written == (GOLDEN / "inter-milan-derby.txt.jsonl").read_bytes()[: len(written)]
    assert written.count(b"\n") == 10  # batch 0, whole
    assert "RuntimeError: poisoned line" in capfd.readouterr().err
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every worker reaped


# ---- the output pinned: what ``livetext parse`` printed before it was made fast ------

GOLDEN = Path(__file__).with_name("parse_golden")
KAGGLE_DIGEST = GOLDEN / "kaggle-dev.sha256"
CLOCK_PREFIXES = ("", "45'+2' ", "67' ", "90+4 ", "12:30 ", "120' ")
"""Clocks led in front of the Kaggle lines in turn (none, stoppage, plain, seconds)."""


def _kaggle_input(path: Path) -> Path:
    """The Kaggle dev lines as one file, a clock in front of most of them."""
    texts = [row["text"] for row in kaggle.rows()]
    path.write_text(
        "".join(f"{CLOCK_PREFIXES[i % len(CLOCK_PREFIXES)]}{t}\n" for i, t in enumerate(texts)),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("path", sorted(EXAMPLES.iterdir()), ids=lambda p: p.name)
def test_output_bytes_are_pinned(path: Path) -> None:
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 0
    pinned = (GOLDEN / f"{path.name}.jsonl").read_bytes()
    assert result.stdout_bytes == pinned, _REGENERATE


@pytest.mark.skipif(not kaggle.DEV_CSV.exists(), reason="../shared data not beside the repo")
def test_kaggle_output_bytes_are_pinned(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(_kaggle_input(tmp_path / "dev.txt"))])
    assert result.exit_code == 0
    assert result.stdout_bytes.count(b"\n") == len(kaggle.rows())
    digest = hashlib.sha256(result.stdout_bytes).hexdigest()
    assert digest == KAGGLE_DIGEST.read_text(encoding="utf-8").strip(), _REGENERATE


_REGENERATE = (
    "livetext parse printed other bytes than the pinned ones; if the change is meant "
    "(a new template row, a new field), re-pin with `python -m tests.cli.test_parse_cmd`"
)


def _pin(tmp: Path) -> None:
    """Write the pinned outputs from the current code (after checking the change is meant)."""
    GOLDEN.mkdir(exist_ok=True)
    for path in sorted(EXAMPLES.iterdir()):
        result = runner.invoke(app, ["parse", str(path)])
        (GOLDEN / f"{path.name}.jsonl").write_bytes(result.stdout_bytes)
    if kaggle.DEV_CSV.exists():
        result = runner.invoke(app, ["parse", str(_kaggle_input(tmp / "dev.txt"))])
        KAGGLE_DIGEST.write_text(hashlib.sha256(result.stdout_bytes).hexdigest() + "\n")
    else:
        print(f"no {kaggle.DEV_CSV}: the Kaggle digest is left as it is", file=sys.stderr)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        _pin(Path(tmp))
