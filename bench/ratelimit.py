"""Benchmark: what a send's rate-limit slot costs, per process and shared through Redis.

Builds the limiters the way the service does (``bot.core`` / ``bot.app.channel_context``) with
a rate high enough that nobody waits, so only the bookkeeping is measured.

    .venv/bin/python bench/ratelimit.py [--redis redis://127.0.0.1:6379/0] [--slots 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import channel_context
from bot.config import load_settings
from bot.core import build_core
from bot.engine.ratelimit import RateLimiter


async def _one_by_one(limiter: RateLimiter, slots: int) -> list[float]:
    times = []
    for i in range(slots):
        started = time.perf_counter()
        async with limiter.slot(f"chat{i % 500}"):
            pass
        times.append(time.perf_counter() - started)
    return sorted(times)


async def _at_once(limiter: RateLimiter, slots: int) -> float:
    async def one(i: int) -> None:
        async with limiter.slot(f"chat{i % 500}"):
            pass

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(slots)))
    return slots / (time.perf_counter() - started)


async def main(redis_url: str, slots: int) -> None:
    """Print the cost of a slot with and without Redis."""
    with tempfile.TemporaryDirectory() as data:
        for label, url in (("per process", None), ("shared (Redis)", redis_url)):
            settings = load_settings(
                data_dir=Path(data), secret_key=secrets.token_urlsafe(48), redis_url=url
            )
            core = build_core(settings, ocr=False)
            # A fresh account per run: nothing left over from an earlier one.
            make = channel_context(core).rate_limiter
            limiter = make("telegram", secrets.token_hex(4), 1e6, 0.0)
            times = await _one_by_one(limiter, slots)
            rate = await _at_once(limiter, slots)
            p50, p99 = times[len(times) // 2], times[int(len(times) * 0.99)]
            print(
                f"{label:15} one at a time: p50 {p50 * 1e6:6.0f} µs  p99 {p99 * 1e6:6.0f} µs"
                f"   {slots} at once: {rate:8.0f} slots/s"
            )
            if core.redis is not None:
                await core.redis.aclose()
            await core.db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--slots", type=int, default=3000)
    args = parser.parse_args()
    asyncio.run(main(args.redis, args.slots))
