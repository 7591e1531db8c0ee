"""Reminders on each channel: WhatsApp's 24-hour window and template, and the web chat's history."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app
from bot.core import Core
from bot.usecases.reminders import ReminderCases
from dialogs.base import RESUME
from integrations.whatsapp.adapter import to_inbound
from integrations.whatsapp.graph import GraphClient
from integrations.whatsapp.sender import WhatsAppSender
from tests.conftest import migrated_core
from tests.standins.graph_api import DEFAULT_PHONE_NUMBER_ID, DEFAULT_TOKEN, GraphApiStandIn
from tests.support.chat import ChatDriver
from tests.support.helpdesk import conversation
from tests.usecases.test_reminders import FIRST, SECOND, reminders, reminders_in, stop_halfway

CITIZEN = "6281234567890"


class Clock:
    """The time the WhatsApp sender believes it is."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def graph() -> AsyncIterator[GraphApiStandIn]:
    """Run the Graph API stand-in."""
    async with GraphApiStandIn() as standin:
        yield standin


async def _drain(core: Core) -> None:
    while await core.outbox.drain_once():
        pass


async def test_whatsapp_reminder_has_the_button_inside_the_window_and_is_the_template_after(
    any_core: Core, graph: GraphApiStandIn
) -> None:
    chat = ChatDriver(any_core, channel="whatsapp", chat_id=CITIZEN, channel_phone=CITIZEN)
    question = await stop_halfway(chat)
    clock = Clock(FIRST)
    async with aiohttp.ClientSession() as session:
        client = GraphClient(graph.api_base, DEFAULT_TOKEN, DEFAULT_PHONE_NUMBER_ID)
        client.bind(session)
        sender = WhatsAppSender(client, settings=any_core.settings, catalog=any_core.catalog,
                                clock=clock)  # fmt: skip
        any_core.outbox.add_sender(sender)
        any_core.services.delivery.push_channels.add("whatsapp")
        sweeps = reminders(any_core)

        assert await sweeps.sweep(FIRST) == 1  # an hour after her last message
        await _drain(any_core)
        [first] = graph.messages_to(CITIZEN)
        assert first["type"] == "interactive"
        assert first["interactive"]["body"]["text"] == any_core.catalog.text("reminder-first")
        [button] = first["interactive"]["action"]["buttons"]
        assert button["reply"]["id"] == RESUME and "Lanjutkan" in button["reply"]["title"]

        clock.now = SECOND  # a day later: the window has closed
        assert await sweeps.sweep(SECOND) == 1
        await _drain(any_core)
    second = graph.messages_to(CITIZEN)[-1]
    assert second["type"] == "template"
    assert second["template"] == {"name": "pengingat_pendaftaran", "language": {"code": "id"}}
    assert graph.rejected == []

    # Her tap on the template's quick-reply button "Lanjutkan" comes back as that word.
    tapped = graph.webhooks.template_button(CITIZEN, "Lanjutkan", "Lanjutkan")
    inbound = await to_inbound(tapped, {}, media=None)  # type: ignore[arg-type]
    assert inbound is not None
    await chat.send(inbound)
    assert chat.replies[-1].text == question.text


@pytest.fixture
async def client(core: Core) -> AsyncIterator[TestClient]:
    """Serve the whole app, as the web chat page calls it."""
    async with TestClient(TestServer(build_app(core.settings, core=core))) as test_client:
        yield test_client


async def test_web_chat_shows_the_reminder_when_she_comes_back(
    core: Core, client: TestClient
) -> None:
    sid = (await (await client.post("/webchat/api/sessions")).json())["session_id"]
    url = f"/webchat/api/sessions/{sid}/messages"
    await client.post(url, json={"text": "daftar"})
    for _ in range(2):  # agree, and register for herself when the form asks
        seen = await (await client.get(url, params={"after": "0"})).json()
        offered = [b["id"] for b in seen["replies"][-1]["buttons"]]
        agree = [b for b in ("consent:yes", "whom:self") if b in offered]
        if agree:
            await client.post(url, json={"button": agree[0]})
    body = await (await client.post(url, json={"text": "Siti Aminah"})).json()
    question, read_up_to = body["replies"][-1]["text"], body["last_seq"]

    # Her real last message: the app's own sweep (real clock) must not beat this one.
    chat = ChatDriver(core, chat_id=sid)
    last = (await conversation(core, chat)).last_inbound_at
    assert last is not None
    sweeps = ReminderCases(core.uow, core.settings, core.catalog, core.services.delivery)
    assert await sweeps.sweep(sweeps.schedule.send_time(last, 0)) == 1

    polled = await (await client.get(url, params={"after": str(read_up_to)})).json()
    [reminder] = polled["replies"]
    assert reminder["from"] == "bot" and reminder["text"] == core.catalog.text("reminder-first")
    assert [b["id"] for b in reminder["buttons"]] == [RESUME]
    again = await (await client.post(url, json={"button": RESUME})).json()
    assert again["replies"][-1]["text"] == question


async def test_the_service_sweeps_for_due_reminders_as_soon_as_it_runs(
    settings_factory: Any, sqlite_url: str
) -> None:
    # No quiet hours, so the real clock may be any time of day.
    core = await migrated_core(settings_factory(database_url=sqlite_url, quiet_hours="00:00-00:00"))
    chat = ChatDriver(core)
    await stop_halfway(chat, at=datetime.now(UTC) - timedelta(hours=2))
    async with TestClient(TestServer(build_app(core.settings, core=core))):
        for _ in range(100):
            if await reminders_in(chat):
                break
            await asyncio.sleep(0.05)
        assert len(await reminders_in(chat)) == 1
