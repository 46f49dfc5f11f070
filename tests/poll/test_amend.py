"""Amendments and withdrawals (``stream.amend``), in ``ingest`` and for any snapshot.

A line whose id is stored with another text or clock is retracted and appended again; a
line missing from two clean snapshots in a row is retracted; the projections honour both
(a re-stamped booking stays one booking, a withdrawn goal leaves the score).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from events.clock import MatchClock
from events.models import EventBase, Retraction
from events.readers import Match, SourceError, read_feed, read_source
from projections import replay, state_at
from projections.fold import retracted_ids
from replay.ingest import MatchAppends, ingest_match
from stream import MemoryStore
from stream.amend import WITHDRAW_AFTER, amend, retraction_id, version_id
from tests.poll.conftest import EXAMPLES, MATCH_ID, ROOT, WITHDRAWN_GOAL, body, feed_rows

FEED = EXAMPLES / "feed-example.jsonl"


def feed(lines: list[dict[str, Any]], header: dict[str, Any] | None = None) -> Match:
    text = body(header or feed_rows()[0], lines).decode()
    return read_feed(text)


def lines_with(**changes: dict[str, Any]) -> list[dict[str, Any]]:
    """The feed example's lines, those named changed (``c10={"clock": "59'"}``)."""
    _, lines = feed_rows()
    return [{**line, **changes.get(line["id"], {})} for line in lines]


def live(events: list[EventBase]) -> list[EventBase]:
    excluded = retracted_ids([e for e in events if isinstance(e, Retraction)])
    return [e for e in events if not isinstance(e, Retraction) and e.event_id not in excluded]


def home_goals(store: MemoryStore, at: str | None = None) -> int:
    clock = None if at is None else MatchClock.parse(at)
    home: int = state_at(store, MATCH_ID, clock).to_json()["score"]["home"]
    return home


def cards(store: MemoryStore) -> list[tuple[str, str, str]]:
    state = state_at(store, MATCH_ID).to_json()
    return [(c["player"]["name"], c["card"], c["clock"]["label"]) for c in state["cards"]]


def test_ingest_of_a_feed_re_sending_c10_at_59_keeps_one_yellow_card(tmp_path: Path) -> None:
    """As a user runs it: the feed example with line c10 re-sent at 59' at its end."""
    rows = FEED.read_bytes().rstrip(b"\n").split(b"\n")
    c10 = orjson.loads(rows[10])
    assert c10["id"] == "c10" and c10["clock"] == "58'"
    path = tmp_path / "resent.jsonl"
    path.write_bytes(b"\n".join([*rows, orjson.dumps({**c10, "clock": "59'"})]) + b"\n")
    store = tmp_path / "s.sqlite"
    cli = [sys.executable, "-c", "from replay.cli import main; main()"]
    done = subprocess.run(
        [*cli, "ingest", str(path), "--store", str(store)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    shown = subprocess.run(
        [*cli, "state", MATCH_ID, "--json", "--store", str(store)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    state = orjson.loads(shown.stdout)
    assert [(c["player"]["name"], c["card"], c["clock"]["label"]) for c in state["cards"]] == [
        ("Federico Gatti", "yellow", "59'")
    ]
    assert state["stats"]["away"]["yellow_cards"] == 1 and state["stats"]["away"]["red_cards"] == 0


def test_ingesting_an_amended_feed_retracts_the_old_booking_then_appends_the_new() -> None:
    store = MemoryStore()
    ingest_match(store, read_source(FEED))
    amended = feed(lines_with(c10={"clock": "59'"}))
    result = ingest_match(store, amended)
    old = next(e for e in store.read(MATCH_ID) if e.line_id == "c10")
    assert [(e.type, e.clock.label if e.clock else None) for e in result.recorded] == [
        ("retraction", "58'"),
        ("booking", "59'"),
    ]
    retraction = result.recorded[0]
    assert isinstance(retraction, Retraction) and retraction.retracts == old.event_id
    assert len(result.duplicates) == 17  # the other lines, already stored
    assert cards(store) == [("Federico Gatti", "yellow", "59'")]
    assert ingest_match(store, amended).appended == 0  # the same file again: nothing


def test_a_fresh_ingest_keeps_every_id_the_reader_gave() -> None:
    match = read_source(FEED)
    found = amend(match.match_id, [], match.events)
    assert [e.event_id for e in found.appends] == [e.event_id for e in match.events]
    assert found.new == len(match.events) and not found.amended and not found.withdrawn


def test_a_text_fix_at_the_same_clock_gets_a_version_id_of_its_own() -> None:
    store = MemoryStore()
    ingest_match(store, read_source(FEED))
    first = feed(lines_with(c11={"text": "Attempt saved. Nicolò Barella (Inter Milan) header."}))
    reader_id = next(e.event_id for e in first.events if e.line_id == "c11")
    result = ingest_match(store, first)
    new = result.recorded[-1]
    assert new.event_id == version_id(MATCH_ID, reader_id, 1) != reader_id
    assert result.recorded[0].event_id == retraction_id(MATCH_ID, reader_id)
    second = feed(
        lines_with(c11={"text": "Attempt saved. Nicolò Barella (Inter Milan) left footed."})
    )
    assert ingest_match(store, second).recorded[-1].event_id == version_id(MATCH_ID, reader_id, 2)
    # Worked out again against the same stream, the same snapshot appends nothing.
    assert amend(MATCH_ID, store.read(MATCH_ID), second.events).appends == ()
    assert [e.line_id for e in live(store.read(MATCH_ID))].count("c11") == 1


def test_a_line_is_withdrawn_after_two_clean_snapshots_without_it() -> None:
    with_goal = feed([*lines_with()[:12], WITHDRAWN_GOAL, *lines_with()[12:]])
    without = read_source(FEED)
    stored = list(with_goal.events)
    once = amend(MATCH_ID, stored, without.events)
    assert once.appends == () and list(once.missing.values()) == [1]
    back = amend(MATCH_ID, stored, with_goal.events, once.missing)
    assert back.appends == () and back.missing == {}  # back in time: nothing happened
    twice = amend(MATCH_ID, stored, without.events, once.missing)
    assert WITHDRAW_AFTER == 2 and twice.withdrawn == 1 and twice.missing == {}
    (retraction,) = twice.appends
    assert isinstance(retraction, Retraction) and retraction.reason == "withdrawn"
    assert retraction.text == WITHDRAWN_GOAL["text"]


def test_a_withdrawn_goal_leaves_the_score_at_every_minute() -> None:
    store = MemoryStore()
    with_goal = feed([*lines_with()[:12], WITHDRAWN_GOAL, *lines_with()[12:13]])
    appends = MatchAppends(store)
    list(store.append_each([appends.append_for(with_goal, None)]))
    assert home_goals(store) == 2
    without = feed(lines_with()[:14])
    for _ in range(2):
        list(store.append_each([appends.append_for(without, None)]))
    for at in ("80", "85", "90+4"):
        assert home_goals(store, at) == 1


def test_a_withdrawn_line_that_comes_back_counts_once() -> None:
    with_goal = feed([*lines_with()[:12], WITHDRAWN_GOAL, *lines_with()[12:13]])
    without = feed(lines_with()[:13])
    store = MemoryStore()
    appends = MatchAppends(store)
    for snapshot in (with_goal, without, without, with_goal):
        list(store.append_each([appends.append_for(snapshot, None)]))
    events = store.read(MATCH_ID)
    goals = [e for e in live(events) if e.line_id == "g1"]
    assert len(goals) == 1 and goals[0].event_id == version_id(
        MATCH_ID, next(e.event_id for e in with_goal.events if e.line_id == "g1"), 1
    )
    assert home_goals(store) == 2


def test_an_empty_snapshot_is_not_a_clean_read() -> None:
    match = read_source(FEED)
    found = amend(MATCH_ID, list(match.events), [], {"x": 1})
    assert not found.clean and found.appends == () and found.missing == {"x": 1}


def test_lines_without_ids_are_never_withdrawn() -> None:
    """A source without line ids (a page showing only its latest entries, plain lines) may
    lack a line for other reasons than a withdrawal, and lines another writer appended are
    not its to take back: the stream keeps them."""
    corner = "Corner, Inter Milan. Conceded by Gleison Bremer."
    header = {"match": {"id": MATCH_ID, "home": "Inter Milan", "away": "Juventus"}}
    two = feed([{"text": corner, "clock": "34'"}] * 2, header)
    one = feed([{"text": corner, "clock": "34'"}], header)
    stored = list(two.events)
    first = amend(MATCH_ID, stored, one.events)
    second = amend(MATCH_ID, stored, one.events, first.missing)
    assert (first.withdrawn, second.withdrawn, second.appends, second.missing) == (0, 0, (), {})
    state = replay(stored, meta=two.sheet).to_json()
    assert state["stats"]["home"]["corners"] == 2


# --- any history of snapshots ---------------------------------------------------------------

_, BASE = feed_rows()
TEXTS = [line["text"] for line in BASE]


@st.composite
def snapshots(draw: st.DrawFn) -> list[list[dict[str, Any]]]:
    """A few snapshots of the feed example: lines dropped, re-stamped, re-worded."""
    out = []
    for _ in range(draw(st.integers(1, 5))):
        snapshot = []
        for line in BASE:
            if draw(st.integers(0, 9)) == 0:
                continue
            change = draw(st.integers(0, 9))
            if change == 0:
                line = {**line, "clock": f"{draw(st.integers(1, 90))}'"}
            elif change == 1:
                line = {**line, "text": draw(st.sampled_from(TEXTS))}
            snapshot.append(line)
        out.append(snapshot)
    return out


def shown(match: Match) -> list[tuple[str | None, str, str | None]]:
    return sorted(
        (e.line_id, e.text, None if e.clock_inferred or e.clock is None else e.clock.label)
        for e in match.events
    )


@settings(max_examples=60, deadline=None)
@given(snapshots())
def test_after_any_history_the_stream_holds_the_last_snapshot_and_nothing_twice(
    history: list[list[dict[str, Any]]],
) -> None:
    """Each snapshot served ``WITHDRAW_AFTER`` times: the lines in force are then exactly
    the snapshot's; served once more, it appends nothing.  An empty snapshot is never a
    clean read: it changes nothing."""
    store = MemoryStore()
    appends = MatchAppends(store)
    for lines in history:
        try:
            match = feed(lines)
        except SourceError:  # re-stamped to run backwards: refused, it reaches no store
            continue
        if not match.events:
            before = store.read(MATCH_ID)
            list(store.append_each([appends.append_for(match, None)]))
            assert store.read(MATCH_ID) == before
            continue
        for _ in range(WITHDRAW_AFTER):
            list(store.append_each([appends.append_for(match, None)]))
        events = store.read(MATCH_ID)
        in_force = sorted(
            (e.line_id, e.text, None if e.clock_inferred or e.clock is None else e.clock.label)
            for e in live(events)
        )
        assert in_force == shown(match)
        again = amend(MATCH_ID, events, match.events, appends.amendments[MATCH_ID].missing)
        assert again.appends == () and again.missing == {}
        assert len({e.event_id for e in events}) == len(events)


def test_two_versions_of_a_feed_in_one_ingest_are_compared_in_turn(tmp_path: Path) -> None:
    """``livetext ingest old.jsonl new.jsonl``: the second is worked out (in the calling
    thread) while the first is being written, against what the first appends."""
    from stream import SqliteStore

    store = SqliteStore(tmp_path / "s.sqlite")
    appends = MatchAppends(store)
    sources = [read_source(FEED), feed(lines_with(c10={"clock": "59'"}))]
    results = [r for _, (r,) in store.append_each(appends.append_for(m, None) for m in sources)]
    assert [r.appended for r in results] == [18, 2]
    assert cards(store) == [("Federico Gatti", "yellow", "59'")]  # type: ignore[arg-type]
