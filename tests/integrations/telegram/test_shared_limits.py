"""Two workers' Telegram senders, wired as the service wires them, share Telegram's limits."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import web

from bot.config import Settings
from bot.engine.channels import Recipient, SendError
from bot.engine.messages import Reply
from bot.engine.ports import ChannelContext
from bot.engine.ratelimit import SharedRateLimiter, limiter_factory
from bot.i18n import Catalog
from integrations.telegram.install import TELEGRAM_BOT, install
from integrations.telegram.sender import TelegramSender
from tests.integrations.telegram.conftest import FakeCore, make_context
from tests.standins.telegram_api import TelegramStandin
from tests.support.redis import redis_prefix


@asynccontextmanager
async def _workers(ctx: ChannelContext, core: FakeCore) -> AsyncIterator[list[TelegramSender]]:
    """Install the channel into two apps, as two workers would, and yield their senders."""
    apps = [web.Application(), web.Application()]
    for app in apps:
        install(app, ctx)
    try:
        yield [s for s in core.senders if isinstance(s, TelegramSender)]
    finally:
        for app in apps:
            await app[TELEGRAM_BOT].session.close()


@pytest.fixture
async def shared_ctx(
    settings: Settings, catalog: Catalog, core: FakeCore
) -> AsyncIterator[ChannelContext]:
    """Yield a channel context whose limiters are shared through the test Redis."""
    async with redis_prefix() as (redis, prefix):
        make = limiter_factory(
            redis, hash_key=lambda key: hashlib.sha256(key.encode()).hexdigest(), prefix=prefix
        )
        yield dataclasses.replace(make_context(settings, catalog, core), rate_limiter=make)


async def _held_after_429(standin: TelegramStandin, senders: list[TelegramSender]) -> float:
    """Let the first worker meet a 429; return how long the second one's next send waited."""
    first, second = senders
    standin.fail_next("sendMessage", 429, retry_after=1)
    with pytest.raises(SendError):
        await first.send(Recipient("800001"), Reply("Halo"))
    if isinstance(first.limiter, SharedRateLimiter):
        await first.limiter.flush()
    started = time.monotonic()
    await second.send(Recipient("800002"), Reply("Halo"))
    return time.monotonic() - started


async def test_a_429_seen_by_one_worker_holds_the_others(
    standin: TelegramStandin, shared_ctx: ChannelContext, core: FakeCore
) -> None:
    async with _workers(shared_ctx, core) as senders:
        assert all(isinstance(s.limiter, SharedRateLimiter) for s in senders)
        assert await _held_after_429(standin, senders) >= 0.9
        assert len(standin.sent["800002"]) == 1


async def test_without_redis_each_worker_only_holds_itself(
    standin: TelegramStandin, settings: Settings, catalog: Catalog, core: FakeCore
) -> None:
    async with _workers(make_context(settings, catalog, core), core) as senders:
        assert not any(isinstance(s.limiter, SharedRateLimiter) for s in senders)
        assert await _held_after_429(standin, senders) < 0.5
