"""The webhook endpoint: secret checked, update stored before 200, 500 only when not stored."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiogram import Bot
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.engine.messages import InboundKind
from integrations.telegram.receiver import SECRET_HEADER, UpdateHandler, webhook_view
from tests.integrations.telegram.conftest import FakeCore
from tests.standins.telegram_api import TelegramStandin

SECRET = "s3cret-Token_for-tests"
CHAT = 900001


@asynccontextmanager
async def webhook_client(
    bot: Bot, core: FakeCore, **options: float
) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    """Serve only the webhook route, wired to the fake core."""
    app = web.Application()
    view = webhook_view(UpdateHandler(bot, core.handle_inbound), SECRET, **options)
    app.router.add_post("/webhooks/telegram", view)
    async with TestClient(TestServer(app)) as client:
        yield client


@pytest.fixture
async def client(
    bot: Bot, core: FakeCore
) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    """A webhook client with the default grace period."""
    async with webhook_client(bot, core) as client:
        yield client


async def post(
    client: TestClient[web.Request, web.Application], body: Any, secret: str | None = SECRET
) -> tuple[int, str]:
    """POST ``body`` (JSON-encoded unless bytes) as Telegram would."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    data = body if isinstance(body, bytes) else json.dumps(body)
    async with client.post("/webhooks/telegram", data=data, headers=headers) as resp:
        return resp.status, await resp.text()


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET.upper()])
async def test_wrong_or_missing_secret_is_refused_and_changes_nothing(
    client: TestClient[web.Request, web.Application],
    standin: TelegramStandin,
    core: FakeCore,
    secret: str | None,
) -> None:
    status, _ = await post(client, standin.text_update(CHAT, "/start"), secret)
    assert status == 401
    assert core.inbounds == []


async def test_good_update_is_stored_then_answered_200_with_an_empty_body(
    client: TestClient[web.Request, web.Application], standin: TelegramStandin, core: FakeCore
) -> None:
    raw = standin.text_update(CHAT, "/start")
    status, body = await post(client, raw)
    assert (status, body) == (200, "")  # never a Bot API method in the response body
    (inbound,) = core.inbounds
    assert inbound.text == "menu"
    assert inbound.message_id == f"u{raw['update_id']}"


async def test_storage_failure_answers_500_so_telegram_retries(
    client: TestClient[web.Request, web.Application], standin: TelegramStandin, core: FakeCore
) -> None:
    raw = standin.text_update(CHAT, "Budi Santoso")
    core.fail_times = 1
    assert (await post(client, raw))[0] == 500
    assert core.inbounds == []
    assert (await post(client, raw))[0] == 200
    assert (await post(client, raw))[0] == 200  # a redelivery: the core reports a duplicate
    assert [i.message_id for i in core.inbounds] == [f"u{raw['update_id']}"] * 2


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"[1, 2]", b'{"message": {}}', b'{"update_id": "7"}']
)
async def test_garbage_is_a_bad_request(
    client: TestClient[web.Request, web.Application], core: FakeCore, body: bytes
) -> None:
    assert (await post(client, body))[0] == 400
    assert core.inbounds == []


async def test_updates_the_bot_does_not_use_are_acknowledged_and_ignored(
    client: TestClient[web.Request, web.Application], standin: TelegramStandin, core: FakeCore
) -> None:
    poll = {"update_id": standin.next_update_id(), "poll": {"id": "1", "question": "?"}}
    edited = standin.text_update(CHAT, "ralat")
    edited["edited_message"] = edited.pop("message")
    edited["edited_message"]["edit_date"] = edited["edited_message"]["date"]
    assert (await post(client, poll))[0] == 200  # unparseable for this aiogram: dropped
    assert (await post(client, edited))[0] == 200
    assert core.inbounds == []


async def test_button_tap_is_stored_then_its_spinner_stopped(
    client: TestClient[web.Request, web.Application], standin: TelegramStandin, core: FakeCore
) -> None:
    raw = standin.callback_update(CHAT, "consent:yes")
    assert (await post(client, raw))[0] == 200
    assert core.inbounds[0].kind is InboundKind.BUTTON
    assert standin.callback_answers == [raw["callback_query"]["id"]]


async def test_failing_download_is_retried_then_passed_on_as_unusable(
    bot: Bot, standin: TelegramStandin, core: FakeCore, photo: bytes
) -> None:
    raw = standin.photo_update(CHAT, photo)
    standin.fail_next("getFile", 500, times=10)
    async with webhook_client(bot, core, give_up_after=0.3) as client:
        assert (await post(client, raw))[0] == 500
        assert (await post(client, raw))[0] == 500  # still within the grace period
        await asyncio.sleep(0.35)
        assert (await post(client, raw))[0] == 200
    (inbound,) = core.inbounds
    assert inbound.kind is InboundKind.PHOTO
    assert inbound.photo is None


async def test_an_update_that_keeps_failing_is_dropped_after_the_grace_period(
    bot: Bot, standin: TelegramStandin, core: FakeCore
) -> None:
    raw = standin.text_update(CHAT, "racun")
    core.fail_ids.add(f"u{raw['update_id']}")
    async with webhook_client(bot, core, give_up_after=0.2) as client:
        assert (await post(client, raw))[0] == 500
        await asyncio.sleep(0.25)
        assert (await post(client, raw))[0] == 200
