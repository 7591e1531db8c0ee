"""Console *Chats*: the live queue, taking a chat, replying with text, canned answers and photos,
delivery states, hand-back and close — over HTTP against the real app."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient
from sqlalchemy import update

from bot.core import Core
from bot.storage.models import ScheduledJob
from bot.storage.types import utcnow
from tests.console.support import add_user, client_for, jpeg, login, page_csrf
from tests.support.chat import ChatDriver
from tests.support.helpdesk import at_nik_step, conversation, outbox

Client = TestClient[Any, Any]


async def read_events(resp: aiohttp.ClientResponse, want: str, *, seconds: float = 10) -> list[
    tuple[str, Any, str | None]
]:  # fmt: skip
    """Read server-sent events until one of type ``want`` arrives; return all read so far."""
    events: list[tuple[str, Any, str | None]] = []
    name, data, event_id = "", "", None

    async def read() -> None:
        nonlocal name, data, event_id
        while True:
            line = (await resp.content.readline()).decode().rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line.startswith("id: "):
                event_id = line[4:]
            elif line == "" and name:
                events.append((name, json.loads(data), event_id))
                if name == want:
                    return
                name, data, event_id = "", "", None

    await asyncio.wait_for(read(), seconds)
    return events


async def _signed_in(client: Client, name: str) -> str:
    assert (await login(client, name)).status == 200
    return await page_csrf(client)


async def _post(client: Client, path: str, csrf: str, **fields: str) -> aiohttp.ClientResponse:
    return await client.post(path, data={"csrf": csrf, **fields}, allow_redirects=False)


async def test_agent_takes_a_chat_from_the_live_queue_and_answers(core: Core) -> None:
    await add_user(core, "siti", "agent")
    chat = ChatDriver(core)
    await at_nik_step(chat)
    await chat.say("3671014501900001")  # the NIK is typed in the chat; agents see it masked
    async with client_for(core) as client:
        csrf = await _signed_in(client, "siti")
        home = await (await client.get("/console/")).text()
        assert 'href="/console/chats"' in home
        events = await client.get("/console/chats/events")
        assert events.headers["Content-Type"].startswith("text/event-stream")
        (first,) = [e for e in await read_events(events, "queue")]
        assert first[1]["items"] == []
        await chat.say("petugas")  # appears without a reload
        (_, update, _) = (await read_events(events, "queue"))[-1]
        [item] = update["items"]
        assert item["mode"] == "queued" and item["reason"] == "warga meminta petugas"
        events.close()

        page = await (await client.get("/console/chats")).text()
        assert f'data-id="{item["id"]}"' in page and "Ambil chat" in page
        taken = await _post(client, f"/console/chats/{item['id']}/claim", csrf)
        assert taken.status == 302 and taken.headers["Location"] == f"/console/chats/{item['id']}"
        detail = await (await client.get(taken.headers["Location"])).text()
        assert "3671••••••••0001" in detail and "3671014501900001" not in detail
        assert "Langkah 2 dari 8" in detail  # the bot's part of the history
        assert "Tanggal lahir" in detail  # the citizen's current step
        assert "Anda memegang chat ini" in detail

        conv = await conversation(core, chat)
        stream = await client.get(f"/console/chats/{conv.id}/events?after={conv.last_seq}")
        await chat.say("Halo, NIK saya kok ditolak?")
        got = await read_events(stream, "message")
        assert got[-1][1]["text"] == "Halo, NIK saya kok ditolak?"
        assert got[-1][2] == str(conv.last_seq + 1)
        stream.close()

        form = aiohttp.FormData()
        form.add_field("text", "Coba kirim foto KTP Anda ya.")
        form.add_field("photo", jpeg(), filename="contoh.jpg", content_type="image/jpeg")
        sent = await client.post(
            f"/console/chats/{conv.id}/messages", data=form,
            headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
        )  # fmt: skip
        assert sent.status == 200, await sent.text()
        seq = (await sent.json())["seq"]

        replies = await (
            await client.get(f"/webchat/api/sessions/{chat.chat_id}/messages?after={seq - 1}")
        ).json()
        [agent_reply] = replies["replies"]
        assert (
            agent_reply["from"] == "agent" and agent_reply["text"] == "Coba kirim foto KTP Anda ya."
        )
        picture = await client.get(agent_reply["image_url"])
        assert picture.status == 200 and picture.content_type == "image/jpeg"
        forged = await client.get(re.sub(r"k=\w+", "k=" + "0" * 32, agent_reply["image_url"]))
        assert forged.status == 404

        # Resuming the stream after a disconnect replays what was missed, from Last-Event-ID.
        resumed = await client.get(
            f"/console/chats/{conv.id}/events", headers={"Last-Event-ID": str(seq - 1)}
        )
        again = [e for e in await read_events(resumed, "message") if e[0] == "message"]
        assert again[0][1]["seq"] == seq and again[0][1]["media"].endswith(f"/media/{seq}")
        resumed.close()
        own_photo = await client.get(again[0][1]["media"])
        assert own_photo.status == 200

        back = await _post(client, f"/console/chats/{conv.id}/release", csrf)
        assert back.status == 302 and back.headers["Location"] == "/console/chats"
    assert "Langkah 3 dari 8" in (await conversation_texts(core, conv.id))[-1]


async def conversation_texts(core: Core, conv_id: int) -> list[str]:
    async with core.uow() as uow:
        return [b["text"] for _, b in await uow.conversations.history(conv_id)]


async def test_two_agents_click_take_at_once_one_gets_the_chat(core: Core) -> None:
    await add_user(core, "siti", "agent")
    await add_user(core, "budi", "agent")
    chat = ChatDriver(core)
    await chat.say("petugas")
    conv_id = (await conversation(core, chat)).id
    async with client_for(core) as siti, client_for(core) as budi:
        tokens = await asyncio.gather(_signed_in(siti, "siti"), _signed_in(budi, "budi"))
        answers = await asyncio.gather(
            _post(siti, f"/console/chats/{conv_id}/claim", tokens[0]),
            _post(budi, f"/console/chats/{conv_id}/claim", tokens[1]),
        )
        places = sorted(a.headers["Location"] for a in answers)
        assert places == ["/console/chats", f"/console/chats/{conv_id}"]
        loser = siti if answers[0].headers["Location"] == "/console/chats" else budi
        page = await (await loser.get("/console/chats")).text()
        assert "sudah diambil petugas lain" in page
        assert (await loser.get(f"/console/chats/{conv_id}")).status == 403


async def test_canned_answers_notes_and_a_failed_delivery_are_visible(core: Core) -> None:
    core.services.delivery.push_channels.add("whatsapp")
    await add_user(core, "siti", "agent")
    await add_user(core, "kepala", "admin")
    chat = ChatDriver(core, channel="whatsapp", chat_id="6281200000001")
    await chat.say("petugas")
    conv_id = (await conversation(core, chat)).id
    async with client_for(core) as admin, client_for(core) as agent:
        admin_csrf = await _signed_in(admin, "kepala")
        made = await _post(admin, "/console/canned", admin_csrf, title="Jam layanan",
                           text="Helpdesk buka Senin–Jumat pukul 08.00–16.00 WIB.")  # fmt: skip
        assert made.status == 302
        listing = await (await admin.get("/console/canned")).text()
        canned_id = re.search(r'action="/console/canned/(\d+)"', listing).group(1)  # type: ignore[union-attr]
        csrf = await _signed_in(agent, "siti")
        assert (await agent.get("/console/canned")).status == 403
        await _post(agent, f"/console/chats/{conv_id}/claim", csrf)
        page = await (await agent.get(f"/console/chats/{conv_id}")).text()
        assert "Jam layanan" in page
        sent = await _post(agent, f"/console/chats/{conv_id}/messages", csrf, canned_id=canned_id)
        assert sent.status == 302
        await _post(agent, f"/console/chats/{conv_id}/notes", csrf, text="Sudah dijelaskan.")
        item = (await outbox(core, conv_id))[-1]  # the canned answer (notes are never queued)
        async with core.uow() as uow:
            await uow.outbox.mark_all_sent([(item.id, "whatsapp", "wamid.x")])  # as the sender does
            await uow.commit()
        async with core.uow() as uow:  # then Meta reports the failure
            await uow.outbox.mark_delivery("whatsapp", "wamid.x", "failed", "131026 Undeliverable")
            await uow.commit()
        page = await (await agent.get(f"/console/chats/{conv_id}")).text()
        assert "Helpdesk buka Senin" in page and "Sudah dijelaskan." in page
        assert "gagal: 131026 Undeliverable" in page
        edited = await _post(admin, f"/console/canned/{canned_id}", admin_csrf, title="Jam",
                             text="Buka jam kerja.")  # fmt: skip
        assert edited.status == 302
        gone = await _post(admin, f"/console/canned/{canned_id}/delete", admin_csrf)
        assert (
            gone.status == 302
            and "Buka jam kerja" not in await (await admin.get("/console/canned")).text()
        )
        closed = await _post(agent, f"/console/chats/{conv_id}/close", csrf)
        assert closed.status == 302
    queued = [i.message_seq for i in await outbox(core, conv_id)]
    # the first-contact greeting, queue place, joined, canned answer, rating
    assert len(queued) == 5 and all(queued)


async def test_the_running_service_returns_an_abandoned_hold_to_the_queue(core: Core) -> None:
    await add_user(core, "siti", "agent")
    chat = ChatDriver(core)
    await chat.say("petugas")
    conv_id = (await conversation(core, chat)).id
    async with client_for(core) as client:
        csrf = await _signed_in(client, "siti")
        await _post(client, f"/console/chats/{conv_id}/claim", csrf)
    async with core.uow() as uow:  # the agent closed the laptop long ago
        conv = await uow.conversations.get(conv_id)
        assert conv is not None and conv.mode == "agent"
        conv.agent_seen_at = utcnow() - core.helpdesk_cases.idle_after - timedelta(minutes=1)
        # The sweep ran when the console started above; its next half-minute turn is now.
        await uow.session.execute(
            update(ScheduledJob).where(ScheduledJob.name == "helpdesk-idle").values(due_at=utcnow())
        )
        await uow.commit()
    async with client_for(core):  # the app's own scheduler runs the sweep once it is due
        for _ in range(100):
            if (await conversation(core, chat)).mode == "queued":
                break
            await asyncio.sleep(0.05)
    assert (await conversation(core, chat)).mode == "queued"
    assert "kembali ke antrean" in (await conversation_texts(core, conv_id))[-1]
