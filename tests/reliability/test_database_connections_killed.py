"""PostgreSQL's connections killed (``pg_terminate_backend``) again and again during traffic.

Citizens keep registering on two workers while every connection the service holds is cut
several times a second. A webhook the workers could not store meanwhile is answered non-2xx,
so Telegram delivers it again: no message is lost, none answered twice, and once the cutting
stops the service serves on without a restart.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.e2e.test_telegram_e2e import Citizen
from tests.reliability.cluster import HoldingTelegram, cluster
from tests.support.prompts import label, opening

pytestmark = pytest.mark.timeout(180)
CITIZENS = 6
NAMES = ["Siti Aminah", "Budi Santoso", "Dewi Lestari", "Agus Salim", "Rina Wulandari",
         "Joko Susilo"]  # fmt: skip
NIKS = [f"36710141019000{i + 1:02d}" for i in range(CITIZENS)]


async def register_to_the_phone_step(citizen: Citizen, index: int) -> None:
    """Five turns of a registration, each waiting for its answer."""
    await citizen.say("/start daftar", expect=opening("consent-ask-whom"))
    await citizen.tap(label("btn-whom-self"), expect=opening("reg-ask-name"))
    await citizen.say(NAMES[index], expect=opening("reg-ask-nik"))
    await citizen.say(NIKS[index], expect=opening("reg-confirm-birthdate"))
    await citizen.tap(label("btn-correct"), expect=opening("reg-ask-phone"))


async def cut_connections(database_url: str, stop: asyncio.Event, every: float) -> int:
    """Terminate every other session on the service's database until ``stop``; count them."""
    url = make_url(database_url)
    killed = 0
    while not stop.is_set():
        conn = await asyncpg.connect(
            host=url.host, port=url.port or 5432, user=url.username, password=url.password,
            database=url.database,
        )  # fmt: skip
        try:
            killed += await conn.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND backend_type = 'client backend'"
            )
        finally:
            await conn.close()
        await asyncio.sleep(every)
    return killed


async def test_killed_connections_lose_nothing_and_the_service_recovers(tmp_path: Path) -> None:
    async with (
        HoldingTelegram(webhook_max_attempts=1000, webhook_retry_delay=0.05) as tg,
        cluster(tmp_path, tg) as fleet,
    ):
        workers = fleet.add_worker(), fleet.add_worker()
        await fleet.start(*workers)
        citizens = [Citizen(tg, 6_300_000 + i) for i in range(CITIZENS)]

        stop = asyncio.Event()
        cutter = asyncio.create_task(cut_connections(fleet.database_url, stop, 0.25))
        try:
            await asyncio.gather(
                *(register_to_the_phone_step(c, i) for i, c in enumerate(citizens))
            )
        except (TimeoutError, AssertionError) as exc:
            seen = "\n".join(repr([m.text for m in c.messages]) for c in citizens)
            raise AssertionError(f"{exc}\n{seen}\n{fleet.logs()}") from exc
        finally:
            stop.set()
            killed = await cutter
        assert killed >= 5, killed  # the connections were really cut, many times

        # Afterwards, without a restart: every webhook answered 200 and handled at once.
        answered = len(fleet.balancer.log)
        await asyncio.gather(
            *(c.share_phone(f"62812000000{i}", expect=opening("reg-ask-kecamatan"))
              for i, c in enumerate(citizens))
        )  # fmt: skip
        assert {f.status for f in fleet.balancer.log[answered:]} == {200}
        await tg.wait_for_idle()
        await asyncio.sleep(1.5)  # a reply sent twice would come now

        assert tg.webhook_dropped == []
        for citizen in citizens:
            for prompt in ("reg-ask-name", "reg-ask-nik", "reg-confirm-birthdate",
                           "reg-ask-phone", "reg-ask-kecamatan"):  # fmt: skip
                assert citizen.count(opening(prompt)) == 1, (prompt, fleet.logs())
        assert await fleet.count("SELECT count(*) FROM inbound_receipts") == CITIZENS * 6
        assert await fleet.count("SELECT count(*) FROM outbox WHERE status <> 'sent'") == 0
        sent = sum(len(c.messages) for c in citizens)
        assert await fleet.count("SELECT count(*) FROM outbox") == sent
        refused = [f.status for f in fleet.balancer.log if f.status >= 300]
        print(f"connections cut: {killed}; webhooks answered non-2xx meanwhile: {len(refused)}")
