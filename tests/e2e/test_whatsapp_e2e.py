"""End to end: the real service (``tlive-bot serve``) against the Graph API stand-in.

Configured only through ``TLIVE_WHATSAPP_*`` like a city would, the service passes Meta's
verification handshake; Siti registers with real-looking photos (the KTP as a photo, the selfie
as an image document), reply buttons, a list and a typed number, while Budi talks at the same
time. Along the way: Meta redelivers a message, forged notifications arrive, a batch carries two
entries with messages, a status and a reaction. The rejection reaches Siti after the 24-hour
window as the approved template; a failed-delivery callback and a 131047 refusal are recorded,
not dropped. Finally the service's log holds no traceback, phone number, NIK or message text.
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select

from bot.config import load_settings
from bot.core import Core, build_core
from bot.services.notifications import decision_reply
from bot.storage.models import OutboxItem
from bot.storage.types import utcnow
from tests.conftest import SECRET
from tests.photos.factory import GOOD_NIK, good_ktp_jpeg, good_selfie_jpeg
from tests.standins.graph_api import (
    GraphApiStandIn,
    WhatsAppUser,
    button_ids,
    post_webhook,
    sign,
    text_of,
)
from tests.support.service import Service

pytestmark = pytest.mark.timeout(240)
APP_SECRET = "e2e-app-secret-7f3a"
VERIFY_TOKEN = "e2e-verify-token-19c2"
SITI, BUDI = "6281298765432", "6285700001111"


async def _outbox(core: Core, wa_id: str, status: str = "pending") -> list[OutboxItem]:
    async with core.uow() as uow:
        conv = await uow.conversations.find("whatsapp", wa_id)
        if conv is None:
            return []
        query = select(OutboxItem).where(
            OutboxItem.conversation_id == conv.id, OutboxItem.status == status
        )
        return list((await uow.session.execute(query.order_by(OutboxItem.id))).scalars())


async def _pending(core: Core, wa_id: str) -> int:
    return len(await _outbox(core, wa_id))


def _user(
    graph: GraphApiStandIn, core: Core, http: aiohttp.ClientSession, url: str, wa_id: str
) -> WhatsAppUser:
    async def pending() -> int:
        return await _pending(core, wa_id)

    webhooks = graph.webhooks
    webhooks.names.update({SITI: "Siti Aminah", BUDI: "Budi Santoso"})
    return WhatsAppUser(graph, webhooks, http, url, APP_SECRET, wa_id, pending=pending)


async def test_whatsapp_as_the_city_runs_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    async with GraphApiStandIn() as graph:
        env = {
            "TLIVE_SECRET_KEY": SECRET,
            "TLIVE_WHATSAPP_TOKEN": graph.token,
            "TLIVE_WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
            "TLIVE_WHATSAPP_APP_SECRET": APP_SECRET,
            "TLIVE_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "TLIVE_WHATSAPP_API_BASE": graph.api_base,
        }
        service = Service(env, data_dir)
        service.env["TLIVE_PUBLIC_URL"] = service.url
        await service.start()
        # The verifier's side: the same database, as the console will use it.
        core = build_core(load_settings(data_dir=data_dir, secret_key=SECRET), ocr=False)
        core.services.delivery.push_channels.add("whatsapp")
        try:
            async with aiohttp.ClientSession() as http:
                url = f"{service.url}/webhooks/whatsapp"
                await _handshake(http, url)
                siti = _user(graph, core, http, url, SITI)
                budi = _user(graph, core, http, url, BUDI)
                reference = await _conversation(siti, budi, http, url)
                await _rejection_outside_the_window(core, siti, reference)
                await _failures_are_recorded(core, siti, budi, http, url)
        finally:
            await core.db.dispose()
            await service.stop()
        assert graph.rejected == [], graph.rejected
        log = service.log()
        assert "Traceback" not in log, log
        for secret in (SITI, BUDI, SITI[2:], GOOD_NIK, "Siti Aminah"):
            assert secret not in log, f"{secret!r} leaked into the log"


async def _handshake(http: aiohttp.ClientSession, url: str) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "8311"}
    async with http.get(url, params=params) as resp:
        assert (resp.status, await resp.text()) == (200, "8311")
    async with http.get(url, params={**params, "hub.verify_token": "tebakan"}) as resp:
        assert resp.status == 403


async def _conversation(
    siti: WhatsAppUser, budi: WhatsAppUser, http: aiohttp.ClientSession, url: str
) -> str:
    w = siti.webhooks
    # Siti writes "daftar" from the city's poster while Budi says hello.
    consent, menu = await asyncio.gather(siti.text("daftar"), budi.text("halo"))
    assert [i for i in button_ids(consent) if i != "voice:listen"] == [
        "consent:more",
        "consent:yes",
        "consent:family",
        "consent:no",
    ]
    assert [m["interactive"]["type"] for m in menu if m["type"] == "interactive"] == ["list"]
    await siti.tap("consent:yes")
    await siti.text("Siti Aminah")

    nik = w.text(SITI, GOOD_NIK)
    birth = await siti.send(nik)
    assert "birth:yes" in button_ids(birth)
    # Meta delivers the NIK again (our 200 got lost): one effect only.
    status, _ = await post_webhook(http, url, w.messages(nik), app_secret=APP_SECRET)
    assert status == 200
    assert await siti.answers(expect=False) == []

    phone = await siti.tap("birth:yes")
    assert "+6281298765432" in text_of(phone)
    kecamatan = await siti.tap("phone:yes")
    assert kecamatan[-1]["type"] == "text"  # 13 choices → numbered menu
    kelurahan = await siti.pick_number("Karang Tengah")
    assert kelurahan[-1]["interactive"]["type"] == "list"
    doctype = await siti.tap(button_ids(kelurahan)[0])
    ask_ktp = await siti.tap(button_ids(doctype)[0])
    assert any(m["type"] == "image" for m in ask_ktp)  # the example picture

    # Forged notifications change nothing.
    forged = w.messages(w.text(SITI, "batal"))
    for signature in (None, sign(b"{}", APP_SECRET), "sha256=" + "ab" * 32):
        status, _ = await post_webhook(
            http, url, forged, app_secret=APP_SECRET, signature=signature
        )
        assert status in (401, 403)
    assert await siti.answers(expect=False) == []

    await siti.photo(good_ktp_jpeg())
    summary = await siti.photo(good_selfie_jpeg(), as_document=True)
    assert "summary:send" in button_ids(summary), text_of(summary)
    done = await siti.tap("summary:send")
    assert siti.inputs <= 12, siti.inputs
    match = re.search(r"TL[-\w]+", text_of(done))
    assert match, text_of(done)

    # One notification, two entries: Budi's choice, a read receipt and Siti's 👍 reaction.
    sent_to_siti = siti.graph.messages_to(SITI)
    assert sent_to_siti
    batch = w.notification(
        w.entry(w.value(messages=[w.list_reply(BUDI, "menu:faq", "Tanya")])),
        w.entry(
            w.value(statuses=[w.status("wamid.unknown", "read", SITI)]),
            w.value(messages=[w.reaction(SITI, "wamid.unknown")]),
        ),
    )
    status, _ = await post_webhook(http, url, batch, app_secret=APP_SECRET)
    assert status == 200
    assert await budi.answers()
    assert await siti.answers(expect=False) == []  # a reaction is not answered
    return match.group(0)


async def _rejection_outside_the_window(core: Core, siti: WhatsAppUser, reference: str) -> None:
    async with core.uow() as uow:
        conv = await uow.conversations.find("whatsapp", SITI)
        assert conv is not None and conv.citizen_id is not None
        conv.last_inbound_at = utcnow() - timedelta(hours=30)
        reg = await uow.registrations.latest_for_citizen(conv.citizen_id)
        assert reg is not None and reg.reference == reference
        decision = await core.services.registrations.decide(
            uow, reg.id, approve=False, reason="ktp_blurry", note=None, actor="verifikator-1"
        )
        await core.services.delivery.deliver(
            uow, conv, decision_reply(core.catalog, core.settings, decision.registration)
        )
        await uow.commit()
    [message] = await siti.answers()
    assert message["type"] == "template"
    assert message["template"]["name"] == "verifikasi_ditolak"
    params = [p["text"] for p in message["template"]["components"][0]["parameters"]]
    assert params == [reference, "foto KTP buram"]


async def _failures_are_recorded(
    core: Core, siti: WhatsAppUser, budi: WhatsAppUser, http: aiohttp.ClientSession, url: str
) -> None:
    # Meta reports later that the template could not be delivered.
    [sent] = (await _outbox(core, SITI, "sent"))[-1:]
    assert sent.external_key
    failed = siti.webhooks.failed_status(siti.graph.last_id_to(SITI), SITI, 131026)
    status, _ = await post_webhook(http, url, siti.webhooks.statuses(failed), app_secret=APP_SECRET)
    assert status == 200
    [row] = [r for r in await _outbox(core, SITI, "sent") if r.id == sent.id]
    assert (row.delivery_status, row.last_error) == ("failed", "131026 Message Undeliverable")

    # Meta refuses free text with 131047 and the reply has no template: kept as failed, not lost.
    budi.graph.fail_next(400, 131047)
    status, _ = await post_webhook(
        http, url, budi.webhooks.messages(budi.webhooks.text(BUDI, "status")), app_secret=APP_SECRET
    )
    assert status == 200
    await budi.answers(expect=False)
    failed_rows = await _outbox(core, BUDI, "failed")
    assert len(failed_rows) == 1
    assert "24-hour window" in (failed_rows[0].last_error or "")
