"""End to end: the real service (``build_app``) against the Graph API stand-in.

A simulated citizen registers over WhatsApp with real-looking photos, button and list taps
and a typed number; the verifier's decision is delivered inside and outside the 24-hour
window; duplicates, a forged signature and a batch payload are sent like Meta would.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core import Core
from bot.services.notifications import decision_reply
from bot.storage.types import utcnow
from tests.integrations.whatsapp.conftest import APP_SECRET, PUBLIC_URL, Env, running_service
from tests.photos.factory import GOOD_NIK, good_ktp_jpeg, good_selfie_jpeg
from tests.standins.graph_api import (
    GraphApiStandIn,
    WhatsAppUser,
    button_ids,
    post_webhook,
    sign,
    text_of,
)

pytestmark = pytest.mark.timeout(180)
CITIZEN = "6281298765432"


@pytest.fixture
async def env(tmp_path: Path, graph: GraphApiStandIn) -> AsyncIterator[Env]:
    """Run the whole service with the citizen's WhatsApp profile name set."""
    async with running_service(tmp_path, graph) as running:
        running.webhooks.names[CITIZEN] = "Siti Aminah"
        yield running


async def _register(citizen: WhatsAppUser) -> str:
    """Go through the whole registration; return the reference number."""
    consent = await citizen.text("daftar")
    assert [i for i in button_ids(consent) if i != "voice:listen"] == [
        "consent:more",
        "consent:yes",
        "consent:family",
        "consent:no",
    ]
    await citizen.tap("consent:yes")
    await citizen.text("Siti Aminah")
    birth = await citizen.text(GOOD_NIK)
    assert "birth:yes" in button_ids(birth)
    phone = await citizen.tap("birth:yes")
    assert "+6281298765432" in text_of(phone)  # WhatsApp vouches for the number
    kecamatan = await citizen.tap("phone:yes")
    assert kecamatan[-1]["type"] == "text"  # 13 kecamatan → numbered menu
    kelurahan = await citizen.pick_number("Karang Tengah")
    assert kelurahan[-1]["interactive"]["type"] == "list"
    row = kelurahan[-1]["interactive"]["action"]["sections"][0]["rows"][0]["id"]
    doctype = await citizen.tap(row)
    ask_ktp = await citizen.tap(button_ids(doctype)[0])
    example = [m for m in ask_ktp if m["type"] == "image"]
    assert example and example[0]["image"]["link"].startswith(PUBLIC_URL + "/static/")
    ask_selfie = await citizen.photo(good_ktp_jpeg())
    assert any(m["type"] == "image" for m in ask_selfie), text_of(ask_selfie)
    summary = await citizen.photo(good_selfie_jpeg(), as_document=True)
    assert "summary:send" in button_ids(summary), text_of(summary)
    done = await citizen.tap("summary:send")
    match = re.search(r"TL[-\w]+", text_of(done))
    assert match, text_of(done)
    return match.group(0)


async def _decide(core: Core, wa_id: str, *, approve: bool, reason: str | None = None) -> None:
    """Record a verifier's decision and queue the citizen's notification, like the console."""
    async with core.uow() as uow:
        conv = await uow.conversations.find("whatsapp", wa_id)
        assert conv is not None and conv.citizen_id is not None
        reg = await uow.registrations.latest_for_citizen(conv.citizen_id)
        assert reg is not None
        decision = await core.services.registrations.decide(
            uow, reg.id, approve=approve, reason=reason, note=None, actor="verifier-e2e"
        )
        await core.services.delivery.deliver(
            uow, conv, decision_reply(core.catalog, core.settings, decision.registration)
        )
        await uow.commit()


async def _age_conversation(core: Core, wa_id: str, hours: float) -> None:
    async with core.uow() as uow:
        conv = await uow.conversations.find("whatsapp", wa_id)
        assert conv is not None
        conv.last_inbound_at = utcnow() - timedelta(hours=hours)
        await uow.commit()


async def test_full_registration_in_at_most_twelve_inputs(env: Env) -> None:
    citizen = env.citizen(CITIZEN)
    reference = await _register(citizen)
    assert citizen.inputs <= 12
    assert reference
    assert env.graph.rejected == []
    assert env.graph.unauthorized == 0
    async with env.core.uow() as uow:
        conv = await uow.conversations.find("whatsapp", CITIZEN)
        assert conv is not None and conv.citizen_id is not None
        reg = await uow.registrations.latest_for_citizen(conv.citizen_id)
        assert reg is not None and reg.status == "submitted"
        assert {d.kind for d in await uow.documents.list_for(reg.id)} == {"ktp", "selfie"}
        assert uow.registrations.read_data(reg)["phone"].endswith("81298765432")


async def test_decision_inside_window_is_a_normal_message(env: Env) -> None:
    citizen = env.citizen(CITIZEN)
    reference = await _register(citizen)
    await _decide(env.core, CITIZEN, approve=True)
    [message] = await citizen.answers()
    assert message["type"] == "interactive"
    assert reference in message["interactive"]["body"]["text"]
    assert env.graph.templates == []


async def test_decision_outside_window_is_the_template(env: Env) -> None:
    citizen = env.citizen(CITIZEN)
    reference = await _register(citizen)
    await _age_conversation(env.core, CITIZEN, hours=30)
    await _decide(env.core, CITIZEN, approve=False, reason="ktp_blurry")
    [message] = await citizen.answers()
    assert message["type"] == "template"
    template = message["template"]
    assert template["name"] == "verifikasi_ditolak"
    assert template["language"] == {"code": "id"}
    params = [p["text"] for p in template["components"][0]["parameters"]]
    assert params == [reference, "foto KTP buram"]


async def test_reengagement_error_turns_into_the_template(env: Env) -> None:
    citizen = env.citizen(CITIZEN)
    await _register(citizen)
    env.graph.fail_next(400, 131047)
    await _decide(env.core, CITIZEN, approve=True)
    [message] = await citizen.answers()
    assert message["type"] == "template"
    assert message["template"]["name"] == "verifikasi_disetujui"


async def test_late_reengagement_failure_sends_the_template(env: Env) -> None:
    citizen = env.citizen(CITIZEN)
    await _register(citizen)
    await _decide(env.core, CITIZEN, approve=True)
    [message] = await citizen.answers()
    assert message["type"] != "template"  # inside the window: a normal message
    wamid = env.graph.last_id_to(CITIZEN)
    # Meta accepted it, then reports that the window had closed after all.
    w = env.webhooks
    payload = w.notification(w.entry(w.value(statuses=[w.failed_status(wamid, CITIZEN)])))
    assert (await post_webhook(env.session, env.url, payload, app_secret=APP_SECRET))[0] == 200
    [retry] = await citizen.answers()
    assert retry["type"] == "template"
    assert retry["template"]["name"] == "verifikasi_disetujui"


async def test_duplicates_forgeries_and_batches(env: Env) -> None:
    w = env.webhooks
    first = w.text(CITIZEN, "menu")
    payload = w.messages(first)
    citizen = env.citizen(CITIZEN)
    assert (await post_webhook(env.session, env.url, payload, app_secret=APP_SECRET))[0] == 200
    menu = await citizen.answers()
    assert "menu:register" in button_ids(menu)
    # Meta retries the same notification: answered 200, nothing new is said.
    assert (await post_webhook(env.session, env.url, payload, app_secret=APP_SECRET))[0] == 200
    assert await citizen.answers(expect=False) == []
    # A forged notification is refused and changes nothing.
    forged = w.messages(w.text(CITIZEN, "daftar"))
    status, _ = await post_webhook(
        env.session, env.url, forged, app_secret=APP_SECRET, signature=sign(b"{}", APP_SECRET)
    )
    assert status == 403
    status, _ = await post_webhook(
        env.session, env.url, forged, app_secret=APP_SECRET, signature=None
    )
    assert status == 401
    assert await citizen.answers(expect=False) == []
    # A batch: two entries, two citizens, a status and a reaction; everyone gets an answer.
    other = env.citizen("6285700001111")
    sent_wamid = "wamid.sent-earlier"
    batch = w.notification(
        w.entry(
            w.value(messages=[w.text(other.wa_id, "halo")]),
            w.value(statuses=[w.status(sent_wamid, "read", CITIZEN)]),
        ),
        w.entry(
            w.value(
                messages=[
                    w.reaction(CITIZEN, sent_wamid),
                    w.list_reply(CITIZEN, "menu:faq", "Tanya"),
                ]
            )
        ),
    )
    assert (await post_webhook(env.session, env.url, batch, app_secret=APP_SECRET))[0] == 200
    assert await other.answers()
    assert await citizen.answers()
    # A voice note gets a kind explanation, not silence.
    voice = await citizen.send(w.audio(CITIZEN))
    assert text_of(voice)
    assert env.graph.rejected == []
