"""``stream.pipeline.pipelined``: the next item prepared while the writer writes the one
before, results in order, errors where they happened, nothing left running."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest

from stream.pipeline import SWITCH_INTERVAL, pipelined

WAIT = 10.0  # seconds a test waits for the other thread before calling it stuck


def writers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "livetext-writer"]


def test_results_come_in_order_with_the_work_split_between_two_threads() -> None:
    caller = threading.get_ident()
    prepared_in: set[int] = set()
    written_in: set[int] = set()

    def prepare(item: int) -> int:
        prepared_in.add(threading.get_ident())
        return item * 10

    def write(item: int, prepared: int) -> str:
        written_in.add(threading.get_ident())
        return f"{item}:{prepared}"

    out = list(pipelined(range(20), prepare, write))
    assert out == [(i, f"{i}:{i * 10}") for i in range(20)]
    assert prepared_in == {caller}
    assert len(written_in) == 1 and caller not in written_in
    assert writers() == []


def test_the_next_item_is_prepared_while_one_is_written() -> None:
    """The first write waits for the second item to be prepared: in turn, it never would."""
    second_prepared = threading.Event()

    def prepare(item: int) -> int:
        if item == 1:
            second_prepared.set()
        return item

    def write(item: int, prepared: int) -> bool:
        return second_prepared.wait(WAIT) if item == 0 else True

    assert list(pipelined(range(3), prepare, write)) == [(0, True), (1, True), (2, True)]


def test_a_write_error_stops_the_writes_after_it() -> None:
    written: list[int] = []

    def write(item: int, prepared: int) -> int:
        if item == 3:
            raise OSError("disk full")
        written.append(item)
        return item

    seen = []
    with pytest.raises(OSError, match="disk full"):
        for item, _ in pipelined(range(10), lambda i: i, write):
            seen.append(item)
    assert seen == [0, 1, 2]
    assert written == [0, 1, 2]
    assert writers() == []


def test_a_prepare_error_comes_after_the_items_before_it_are_written() -> None:
    written: list[int] = []

    def prepare(item: int) -> int:
        if item == 4:
            raise ValueError("bad source")
        return item

    def write(item: int, prepared: int) -> int:
        written.append(item)
        return item

    with pytest.raises(ValueError, match="bad source"):
        list(pipelined(range(10), prepare, write))
    assert written == [0, 1, 2, 3]


def test_an_error_of_the_items_themselves_propagates_the_same_way() -> None:
    written: list[int] = []

    def items() -> Iterator[int]:
        yield 0
        yield 1
        raise KeyError("unreadable")

    with pytest.raises(KeyError):
        list(pipelined(items(), lambda i: i, lambda i, p: written.append(i)))
    assert written == [0, 1]


def test_leaving_early_finishes_what_was_handed_over() -> None:
    written: list[int] = []
    results = pipelined(range(100), lambda i: i, lambda i, p: written.append(i))
    assert next(results) == (0, None)
    results.close()
    assert writers() == []
    assert written == list(range(len(written)))  # in order, none skipped
    assert len(written) < 100


def test_the_switch_interval_is_lowered_while_it_runs_and_restored() -> None:
    before = sys.getswitchinterval()
    during: list[float] = []
    list(pipelined(range(2), lambda i: during.append(sys.getswitchinterval()), lambda i, p: i))
    assert during == pytest.approx([min(before, SWITCH_INTERVAL)] * 2)
    assert sys.getswitchinterval() == before

    def fail(item: int, prepared: int) -> None:
        raise RuntimeError("write failed")

    with pytest.raises(RuntimeError):
        list(pipelined(range(2), lambda i: i, fail))
    assert sys.getswitchinterval() == before


def test_pipelines_in_two_threads_put_the_interval_back_once_both_end() -> None:
    """The first ends while the second runs: the interval stays low until the second ends,
    then is what it was before either."""
    before = sys.getswitchinterval()
    first_running, second_running, first_done = (threading.Event() for _ in range(3))
    during: list[float] = []

    def second_prepare(item: int) -> int:
        second_running.set()
        return item

    def second_write(item: int, prepared: int) -> float:
        assert first_done.wait(WAIT)
        return sys.getswitchinterval()

    def run_second() -> None:
        assert first_running.wait(WAIT)
        results = pipelined(range(1), second_prepare, second_write)
        during.extend(interval for _, interval in results)

    def first_write(item: int, prepared: int) -> int:
        first_running.set()
        assert second_running.wait(WAIT)
        return item

    second = threading.Thread(target=run_second)
    second.start()
    list(pipelined(range(1), lambda i: i, first_write))
    first_done.set()
    second.join(WAIT)
    assert during == pytest.approx([min(before, SWITCH_INTERVAL)])
    assert sys.getswitchinterval() == before
