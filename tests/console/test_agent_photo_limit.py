"""Agents' photos have one limit, the one citizens' photos have, whether a script or a plain form
sends them, and a citizen's photo for the agent is kept up to that limit (issue 15, finding 7)."""

from __future__ import annotations

from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient

from bot.core import Core
from bot.helpdesk.media import MAX_PHOTO_BYTES, clean_photo
from bot.photos.limits import DEFAULT_LIMITS
from tests.console.support import add_user, client_for, jpeg, login, page_csrf
from tests.support.chat import ChatDriver
from tests.support.helpdesk import conversation

Client = TestClient[Any, Any]
MIB = 1024 * 1024


def _padded(size: int) -> bytes:
    """Return a small JPEG padded to ``size`` bytes (decoders ignore what follows its end)."""
    image = jpeg()
    return image + b"\0" * (size - len(image))


async def _held_chat(core: Core, client: Client) -> tuple[int, str]:
    await add_user(core, "siti", "agent")
    chat = ChatDriver(core)
    await chat.say("petugas")
    conv = await conversation(core, chat)
    assert (await login(client, "siti")).status == 200
    csrf = await page_csrf(client)
    await client.post(f"/console/chats/{conv.id}/claim", data={"csrf": csrf})
    return conv.id, csrf


def _form(csrf: str | None, photo: bytes) -> aiohttp.FormData:
    form = aiohttp.FormData()
    if csrf is not None:
        form.add_field("csrf", csrf)
    form.add_field("text", "Contoh foto")
    form.add_field("photo", photo, filename="contoh.jpg", content_type="image/jpeg")
    return form


async def test_a_plain_form_takes_a_photo_as_big_as_a_script_may_send(core: Core) -> None:
    async with client_for(core) as client:
        conv_id, csrf = await _held_chat(core, client)
        path = f"/console/chats/{conv_id}/messages"
        plain = await client.post(path, data=_form(csrf, _padded(3 * MIB)), allow_redirects=False)
        assert plain.status == 302, plain.status
        script = await client.post(
            path, data=_form(None, _padded(3 * MIB)),
            headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
        )  # fmt: skip
        assert script.status == 200, await script.text()


async def test_over_the_limit_both_ways_are_refused_alike(core: Core) -> None:
    async with client_for(core) as client:
        conv_id, csrf = await _held_chat(core, client)
        path = f"/console/chats/{conv_id}/messages"
        too_big = _padded(MAX_PHOTO_BYTES + 1)
        plain = await client.post(path, data=_form(csrf, too_big), allow_redirects=False)
        script = await client.post(
            path, data=_form(None, too_big), headers={"X-CSRF-Token": csrf},
        )  # fmt: skip
        assert (plain.status, script.status) == (413, 413)


def test_agents_photos_and_citizens_photos_share_one_limit() -> None:
    assert DEFAULT_LIMITS.max_bytes == MAX_PHOTO_BYTES
    kept = clean_photo(_padded(15 * MIB))  # a channel accepts it, so the helpdesk keeps it
    assert kept.accepted and kept.clean_jpeg
