"""The snapshot loop of ``livetext poll``: fetch, read, amend, append, report, wait.

Each poll fetches the payload (:mod:`replay.poll.fetch`), reads it whole
(:mod:`replay.poll.read`; a ``304 Not Modified`` or a body identical to the last one is
the last snapshot again), works out what is new against the match as its sink holds it
(:func:`stream.amend.amend`) and writes that whole (:mod:`replay.poll.sinks`).  A fault
(network, timeout, 5xx, 429, a body that does not read, an empty snapshot) writes
nothing; the next try waits for the backoff (at least ``Retry-After``); a clean poll
waits for the rest of ``every`` seconds.

With ``until_end`` the loop stops once a clean snapshot says the match is over and no
stored line is pending withdrawal (missing from that snapshot alone): one more poll
settles it.  SIGINT and SIGTERM stop the loop between appends: during a write they are
held until the write is done.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from types import FrameType
from typing import Any

from events.readers import Match, SourceError
from replay.poll.fetch import Backoff, FatalFetchError, Fetcher, FetchError
from replay.poll.read import has_ended, read_body
from replay.poll.sinks import MatchView, Sink, SinkUnavailable, Stale
from replay.poll.status import Outcome, PollReport
from stream.amend import Amendment, amend

STALE_RETRIES = 5
"""Times a snapshot is worked out again when another writer appended meanwhile."""


class Stopped(BaseException):
    """SIGINT or SIGTERM arrived: the loop stops (between appends)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass(slots=True)
class _Score:
    """The score and clock of the match as last folded (refolded after each append)."""

    score: tuple[int, int] | None = None
    teams: tuple[str, str] | None = None
    clock: str | None = None
    events: int = -1


class Poller:
    """Follows one URL into one sink (see the module)."""

    def __init__(
        self,
        fetcher: Fetcher,
        sink: Sink,
        show: Callable[[PollReport], None],
        *,
        every: float,
        until_end: bool = False,
        fmt: str | None = None,
        match_id: str | None = None,
        backoff: Backoff | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if every <= 0:
            raise ValueError("every must be positive")
        self.fetcher, self.sink, self.show = fetcher, sink, show
        self.every, self.until_end, self.fmt = every, until_end, fmt
        self.match_id = match_id
        self.backoff = backoff or Backoff(min(every, 1.0), max(every, 60.0))
        self._monotonic, self._wall, self._sleep = monotonic, wall, sleep
        self._last_body: bytes | None = None
        self._last_match: Match | None = None
        self._score = _Score()
        self._last_clean: PollReport | None = None
        self._settled: tuple[Match, int, int] | None = None
        """The snapshot applied last, the view's length after it, its lines in force."""
        self._writing = False
        self._held: int | None = None
        self.polls = 0
        self.appended = 0

    # --- the loop ---------------------------------------------------------------------------

    def run(self) -> PollReport:
        """Poll until the match is over (``until_end``) or a signal stops it (raises
        :class:`Stopped`); the last report.  A fault no retry mends raises
        :class:`~replay.poll.fetch.FatalFetchError`."""
        with self._signals():
            while True:
                started = self._monotonic()
                report, wait = self.poll()
                if self.until_end and report.ended:
                    report = report.with_next(None)
                    self.show(report)
                    return report
                if wait is None:
                    wait = max(0.0, started + self.every - self._monotonic())
                self.show(report.with_next(wait))
                self._sleep(wait)

    def poll(self) -> tuple[PollReport, float | None]:
        """One poll: its report, and the wait a fault asks for (``None`` after a clean
        poll: the rest of ``every``)."""
        self.polls += 1
        at = self._wall()
        try:
            fetched = self.fetcher.fetch()
        except FetchError as exc:
            return self._fault(at, "error", str(exc), exc.status, exc.retry_after)
        if fetched.not_modified:
            match = self._last_match
            if match is None:  # a 304 to a request without validators: ask again, whole
                self.fetcher.forget()
                return self._fault(at, "error", "304 Not Modified without a body", 304)
        elif fetched.body == self._last_body and self._last_match is not None:
            match = self._last_match
        else:
            assert fetched.body is not None
            try:
                match = read_body(fetched.body, self.fetcher.url, self.fmt, match_id=self.match_id)
            except SourceError as exc:
                return self._fault(at, "unreadable", str(exc), fetched.status)
            self._last_body, self._last_match = fetched.body, match
        self.fetcher.remember(fetched)
        if self.match_id is None:
            self.match_id = match.match_id  # kept: later snapshots may name it otherwise
        try:
            amendment, view = self._append(match)
        except SinkUnavailable as exc:
            return self._fault(at, "error", str(exc), fetched.status)
        if not amendment.clean:
            return self._fault(
                at, "unreadable", "a snapshot without any line (the match has some)", 200
            )
        self.backoff.reset()
        self.appended += len(amendment.appends)
        report = PollReport(
            at=at,
            outcome=(
                "appended"
                if amendment.appends
                else "not_modified"
                if fetched.not_modified
                else "unchanged"
            ),
            match_id=match.match_id,
            http_status=fetched.status,
            appended=len(amendment.appends),
            new=amendment.new,
            amended=amendment.amended,
            withdrawn=amendment.withdrawn,
            missing=len(amendment.missing),
            lines=amendment.new + amendment.amended + amendment.unchanged + len(amendment.missing),
            events=len(view.events),
            ended=has_ended(match) and not amendment.missing,
        )
        self._last_clean = report = self._scored(report, view)
        return report, None

    def _append(self, match: Match) -> tuple[Amendment, MatchView]:
        """Work the snapshot out against the sink's view and write it (again, from a
        fresh view, when another writer got there first).  The snapshot applied last,
        served again to a view nobody wrote to since, with no line pending withdrawal,
        gives nothing: it is not worked out again."""
        for attempt in range(STALE_RETRIES + 1):
            view = self.sink.view(match.match_id)
            settled = self._settled
            if settled is not None and settled[0] is match and settled[1] == len(view.events):
                return Amendment(unchanged=settled[2]), view
            amendment = amend(match.match_id, view.events, match.events, view.missing)
            if not amendment.clean:
                return amendment, view
            try:
                with self._holding_signals():
                    self.sink.write(match, amendment)
            except Stale as exc:
                if attempt == STALE_RETRIES:
                    message = f"other writers keep appending to the match: {exc}"
                    raise SinkUnavailable(message) from None
                continue
            lines = amendment.new + amendment.amended + amendment.unchanged
            self._settled = None if amendment.missing else (match, len(view.events), lines)
            return amendment, view
        raise AssertionError("unreachable")

    def _fault(
        self,
        at: float,
        outcome: Outcome,
        error: str,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> tuple[PollReport, float]:
        wait = self.backoff.failed(retry_after)
        last = self._last_clean
        report = PollReport(
            at=at,
            outcome=outcome,
            match_id=self.match_id,
            http_status=status,
            missing=last.missing if last else 0,
            lines=last.lines if last else 0,
            events=last.events if last else 0,
            score=self._score.score,
            teams=self._score.teams,
            clock=self._score.clock,
            error=error,
            failures=self.backoff.failures,
        )
        return report, wait

    def _scored(self, report: PollReport, view: MatchView) -> PollReport:
        """The report with the score and clock of the match as its events fold now."""
        if self._score.events != len(view.events):
            from projections import replay as fold_match

            state = fold_match(view.events, match_id=view.match_id, meta=view.meta or None)
            data = state.to_json()
            score, teams = data.get("score") or {}, data.get("teams") or {}
            self._score = _Score(
                (int(score.get("home", 0)), int(score.get("away", 0))),
                (str(teams.get("home") or "Home"), str(teams.get("away") or "Away")),
                (data.get("clock") or {}).get("label"),
                len(view.events),
            )
        s = self._score
        return replace(report, score=s.score, teams=s.teams, clock=s.clock)

    # --- signals ----------------------------------------------------------------------------

    @contextmanager
    def _signals(self) -> Iterator[None]:
        """SIGINT and SIGTERM raise :class:`Stopped` (held while writing)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def handler(signum: int, frame: FrameType | None) -> None:
            if self._writing:
                self._held = signum
                return
            raise Stopped(signum)

        saved: dict[signal.Signals, Any] = {}
        for which in (signal.SIGINT, signal.SIGTERM):
            saved[which] = signal.signal(which, handler)
        try:
            yield
        finally:
            for which, previous in saved.items():
                signal.signal(which, previous)

    @contextmanager
    def _holding_signals(self) -> Iterator[None]:
        self._writing = True
        try:
            yield
        finally:
            self._writing = False
            if self._held is not None:
                signum, self._held = self._held, None
                raise Stopped(signum)


__all__ = ["FatalFetchError", "Poller", "Stopped"]
