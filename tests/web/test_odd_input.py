"""Odd input gets a 4xx, never a 500 with a traceback (issue 15, finding 7).

Secrets sent with non-ASCII characters are compared as bytes; ids and ``after=`` beyond what a
database column holds name no row (404) or are refused (400), on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.core import Core
from tests.console.support import (
    add_token,
    add_user,
    client_for,
    login,
    page_csrf,
    seed_registration,
)
from tests.support.chat import ChatDriver
from tests.support.helpdesk import conversation

Client = TestClient[Any, Any]
HUGE = "99999999999999999999"
BIGINT_PLUS_ONE = str(2**63)


async def test_non_ascii_secrets_are_refused_like_any_wrong_secret(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    seeded = await seed_registration(core)
    async with client_for(core) as client:
        assert (await client.get("/media/chat/1?k=%C3%A9")).status == 404
        await client.get("/console/login")  # sets the login form's CSRF cookie
        refused = await client.post(
            "/console/login", data={"csrf": "é", "username": "siti", "password": "x"}
        )
        assert refused.status == 403
        client.session.cookie_jar.update_cookies({"tlive_flash": "a.é"})
        assert (await client.get("/console/login")).status == 200
        assert (await login(client, "siti")).status == 200
        document = f"/console/registrations/{seeded.id}/documents/ktp?k=%C3%A9"
        assert (await client.get(document)).status == 404
        posted = await client.post(
            "/console/account/password", data={"current_password": "x"},
            headers={"X-CSRF-Token": "é"},
        )  # fmt: skip
        assert posted.status == 403


@pytest.mark.parametrize("number", [HUGE, BIGINT_PLUS_ONE])
async def test_ids_no_row_can_have_are_not_found(any_core: Core, number: str) -> None:
    core = any_core
    await add_user(core, "kepala", "admin")
    token = await add_token(core, "admin")
    bearer = {"Authorization": f"Bearer {token}"}
    async with client_for(core) as client:
        for path in (f"/api/v1/registrations/{number}", f"/api/v1/conversations/{number}",
                     f"/api/v1/registrations/{number}/documents/ktp",
                     f"/api/v1/conversations/1/media/{number}"):  # fmt: skip
            got = await client.get(path, headers=bearer)
            assert (got.status, (await got.json())["error"]) == (404, "not_found"), path
        decided = await client.post(f"/api/v1/registrations/{number}/decision", headers=bearer,
                                    json={"decision": "approve"})  # fmt: skip
        assert decided.status == 404
        assert (await client.get(f"/media/chat/{number}?k=0")).status == 404
        assert (await login(client, "kepala")).status == 200
        for path in (f"/console/registrations/{number}", f"/console/chats/{number}",
                     f"/console/chats/{number}/events", f"/console/chats/1/media/{number}",
                     f"/console/registrations/{number}/documents/ktp?k=0"):  # fmt: skip
            assert (await client.get(path)).status == 404, path
        csrf = await page_csrf(client)
        for path in (f"/console/chats/{number}/claim", f"/console/users/{number}/active",
                     f"/console/tokens/{number}/revoke", f"/console/canned/{number}/delete"):
            posted = await client.post(path, data={"csrf": csrf}, allow_redirects=False)
            assert posted.status in (302, 404), path


async def test_after_beyond_any_sequence_is_a_bad_request(any_core: Core) -> None:
    core = any_core
    await add_user(core, "siti", "agent")
    chat = ChatDriver(core)
    await chat.say("petugas")
    conv = await conversation(core, chat)
    async with client_for(core) as client:
        polled = await client.get(f"/webchat/api/sessions/{chat.chat_id}/messages?after={HUGE}")
        assert polled.status == 400 and "error" in await polled.json()
        assert (await login(client, "siti")).status == 200
        csrf = await page_csrf(client)
        await client.post(f"/console/chats/{conv.id}/claim", data={"csrf": csrf})
        for path in (f"/console/chats/{conv.id}/events?after={HUGE}",
                     f"/console/queue/next?after={HUGE}", f"/console/queue?page={HUGE}",
                     f"/console/audit?page={HUGE}"):  # fmt: skip
            got = await client.get(path, allow_redirects=False)
            assert got.status in (302, 400, 403), (path, got.status)
        stream = await client.get(
            f"/console/chats/{conv.id}/events", headers={"Last-Event-ID": HUGE}
        )
        assert stream.status == 400
        sent = await client.post(
            f"/console/chats/{conv.id}/messages", data={"csrf": csrf, "canned_id": HUGE},
            headers={"Accept": "application/json"},
        )  # fmt: skip
        assert 400 <= sent.status < 500, sent.status


async def test_a_form_without_its_boundary_is_a_bad_request(core: Core) -> None:
    await add_user(core, "siti", "agent")
    token = await add_token(core, "agent")
    chat = ChatDriver(core)
    await chat.say("petugas")
    conv = await conversation(core, chat)
    broken = {"Content-Type": "multipart/form-data; boundary=x"}
    async with client_for(core) as client:
        sent = await client.post(f"/webchat/api/sessions/{chat.chat_id}/messages",
                                 data=b"no parts here", headers=broken)  # fmt: skip
        assert sent.status == 400 and "error" in await sent.json()
        bearer = {**broken, "Authorization": f"Bearer {token}"}
        await client.post(f"/api/v1/conversations/{conv.id}/claim", headers=bearer)
        api = await client.post(f"/api/v1/conversations/{conv.id}/messages", data=b"x",
                                headers=bearer)  # fmt: skip
        assert api.status == 400 and (await api.json())["error"] == "bad_request"
        assert (await login(client, "siti")).status == 200
        csrf = await page_csrf(client)
        console = await client.post(f"/console/chats/{conv.id}/messages", data=b"x",
                                    headers={**broken, "X-CSRF-Token": csrf})  # fmt: skip
        assert console.status == 400, console.status
