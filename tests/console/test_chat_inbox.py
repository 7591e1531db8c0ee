"""The agent's inbox: who is waiting and what they last said, alerts, and the request's deadline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import update

from bot.core import Core
from bot.helpdesk.reading import PREVIEW_CHARS, Preview
from bot.storage.models import Message, Registration
from bot.storage.types import utcnow
from tests.console.support import add_user, client_for, login
from tests.console.test_chats import read_events
from tests.photos.factory import good_ktp_jpeg
from tests.support.chat import ChatDriver
from tests.support.helpdesk import at_nik_step, conversation
from tests.support.registration import register_until_summary

Client = TestClient[Any, Any]


async def _queue_items(client: Client) -> list[dict[str, Any]]:
    events = await client.get("/console/chats/events")
    try:
        (_, data, _) = (await read_events(events, "queue"))[-1]
        return list(data["items"])
    finally:
        events.close()


async def test_the_queue_shows_who_waits_and_their_last_words_masked(core: Core) -> None:
    await add_user(core, "siti", "agent")
    chat = ChatDriver(core, channel="telegram", display_name="Bu Aminah")
    await at_nik_step(chat)
    await chat.say("mau ngomong sama orang aja, NIK sy 3671014501900001 kok ditolak")
    async with client_for(core) as client:
        assert (await login(client, "siti")).status == 200
        [item] = await _queue_items(client)
        assert item["name"] == "Bu Aminah"
        assert "3671014501900001" not in item["preview"]
        assert item["preview"].startswith("mau ngomong sama orang aja, NIK sy ")
        page = await (await client.get("/console/chats")).text()
        assert "Bu Aminah" in page and "Pesan terakhir" in page
        assert "3671014501900001" not in page
        assert 'id="queue-alert"' in page  # the opt-in for a tone and a notification


async def test_a_photo_as_the_last_message_is_named_and_a_nameless_chat_says_so(
    core: Core,
) -> None:
    await add_user(core, "siti", "agent")
    chat = ChatDriver(core)  # the web chat sends no profile name
    await chat.say("petugas")
    await chat.photo(good_ktp_jpeg())
    async with client_for(core) as client:
        assert (await login(client, "siti")).status == 200
        [item] = await _queue_items(client)
        assert item["name"] is None and item["preview"] == "📷 Foto"
        assert "(tanpa nama)" in await (await client.get("/console/chats")).text()


def test_a_long_message_is_cut_to_a_preview_with_an_ellipsis() -> None:
    message = Message(kind="text")
    preview = Preview.of(message, {"text": "tolong   " + "bantu " * 40, "from_name": "Pak Budi"})
    assert len(preview.text) <= PREVIEW_CHARS and preview.text.endswith("u…")
    assert "  " not in preview.text and preview.name == "Pak Budi"


async def test_the_side_panel_shows_the_requests_deadline_and_says_when_it_passed(
    core: Core,
) -> None:
    await add_user(core, "siti", "agent")
    chat = ChatDriver(core)
    await register_until_summary(chat)
    await chat.tap("summary:send")
    await chat.say("saya mau bicara dengan petugas")
    conv = await conversation(core, chat)
    async with client_for(core) as client:
        assert (await login(client, "siti")).status == 200
        page = await (await client.get(f"/console/chats/{conv.id}")).text()
        assert 'id="citizen-deadline"' in page and "lewat batas" not in page
        async with core.uow() as uow:
            late = utcnow() - timedelta(hours=core.settings.verification_sla_hours + 1)
            await uow.session.execute(update(Registration).values(submitted_at=late))
            await uow.commit()
        page = await (await client.get(f"/console/chats/{conv.id}")).text()
        assert "lewat batas" in page


async def test_a_rejected_requests_reason_is_in_the_side_panel(core: Core) -> None:
    await add_user(core, "siti", "agent")
    chat = ChatDriver(core)
    await register_until_summary(chat)
    await chat.tap("summary:send")
    async with core.uow() as uow:
        await uow.session.execute(
            update(Registration).values(status="rejected", reject_reason="ktp_blurry")
        )
        await uow.commit()
    await chat.say("petugas")
    conv = await conversation(core, chat)
    async with client_for(core) as client:
        assert (await login(client, "siti")).status == 200
        page = await (await client.get(f"/console/chats/{conv.id}")).text()
        assert 'id="citizen-reject-reason"' in page and "foto KTP buram" in page
        assert 'id="citizen-deadline"' not in page
