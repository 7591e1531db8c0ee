"""The dispatchers' loop: rounds back to back while busy, a wake-up or a poll otherwise."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.drain import drain_forever

log = logging.getLogger(__name__)


async def test_a_failing_round_is_logged_and_a_wake_up_starts_the_next(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rounds: list[str] = []
    wake = asyncio.Event()
    answers = iter(["fail", 3, 0, 0])

    async def drain_once() -> int:
        answer = next(answers)
        rounds.append(str(answer))
        if answer == "fail":
            raise RuntimeError("database away")
        return int(answer)

    loop = asyncio.create_task(drain_forever(drain_once, wake, 60.0, log=log, what="test"))
    try:
        for _ in range(50):  # the failed round waits for a wake-up (the poll is a minute)
            await asyncio.sleep(0.01)
        assert rounds == ["fail"]
        wake.set()  # busy (3) runs the next round at once; idle (0) waits again
        for _ in range(50):
            await asyncio.sleep(0.01)
        assert rounds == ["fail", "3", "0"]
    finally:
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)
    assert "test drain failed" in caplog.text


async def test_an_idle_loop_polls() -> None:
    rounds = 0

    async def drain_once() -> int:
        nonlocal rounds
        rounds += 1
        return 0

    loop = asyncio.create_task(drain_forever(drain_once, asyncio.Event(), 0.01, log=log, what="t"))
    await asyncio.sleep(0.2)
    loop.cancel()
    await asyncio.gather(loop, return_exceptions=True)
    assert rounds >= 3
