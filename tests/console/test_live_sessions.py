"""Live console streams end with the session they were opened in (issue 15, finding 5).

A server-sent-events stream re-checks its session on every tick: once the agent is deactivated
or signs out, the stream says so and closes, and no citizen message reaches it afterwards.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient

from bot.core import Core
from bot.services.accounts import Actor, Role
from tests.console.support import add_user, client_for, login, page_csrf
from tests.console.test_chats import read_events
from tests.support.chat import ChatDriver
from tests.support.helpdesk import conversation

Client = TestClient[Any, Any]
ADMIN = Actor(type="system", id=None, name="test", role=Role.ADMIN)


async def _rest(resp: aiohttp.ClientResponse, seconds: float = 5) -> bytes:
    """Read the stream until the server closes it (fails when it stays open)."""
    return await asyncio.wait_for(resp.content.read(), seconds)


async def _signed_in(client: Client, name: str) -> str:
    assert (await login(client, name)).status == 200
    return await page_csrf(client)


async def test_a_deactivated_agents_queue_stream_closes_at_once(core: Core) -> None:
    await add_user(core, "siti", "agent")
    siti = await core.account_cases.find_user("siti")
    assert siti is not None
    chat = ChatDriver(core)
    async with client_for(core) as client:
        await _signed_in(client, "siti")
        stream = await client.get("/console/chats/events")
        await read_events(stream, "queue")
        await core.account_cases.set_active(ADMIN, siti.id, False)
        await chat.say("petugas")  # a citizen's call must not reach her any more
        rest = (await _rest(stream)).decode()
        assert "event: signed_out" in rest
        assert "event: queue" not in rest


async def test_a_signed_out_agents_chat_stream_stops_delivering_messages(core: Core) -> None:
    await add_user(core, "siti", "agent")
    chat = ChatDriver(core)
    await chat.say("petugas")
    conv = await conversation(core, chat)
    async with client_for(core) as client:
        csrf = await _signed_in(client, "siti")
        taken = await client.post(f"/console/chats/{conv.id}/claim", data={"csrf": csrf},
                                  allow_redirects=False)  # fmt: skip
        assert taken.status == 302
        stream = await client.get(f"/console/chats/{conv.id}/events?after={conv.last_seq}")
        await read_events(stream, "state")
        out = await client.post("/console/logout", data={"csrf": csrf}, allow_redirects=False)
        assert out.status == 302
        await chat.say("NIK saya 3671014501900001, tolong dicek")
        rest = (await _rest(stream)).decode()
        assert "event: signed_out" in rest
        assert "tolong dicek" not in rest and "event: message" not in rest


async def test_a_live_session_keeps_its_stream_open(core: Core) -> None:
    await add_user(core, "siti", "agent")
    chat = ChatDriver(core)
    async with client_for(core) as client:
        await _signed_in(client, "siti")
        stream = await client.get("/console/chats/events")
        await read_events(stream, "queue")
        await chat.say("petugas")
        (_, update, _) = (await read_events(stream, "queue"))[-1]
        assert [item["mode"] for item in update["items"]] == ["queued"]
        stream.close()
