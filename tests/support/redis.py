"""The real Redis for tests: a unique key prefix per test, its keys deleted afterwards."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from redis.asyncio import Redis

DEFAULT_URL = "redis://127.0.0.1:6379/0"


def redis_url() -> str:
    """Return the URL of the Redis tests may use (CI runs one and requires it)."""
    return os.environ.get("TLIVE_TEST_REDIS_URL", DEFAULT_URL)


@asynccontextmanager
async def redis_prefix() -> AsyncIterator[tuple[Redis, str]]:
    """Yield a client and a key prefix no other test uses; delete the prefix's keys after."""
    client = Redis.from_url(redis_url(), socket_timeout=5)
    try:
        await client.ping()
    except Exception as exc:
        await client.aclose()
        reason = f"Redis not reachable at {redis_url()}: {exc}"
        if os.environ.get("TLIVE_TEST_REQUIRE_REDIS"):
            pytest.fail(reason)
        pytest.skip(reason)
    prefix = f"tlive-test:{secrets.token_hex(6)}:"
    try:
        yield client, prefix
    finally:
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()
