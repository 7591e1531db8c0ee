"""A circuit breaker: stop calling a service that keeps failing, try again after a cool-down."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum


class BreakerState(StrEnum):
    """Whether calls go through (closed), are skipped (open), or one probe may go (half-open)."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitBreaker:
    """Open after ``failures`` failures in a row; after ``cooldown`` seconds let one call probe.

    A probe that succeeds closes the breaker; one that fails opens it for another cool-down.
    One per process: each worker learns on its own that the service is down (a few calls).
    """

    def __init__(
        self, failures: int, cooldown: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if failures < 1 or cooldown <= 0:
            raise ValueError("a breaker needs failures >= 1 and a positive cool-down")
        self._limit = failures
        self._cooldown = cooldown
        self._clock = clock
        self._failures = 0
        self._opened_at = 0.0
        self._probing = False
        self._state = BreakerState.CLOSED

    @property
    def state(self) -> BreakerState:
        """Return the state now (an open breaker whose cool-down is over is half-open)."""
        if self._state is BreakerState.OPEN and self._clock() - self._opened_at >= self._cooldown:
            self._state = BreakerState.HALF_OPEN
            self._probing = False
        return self._state

    def allow(self) -> bool:
        """Tell whether a call may go now; in half-open only one call at a time (the probe)."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._probing:
            self._probing = True
            return True
        return False

    def succeeded(self) -> None:
        """Record a call that worked: the breaker closes."""
        self._failures = 0
        self._probing = False
        self._state = BreakerState.CLOSED

    def failed(self) -> None:
        """Record a call that failed or timed out; open at the limit or after a failed probe."""
        self._failures += 1
        if self._state is BreakerState.HALF_OPEN or self._failures >= self._limit:
            self._state = BreakerState.OPEN
            self._opened_at = self._clock()
            self._probing = False

    def abandoned(self) -> None:
        """Forget a call that ended with no verdict (cancelled): the next call may probe."""
        self._probing = False
