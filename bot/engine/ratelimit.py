"""Pace outgoing sends: an overall rate per channel account plus a minimum gap per chat.

:class:`RateLimiter` keeps the schedule in this process. :class:`SharedRateLimiter` keeps it
in Redis, so every worker (on any machine) draws its slots from one schedule and a platform's
"slow down" (Telegram's 429 ``retry_after``) seen by one worker holds the others too.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger(__name__)

# Called with the pause in seconds each time a platform asks the sender to slow down.
PauseListener = Callable[[float], None]
# Make a channel's limiter from (channel, account such as a bot id or a phone number id,
# sends per second, minimum seconds between two sends to one chat).
LimiterFactory = Callable[[str, str, float, float], "RateLimiter"]
# Redis keys hold no chat id: the chat part is a keyed hash (the caller's).
KeyHasher = Callable[[str], str]
KEY_PREFIX = "tlive:ratelimit:"
# A Redis outage is logged at most this often per limiter; sends go on paced per process.
OUTAGE_LOG_SECONDS = 60.0


class RateLimiter:
    """Allow ``rate`` sends per second overall and one send per ``per_key_interval`` per key."""

    def __init__(
        self, rate: float, per_key_interval: float = 0.0, *, on_pause: PauseListener | None = None
    ) -> None:
        self._interval = 1.0 / rate
        self._per_key_interval = per_key_interval
        self._on_pause = on_pause
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
        if self._on_pause is not None:
            self._on_pause(seconds)

    def _forget_old(self, now: float) -> None:
        self._next_for_key = {k: t for k, t in self._next_for_key.items() if t > now}


# Reserve the next slot: the latest of now, the account's next free slot, the chat's next free
# slot and a pause; then push both forward. Times are Redis's own clock in microseconds, so
# workers on machines whose clocks differ still share one schedule.
_RESERVE = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local start = now
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if nxt > start then start = nxt end
local paused = tonumber(redis.call('GET', KEYS[3]) or '0')
if paused > start then start = paused end
local gap = tonumber(ARGV[2])
if gap > 0 then
  local chat = tonumber(redis.call('GET', KEYS[2]) or '0')
  if chat > start then start = chat end
  redis.call('SET', KEYS[2], start + gap, 'PX', math.ceil((start + gap - now) / 1000) + 1000)
end
local nxt_slot = start + tonumber(ARGV[1])
redis.call('SET', KEYS[1], nxt_slot, 'PX', math.ceil((nxt_slot - now) / 1000) + 1000)
return start - now
"""

# Hold the account until now + ARGV[1] µs, unless it is already held longer.
_PAUSE = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local till = now + tonumber(ARGV[1])
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if till > paused then
  redis.call('SET', KEYS[1], till, 'PX', math.ceil((till - now) / 1000) + 1000)
end
return till - now
"""


class SharedRateLimiter(RateLimiter):
    """The same pacing, kept in Redis and shared by every worker that uses the same ``name``.

    When Redis cannot be reached a send is paced by this process alone (and the outage is
    logged): messages keep flowing, at worst N workers at N times the rate, which the
    platform answers with 429s that pause everyone again.
    """

    def __init__(
        self,
        redis: Redis,
        name: str,
        rate: float,
        per_key_interval: float = 0.0,
        *,
        hash_key: KeyHasher,
        prefix: str = KEY_PREFIX,
        on_pause: PauseListener | None = None,
    ) -> None:
        super().__init__(rate, per_key_interval, on_pause=on_pause)
        self._redis = redis
        self._hash_key = hash_key
        # One hash tag per account: its keys live on one Redis Cluster slot, as a script needs.
        base = f"{prefix}{{{name}}}:"
        self._next_key = base + "next"
        self._paused_key = base + "paused"
        self._chat_prefix = base + "chat:"
        self._interval_us = round(1_000_000 / rate)
        self._gap_us = round(per_key_interval * 1_000_000)
        self._reserve = redis.register_script(_RESERVE)
        self._share = redis.register_script(_PAUSE)
        self._paused_until = 0.0
        self._pending: set[asyncio.Task[None]] = set()
        self._outage_logged = -OUTAGE_LOG_SECONDS

    @asynccontextmanager
    async def slot(self, key: str) -> AsyncIterator[None]:
        """Wait for the shared schedule to allow a send to ``key``, then let it happen."""
        try:
            waited_us = await self._reserve(
                keys=[self._next_key, self._chat_prefix + self._hash_key(key), self._paused_key],
                args=[self._interval_us, self._gap_us],
            )
        except Exception as exc:  # redis.RedisError, OSError, a timeout: any of them
            self._log_outage(exc)
            async with super().slot(key):
                yield
            return
        # A pause this worker saw may not have reached Redis yet: honour it here as well.
        delay = max(int(waited_us) / 1_000_000, self._paused_until - time.monotonic())
        if delay > 0:
            await asyncio.sleep(delay)
        yield

    def pause(self, seconds: float) -> None:
        """Hold every worker's sends for ``seconds``: here at once, elsewhere through Redis."""
        super().pause(seconds)
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)
        task = asyncio.get_running_loop().create_task(self._publish_pause(seconds))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def flush(self) -> None:
        """Wait until every pause seen here has reached Redis (or failed to)."""
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def _publish_pause(self, seconds: float) -> None:
        try:
            await self._share(keys=[self._paused_key], args=[round(seconds * 1_000_000)])
        except Exception as exc:
            self._log_outage(exc)

    def _log_outage(self, exc: BaseException) -> None:
        now = time.monotonic()
        if now - self._outage_logged >= OUTAGE_LOG_SECONDS:
            self._outage_logged = now
            log.warning(
                "rate limits: Redis unreachable (%s); pacing sends in this worker only",
                type(exc).__name__,
            )


def limiter_factory(
    redis: Redis | None,
    *,
    hash_key: KeyHasher,
    on_pause: Callable[[str], PauseListener | None] = lambda _channel: None,
    prefix: str = KEY_PREFIX,
) -> LimiterFactory:
    """Return what makes a channel's limiter: shared through ``redis``, or per process."""

    def make(channel: str, account: str, rate: float, per_key_interval: float) -> RateLimiter:
        listener = on_pause(channel)
        if redis is None:
            return RateLimiter(rate, per_key_interval, on_pause=listener)
        return SharedRateLimiter(
            redis, f"{channel}:{account}", rate, per_key_interval,
            hash_key=hash_key, prefix=prefix, on_pause=listener,
        )  # fmt: skip

    return make
