"""The behaviour every event store owes: one suite, subclassed once per backend.

A backend's test module subclasses :class:`StoreContract` and implements ``create_store``
(and ``open_again`` when a second handle on the same store is a different object).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from events.clock import MatchClock
from events.identity import event_id
from events.models import (
    Booking,
    EventBase,
    Goal,
    PeriodEnd,
    Retraction,
    Score,
    Unrecognised,
    VarDecision,
)
from stream.store import Append, Batch, ConcurrencyError, EventStore

TIMEOUT = 10.0  # seconds before an async test gives up instead of hanging the suite


def clock(text: str) -> MatchClock:
    return MatchClock.parse(text)


def line(text: str, at: str | None = None, event_id: str = "") -> EventBase:
    """An unrecognised line: the envelope alone, which is all the store looks at."""
    return Unrecognised(text=text, clock=None if at is None else clock(at), event_id=event_id)


def lines(n: int, prefix: str = "line", at: str | None = None) -> list[EventBase]:
    return [line(f"{prefix} {i}", at) for i in range(n)]


def texts(events: list[EventBase]) -> list[str]:
    return [e.text for e in events]


def race(*writers: Callable[[], object]) -> list[str]:
    """Run the writers at once in threads; each one's outcome: "ok" or "conflict"."""
    barrier = threading.Barrier(len(writers))
    outcome = ["unfinished"] * len(writers)

    def run(i: int) -> None:
        barrier.wait()
        try:
            writers[i]()
            outcome[i] = "ok"
        except ConcurrencyError:
            outcome[i] = "conflict"

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(writers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    return outcome


async def take(events: AsyncIterator[EventBase], n: int) -> list[EventBase]:
    out: list[EventBase] = []
    async for event in events:
        out.append(event)
        if len(out) == n:
            break
    return out


class StoreContract:
    """Tests that hold for every backend."""

    def create_store(self, tmp_path: Path) -> EventStore:
        raise NotImplementedError

    def open_again(self, store: EventStore, tmp_path: Path) -> EventStore:
        """A second handle on the same store (another connection, where there is one)."""
        return store

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[EventStore]:
        store = self.create_store(tmp_path)
        yield store
        store.close()

    # --- numbering ------------------------------------------------------------------------

    def test_seq_counts_from_one_per_match(self, store: EventStore) -> None:
        """Seqs run 1.. within a match and continue across appends."""
        first = store.append("m", lines(3))
        second = store.append("m", lines(2, "more"))
        assert [e.seq for e in first.recorded + second.recorded] == [1, 2, 3, 4, 5]
        assert {e.match_id for e in store.read("m")} == {"m"}
        assert (first.last_seq, second.last_seq, store.last_seq("m")) == (3, 5, 5)
        assert store.last_seq("nobody") == 0

    def test_recorded_events_are_copies_and_read_back_equal(self, store: EventStore) -> None:
        """Appending numbers copies; the inputs stay unnumbered; reading gives the copies."""
        goal = Goal(
            text="Goal! Inter 1, Milan 0. Lautaro Martinez (Inter) header.",
            clock=clock("45+2'"),
            team="Inter",
            player="Lautaro Martinez",
            body_part="head",
            score=Score(home=1, away=0),
        )
        inputs = [goal, line("Corner, Milan.", "46")]
        result = store.append("m", inputs)
        assert [e.seq for e in inputs] == [0, 0] and inputs[0].event_id == ""
        assert result.recorded[0].model_dump() == {
            **goal.model_dump(),
            "match_id": "m",
            "seq": 1,
            "position": 1,
            "event_id": result.recorded[0].event_id,
        }
        assert store.read("m") == list(result.recorded)
        assert isinstance(store.read("m")[0], Goal)

    def test_positions_are_global_across_matches(self, store: EventStore) -> None:
        """Positions run 1.. over all matches in append order; read_all follows them."""
        store.append("a", lines(2, "a"))
        store.append("b", lines(1, "b"))
        store.append("a", lines(2, "a again"))
        everything = store.read_all()
        assert [e.position for e in everything] == [1, 2, 3, 4, 5]
        assert [(e.match_id, e.seq) for e in everything] == [
            ("a", 1),
            ("a", 2),
            ("b", 1),
            ("a", 3),
            ("a", 4),
        ]
        assert [e.position for e in store.read_all(from_position=4)] == [4, 5]
        assert [e.position for e in store.read_all(from_position=2, limit=2)] == [2, 3]
        assert store.read_all(from_position=6) == []

    def test_bad_starting_points_are_refused(self, store: EventStore) -> None:
        with pytest.raises(ValueError, match="from_seq"):
            store.read("m", from_seq=0)
        with pytest.raises(ValueError, match="from_position"):
            store.read_all(from_position=0)

    # --- identity and idempotency ---------------------------------------------------------

    def test_missing_ids_are_the_stable_ids(self, store: EventStore) -> None:
        """An event without an id gets events.identity.event_id(match, text, clock, occurrence)."""
        result = store.append("m", [line("Corner,  Inter.", "34"), line("Foul by X (Inter).")])
        assert [e.event_id for e in result.recorded] == [
            event_id("m", "Corner, Inter.", clock("34"), 0),
            event_id("m", "Foul by X (Inter).", None, 0),
        ]

    def test_given_ids_are_kept(self, store: EventStore) -> None:
        result = store.append("m", [line("x", event_id="source-17")])
        assert result.recorded[0].event_id == "source-17"

    def test_reappending_is_a_no_op(self, store: EventStore) -> None:
        """The same events again (recorded copies or inputs with ids) append nothing."""
        first = store.append("m", [line("a", "1"), line("b", "2", event_id="feed-2")])
        again = store.append("m", list(first.recorded))
        assert again.recorded == () and len(again.duplicates) == 2
        assert again.last_seq == 2
        inputs = store.append("m", [line("b", "2", event_id="feed-2"), line("c", "3")])
        assert [e.text for e in inputs.recorded] == ["c"]
        assert [e.event_id for e in inputs.duplicates] == ["feed-2"]
        assert texts(store.read("m")) == ["a", "b", "c"]

    def test_same_id_twice_in_one_batch_is_recorded_once(self, store: EventStore) -> None:
        result = store.append("m", [line("a", event_id="x"), line("a again", event_id="x")])
        assert texts(list(result.recorded)) == ["a"]
        assert texts(list(result.duplicates)) == ["a again"]
        assert store.last_seq("m") == 1

    def test_identical_lines_in_one_minute_are_both_kept(self, store: EventStore) -> None:
        """Two genuinely identical lines of one minute differ by occurrence, in one batch or
        appended one after the other (the stream's own lines count)."""
        batch = store.append("m", [line("Corner, Inter.", "34"), line("corner,  inter.", "34")])
        live = store.append("m", [line("Corner, Inter.", "34")])
        ids = [e.event_id for e in batch.recorded + live.recorded]
        assert ids == [event_id("m", "Corner, Inter.", clock("34"), n) for n in range(3)]
        assert store.last_seq("m") == 3
        # Another minute, another match: occurrences start afresh.
        other = store.append("m", [line("Corner, Inter.", "35")])
        assert other.recorded[0].event_id == event_id("m", "Corner, Inter.", clock("35"), 0)
        elsewhere = store.append("n", [line("Corner, Inter.", "34")])
        assert elsewhere.recorded[0].event_id == event_id("n", "Corner, Inter.", clock("34"), 0)

    def test_event_of_another_match_is_refused(self, store: EventStore) -> None:
        stray = line("x").model_copy(update={"match_id": "other"})
        with pytest.raises(ValueError, match="'other'"):
            store.append("m", [line("fine"), stray])
        assert store.last_seq("m") == 0 and store.read_all() == []

    # --- optimistic concurrency -----------------------------------------------------------

    def test_expected_seq_guards_the_append(self, store: EventStore) -> None:
        """0 opens a stream, the last seq continues it; a stale one raises and writes nothing."""
        store.append("m", lines(2), expected_seq=0)
        store.append("m", lines(1, "next"), expected_seq=2)
        with pytest.raises(ConcurrencyError) as caught:
            store.append("m", lines(5, "late"), expected_seq=2)
        error = caught.value
        assert (error.match_id, error.expected, error.actual) == ("m", 2, 3)
        assert "'m'" in str(error) and "seq 2" in str(error) and "seq 3" in str(error)
        assert store.last_seq("m") == 3 and len(store.read_all()) == 3
        with pytest.raises(ConcurrencyError):
            store.append("new", lines(1), expected_seq=4)

    def test_expected_seq_is_checked_even_for_duplicates(self, store: EventStore) -> None:
        first = store.append("m", lines(2))
        with pytest.raises(ConcurrencyError):
            store.append("m", list(first.recorded), expected_seq=1)

    def test_append_many_is_all_or_nothing(self, store: EventStore) -> None:
        """One stale batch and none of the others is written."""
        store.append("b", lines(1))
        with pytest.raises(ConcurrencyError):
            store.append_many([Batch("a", lines(2)), Batch("b", lines(2, "b"), expected_seq=0)])
        assert texts(store.read_all()) == ["line 0"]
        assert store.last_seq("a") == 0
        results = store.append_many(
            [Batch("a", lines(2)), Batch("b", lines(1, "b"), 1), Batch("a", lines(1, "a"), 2)]
        )
        assert [r.last_seq for r in results] == [2, 2, 3]
        assert [(e.match_id, e.position) for e in store.read_all()] == [
            ("b", 1),
            ("a", 2),
            ("a", 3),
            ("b", 4),
            ("a", 5),
        ]
        assert [e.seq for e in store.read("a")] == [1, 2, 3]

    @pytest.mark.parametrize("group_rows", [0, 3])
    def test_append_each_appends_in_turn_with_metadata(
        self, store: EventStore, group_rows: int
    ) -> None:
        """``append_each``: each append's events and metadata, in order, results with their
        tags; again, the sources append nothing new.  The same when appends are committed
        in groups (``group_rows``)."""
        store.append("b", lines(1, "old"))

        def appends() -> Iterator[Append[str]]:
            yield Append("first", [Batch("a", lines(2), None, True)], {"a": {"home": "A"}})
            yield Append("second", [Batch("b", lines(1, "b"), None, True), Batch("c", [])])
            yield Append("third", [], {"c": {"away": "C"}, "a": {"away": "Z"}})

        out = list(store.append_each(appends(), group_rows=group_rows))
        assert [(tag, [(r.match_id, r.appended, r.last_seq) for r in rs]) for tag, rs in out] == [
            ("first", [("a", 2, 2)]),
            ("second", [("b", 1, 2), ("c", 0, 0)]),
            ("third", []),
        ]
        assert [(e.match_id, e.seq, e.position) for e in store.read_all()] == [
            ("b", 1, 1),
            ("a", 1, 2),
            ("a", 2, 3),
            ("b", 2, 4),
        ]
        assert out[0][1][0].recorded == tuple(store.read("a"))
        assert store.get_meta("a") == {"home": "A", "away": "Z"}
        assert store.get_meta("c") == {"away": "C"}
        again = list(store.append_each(appends(), group_rows=group_rows))
        assert [r.appended for _, rs in again for r in rs] == [0, 0, 0]
        assert [len(r.duplicates) for _, rs in again for r in rs] == [2, 1, 0]
        assert len(store.read_all()) == 4

    @pytest.mark.parametrize("group_rows", [0, 1000])
    def test_append_each_stops_at_an_error(self, store: EventStore, group_rows: int) -> None:
        """A stale ``expected_seq`` stops it there: the appends before it are kept, it and
        the ones after are not made, also when they would have shared a commit."""

        def appends() -> Iterator[Append[str]]:
            yield Append("ok", [Batch("a", lines(2))])
            yield Append("stale", [Batch("a", lines(1, "late"), expected_seq=0)])
            yield Append("after", [Batch("b", lines(1))])

        seen = []
        with pytest.raises(ConcurrencyError):
            for tag, _ in store.append_each(appends(), group_rows=group_rows):
                seen.append(tag)
        assert seen == ["ok"]
        assert texts(store.read_all()) == ["line 0", "line 1"]
        assert store.last_seq("b") == 0

    @pytest.mark.parametrize("group_rows", [0, 1000])
    def test_append_each_keeps_what_came_before_a_failing_source(
        self, store: EventStore, group_rows: int
    ) -> None:
        """The appends' iterator raising (a source that cannot be read, a worker gone):
        the appends before it are kept and given, then the error, also when they would
        have shared a commit."""

        def appends() -> Iterator[Append[str]]:
            yield Append("one", [Batch("a", lines(2))])
            yield Append("two", [Batch("b", lines(1))])
            raise OSError("the next source is gone")

        seen = []
        with pytest.raises(OSError, match="gone"):
            for tag, _ in store.append_each(appends(), group_rows=group_rows):
                seen.append(tag)
        assert seen == ["one", "two"]
        assert (store.last_seq("a"), store.last_seq("b")) == (2, 1)

    def test_racing_writers_one_wins_whole(self, store: EventStore, tmp_path: Path) -> None:
        """Two writers that read the same last seq: one batch lands whole, the other is refused."""
        other = self.open_again(store, tmp_path)
        try:
            for round_ in range(5):
                base = store.last_seq("m")
                outcome = race(
                    partial(store.append, "m", lines(30, f"x{round_}"), base),
                    partial(other.append, "m", lines(30, f"y{round_}"), base),
                )
                assert sorted(outcome) == ["conflict", "ok"]
                winner = "x" if outcome[0] == "ok" else "y"
                batch = store.read("m", from_seq=base + 1)
                assert texts(batch) == [f"{winner}{round_} {i}" for i in range(30)]
                assert [e.seq for e in batch] == list(range(base + 1, base + 31))
        finally:
            if other is not store:
                other.close()

    # --- reading --------------------------------------------------------------------------

    def test_read_from_seq(self, store: EventStore) -> None:
        store.append("m", lines(5))
        assert [e.seq for e in store.read("m", from_seq=4)] == [4, 5]
        assert store.read("m", from_seq=6) == []
        assert store.read("unknown") == []

    def test_read_to_clock_is_inclusive_and_orders_by_seq(self, store: EventStore) -> None:
        """Clocked events by their clock; unclocked ones when before the first event past it."""
        store.append(
            "m",
            [
                line("kick-off", "1"),
                line("no clock, early"),
                line("44", "44"),
                line("45+2", "45+2"),
                line("half-time, no clock"),
                line("46", "46"),
                line("no clock, late"),
                line("booking from the line-ups", "45+1"),
            ],
        )
        assert texts(store.read("m", to_clock=clock("45+2"))) == [
            "kick-off",
            "no clock, early",
            "44",
            "45+2",
            "half-time, no clock",
            "booking from the line-ups",
        ]
        assert texts(store.read("m", to_clock=clock("45"))) == [
            "kick-off",
            "no clock, early",
            "44",
        ]
        everything = store.read("m", to_clock=clock("90+5"))
        assert [e.seq for e in everything] == list(range(1, 9))
        # from_seq only cuts the front of the same selection.
        assert texts(store.read("m", from_seq=3, to_clock=clock("45+2"))) == [
            "44",
            "45+2",
            "half-time, no clock",
            "booking from the line-ups",
        ]

    def test_read_to_clock_compares_seconds(self, store: EventStore) -> None:
        """A clock with seconds is a point in the minute; the minute's end takes it all."""
        store.append("m", [line("67", "67"), line("67:30", "67:30"), line("68", "68")])
        assert texts(store.read("m", to_clock=clock("67"))) == ["67"]
        assert texts(store.read("m", to_clock=clock("67").minute_end())) == ["67", "67:30"]

    def test_read_to_clock_without_clocks_keeps_everything(self, store: EventStore) -> None:
        store.append("m", [line("a"), line("b")])
        assert texts(store.read("m", to_clock=clock("1"))) == ["a", "b"]

    # --- corrections ----------------------------------------------------------------------

    def test_corrections_are_new_events(self, store: EventStore) -> None:
        """A VAR overturn and a retraction append; the goal they correct stays as it was."""
        goal = store.append(
            "m", [Goal(text="Goal! A 1, B 0.", clock=clock("30"), score=Score(home=1, away=0))]
        ).recorded[0]
        store.append(
            "m",
            [
                VarDecision(text="VAR: no goal.", clock=clock("31"), decision="goal_overturned"),
                Retraction(text="Post retracted.", retracts=goal.event_id, reason="wrong goal"),
            ],
        )
        stream = store.read("m")
        assert stream[0] == goal
        assert [e.type for e in stream] == ["goal", "var_decision", "retraction"]
        retraction = stream[2]
        assert isinstance(retraction, Retraction) and retraction.retracts == goal.event_id

    # --- matches and metadata -------------------------------------------------------------

    def test_matches_lists_teams_counts_and_latest_clock(self, store: EventStore) -> None:
        store.set_match_info("inter-milan", "Inter", "Milan", kickoff="2024-02-04T20:45")
        store.append(
            "inter-milan",
            [
                line("second half", "50"),
                Booking(text="Booked.", clock=clock("45+3"), card="yellow", source="lineups"),
                PeriodEnd(text="Match ends.", period=2, score=Score(home=1, away=0)),
            ],
        )
        store.append("b", [line("no clock")])
        store.put_meta("teams-only", {"home": "Torino", "away": "Inter"})
        info = {m.match_id: m for m in store.matches()}
        assert list(info) == ["b", "inter-milan", "teams-only"]
        im = info["inter-milan"]
        assert (im.home, im.away, im.event_count, im.last_clock) == (
            "Inter",
            "Milan",
            3,
            clock("50"),
        )
        assert (info["b"].home, info["b"].event_count, info["b"].last_clock) == (None, 1, None)
        assert (info["teams-only"].event_count, info["teams-only"].away) == (0, "Inter")

    def test_metadata_round_trips_and_merges(self, store: EventStore) -> None:
        sheet = {
            "home": {"formation": "3-5-2", "starting": [{"name": "Sommer", "number": 1}]},
            "away": {"formation": None, "starting": [], "bench": []},
        }
        assert store.get_meta("m") == {}
        store.put_meta("m", {"lineups": sheet, "source": "page.txt"})
        assert store.get_meta("m") == {"lineups": sheet, "source": "page.txt"}
        store.get_meta("m")["source"] = "mutated copy"
        assert store.get_meta("m")["source"] == "page.txt"
        merged = store.update_meta("m", {"source": "feed.jsonl", "kickoff": None})
        assert merged == {"lineups": sheet, "source": "feed.jsonl", "kickoff": None}
        store.set_match_info("m", "Inter", "Milan", venue="San Siro")
        assert store.get_meta("m")["home"] == "Inter" and store.get_meta("m")["venue"] == "San Siro"
        store.put_meta("m", {"replaced": True})
        assert store.get_meta("m") == {"replaced": True}
        with pytest.raises(TypeError):
            store.put_meta("m", {"not json": object()})
        assert store.get_meta("m") == {"replaced": True}

    # --- subscriptions --------------------------------------------------------------------

    def test_subscribe_catches_up_then_tails(self, store: EventStore) -> None:
        """Old events first, in position order; then events appended later, as they come."""
        store.append("a", lines(3, "old a"))
        store.append("b", lines(2, "old b"))

        async def scenario() -> list[EventBase]:
            feed = store.subscribe()
            caught_up = await take(feed, 5)
            writer = asyncio.create_task(asyncio.to_thread(store.append, "a", lines(2, "live a")))
            live = await take(feed, 2)
            await writer
            store.append("c", lines(1, "live c"))
            live += await take(feed, 1)
            await feed.aclose()  # type: ignore[attr-defined]
            return caught_up + live

        seen = asyncio.run(asyncio.wait_for(scenario(), TIMEOUT))
        assert [e.position for e in seen] == list(range(1, 9))
        assert texts(seen[5:]) == ["live a 0", "live a 1", "live c 0"]

    def test_subscribe_from_a_position(self, store: EventStore) -> None:
        store.append("a", lines(4))

        async def scenario() -> list[EventBase]:
            return await take(store.subscribe(from_position=3), 2)

        assert [e.position for e in asyncio.run(asyncio.wait_for(scenario(), TIMEOUT))] == [3, 4]

    def test_subscribe_pages_through_a_long_catch_up(self, store: EventStore) -> None:
        store.append("a", lines(1200))

        async def scenario() -> list[EventBase]:
            return await take(store.subscribe(from_position=2), 1199)

        seen = asyncio.run(asyncio.wait_for(scenario(), TIMEOUT))
        assert [e.position for e in seen] == list(range(2, 1201))

    def test_subscribe_is_cancellable_while_waiting(self, store: EventStore) -> None:
        """A tail waiting for events ends when its task is cancelled, and stays quiet."""
        store.append("a", lines(1))

        async def scenario() -> tuple[list[EventBase], bool]:
            seen: list[EventBase] = []

            async def follow() -> None:
                async for event in store.subscribe():
                    seen.append(event)

            task = asyncio.create_task(follow())
            while not seen:
                await asyncio.sleep(0.01)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            store.append("a", lines(1, "after"))
            await asyncio.sleep(0.1)
            return seen, task.cancelled()

        seen, cancelled = asyncio.run(asyncio.wait_for(scenario(), TIMEOUT))
        assert cancelled and texts(seen) == ["line 0"]
