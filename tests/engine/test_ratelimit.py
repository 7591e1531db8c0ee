"""Send pacing: per process, and shared by several workers through the real Redis."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from collections.abc import AsyncIterator, Callable

import pytest
from redis.asyncio import Redis

from bot.app import channel_context
from bot.config import Settings
from bot.core import build_core
from bot.engine.ratelimit import RateLimiter, SharedRateLimiter, limiter_factory
from tests.support.redis import redis_prefix, redis_url

# Scheduling jitter allowed on a loaded test machine (two workers' sleeps wake a little late,
# never early: the schedule is Redis's, the sleep is a lower bound).
SLACK = 0.03


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@pytest.fixture
async def shared() -> AsyncIterator[tuple[Redis, str]]:
    """Yield the test Redis and a key prefix of this test's own."""
    async with redis_prefix() as pair:
        yield pair


def _worker(redis: Redis, prefix: str, rate: float, gap: float = 0.0) -> SharedRateLimiter:
    """Return one worker's limiter of the same Telegram bot."""
    return SharedRateLimiter(redis, "telegram:1", rate, gap, hash_key=_hash, prefix=prefix)


async def _entries(limiter: RateLimiter, key: str, log: list[float]) -> None:
    async with limiter.slot(key):
        log.append(time.monotonic())


def _ahead_of_schedule(started: float, times: list[float], interval: float) -> int:
    """Count sends that came earlier than one per ``interval`` from ``started`` allows.

    A late wake-up (a busy machine) only makes a send later, so this holds however loaded the
    machine is; a limiter that lets too much through shows up at once.
    """
    ordered = sorted(times)
    return sum(1 for k, t in enumerate(ordered) if t - started < k * interval - SLACK)


async def test_two_workers_sharing_redis_never_exceed_the_rate_together(
    shared: tuple[Redis, str],
) -> None:
    redis, prefix = shared
    first, second = _worker(redis, prefix, rate=20), _worker(redis, prefix, rate=20)
    times: list[float] = []
    started = time.monotonic()
    await asyncio.gather(
        *(_entries(first, f"chat-a{i}", times) for i in range(25)),
        *(_entries(second, f"chat-b{i}", times) for i in range(25)),
    )
    assert len(times) == 50
    assert _ahead_of_schedule(started, times, 1 / 20) == 0


async def test_two_workers_on_their_own_would_exceed_it() -> None:
    # The control for the test above: without the shared schedule the same load goes twice
    # as fast, so that test can tell sharing from not sharing.
    first, second = RateLimiter(20), RateLimiter(20)
    times: list[float] = []
    started = time.monotonic()
    await asyncio.gather(
        *(_entries(first, f"chat-a{i}", times) for i in range(25)),
        *(_entries(second, f"chat-b{i}", times) for i in range(25)),
    )
    assert _ahead_of_schedule(started, times, 1 / 20) > 20


async def test_the_gap_per_chat_holds_across_workers(shared: tuple[Redis, str]) -> None:
    redis, prefix = shared
    first, second = _worker(redis, prefix, 1000, 0.3), _worker(redis, prefix, 1000, 0.3)
    times: list[float] = []
    started = time.monotonic()
    await asyncio.gather(*(_entries((first, second)[i % 2], "same-chat", times) for i in range(6)))
    assert len(times) == 6 and _ahead_of_schedule(started, times, 0.3) == 0
    other: list[float] = []
    started = time.monotonic()
    await _entries(second, "another-chat", other)
    assert other[0] - started < 0.2  # another chat is not held by that one


async def test_a_pause_seen_by_one_worker_holds_the_other(shared: tuple[Redis, str]) -> None:
    redis, prefix = shared
    first, second = _worker(redis, prefix, 30, 1.0), _worker(redis, prefix, 30, 1.0)
    started = time.monotonic()
    first.pause(1.0)  # Telegram answered the first worker 429, retry_after=1
    await first.flush()
    times: list[float] = []
    await _entries(second, "chat-x", times)
    assert times[0] - started >= 1.0 - SLACK


async def test_a_pause_keeps_the_longer_hold(shared: tuple[Redis, str]) -> None:
    redis, prefix = shared
    first, second = _worker(redis, prefix, 30), _worker(redis, prefix, 30)
    started = time.monotonic()
    first.pause(0.8)
    second.pause(0.1)
    await asyncio.gather(first.flush(), second.flush())
    times: list[float] = []
    await _entries(second, "chat-y", times)
    assert times[0] - started >= 0.8 - SLACK


async def test_redis_keys_carry_no_chat_id(shared: tuple[Redis, str]) -> None:
    redis, prefix = shared
    limiter = _worker(redis, prefix, 30, 1.0)
    async with limiter.slot("6281234567890"):
        pass
    keys = [key.decode() async for key in redis.scan_iter(match=prefix + "*")]
    assert keys and not any("6281234567890" in key for key in keys)


async def test_without_redis_each_process_paces_its_own_sends() -> None:
    make = limiter_factory(None, hash_key=_hash)
    limiter = make("telegram", "1", 10, 0.0)
    assert type(limiter) is RateLimiter
    times: list[float] = []
    await asyncio.gather(*(_entries(limiter, f"c{i}", times) for i in range(5)))
    assert max(times) - min(times) >= 0.4 - SLACK


async def test_with_redis_the_factory_shares_and_counts_pauses(
    shared: tuple[Redis, str],
) -> None:
    redis, prefix = shared
    pauses: list[tuple[str, float]] = []
    make = limiter_factory(
        redis, hash_key=_hash, prefix=prefix,
        on_pause=lambda channel: lambda seconds: pauses.append((channel, seconds)),
    )  # fmt: skip
    first, second = make("whatsapp", "555", 80, 0.2), make("whatsapp", "555", 80, 0.2)
    assert isinstance(first, SharedRateLimiter)
    first.pause(0.5)
    await first.flush()
    started = time.monotonic()
    async with second.slot("chat"):
        assert time.monotonic() - started >= 0.4
    assert pauses == [("whatsapp", 0.5)]


async def test_an_unreachable_redis_falls_back_to_pacing_in_this_process(
    caplog: pytest.LogCaptureFixture,
) -> None:
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    try:
        limiter = SharedRateLimiter(dead, "telegram:1", 10, hash_key=_hash)
        times: list[float] = []
        await asyncio.gather(*(_entries(limiter, f"c{i}", times) for i in range(4)))
        limiter.pause(0.01)
        await limiter.flush()
    finally:
        await dead.aclose()
    assert len(times) == 4 and max(times) - min(times) >= 0.3 - SLACK
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1


async def test_a_burst_of_sends_waits_for_the_services_redis_connections(
    settings_factory: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    # The outbox sends a whole batch at once: more reservations than connections must queue
    # for a connection, not fail over to per-worker pacing.
    async with redis_prefix():  # skipped, or failed in CI, without Redis
        core = build_core(settings_factory(redis_url=redis_url()), ocr=False)
        try:
            limiter = channel_context(core).rate_limiter("telegram", secrets.token_hex(4), 1e5, 0)
            assert isinstance(limiter, SharedRateLimiter)
            times: list[float] = []
            await asyncio.gather(*(_entries(limiter, f"c{i}", times) for i in range(600)))
        finally:
            assert core.redis is not None
            await core.redis.aclose()
            await core.db.dispose()
    assert len(times) == 600
    assert not [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
