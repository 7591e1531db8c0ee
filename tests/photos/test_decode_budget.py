"""The decode memory budget: shared by threads, granted in order, never exceeded."""

from __future__ import annotations

import threading
import time

import pytest

from bot.photos.budget import BudgetBusyError, MemoryBudget, OverBudgetError


def _hold(budget: MemoryBudget, nbytes: int, release: threading.Event, log: list[str],
          name: str) -> threading.Thread:  # fmt: skip
    def run() -> None:
        with budget.reserve(nbytes, wait=5):
            log.append(name)
            release.wait(5)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_until(condition: object, timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_reservations_that_fit_together_are_granted_at_once() -> None:
    budget = MemoryBudget(100)
    with budget.reserve(40, wait=0), budget.reserve(60, wait=0):
        assert budget.in_use == 100
    assert budget.in_use == 0 and budget.peak == 100


def test_reservation_bigger_than_the_whole_budget_is_refused_at_once() -> None:
    budget = MemoryBudget(100)
    started = time.monotonic()
    with pytest.raises(OverBudgetError), budget.reserve(101, wait=10):
        pass
    assert time.monotonic() - started < 1


def test_reservation_that_waits_too_long_is_refused_and_leaves_no_trace() -> None:
    budget = MemoryBudget(100)
    with budget.reserve(80, wait=0):
        with pytest.raises(BudgetBusyError), budget.reserve(30, wait=0.05):
            pass
        assert budget.in_use == 80
    with budget.reserve(100, wait=0):  # the refused one holds no place in the queue
        pass


def test_a_waiting_reservation_goes_ahead_when_memory_is_given_back() -> None:
    budget = MemoryBudget(100)
    release, log = threading.Event(), []
    first = _hold(budget, 70, release, log, "first")
    _wait_until(lambda: log == ["first"])
    second = _hold(budget, 70, threading.Event(), log, "second")
    time.sleep(0.05)
    assert log == ["first"]  # 140 would not fit
    release.set()
    first.join()
    second.join()
    assert log == ["first", "second"] and budget.peak == 70


def test_a_big_waiting_reservation_is_not_overtaken_by_small_ones() -> None:
    budget = MemoryBudget(100)
    release_first, release_big, log = threading.Event(), threading.Event(), []
    first = _hold(budget, 60, release_first, log, "first")
    _wait_until(lambda: log == ["first"])
    big = _hold(budget, 90, release_big, log, "big")
    time.sleep(0.05)
    small = _hold(budget, 10, threading.Event(), log, "small")  # would fit beside "first"
    time.sleep(0.05)
    assert log == ["first"]
    release_first.set()
    _wait_until(lambda: log[:2] == ["first", "big"])
    release_big.set()
    for thread in (first, big, small):
        thread.join()
    assert log == ["first", "big", "small"]


def test_memory_is_given_back_when_the_block_raises() -> None:
    budget = MemoryBudget(100)
    with pytest.raises(RuntimeError), budget.reserve(50, wait=0):
        raise RuntimeError("decoder exploded")
    assert budget.in_use == 0


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        MemoryBudget(100).set_limit(0)
