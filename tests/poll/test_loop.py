"""The snapshot loop in process (``replay.poll.loop``): a rival writer, a signal during a
write, the match id kept, one more poll before stopping when a line is pending."""

from __future__ import annotations

import signal

import httpx
import pytest

from events.readers import Match
from replay.ingest import MatchAppends
from replay.poll.fetch import Fetcher
from replay.poll.loop import Poller, Stopped
from replay.poll.read import read_body
from replay.poll.sinks import StoreSink
from replay.poll.status import PollReport
from stream import MemoryStore
from stream.amend import Amendment
from tests.poll.conftest import MATCH_ID, played_feed


def serving(bodies: list[bytes]) -> Fetcher:
    """A fetcher whose n-th request gets ``bodies[n]`` (the last one after that)."""
    calls = iter(range(10_000))

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=bodies[min(next(calls), len(bodies) - 1)])

    return Fetcher("http://provider.test/match", 1.0, transport=httpx.MockTransport(answer))


def poller(fetcher: Fetcher, sink: StoreSink, shown: list[PollReport], **options: object) -> Poller:
    return Poller(fetcher, sink, shown.append, every=0.01, sleep=lambda s: None, **options)  # type: ignore[arg-type]


def test_a_rival_writer_between_view_and_write_makes_the_poll_work_it_out_again() -> None:
    snapshots = played_feed()
    store = MemoryStore()

    class Raced(StoreSink):
        rivals = 1

        def write(self, match: Match, amendment: Amendment) -> int:
            if self.rivals:
                self.rivals -= 1  # another process appends this very snapshot first
                list(store.append_each([MatchAppends(store).append_for(match, None)]))
            return super().write(match, amendment)

    shown: list[PollReport] = []
    sink = Raced(store, "memory")
    p = poller(serving(snapshots[3:4]), sink, shown, match_id=MATCH_ID)
    report, _ = p.poll()
    assert report.outcome == "unchanged" and report.appended == 0
    events = store.read(MATCH_ID)
    assert len(events) == len({e.event_id for e in events}) == report.lines == 11


def test_a_signal_during_a_write_waits_for_the_write_to_end() -> None:
    snapshots = played_feed()
    store = MemoryStore()

    class Interrupted(StoreSink):
        def write(self, match: Match, amendment: Amendment) -> int:
            signal.raise_signal(signal.SIGINT)  # Ctrl-C while the snapshot is written
            return super().write(match, amendment)

    shown: list[PollReport] = []
    p = poller(serving(snapshots[2:3]), Interrupted(store, "memory"), shown)
    with pytest.raises(Stopped, match="SIGINT"):
        p.run()
    assert len(store.read(MATCH_ID)) == 9  # the snapshot whole
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_until_end_polls_once_more_while_a_line_is_pending_withdrawal() -> None:
    snapshots = played_feed()
    store = MemoryStore()
    shown: list[PollReport] = []
    # The goal is posted, then the finished match (without it) is all the provider serves.
    p = poller(
        serving([snapshots[4], snapshots[8]]), StoreSink(store, "memory"), shown, until_end=True
    )
    last = p.run()
    assert [r.missing for r in shown] == [0, 1, 0]
    assert [r.withdrawn for r in shown] == [0, 0, 1]
    assert last.ended and last.score == (1, 0)


def test_the_first_match_id_is_kept_when_later_snapshots_name_another() -> None:
    snapshots = played_feed()
    renamed = snapshots[5].replace(MATCH_ID.encode(), b"renamed-later")
    store = MemoryStore()
    shown: list[PollReport] = []
    p = poller(serving([snapshots[4], renamed]), StoreSink(store, "memory"), shown)
    reports = [p.poll()[0], p.poll()[0]]
    assert [r.match_id for r in reports] == [MATCH_ID, MATCH_ID]
    assert (reports[1].new, reports[1].amended, reports[1].missing) == (1, 1, 1)
    assert [m.match_id for m in store.matches()] == [MATCH_ID]
    assert read_body(renamed, "x").match_id == "renamed-later"
