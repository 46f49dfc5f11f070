"""Errors a user meets at the commands: each a clear message and a non-zero exit, never a
traceback, and the store left as it was."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import typer
from typer.testing import CliRunner

import events.readers
from replay.cli import app, verb_command
from replay.commands.common import check_format
from stream import open_store

from .conftest import LINES

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def _matches(store: Path) -> list[str]:
    s = open_store(store, create=False)
    try:
        return [m.match_id for m in s.matches()]
    finally:
        s.close()


# --- events --from-seq ----------------------------------------------------------------------


def test_from_seq_past_any_stream_is_a_usage_error(store_path: Path) -> None:
    code, out, err = _run(
        "events", "inter-milan-derby", "--from-seq", "9" * 23, "--store", str(store_path)
    )
    assert code == 2 and out == ""
    assert "--from-seq" in err


def test_from_seq_after_the_last_event_prints_nothing(store_path: Path) -> None:
    code, out, _ = _run(
        "events", "inter-milan-derby", "--json", "--from-seq", "31", "--store", str(store_path)
    )
    assert code == 0 and [orjson.loads(x)["seq"] for x in out.splitlines()] == [31]
    code, out, _ = _run(
        "events", "inter-milan-derby", "--from-seq", str(2**63 - 1), "--store", str(store_path)
    )
    assert code == 0 and out == ""


# --- match ids a page cannot serve ----------------------------------------------------------


@pytest.mark.parametrize("match_id", ["a/b", "  ", "", " padded", ".."])
def test_ingest_refuses_a_match_option_no_page_can_serve(match_id: str, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    code, _, err = _run("ingest", str(LINES), "--match", match_id, "--store", str(store))
    assert code == 2
    assert f"--match {match_id!r}" in err and "a match id cannot" in err
    assert not store.exists()


@pytest.mark.parametrize(
    ("header_id", "why"),
    [("../../etc", "cannot contain '/'"), ("  ", "cannot be blank"), ("x" * 201, "at most 200")],
)
def test_ingest_refuses_a_header_id_and_says_how_to_name_the_match(
    header_id: str, why: str, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.jsonl"
    header = {"match": {"id": header_id, "home": "A", "away": "B"}}
    feed.write_bytes(orjson.dumps(header) + b'\n{"text": "Foul by X (A).", "clock": "9\'"}\n')
    store = tmp_path / "s.sqlite"
    code, _, err = _run("ingest", str(feed), str(LINES), "--store", str(store))
    assert code == 2
    assert str(feed) in err and why in err and "--match" in err
    assert _matches(store) == ["inter-milan-juventus-2024-02-04"]  # the good source went in
    code, out, _ = _run("ingest", str(feed), "--match", "a-b", "--store", str(store))
    assert code == 0 and out.startswith("a-b: 1 events appended")


# --- state past the end ---------------------------------------------------------------------


def test_state_at_a_clock_after_a_finished_match_is_an_error(store_path: Path) -> None:
    code, out, err = _run("state", "inter-milan-derby", "--at", "130", "--store", str(store_path))
    assert code == 2 and out == ""
    assert "130' is past the match's last period" in err and "90+4'" in err
    code, out, _ = _run(
        "state", "inter-milan-derby", "--at", "90+4", "--json", "--store", str(store_path)
    )
    assert code == 0 and orjson.loads(out)["clock"]["label"] == "90+4'"


def test_state_at_a_later_period_of_a_match_going_on_answers(tmp_path: Path) -> None:
    lines = tmp_path / "live.txt"
    lines.write_text("# A v B\nFirst Half begins.\n9' Foul by X (A).\n", encoding="utf-8")
    store = tmp_path / "s.sqlite"
    assert _run("ingest", str(lines), "--match", "live", "--store", str(store))[0] == 0
    code, out, _ = _run("state", "live", "--at", "130", "--json", "--store", str(store))
    assert code == 0 and orjson.loads(out)["clock"]["label"] == "130'"


# --- --format names come from the readers ---------------------------------------------------


@pytest.mark.parametrize("verb", ["ingest", "replay", "plot", "publish"])
def test_format_help_names_every_format_of_the_readers(verb: str) -> None:
    (option,) = [p for p in verb_command(verb).params if "--format" in p.opts]
    names = events.readers.FORMATS
    assert option.help == f"Force {', '.join(names[:-1])} or {names[-1]}."


def test_a_format_the_readers_register_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events.readers, "FORMATS", ("page", "feed", "xml"))
    assert check_format("xml") == "xml"
    with pytest.raises(typer.BadParameter, match="page, feed, xml"):
        check_format("opta")


def test_an_unknown_format_lists_the_known_ones(tmp_path: Path) -> None:
    code, _, err = _run("ingest", str(LINES), "--format", "nosuch", "--store", str(tmp_path / "s"))
    assert code == 2
    said = " ".join(err.replace("│", " ").split())
    assert "'nosuch' is not one of page, feed, espn, opta, lines" in said
    assert not (tmp_path / "s").exists()


# --- ingest: a corrected file -------------------------------------------------------------


def test_ingesting_a_corrected_feed_amends_the_line_it_changed(tmp_path: Path) -> None:
    """The feed example ingested, then again with line c10 re-stamped at 59': one yellow
    card for Gatti at 59', no red, and the command says one line was amended."""
    store = tmp_path / "s.sqlite"
    feed = LINES.parent / "feed-example.jsonl"
    assert _run("ingest", str(feed), "--store", str(store))[0] == 0
    corrected = tmp_path / "feed.jsonl"
    corrected.write_text(
        feed.read_text(encoding="utf-8").replace(
            '"id": "c10", "text": "Federico Gatti (Juventus) is shown the yellow card for a bad foul.", "clock": "58\'"',
            '"id": "c10", "text": "Federico Gatti (Juventus) is shown the yellow card for a bad foul.", "clock": "59\'"',
        ),
        encoding="utf-8",
    )
    code, out, _ = _run("ingest", str(corrected), "--store", str(store))
    assert code == 0 and "1 amended, 0 withdrawn" in out
    code, out, _ = _run("state", "inter-juventus-2024-02-04", "--json", "--store", str(store))
    state = orjson.loads(out)
    gatti = [c for c in state["cards"] if "Gatti" in c["player"]["name"]]
    assert [(c["card"], c["clock"]["label"]) for c in gatti] == [("yellow", "59'")]
    assert state["stats"]["away"]["red_cards"] == 0
