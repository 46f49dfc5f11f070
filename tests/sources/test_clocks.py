"""Clock inference from period markers and anchors."""

from __future__ import annotations

from events.clock import MatchClock
from events.parser import parse_line, split_clock
from events.readers.assemble import _hint, _hints
from events.readers.clocks import Hint, infer_clocks


def c(text: str, period: int | None = None) -> MatchClock:
    return MatchClock.parse(text, period)


def test_no_anchor_at_all_is_kick_off() -> None:
    assert infer_clocks([Hint(), Hint()]) == [(c("0"), True)] * 2


def test_lines_take_the_earlier_anchor_and_lead_lines_the_first() -> None:
    hints = [Hint(), Hint(clock=c("10")), Hint(), Hint(clock=c("20"), inferred=True), Hint()]
    assert infer_clocks(hints) == [
        (c("10"), True),
        (c("10"), False),
        (c("10"), True),
        (c("20"), True),
        (c("20"), True),
    ]


def test_period_markers() -> None:
    hints = [
        Hint(starts=1),
        Hint(clock=c("45+3")),
        Hint(ends=1),
        Hint(),
        Hint(starts=2),
        Hint(clock=c("45")),  # said of the second half: (2, 45)
        Hint(ends=2),
        Hint(ends=0),
    ]
    got = [clock for clock, _ in infer_clocks(hints, {2: c("90+5")})]
    assert got == [
        c("0"),
        c("45+3"),
        c("45+3"),
        c("45+3"),
        c("45", 2),
        c("45", 2),
        c("90+5"),  # the latest annotated clock of the half
        c("90+5"),
    ]


def test_shootout_minute_moves_into_the_shootout() -> None:
    got = infer_clocks([Hint(starts=5), Hint(clock=c("120"))])
    assert got[1] == (MatchClock(period=5, minute=120), False)


def test_a_clock_of_a_period_not_yet_started_is_not_an_anchor() -> None:
    """ESPN stamps a first-half stoppage-time line ``49'`` (period 2) before ``Second Half
    begins``: it is timed like a line without a clock, while the half-time changes stamped
    ``45'`` of the second half keep theirs."""
    hints = [
        Hint(clock=c("45+2")),
        Hint(clock=c("49", 2)),
        Hint(clock=c("45+4")),
        Hint(ends=1),
        Hint(clock=c("45", 2)),
        Hint(starts=2),
        Hint(clock=c("49")),
    ]
    assert infer_clocks(hints) == [
        (c("45+2"), False),
        (c("45+2"), True),
        (c("45+4"), False),
        (c("45+4"), True),
        (c("45", 2), False),
        (c("45", 2), True),
        (c("49"), False),
    ]


def test_shared_hints_are_each_lines_own() -> None:
    """The reader's hints, one shared per clock, are what each line says of its time."""
    lines = ["First Half begins.", "3' Foul by A (X).", "3' Corner, X.", "Delay in match.",
             "45' Second Half begins.", "3' Foul by B (Y).", "Match ends, X 0, Y 0."]  # fmt: skip
    events = [parse_line(text, clock) for clock, text in map(split_clock, lines)]
    assert _hints([*events, None]) == [*map(_hint, events), Hint()]
