"""A process-wide memory budget for decoding photos, shared by every thread.

Each decode reserves what decoding its picture will cost (estimated from the file's header,
see ``decode.decode_cost``) before any pixel is decoded, and gives it back when the picture
has been reduced to its small working copy. Decodes that would together exceed the budget wait
their turn, first come first served, so N concurrent uploads cannot grow the process by more
than the budget, whatever their number.
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

MB = 1024 * 1024
DEFAULT_DECODE_MEMORY = 300 * MB
# Give freed memory back to the system after reservations at least this big.
TRIM_FROM = 16 * MB
# Blocks from this size on get pages of their own, returned to the system when freed.
MMAP_FROM = 2 * MB
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter


def _glibc_memory_policy() -> Callable[[], object] | None:
    """Keep big buffers out of the heaps; return glibc's ``malloc_trim(0)`` (None elsewhere).

    glibc serves blocks under a moving threshold (up to 32 MB, so all of Pillow's 16 MB
    blocks) from per-thread heaps and keeps them there once freed: each worker thread would
    keep its largest decode resident, and the budget would bound the decodes, not the process.
    A fixed threshold gives big blocks pages of their own, returned as soon as they are freed;
    the trim returns what is left in the heaps.
    """
    try:
        libc = ctypes.CDLL(None)
        trim, mallopt = libc.malloc_trim, libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return None
    mallopt(_M_MMAP_THRESHOLD, MMAP_FROM)
    trim.argtypes = [ctypes.c_size_t]
    return lambda: trim(0)


_TRIM = _glibc_memory_policy()


class BudgetError(Exception):
    """A reservation that cannot be granted."""


class OverBudgetError(BudgetError):
    """The reservation alone is bigger than the whole budget: it could never be granted."""


class BudgetBusyError(BudgetError):
    """The reservation waited longer than allowed for others to finish."""


class MemoryBudget:
    """Bytes that concurrent decodes may hold together; reservations are granted in order."""

    def __init__(self, limit: int) -> None:
        self._cond = threading.Condition()
        self._limit = limit
        self._used = 0
        self._queue: deque[object] = deque()
        self.peak = 0  # the most ever reserved at once (for tests and diagnostics)

    @property
    def limit(self) -> int:
        """Return the budget in bytes."""
        return self._limit

    @property
    def in_use(self) -> int:
        """Return the bytes reserved right now."""
        return self._used

    def set_limit(self, limit: int) -> None:
        """Change the budget (at start-up, from the settings)."""
        if limit <= 0:
            raise ValueError("the decode memory budget must be positive")
        with self._cond:
            self._limit = limit
            self._cond.notify_all()

    @contextmanager
    def reserve(self, nbytes: int, *, wait: float) -> Iterator[None]:
        """Hold ``nbytes`` of the budget for the block, waiting at most ``wait`` seconds."""
        nbytes = max(0, nbytes)
        self._acquire(nbytes, wait)
        try:
            yield
        finally:
            if _TRIM is not None and nbytes >= TRIM_FROM:
                _TRIM()  # before the next decode may start: the budget is resident memory
            with self._cond:
                self._used -= nbytes
                self._cond.notify_all()

    def _acquire(self, nbytes: int, wait: float) -> None:
        ticket = object()
        deadline = time.monotonic() + wait
        with self._cond:
            if nbytes > self._limit:
                raise OverBudgetError(nbytes)
            self._queue.append(ticket)
            try:
                # Only the head of the queue may take its share: a big picture is never
                # starved by a stream of small ones slipping past it.
                while self._queue[0] is not ticket or self._used + nbytes > self._limit:
                    if nbytes > self._limit:  # the budget shrank meanwhile
                        raise OverBudgetError(nbytes)
                    left = deadline - time.monotonic()
                    if left <= 0:
                        log.warning(
                            "photo decode waited %.0f s for memory (%d MB in use of %d MB)",
                            wait, self._used // MB, self._limit // MB,
                        )  # fmt: skip
                        raise BudgetBusyError(nbytes)
                    self._cond.wait(left)
                self._used += nbytes
                self.peak = max(self.peak, self._used)
            finally:
                self._queue.remove(ticket)
                self._cond.notify_all()  # the next in line may fit now


# The one budget of this process; `bot.core.build_core` sizes it from TLIVE_DECODE_MEMORY_MB.
DECODE_BUDGET = MemoryBudget(DEFAULT_DECODE_MEMORY)
