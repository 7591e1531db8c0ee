"""``/api/v1`` answers every failure in JSON and keeps to its own 64 KiB body limit
(issue 15, finding 7)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.core import Core
from tests.console.support import add_token, client_for, jpeg
from tests.support.chat import ChatDriver
from tests.support.helpdesk import conversation

KIB = 1024


def _auth(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


async def test_an_unexpected_failure_is_a_json_500_without_details(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = await add_token(core, "verifier")

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("INSERT failed, parameters: ('3671014501900001',)")

    monkeypatch.setattr(core.review_cases, "queue", broken)
    async with client_for(core) as client:
        resp = await client.get("/api/v1/registrations", headers=_auth(token))
        text = await resp.text()
        assert resp.status == 500 and resp.content_type == "application/json"
        assert json.loads(text) == {"error": "internal"}
        assert "3671014501900001" not in text and "Traceback" not in text


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/nothing-here", 404),
        ("GET", "/api/v1/registrations/abc", 404),
        ("DELETE", "/api/v1/registrations", 405),
    ],
)
async def test_unknown_paths_and_methods_are_json(
    core: Core, method: str, path: str, status: int
) -> None:
    token = await add_token(core, "admin")
    async with client_for(core) as client:
        resp = await client.request(method, path, headers=_auth(token))
        assert resp.status == status and resp.content_type == "application/json"
        assert "error" in await resp.json()


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), 8 * KIB):
        yield data[start : start + 8 * KIB]


async def test_a_json_body_over_64_kib_is_refused(core: Core) -> None:
    token = await add_token(core, "admin")
    big = json.dumps({"answer": "x" * (100 * KIB)}).encode()
    async with client_for(core) as client:
        headers = {**_auth(token), "Content-Type": "application/json"}
        sized = await client.put("/api/v1/faq/biaya", data=big, headers=headers)
        assert sized.status == 413 and (await sized.json())["error"] == "too_large"
        chunked = await client.put("/api/v1/faq/biaya", data=_chunks(big), headers=headers)
        assert chunked.status == 413 and (await chunked.json())["error"] == "too_large"
        small = await client.put("/api/v1/faq/biaya", json={"answer": "x" * (60 * KIB)},
                                 headers=_auth(token))  # fmt: skip
        assert small.status != 413


async def test_a_photo_still_fits_but_a_huge_form_field_does_not(core: Core) -> None:
    token = await add_token(core, "agent")
    chat = ChatDriver(core)
    await chat.say("petugas")
    conv = await conversation(core, chat)
    async with client_for(core) as client:
        claimed = await client.post(f"/api/v1/conversations/{conv.id}/claim",
                                    headers=_auth(token))  # fmt: skip
        assert claimed.status == 200
        form = aiohttp.FormData()
        form.add_field("text", "Contoh foto")
        form.add_field("photo", jpeg() + b"\0" * (200 * KIB), filename="a.jpg",
                       content_type="image/jpeg")  # fmt: skip
        sent = await client.post(f"/api/v1/conversations/{conv.id}/messages", data=form,
                                 headers=_auth(token))  # fmt: skip
        assert sent.status == 201, await sent.text()
        form = aiohttp.FormData(default_to_multipart=True)
        form.add_field("text", "x" * (1024 * KIB))
        bloated = await client.post(f"/api/v1/conversations/{conv.id}/messages", data=form,
                                    headers=_auth(token))  # fmt: skip
        assert bloated.status == 413 and (await bloated.json())["error"] == "too_large"
