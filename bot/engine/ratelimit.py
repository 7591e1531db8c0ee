"""Pace outgoing sends: an overall rate per channel plus a minimum gap per chat."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class RateLimiter:
    """Allow ``rate`` sends per second overall and one send per ``per_key_interval`` per key."""

    def __init__(self, rate: float, per_key_interval: float = 0.0) -> None:
        self._interval = 1.0 / rate
        self._per_key_interval = per_key_interval
        self._next_slot = 0.0
        self._next_for_key: dict[str, float] = {}
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def slot(self, key: str) -> AsyncIterator[None]:
        """Wait until a send to ``key`` is allowed, then let it happen."""
        async with self._lock:
            now = time.monotonic()
            start = max(now, self._next_slot, self._next_for_key.get(key, 0.0))
            self._next_slot = start + self._interval
            if self._per_key_interval:
                self._next_for_key[key] = start + self._per_key_interval
                if len(self._next_for_key) > 10_000:
                    self._forget_old(now)
        delay = start - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        yield

    def pause(self, seconds: float) -> None:
        """Hold every send for ``seconds`` (a 429 with ``retry_after`` from the platform)."""
        self._next_slot = max(self._next_slot, time.monotonic() + seconds)

    def _forget_old(self, now: float) -> None:
        self._next_for_key = {k: t for k, t in self._next_for_key.items() if t > now}
