"""``read_source``: format detection and every way a file can be unreadable."""

from __future__ import annotations

import hashlib
import io
import os
import sys
from pathlib import Path

import orjson
import pytest

from events.readers import (
    FORMATS,
    MAX_LINE_BYTES,
    MAX_SOURCE_BYTES,
    SourceError,
    detect_format,
    read_data,
    read_source,
)
from events.readers.source import _read_at_most
from tests.sources.conftest import ESPN_PLAIN, ESPN_SHOOTOUT, EXAMPLES, OPTA_SHOOTOUT


def test_every_format_is_registered() -> None:
    assert set(FORMATS) == {"page", "feed", "lines", "espn", "opta"}


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        (EXAMPLES / "inter-milan-derby.txt", "page"),
        (EXAMPLES / "feed-example.jsonl", "feed"),
        (EXAMPLES / "lines-example.txt", "lines"),
        (ESPN_PLAIN, "espn"),
        (ESPN_SHOOTOUT, "espn"),
        (OPTA_SHOOTOUT, "opta"),
    ],
)
def test_detects_each_example(path: Path, fmt: str) -> None:
    assert detect_format(path.read_text(encoding="utf-8")) == fmt
    assert read_source(path).format == fmt


@pytest.mark.parametrize(
    "path", [EXAMPLES / "inter-milan-derby.txt", EXAMPLES / "feed-example.jsonl", ESPN_PLAIN]
)
def test_bytes_in_memory_read_as_the_file(path: Path) -> None:
    assert read_data(path.read_bytes(), str(path)) == read_source(path)


def test_pretty_printed_provider_json(tmp_path: Path) -> None:
    path = tmp_path / "summary.json"
    path.write_bytes(
        orjson.dumps(orjson.loads(ESPN_PLAIN.read_bytes()), option=orjson.OPT_INDENT_2)
    )
    assert read_source(path).events == read_source(ESPN_PLAIN).events


def test_unknown_format_names_the_formats() -> None:
    with pytest.raises(SourceError, match=r"^x:0: no format 'xml' \(formats: page, feed"):
        read_data(b"Foul by A (X).\n", "x", "xml")


def test_a_source_over_the_size_limit() -> None:
    with pytest.raises(SourceError, match=r"^big.json:0: .* more than a source may hold \(50 MB\)"):
        read_data(b" " * MAX_SOURCE_BYTES + b"{}", "big.json")


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
        (b'{"foo": 1}', 1, "JSON of none of the known shapes (tried a feed"),
        (b'{\n "header": {"id": 1,\n', 3, "not valid JSON"),
        (b'{"header": {"id": "1", "competitions": 3}}', 1, '"header.competitions" must be a list'),
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


def test_json_of_no_known_shape_names_the_shapes(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b'{"events": []}')
    with pytest.raises(SourceError) as err:
        read_source(path)
    assert "an ESPN summary" in err.value.message and "an Opta commentary" in err.value.message


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


@pytest.mark.parametrize(
    "data",
    [b"9' Foul by X (A).\n", (EXAMPLES / "inter-milan-derby.txt").read_bytes()],
)
def test_stdin_without_a_match_id_asks_for_one(
    monkeypatch: pytest.MonkeyPatch, data: bytes
) -> None:
    """Issue 15, defect 8: no id in the input, nor teams and kickoff, and no file name."""
    _stdin(monkeypatch, data)
    with pytest.raises(SourceError, match=r"^<stdin>:1: no match id: .*give --match"):
        read_source("-")


def test_stdin_and_file_give_the_same_id(monkeypatch: pytest.MonkeyPatch) -> None:
    """A source naming both teams and the kickoff gets its id from them, wherever it is read."""
    path = EXAMPLES / "lines-example.txt"
    _stdin(monkeypatch, path.read_bytes())
    piped = read_source("-")
    assert piped.match_id == read_source(path).match_id == "inter-milan-juventus-2024-02-04"
    _stdin(monkeypatch, ESPN_PLAIN.read_bytes())
    assert read_source("-").match_id == "760415"


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


@pytest.mark.parametrize("limit", [1, 9, 10, 11, 64])
def test_reading_stops_one_byte_past_the_limit(tmp_path: Path, limit: int) -> None:
    """A file, a pipe (no size) and a stream with no file behind it read alike: at most
    ``limit`` bytes, all of them when the source is shorter."""
    data = b"0123456789"
    path = tmp_path / "ten.txt"
    path.write_bytes(data)
    with path.open("rb") as f:
        assert _read_at_most(f, limit) == data[:limit]
    read_end, write_end = os.pipe()
    os.write(write_end, data)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        assert _read_at_most(pipe, limit) == data[:limit]
    assert _read_at_most(io.BytesIO(data), limit) == data[:limit]
