"""A worker killed with SIGKILL in the middle of a citizen's photo: another worker takes over.

Two real workers on one PostgreSQL behind a balancer, Telegram in webhook mode. The first
worker is killed while it downloads the KTP photo of an update it has not answered; Telegram
(the stand-in) delivers the update again, the balancer hands it to the second worker, and the
registration goes on to its end. The update has one effect: one history entry, one reply.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.e2e.test_telegram_e2e import Citizen
from tests.photos.factory import GOOD_NIK, good_ktp_jpeg, good_selfie_jpeg
from tests.reliability.cluster import HoldingTelegram, cluster
from tests.support.prompts import label, opening

pytestmark = pytest.mark.timeout(180)
SITI = 6_200_001
WEBHOOK = "/webhooks/telegram"


async def walk_to_the_ktp_step(siti: Citizen) -> None:
    """Register up to the KTP photo, each message taken by whichever worker is next."""
    await siti.say("/start daftar", expect=opening("consent-ask-whom"))
    await siti.tap(label("btn-whom-self"), expect=opening("reg-ask-name"))
    await siti.say("Siti Aminah", expect=opening("reg-ask-nik"))
    await siti.say(GOOD_NIK, expect=opening("reg-confirm-birthdate"))
    await siti.tap(label("btn-correct"), expect=opening("reg-ask-phone"))
    await siti.share_phone("6281234567890", expect=opening("reg-ask-kecamatan"))
    await siti.tap("Cipondoh", expect=opening("reg-ask-kelurahan"))
    await siti.tap("Petir", expect=opening("reg-ask-ktp-photo"))


async def test_a_worker_killed_mid_update_loses_and_doubles_nothing(tmp_path: Path) -> None:
    async with (
        HoldingTelegram(webhook_max_attempts=500, webhook_retry_delay=0.05) as tg,
        cluster(tmp_path, tg) as fleet,
    ):
        first, second = fleet.add_worker(), fleet.add_worker()
        await fleet.start(first, second)
        siti = Citizen(tg, SITI)
        await walk_to_the_ktp_step(siti)
        assert {f.upstream for f in fleet.balancer.log if f.path == WEBHOOK} == {
            first.url, second.url,
        }  # any worker takes any webhook  # fmt: skip

        # The KTP photo reaches the first worker, which dies while fetching it from Telegram.
        fleet.balancer.upstreams = [first.url]
        tg.hold_downloads()
        before = len(siti.messages)
        siti.inputs += 1
        tg.push_update(tg.photo_update(SITI, good_ktp_jpeg(GOOD_NIK)))
        await asyncio.wait_for(tg.held.wait(), 30)
        fleet.kill(first)
        fleet.balancer.upstreams.append(second.url)
        tg.release_downloads()

        await siti.reply(opening("reg-ask-selfie"), before)
        assert fleet.balancer.statuses(WEBHOOK)[-2:] == [502, 200], fleet.balancer.log[-3:]
        await siti.photo(good_selfie_jpeg(), expect=opening("reg-summary"), as_document=True)
        await siti.tap(label("btn-send"), expect="Nomor pendaftaran")
        await tg.wait_for_idle()

        assert siti.count(opening("reg-ask-selfie")) == 1
        assert siti.count("Nomor pendaftaran") == 1
        photos = "SELECT count(*) FROM messages WHERE direction = 'in' AND kind = 'photo'"
        assert await fleet.count(photos) == 2, fleet.logs()  # the KTP once, the selfie once
        assert await fleet.count("SELECT count(*) FROM inbound_receipts") == siti.inputs
        submitted = "SELECT count(*) FROM registrations WHERE status = 'submitted'"
        assert await fleet.count(submitted) == 1
        assert await fleet.count("SELECT count(*) FROM documents") == 2
        # Every queued reply went out once: as many sends as outbox rows, all marked sent (a
        # send is recorded just after the platform answered it, so give the last one a moment).
        unsent = "SELECT count(*) FROM outbox WHERE status <> 'sent'"
        for _ in range(100):
            if await fleet.count(unsent) == 0:
                break
            await asyncio.sleep(0.1)
        assert await fleet.count(unsent) == 0
        assert await fleet.count("SELECT count(*) FROM outbox") == len(siti.messages)
        assert tg.webhook_dropped == []
