"""Agents read a chat with phone numbers and birth dates masked like NIKs, in the console and
through the API (issue 15, finding 7)."""

from __future__ import annotations

from bot.core import Core
from tests.console.support import add_token, add_user, client_for, login, page_csrf
from tests.console.test_chats import read_events
from tests.support.chat import ChatDriver
from tests.support.helpdesk import conversation

SAID = "HP saya 0812-3456-7890, lahir 5 Januari 1990 (05-01-1990), NIK 3671014501900001"
SECRETS = ("3456-7890", "1990", "05-01", "3671014501900001")


async def test_the_console_chat_masks_phone_numbers_and_birth_dates(core: Core) -> None:
    await add_user(core, "siti", "agent")
    chat = ChatDriver(core)
    await chat.say("petugas")
    conv = await conversation(core, chat)
    async with client_for(core) as client:
        assert (await login(client, "siti")).status == 200
        csrf = await page_csrf(client)
        await client.post(f"/console/chats/{conv.id}/claim", data={"csrf": csrf})
        conv = await conversation(core, chat)  # the agent's joining is in the history now
        stream = await client.get(f"/console/chats/{conv.id}/events?after={conv.last_seq}")
        await chat.say(SAID)
        [(_, live, _)] = [e for e in await read_events(stream, "message") if e[0] == "message"]
        stream.close()
        page = await (await client.get(f"/console/chats/{conv.id}")).text()
    assert live["text"] == "HP saya 0812-••••-••90, lahir • Januari •••• (••-••-••••), " \
        "NIK 3671••••••••0001"  # fmt: skip
    for secret in SECRETS:
        assert secret not in page and secret not in live["text"]


async def test_the_api_conversation_masks_phone_numbers_and_birth_dates(core: Core) -> None:
    token = await add_token(core, "agent", "crm")
    chat = ChatDriver(core)
    await chat.say("petugas")
    conv = await conversation(core, chat)
    async with client_for(core) as client:
        bearer = {"Authorization": f"Bearer {token}"}
        await client.post(f"/api/v1/conversations/{conv.id}/claim", headers=bearer)
        await chat.say(SAID)
        body = await (await client.get(f"/api/v1/conversations/{conv.id}", headers=bearer)).json()
    text = "\n".join(m["text"] for m in body["messages"])
    assert "0812-••••-••90" in text
    for secret in SECRETS:
        assert secret not in text
