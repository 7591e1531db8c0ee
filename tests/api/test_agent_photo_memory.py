"""Photos to and from helpdesk agents are decoded within the same memory bounds (issue 15)."""

from __future__ import annotations

import aiohttp
from sqlalchemy import func, select

from bot.core import Core
from bot.storage.models import Message
from tests.console.support import add_token, client_for, jpeg
from tests.photos import factory
from tests.support.chat import ChatDriver
from tests.support.helpdesk import at_nik_step, conversation
from tests.support.memory import peak_growth


async def _held_chat(
    core: Core, client: aiohttp.ClientSession, token: str
) -> tuple[ChatDriver, int]:
    chat = ChatDriver(core)
    await at_nik_step(chat)
    await chat.say("bicara dengan petugas")
    conv_id = (await conversation(core, chat)).id
    headers = {"Authorization": f"Bearer {token}"}
    claimed = await client.post(f"/api/v1/conversations/{conv_id}/claim", headers=headers)
    assert claimed.status == 200, await claimed.text()
    return chat, conv_id


async def _photos_kept(core: Core) -> int:
    async with core.db.sessions() as session:
        count = await session.scalar(select(func.count()).where(Message.blob_id.is_not(None)))
    return int(count or 0)


async def test_png_bomb_from_an_agent_is_refused_without_memory(core: Core) -> None:
    token = await add_token(core, "agent", "crm")
    async with client_for(core) as client:
        _chat, conv_id = await _held_chat(core, client, token)
        form = aiohttp.FormData()
        form.add_field("photo", factory.rgba_png_bomb(), filename="x.png", content_type="image/png")
        with peak_growth() as growth:
            resp = await client.post(
                f"/api/v1/conversations/{conv_id}/messages", data=form,
                headers={"Authorization": f"Bearer {token}"},
            )  # fmt: skip
        assert resp.status == 422 and (await resp.json())["error"] == "photo_refused"
        assert growth.mb < 30, growth.mb
        good = aiohttp.FormData()
        good.add_field("photo", jpeg(), filename="x.jpg", content_type="image/jpeg")
        resp = await client.post(
            f"/api/v1/conversations/{conv_id}/messages", data=good,
            headers={"Authorization": f"Bearer {token}"},
        )  # fmt: skip
        assert resp.status == 201  # an ordinary photo still goes through


async def test_png_bomb_to_an_agent_is_not_kept_and_takes_no_memory(core: Core) -> None:
    token = await add_token(core, "agent", "crm")
    async with client_for(core) as client:
        chat, _conv_id = await _held_chat(core, client, token)
        kept = await _photos_kept(core)
        with peak_growth() as growth:
            await chat.photo(factory.rgba_png_bomb())
        assert await _photos_kept(core) == kept
        assert growth.mb < 30, growth.mb
        await chat.photo(factory.large_jpeg("selfie"))  # a real phone photo is kept
        assert await _photos_kept(core) == kept + 1
