"""``read_source``: format detection and every way a file can be unreadable."""

from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path

import pytest

from events.readers import MAX_LINE_BYTES, SourceError, detect_format, read_source
from tests.sources.conftest import EXAMPLES


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("inter-milan-derby.txt", "page"),
        ("feed-example.jsonl", "feed"),
        ("lines-example.txt", "lines"),
    ],
)
def test_detects_each_example(name: str, fmt: str) -> None:
    assert detect_format((EXAMPLES / name).read_text(encoding="utf-8")) == fmt
    assert read_source(EXAMPLES / name).format == fmt


def test_header_words_alone_do_not_make_a_page() -> None:
    assert detect_format("45' Half time\nFirst Half ends, A 0, B 0.\n") == "lines"
    assert detect_format("get involved\nGreat game\n") == "page"


def test_forced_format(tmp_path: Path) -> None:
    path = tmp_path / "page-as-lines.txt"
    path.write_text("Post update\nFoul by A (X).\n", encoding="utf-8")
    assert read_source(path).format == "page"
    forced = read_source(path, "lines")
    assert [e.text for e in forced.events] == ["Post update", "Foul by A (X)."]
    with pytest.raises(SourceError, match=r"page-as-lines.txt:1: not a JSON object"):
        read_source(path, "feed")


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (EXAMPLES / "lines-example.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    match = read_source("-", match_id="given")
    assert (match.source, match.match_id) == ("<stdin>", "given")
    assert {e.match_id for e in match.events} == {"given"}


def test_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("\ufeff12' Foul by A (X).\r\n13' Foul by B (Y).\r\n".encode())
    assert [e.text for e in read_source(path).events] == ["Foul by A (X).", "Foul by B (Y)."]


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", 1, "empty file"),
        (b"  \n\n", 1, "empty file"),
        (b"Foul by A (X).\n\x89PNG\x00\x01", 2, "binary"),
        ("Foul by A (X).\nFoul by Nicolò (X).\n".encode("latin-1"), 2, "not UTF-8"),
        (b"Foul by A (X).\n" + b"x" * (MAX_LINE_BYTES + 1) + b"\n", 2, "a line of"),
        (b'{"text": "Foul by A (X)."}\n{"text": \n', 2, "not a JSON object"),
        (b'[{"text": "Foul by A (X)."}]\n', 1, "a JSON array"),
        (b'Foul by A (X).\nLive Text\n{"text": "x"}\n', 3, "mixes"),
        (b"\n# shopping\neggs\nmilk\n", 3, "not a page, a feed or commentary"),
    ],
)
def test_unreadable_files(tmp_path: Path, data: bytes, line: int, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(SourceError) as err:
        read_source(path)
    assert str(err.value).startswith(f"{path}:{line}: ")
    assert message in err.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"nope.txt:0: No such file"):
        read_source(tmp_path / "nope.txt")


@pytest.mark.parametrize(
    ("name", "count", "first", "digest"),
    [
        ("inter-milan-derby.txt", 31, "f62775487d42b65343b2", "9d4407cfc820d628"),
        ("feed-example.jsonl", 18, "21f6e9741c56462eb803", "7a97b6b91219a1b0"),
        ("lines-example.txt", 17, "00a7f2fecc5e81fd75e4", "3f1ae448e69ca0b3"),
    ],
)
def test_event_ids_stay_what_stores_already_hold(
    name: str, count: int, first: str, digest: str
) -> None:
    """The ids the examples got when stores first held them: an id that changed would make
    the same source append again into an existing store."""
    ids = [e.event_id for e in read_source(EXAMPLES / name).events]
    assert (len(ids), ids[0]) == (count, first)
    assert hashlib.sha256(" ".join(ids).encode()).hexdigest()[:16] == digest
