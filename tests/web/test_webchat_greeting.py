"""The web chat greets when it opens: the greeting and the menu are there before she types."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app
from bot.core import Core

MENU = ["menu:register", "menu:status", "menu:faq", "agent"]
# The first menu also offers voice on every message, once (issue 14).
FIRST_MENU = [*MENU, "voice:on"]


@pytest.fixture
async def client(core: Core) -> AsyncIterator[TestClient]:
    app = build_app(core.settings, core=core)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def test_a_new_chat_comes_with_the_greeting_and_the_menu(
    client: TestClient, core: Core
) -> None:
    resp = await client.post("/webchat/api/sessions")
    assert resp.status == 201
    body = await resp.json()
    assert body["last_seq"] == 1
    [greeting] = body["replies"]
    assert greeting["from"] == "bot" and greeting["seq"] == 1
    assert greeting["text"] == core.catalog.text("menu-greeting")
    assert [b["id"] for b in greeting["buttons"]] == FIRST_MENU
    # The page's first read shows the same greeting, from the history.
    url = f"/webchat/api/sessions/{body['session_id']}/messages"
    again = await (await client.get(url, params={"after": "0"})).json()
    assert again["replies"] == body["replies"]


async def test_the_greeting_menu_answers_a_typed_number(client: TestClient) -> None:
    sid = (await (await client.post("/webchat/api/sessions")).json())["session_id"]
    url = f"/webchat/api/sessions/{sid}/messages"
    body = await (await client.post(url, json={"text": "1"})).json()  # 1 = Daftar akun
    assert [b["id"] for b in body["replies"][-1]["buttons"]] == [
        "consent:yes",
        "consent:family",
        "consent:no",
    ]


async def test_greeting_an_empty_chat_happens_once_however_often_it_is_asked(
    client: TestClient, core: Core
) -> None:
    # A chat opened before greetings existed has no message at all.
    from bot.usecases.citizen_chat import chat_exists

    async with core.uow() as uow:
        await uow.conversations.lock("web", "old-visitor-session-0001")
        await uow.commit()
    assert await chat_exists(core.uow, "web", "old-visitor-session-0001")
    url = "/webchat/api/sessions/old-visitor-session-0001/greeting"
    first = await (await client.post(url)).json()
    second = await (await client.post(url)).json()
    assert [r["text"] for r in first["replies"]] == [core.catalog.text("menu-greeting")]
    assert second == first  # the history read back, no second greeting
    history = await (
        await client.get("/webchat/api/sessions/old-visitor-session-0001/messages?after=0")
    ).json()
    assert len(history["replies"]) == 1 and history["last_seq"] == 1


async def test_a_chat_with_history_is_not_greeted_again(client: TestClient, core: Core) -> None:
    sid = (await (await client.post("/webchat/api/sessions")).json())["session_id"]
    await client.post(f"/webchat/api/sessions/{sid}/messages", json={"text": "daftar"})
    before = await (await client.get(f"/webchat/api/sessions/{sid}/messages?after=0")).json()
    after = await (await client.post(f"/webchat/api/sessions/{sid}/greeting")).json()
    assert after == before
    greetings = [r for r in after["replies"] if r["text"] == core.catalog.text("menu-greeting")]
    assert len(greetings) == 1


async def test_greeting_an_unknown_chat_is_404(client: TestClient) -> None:
    resp = await client.post("/webchat/api/sessions/no-such-chat/greeting")
    assert resp.status == 404
