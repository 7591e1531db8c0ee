"""Replies queued by a worker that is then killed are sent by another worker, each once.

The first worker answers three citizens while Telegram refuses every send (flood control), so
their replies wait in the outbox; it is killed with SIGKILL before it could send any. A second
worker, started afterwards on the same database, sends every one of them exactly once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from tests.e2e.test_telegram_e2e import Citizen
from tests.reliability.cluster import Cluster, HoldingTelegram, cluster
from tests.support.prompts import label, opening

pytestmark = pytest.mark.timeout(180)
CITIZENS = 3
PENDING = "SELECT count(*) FROM outbox WHERE status = 'pending'"
# Each chat's first reply was refused and waits a few seconds for its next try.
REFUSED = PENDING + " AND last_error IS NOT NULL"
# Leased to a send in flight (for a minute): then the worker is not between tries.
IN_FLIGHT = PENDING + " AND next_attempt_at > now() + interval '30 seconds'"


async def test_queued_replies_survive_a_killed_worker_and_go_out_once(tmp_path: Path) -> None:
    async with (
        HoldingTelegram(webhook_max_attempts=500, webhook_retry_delay=0.05) as tg,
        cluster(tmp_path, tg) as fleet,
    ):
        first, second = fleet.add_worker(), fleet.add_worker()
        await fleet.start(first)
        citizens = [Citizen(tg, 6_400_000 + i) for i in range(CITIZENS)]

        tg.fail_next("sendMessage", 429, retry_after=5, times=10_000)
        for citizen in citizens:
            tg.push_update(tg.text_update(citizen.chat_id, "/start daftar"))
        await tg.wait_until(lambda: len(tg.delivered_update_ids) == CITIZENS, 30)
        queued = await waiting_replies(fleet)
        fleet.kill(first)
        assert sum(len(c.messages) for c in citizens) == 0  # nothing went out before the kill

        tg.clear_failures()
        await fleet.start(second)
        for citizen in citizens:
            await citizen.reply(opening("consent-ask-whom"))
        await tg.wait_until(lambda: sum(len(c.messages) for c in citizens) >= queued, 60)
        await asyncio.sleep(2)  # a second copy of any of them would come now
        assert sum(len(c.messages) for c in citizens) == queued
        for citizen in citizens:
            texts = Counter(m.text for m in citizen.messages)
            assert max(texts.values()) == 1, texts  # each reply once
        assert await fleet.count(PENDING) == 0

        # The second worker carries the conversations on.
        await asyncio.gather(
            *(c.tap(label("btn-whom-self"), expect=opening("reg-ask-name")) for c in citizens)
        )
        await tg.wait_for_idle()
        for _ in range(50):
            if await fleet.count("SELECT count(*) FROM outbox WHERE status <> 'sent'") == 0:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("replies left unsent")


async def waiting_replies(fleet: Cluster) -> int:
    """Wait until every queued reply was refused once and waits for its next try; count them."""
    for _ in range(300):
        queued = await fleet.count(PENDING)
        refused, in_flight = await fleet.count(REFUSED), await fleet.count(IN_FLIGHT)
        if queued >= 2 * CITIZENS and refused == CITIZENS and in_flight == 0:
            return queued
        await asyncio.sleep(0.05)
    raise AssertionError(f"replies not queued: {await fleet.count(PENDING)}")
