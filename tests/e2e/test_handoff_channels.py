"""End to end: the real service (``tlive-bot serve``) hands citizens to a person and back.

On every channel — the web chat, Telegram (Bot API stand-in) and WhatsApp (Graph API stand-in) —
a citizen in the middle of registering asks for a person; an agent system takes the chat through
``/api/v1/conversations`` with a token made by ``tlive-bot token create``, the two exchange
messages and photos, the agent hands back and the bot asks the same step again; a second request
is closed and the citizen's rating is stored. On WhatsApp the agent's reply after the 24-hour
window goes out as the ``balasan_petugas`` template, and a failed delivery shows in the chat.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.config import load_settings
from bot.core import Core, build_core
from bot.i18n import Catalog
from bot.storage.models import OutboxItem, Rating
from bot.storage.types import utcnow
from tests.conftest import SECRET
from tests.console.support import jpeg
from tests.e2e.test_webchat_registration import WebCitizen
from tests.photos.factory import GOOD_NIK
from tests.standins.graph_api import GraphApiStandIn, WhatsAppUser, post_webhook, text_of
from tests.standins.telegram_api import TelegramStandin
from tests.support.service import Service

pytestmark = pytest.mark.timeout(240)
APP_SECRET = "e2e-app-secret-handoff"
VERIFY_TOKEN = "e2e-verify-handoff"
WA_CITIZEN = "6281298760001"
TG_CITIZEN = 6_200_001


class AgentSystem:
    """The city's helpdesk tool, working chats through the API with one bearer token."""

    def __init__(self, http: aiohttp.ClientSession, base: str, token: str) -> None:
        self.http = http
        self.base = f"{base}/api/v1"
        self.headers = {"Authorization": f"Bearer {token}"}

    async def call(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        """Call the API; return the status and the JSON body."""
        async with self.http.request(
            method, self.base + path, headers=self.headers, **kwargs
        ) as resp:
            return resp.status, await resp.json()

    async def waiting(self, channel: str) -> dict[str, Any]:
        """Wait until a chat of ``channel`` waits in the queue; return it."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            _, body = await self.call("GET", "/conversations?mode=queued")
            found = [i for i in body["items"] if i["channel"] == channel]
            if found:
                return found[0]
            await asyncio.sleep(0.1)
        raise AssertionError(f"no {channel} chat in the queue")

    async def act(self, conv_id: int, action: str, expect: int = 200, **kwargs: Any) -> Any:
        """POST an action (claim, messages, release, close) and check its status."""
        status, body = await self.call("POST", f"/conversations/{conv_id}/{action}", **kwargs)
        assert status == expect, (action, status, body)
        return body

    async def say(self, conv_id: int, text: str) -> int:
        """Send the citizen a text; return its sequence number."""
        return (await self.act(conv_id, "messages", 201, json={"text": text}))["seq"]

    async def photo(self, conv_id: int, data: bytes, caption: str = "") -> int:
        """Send the citizen a photo."""
        form = aiohttp.FormData()
        form.add_field("text", caption)
        form.add_field("photo", data, filename="contoh.jpg", content_type="image/jpeg")
        return (await self.act(conv_id, "messages", 201, data=form))["seq"]

    async def chat(self, conv_id: int) -> dict[str, Any]:
        """Read the chat with its history."""
        status, body = await self.call("GET", f"/conversations/{conv_id}")
        assert status == 200, body
        return body

    async def until(self, conv_id: int, check: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """Re-read the chat until ``check`` holds."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            body = await self.chat(conv_id)
            if check(body):
                return body
            await asyncio.sleep(0.1)
        raise AssertionError(f"chat {conv_id} never reached the expected state")


async def _agent_token(service: Service) -> str:
    done = await asyncio.to_thread(
        service.cli, "token", "create", "crm-helpdesk", "--role", "agent"
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[0]


async def _ratings(data_dir: Path) -> list[Rating]:
    core = build_core(load_settings(data_dir=data_dir, secret_key=SECRET), ocr=False)
    try:
        async with core.uow() as uow:
            return list((await uow.session.execute(select(Rating))).scalars())
    finally:
        await core.db.dispose()


def _texts(chat: dict[str, Any], direction: str = "in") -> list[str]:
    return [m["text"] for m in chat["messages"] if m["direction"] == direction]


def _has_citizen_photo(chat: dict[str, Any]) -> bool:
    return any(m["kind"] == "photo" and m["direction"] == "in" for m in chat["messages"])


def _delivery(chat: dict[str, Any], seq: int) -> str | None:
    found = [m["delivery"] for m in chat["messages"] if m["seq"] == seq and m["delivery"]]
    return found[0]["state"] if found else None


# --- web chat ----------------------------------------------------------------------------------


class Citizen(WebCitizen):
    """A web chat citizen who also polls for what agents send."""

    async def poll(self) -> list[dict[str, Any]]:
        async with self.http.get(self.url, params={"after": str(self.last_seq)}) as resp:
            body = await resp.json()
        self.last_seq = max(self.last_seq, body["last_seq"])
        return body["replies"]

    async def until(self, want: Callable[[list[dict[str, Any]]], bool]) -> list[dict[str, Any]]:
        seen: list[dict[str, Any]] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            seen += await self.poll()
            if want(seen):
                return seen
            await asyncio.sleep(0.1)
        raise AssertionError(f"never arrived: {seen}")


async def test_web_chat_citizen_reaches_a_person_and_comes_back(tmp_path: Path) -> None:
    service = Service({"TLIVE_SECRET_KEY": SECRET}, tmp_path / "data")
    await service.start()
    try:
        async with aiohttp.ClientSession() as http:
            agent = AgentSystem(http, service.url, await _agent_token(service))
            citizen = Citizen(http, service.url)
            await citizen.open()
            await citizen.say("daftar")
            await citizen.tap("consent:yes")
            await citizen.say("Siti Aminah")
            await citizen.say("bicara dengan petugas")
            assert "Antrean Bapak/Ibu: nomor 1" in citizen.text
            conv_id = (await agent.waiting("web"))["id"]
            await agent.act(conv_id, "claim")
            joined = await citizen.until(lambda r: any("bergabung" in m["text"] for m in r))
            assert joined[-1]["from"] == "system"

            await agent.say(conv_id, "Halo Bu Siti, ada yang bisa dibantu?")
            await agent.photo(conv_id, jpeg((30, 90, 160)), "Contohnya seperti ini.")
            got = await citizen.until(lambda r: sum(m["from"] == "agent" for m in r) >= 2)
            photo = [m for m in got if m["from"] == "agent"][-1]
            async with http.get(service.url + photo["image_url"]) as resp:
                assert resp.status == 200 and (await resp.read()).startswith(b"\xff\xd8")

            assert await citizen.say("NIK saya tidak diterima, ini KTP saya") == []
            assert await citizen.photo(jpeg((200, 100, 50))) == []  # the bot stays silent
            chat = await agent.until(conv_id, _has_citizen_photo)
            assert "NIK saya tidak diterima, ini KTP saya" in _texts(chat)
            assert chat["citizen"]["step"] == "nik" and chat["citizen"]["full_name"]
            their_photo = next(m for m in chat["messages"] if m["kind"] == "photo")
            async with http.get(service.url + their_photo["media_url"], headers=agent.headers) as r:
                assert r.status == 200 and (await r.read()).startswith(b"\xff\xd8")

            await agent.act(conv_id, "release")
            back = await citizen.until(lambda r: any("Langkah 2 dari 8" in m["text"] for m in r))
            assert any("kembali dilayani asisten" in m["text"] for m in back)
            await citizen.say(GOOD_NIK)
            assert "Langkah 3 dari 8" in citizen.text  # the form went on from where it was

            await citizen.say("petugas")
            await agent.act(conv_id, "claim")
            await agent.act(conv_id, "close")
            rate = await citizen.until(lambda r: any(b["id"] == "rate:4" for m in r
                                                     for b in m["buttons"]))  # fmt: skip
            citizen.replies = rate
            await citizen.tap("rate:4")
            assert "Terima kasih atas penilaian" in citizen.text
    finally:
        await service.stop()
    assert [r.score for r in await _ratings(tmp_path / "data")] == [4]
    assert "Traceback" not in service.log(), service.log()


# --- Telegram ----------------------------------------------------------------------------------


async def test_telegram_citizen_reaches_a_person_and_comes_back(tmp_path: Path) -> None:
    async with TelegramStandin() as tg:
        env = {"TLIVE_SECRET_KEY": SECRET, "TLIVE_TELEGRAM_TOKEN": tg.token,
               "TLIVE_TELEGRAM_API_BASE": tg.api_base}  # fmt: skip
        service = Service(env, tmp_path / "data")
        await service.start()
        await tg.wait_for_call("getUpdates", timeout=30)
        sent = tg.sent[str(TG_CITIZEN)]

        async def reply(action: Callable[[], object], has: str) -> Any:
            start = len(sent)
            done = action()
            if asyncio.iscoroutine(done):
                await done
            await tg.wait_until(lambda: any(has in (m.text or "") or has in m.labels
                                            for m in sent[start:]), 30)  # fmt: skip
            return next(m for m in sent[start:] if has in (m.text or "") or has in m.labels)

        try:
            async with aiohttp.ClientSession() as http:
                agent = AgentSystem(http, service.url, await _agent_token(service))
                agree = Catalog().text("btn-whom-self")  # agreeing, for herself
                await reply(lambda: tg.push_text(TG_CITIZEN, "daftar"), agree)
                await reply(lambda: tg.tap(TG_CITIZEN, agree), "Langkah 1 dari 8")
                await reply(lambda: tg.push_text(TG_CITIZEN, "Budi Santoso"), "Langkah 2 dari 8")
                await reply(lambda: tg.push_voice(TG_CITIZEN), "pesan suara")
                item = await agent.waiting("telegram")
                assert item["reason"] == "voice"
                await reply(lambda: agent.act(item["id"], "claim"), "bergabung")
                hello = "Halo Pak Budi, silakan ketik pertanyaannya."
                await reply(lambda: agent.say(item["id"], hello), "Halo Pak Budi")
                picture = await reply(
                    lambda: agent.photo(item["id"], jpeg((10, 150, 60)), "Letak NIK di KTP"),
                    "Letak NIK di KTP",
                )
                assert picture.method == "sendPhoto" and (picture.photo or b"")[:2] == b"\xff\xd8"
                before = len(sent)
                tg.push_text(TG_CITIZEN, "Oh begitu, terima kasih")
                await agent.until(item["id"], lambda c: "Oh begitu, terima kasih" in _texts(c))
                assert len(sent) == before  # the bot said nothing while a person held the chat
                await reply(lambda: agent.act(item["id"], "release"), "Langkah 2 dari 8")
                await reply(lambda: tg.push_text(TG_CITIZEN, "petugas"), "Antrean")
                await reply(lambda: agent.act(item["id"], "claim"), "bergabung")
                rate = await reply(lambda: agent.act(item["id"], "close"), "Pilih nilai")
                # Five marks and "🔊 Dengarkan".
                assert rate.keyboard_kind == "inline" and len(rate.labels) == 6
                await reply(lambda: tg.tap(TG_CITIZEN, rate.labels[4]), "Terima kasih atas")
        finally:
            await service.stop()
    assert [r.score for r in await _ratings(tmp_path / "data")] == [5]
    assert "Traceback" not in service.log(), service.log()


# --- WhatsApp ----------------------------------------------------------------------------------


async def test_whatsapp_citizen_reaches_a_person_also_outside_the_window(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    async with GraphApiStandIn() as graph:
        env = {
            "TLIVE_SECRET_KEY": SECRET, "TLIVE_WHATSAPP_TOKEN": graph.token,
            "TLIVE_WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
            "TLIVE_WHATSAPP_APP_SECRET": APP_SECRET, "TLIVE_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "TLIVE_WHATSAPP_API_BASE": graph.api_base,
        }  # fmt: skip
        service = Service(env, data_dir)
        service.env["TLIVE_PUBLIC_URL"] = service.url
        await service.start()
        core = build_core(load_settings(data_dir=data_dir, secret_key=SECRET), ocr=False)
        try:
            async with aiohttp.ClientSession() as http:
                url = f"{service.url}/webhooks/whatsapp"
                siti = WhatsAppUser(graph, graph.webhooks, http, url, APP_SECRET, WA_CITIZEN,
                                    pending=_pending(core, WA_CITIZEN))  # fmt: skip
                agent = AgentSystem(http, service.url, await _agent_token(service))
                await _whatsapp_flow(core, graph, siti, agent, http)
        finally:
            await core.db.dispose()
            await service.stop()
        assert graph.rejected == [], graph.rejected
    assert [r.score for r in await _ratings(data_dir)] == [3]
    log = service.log()
    assert "Traceback" not in log, log
    assert WA_CITIZEN not in log and WA_CITIZEN[2:] not in log


def _pending(core: Core, wa_id: str) -> Callable[[], Awaitable[int]]:
    async def pending() -> int:
        async with core.uow() as uow:
            conv = await uow.conversations.find("whatsapp", wa_id)
            if conv is None:
                return 0
            rows = await uow.session.execute(
                select(OutboxItem.id).where(
                    OutboxItem.conversation_id == conv.id, OutboxItem.status == "pending"
                )
            )
            return len(rows.all())

    return pending


async def _whatsapp_flow(
    core: Core, graph: GraphApiStandIn, siti: WhatsAppUser, agent: AgentSystem,
    http: aiohttp.ClientSession,
) -> None:  # fmt: skip
    await siti.text("daftar")
    await siti.tap("consent:yes")
    await siti.text("Siti Aminah")
    queued = await siti.text("petugas")
    assert "Antrean Bapak/Ibu" in text_of(queued)
    conv_id = (await agent.waiting("whatsapp"))["id"]
    await agent.act(conv_id, "claim")
    assert "bergabung" in text_of(await siti.answers())
    await agent.say(conv_id, "Halo Bu, saya bantu ya.")
    [inside] = await siti.answers()
    assert inside["type"] == "text" and inside["text"]["body"] == "Halo Bu, saya bantu ya."

    await agent.photo(conv_id, jpeg((120, 40, 40)), "Foto contoh")
    [image] = await siti.answers()
    assert image["type"] == "image" and image["image"]["caption"] == "Foto contoh"
    async with http.get(image["image"]["link"]) as resp:  # Meta fetches the picture by link
        assert resp.status == 200 and resp.content_type == "image/jpeg"

    # A day and a half later the citizen has not written: only the template may be sent.
    async with core.uow() as uow:
        conv = await uow.conversations.get(conv_id)
        assert conv is not None
        conv.last_inbound_at = utcnow() - timedelta(hours=36)
        await uow.commit()
    seq = await agent.say(conv_id, "Apakah masih perlu bantuan?")
    [template] = await siti.answers()
    assert template["type"] == "template"
    assert template["template"]["name"] == "balasan_petugas"

    # Meta reports later that the template could not be delivered: the chat shows it.
    async with core.uow() as uow:
        query = select(OutboxItem).where(
            OutboxItem.conversation_id == conv_id, OutboxItem.message_seq == seq
        )
        item = (await uow.session.execute(query)).scalar_one()
    assert item.external_key  # the template is the last message sent to her
    failed = siti.webhooks.failed_status(graph.last_id_to(WA_CITIZEN), WA_CITIZEN, 131026)
    status, _ = await post_webhook(http, siti.url, siti.webhooks.statuses(failed),
                                   app_secret=APP_SECRET)  # fmt: skip
    assert status == 200
    chat = await agent.until(conv_id, lambda c: _delivery(c, seq) == "failed")
    [message] = [m for m in chat["messages"] if m["seq"] == seq]
    assert "131026" in (message["delivery"]["error"] or "")

    late = siti.webhooks.messages(siti.webhooks.text(WA_CITIZEN, "Masih, Bu. Maaf baru balas"))
    status, _ = await post_webhook(http, siti.url, late, app_secret=APP_SECRET)
    assert status == 200 and await siti.answers(expect=False) == []  # the bot stays silent
    await agent.until(conv_id, lambda c: "Masih, Bu. Maaf baru balas" in _texts(c))
    await agent.act(conv_id, "release")
    assert "Langkah 2 dari 8" in text_of(await siti.answers())
    await siti.text("petugas")
    await agent.act(conv_id, "claim")
    await siti.answers()
    await agent.act(conv_id, "close")
    rating = await siti.answers()
    assert rating[-1]["type"] == "interactive" and rating[-1]["interactive"]["type"] == "list"
    thanks = await siti.tap("rate:3")
    assert "Terima kasih atas penilaian" in text_of(thanks)
