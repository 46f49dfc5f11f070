"""``livetext ingest --jobs N``: sources read in worker processes leave the store exactly as
one process leaves it, say the same, fail the same, and stop cleanly on Ctrl-C."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from events.models import dumps
from events.readers import read_source
from replay import parallel
from replay.cli import app
from replay.ingest import ready_source
from replay.parallel import Read, SourceOptions, WorkerError, reading, workers_for
from stream import open_store
from stream.amend import latest_versions

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures"
FEED = EXAMPLES / "feed-example.jsonl"
C10 = '"id": "c10", "text": "Federico Gatti (Juventus) is shown the yellow card for a bad foul.",'

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked processes")


def contents(store: Path) -> tuple[list[tuple[bytes, int, int]], dict[str, dict[str, Any]]]:
    """What a store holds: every event's JSON, seq and position, and each match's metadata."""
    opened = open_store(store, create=False)
    try:
        events = [(dumps(e), e.seq, e.position) for e in opened.read_all()]
        metas = {m.match_id: opened.get_meta(m.match_id) for m in opened.matches()}
    finally:
        opened.close()
    return events, metas


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Sources of every kind, in an order with all that can go wrong in it: a source that
    fails in the middle (and an empty one), one repeated, two sources of one match (plain
    lines of the same header), a feed amended by a later file (a card re-stamped, a line
    gone, twice in a row: withdrawn) and the first version coming back after it, stdin."""
    folder = tmp_path_factory.mktemp("sources")
    feed = FEED.read_text(encoding="utf-8")
    assert C10 in feed
    restamped = feed.replace(C10 + ' "clock": "58\'"', C10 + ' "clock": "59\'"')
    assert restamped != feed
    lines = restamped.splitlines(keepends=True)
    amended = folder / "feed-amended.jsonl"
    amended.write_text("".join(line for line in lines if '"id": "c4"' not in line))
    again = folder / "feed-amended-again.jsonl"
    again.write_text(amended.read_text())
    broken = folder / "broken.jsonl"
    broken.write_text(feed.splitlines()[0] + '\n{"text": "Kick-off", "clock": \n')
    empty = folder / "empty.txt"
    empty.write_text("")
    other_lines = folder / "same-match.txt"
    other_lines.write_text((EXAMPLES / "lines-example.txt").read_text() + "90' Match ends.\n")
    return [
        str(EXAMPLES / "inter-milan-derby.txt"),
        str(FEED),
        str(FIXTURES / "espn-760415.json"),
        str(broken),
        str(EXAMPLES / "lines-example.txt"),
        str(amended),
        "-",
        str(again),
        str(FIXTURES / "espn-760489.json"),
        str(FEED),
        str(empty),
        str(FIXTURES / "opta-760489.json"),
        str(FIXTURES / "espn-760415.json"),
        str(other_lines),
        str(EXAMPLES / "inter-milan-derby.txt"),
    ]


STDIN = (
    '{"match": {"id": "from-stdin", "home": "Inter Milan", "away": "Juventus"}}\n'
    '{"id": "s1", "text": "First Half begins.", "clock": null}\n'
    '{"id": "s2", "text": "Goal! Inter Milan 1, Juventus 0. Lautaro Mart\\u00ednez (Inter Milan)'
    ' right footed shot from the centre of the box to the bottom left corner.", "clock": "12\'"}\n'
)


def ingest(sources: list[str], store: Path, jobs: int) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, ["ingest", *sources, "--store", str(store), "--jobs", str(jobs)], input=STDIN
    )
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def in_one_process(
    sources: list[str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[tuple[int, str, str], Any]:
    store = tmp_path_factory.mktemp("one") / "s.sqlite"
    said = ingest(sources, store, 1)
    return said, contents(store)


@pytest.mark.parametrize("jobs", [2, 3, 8])
def test_workers_leave_the_store_byte_for_byte_as_one_process_does(
    jobs: int, sources: list[str], in_one_process: Any, tmp_path: Path
) -> None:
    (code, out, err), expected = in_one_process
    assert code == 2  # two sources failed, the others went in
    first, second = [line for line in err.splitlines() if line]  # (and the progress bar's end)
    assert first.startswith(f"livetext: {sources[3]}:2: ")
    assert second == f"livetext: {sources[10]}:1: empty file"
    assert "1 amended, 0 withdrawn" in out and "0 amended, 1 withdrawn" in out
    assert out.splitlines()[-1].endswith("2 sources failed")
    assert set(expected[1]) >= {"from-stdin", "760415", "760489", "inter-juventus-2024-02-04"}

    said = ingest(sources, tmp_path / "s.sqlite", jobs)
    assert said == (code, out, err)
    assert contents(tmp_path / "s.sqlite") == expected


def test_ingesting_again_in_workers_does_what_one_process_does_again(
    sources: list[str], tmp_path: Path
) -> None:
    """The sources ingested a second time, over what the first time stored (the feed's
    versions amend each other again), in workers: the same output and store as in one
    process."""
    once, twice = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    assert ingest(sources, once, 1) == ingest(sources, twice, 1)
    again = ingest(sources, once, 1)
    assert ingest(sources, twice, 3) == again
    assert "already in the store" in again[1]
    assert contents(twice) == contents(once)


def test_a_worker_sends_the_match_one_process_reads_made_ready_for_the_store(
    sources: list[str],
) -> None:
    """Each worker's read is the read of this process (same errors), its match made ready
    (``ready_source``: the rows, ids and JSON one process would append), and the events
    come back from those rows equal to the match's; the workers are gone after."""
    files = [s for s in sources if s != "-"]
    with reading(files, SourceOptions(), 1) as reads:
        here = list(reads)
    with reading(files, SourceOptions(), 3) as reads:
        there = list(reads)
    assert multiprocessing.active_children() == []
    assert [r.source for r in there] == files
    for mine, theirs in zip(here, there, strict=True):
        assert theirs.match is None
        assert mine.error == theirs.error
        if mine.match is None:
            assert theirs.ready is None
            continue
        assert theirs.ready == ready_source(mine.match)
        batch = theirs.ready.batch
        assert batch.duplicates == ()  # (a source's lines have ids of their own)
        appended = latest_versions(mine.match.events)
        assert [dumps(e) for e in batch.decoded(batch.rows)] == [dumps(e) for e in appended]


def _read_with_pid(source: str, options: SourceOptions) -> Read:
    return Read(f"{source}@{os.getpid()}", None)


def test_each_worker_reads_its_share_in_a_process_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seven sources, three workers: sources 0, 3, 6 read by one process, 1, 4 by
    another, 2, 5 by a third, none of them this one; stdin is read here."""
    monkeypatch.setattr(parallel, "read_one", _read_with_pid)
    names = ["a", "b", "-", "c", "d", "e", "f", "g"]
    with reading(names, SourceOptions(), 3) as reads:
        pids = {r.source.split("@")[0]: int(r.source.split("@")[1]) for r in reads}
    assert pids["-"] == os.getpid()
    del pids["-"]
    assert os.getpid() not in pids.values()
    assert pids["a"] == pids["d"] == pids["g"] and pids["b"] == pids["e"] and pids["c"] == pids["f"]
    assert len(set(pids.values())) == 3


# --- how many workers --------------------------------------------------------------------


def test_one_core_never_uses_workers_two_cores_use_two_for_many_sources() -> None:
    assert workers_for(5_000, None, available=1) == 1
    assert workers_for(5_000, None, available=2) == 2
    assert workers_for(parallel.MIN_SOURCES - 1, None, available=2) == 1


def test_more_cores_use_workers_for_many_sources_only() -> None:
    assert workers_for(parallel.MIN_SOURCES - 1, None, available=8) == 1
    assert workers_for(parallel.MIN_SOURCES, None, available=4) == 3
    assert workers_for(5_000, None, available=64) == parallel.MAX_WORKERS


def test_jobs_forces_workers_and_one_job_none() -> None:
    assert workers_for(3, 2, available=2) == 2
    assert workers_for(3, 8, available=2) == 3  # never more than the sources
    assert workers_for(5_000, 1, available=64) == 1


def test_jobs_zero_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["ingest", str(FEED), "--jobs", "0", "--store", str(tmp_path / "s")]
    )
    assert result.exit_code == 2
    assert not (tmp_path / "s").exists()


# --- a worker that fails -----------------------------------------------------------------


def _raise_on_opta(path: Any, *args: Any, **kwargs: Any) -> Any:
    if "opta" in str(path):
        raise ZeroDivisionError("a bug in a reader")
    return read_source(path, *args, **kwargs)


def _die_on_opta(path: Any, *args: Any, **kwargs: Any) -> Any:
    if "opta" in str(path):
        os._exit(9)
    return read_source(path, *args, **kwargs)


def test_a_bug_in_a_reader_is_raised_in_the_writer_as_in_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parallel, "read_source", _raise_on_opta)
    files = [str(FEED), str(FIXTURES / "opta-760489.json"), str(FIXTURES / "espn-760415.json")]
    for workers in (1, 2):
        with reading(files, SourceOptions(), workers) as reads:
            first = next(reads)
            assert first.match is not None or first.ready is not None
            with pytest.raises(ZeroDivisionError, match="a bug in a reader"):
                next(reads)
        assert multiprocessing.active_children() == []


def test_a_worker_that_dies_is_a_clear_error_and_the_store_keeps_what_came_before(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(parallel, "read_source", _die_on_opta)
    files = [str(FEED), str(FIXTURES / "espn-760415.json"), str(FIXTURES / "opta-760489.json")]
    with reading(files, SourceOptions(), 3) as reads:
        assert [r.ready is not None for r in (next(reads), next(reads))] == [True, True]
        with pytest.raises(
            WorkerError, match=r"before reading .*opta-760489.json \(exit status 9\)"
        ):
            next(reads)
    store = tmp_path / "s.sqlite"
    code, _, err = ingest(files, store, 3)
    assert code == 1 and "livetext: a worker stopped before reading" in err
    assert set(contents(store)[1]) == {"inter-juventus-2024-02-04", "760415"}
