"""``/api/v1/conversations``: an agent system takes a web-chat citizen's chat, exchanges messages
and photos, hands back (the bot asks the step again), closes; the rating is recorded."""

from __future__ import annotations

import asyncio

import aiohttp
from sqlalchemy import select

from bot.core import Core
from bot.engine.messages import InboundKind
from bot.storage.models import Rating
from tests.console.support import add_token, client_for, jpeg
from tests.support.chat import ChatDriver
from tests.support.helpdesk import at_nik_step, conversation


def _auth(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


async def test_an_agent_system_works_a_chat_through_the_api(core: Core) -> None:
    first, second = await add_token(core, "agent", "crm-1"), await add_token(core, "agent", "crm-2")
    verifier = await add_token(core, "verifier")
    chat = ChatDriver(core)
    await at_nik_step(chat)
    await chat.say("bicara dengan petugas")
    conv_id = (await conversation(core, chat)).id
    async with client_for(core) as client:
        listed = await (await client.get("/api/v1/conversations", headers=_auth(first))).json()
        [item] = listed["items"]
        assert (item["id"], item["mode"], item["reason"], item["mine"]) == (
            conv_id, "queued", "asked", False,
        )  # fmt: skip
        assert item["wait_seconds"] >= 0 and "text" not in item
        denied = await client.get("/api/v1/conversations", headers=_auth(verifier))
        assert denied.status == 403
        bad = await client.get("/api/v1/conversations?mode=semua", headers=_auth(first))
        assert bad.status == 400 and (await bad.json())["error"] == "invalid_mode"

        claims = await asyncio.gather(*(
            client.post(f"/api/v1/conversations/{conv_id}/claim", headers=_auth(raw))
            for raw in (first, second)
        ))  # fmt: skip
        assert sorted(r.status for r in claims) == [200, 409]
        winner = first if claims[0].status == 200 else second
        loser = second if winner == first else first
        lost = next(r for r in claims if r.status == 409)
        assert (await lost.json())["error"] == "taken"
        held = await client.get("/api/v1/conversations?mode=agent", headers=_auth(winner))
        assert [i["mine"] for i in (await held.json())["items"]] == [True]
        refused = await client.post(
            f"/api/v1/conversations/{conv_id}/messages", json={"text": "Halo"},
            headers=_auth(loser),
        )  # fmt: skip
        assert refused.status == 409 and (await refused.json())["error"] == "not_holder"

        assert await chat.say("NIK saya 3671014501900001 ditolak") == ()
        await chat.photo(jpeg())
        sent = await client.post(
            f"/api/v1/conversations/{conv_id}/messages", json={"text": "Saya bantu ya."},
            headers=_auth(winner),
        )  # fmt: skip
        assert sent.status == 201
        form = aiohttp.FormData()
        form.add_field("photo", jpeg((20, 120, 200)), filename="x.jpg", content_type="image/jpeg")
        photo = await client.post(
            f"/api/v1/conversations/{conv_id}/messages", data=form, headers=_auth(winner)
        )
        assert photo.status == 201, await photo.text()
        note = await client.post(
            f"/api/v1/conversations/{conv_id}/messages",
            json={"text": "Cek ulang NIK di Dukcapil", "note": True}, headers=_auth(winner),
        )  # fmt: skip
        assert note.status == 201 and (await note.json())["direction"] == "note"
        empty = await client.post(
            f"/api/v1/conversations/{conv_id}/messages", json={"text": " "}, headers=_auth(winner)
        )
        assert empty.status == 422

        detail = await client.get(f"/api/v1/conversations/{conv_id}", headers=_auth(winner))
        body = await detail.json()
        assert body["citizen"]["step"] == "nik" and body["citizen"]["full_name"] == "SITI AMINAH"
        texts = [m["text"] for m in body["messages"]]
        assert "NIK saya 3671••••••••0001 ditolak" in texts and "Saya bantu ya." in texts
        assert "3671014501900001" not in await detail.text()
        citizen_photo = next(m for m in body["messages"] if m["kind"] == "photo")
        media = await client.get(citizen_photo["media_url"], headers=_auth(winner))
        assert media.status == 200 and media.content_type == "image/jpeg"

        polled = await client.get(f"/webchat/api/sessions/{chat.chat_id}/messages?after=1")
        agent_lines = [r for r in (await polled.json())["replies"] if r["from"] == "agent"]
        assert [r["text"] for r in agent_lines] == ["Saya bantu ya.", ""]
        assert agent_lines[1]["image_url"].startswith("/media/chat/")
        assert "Dukcapil" not in await polled.text()

        back = await client.post(f"/api/v1/conversations/{conv_id}/release", headers=_auth(winner))
        assert back.status == 200 and (await back.json())["mode"] == "bot"
        after = await client.get(f"/webchat/api/sessions/{chat.chat_id}/messages?after=1")
        assert "Langkah 2 dari 8" in (await after.json())["replies"][-1]["text"]
        await chat.say("3671014501900001")
        assert "Langkah 3 dari 8" in chat.text  # the bot went on from the NIK step

        await chat.say("petugas")
        again = await client.post(f"/api/v1/conversations/{conv_id}/claim", headers=_auth(loser))
        assert again.status == 200
        done = await client.post(f"/api/v1/conversations/{conv_id}/close", headers=_auth(loser))
        assert done.status == 200
        assert (await client.post(f"/api/v1/conversations/{conv_id}/close",
                                  headers=_auth(loser))).status == 409  # fmt: skip
    await chat.send(chat._inbound(InboundKind.BUTTON, button_id="rate:5"))  # tapped in the chat
    assert "Terima kasih atas penilaian" in chat.text
    async with core.uow() as uow:
        rating = (await uow.session.execute(select(Rating))).scalar_one()
    assert rating.score == 5 and rating.agent_id is None  # a token, not a console user


async def test_the_openapi_document_describes_the_conversation_endpoints(core: Core) -> None:
    async with client_for(core) as client:
        doc = await (await client.get("/api/v1/openapi.json")).json()
    paths = doc["paths"]
    for path in ("/conversations", "/conversations/{id}", "/conversations/{id}/claim",
                 "/conversations/{id}/messages", "/conversations/{id}/release",
                 "/conversations/{id}/close", "/conversations/{id}/transfer",
                 "/conversations/{id}/media/{seq}"):  # fmt: skip
        assert path in paths, path
    assert "409" in paths["/conversations/{id}/claim"]["post"]["responses"]
    assert "201" in paths["/conversations/{id}/messages"]["post"]["responses"]
    schemas = doc["components"]["schemas"]
    assert {"Conversation", "ConversationDetail", "ChatMessage"} <= set(schemas)
    assert schemas["Conversation"]["properties"]["mode"] == {
        "$ref": "#/components/schemas/ChatMode"
    }
    assert schemas["ChatMode"]["enum"] == ["bot", "queued", "agent"]
