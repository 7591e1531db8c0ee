"""Erasing one's data in the web chat gives the page a new session id; the old one opens nothing.

Issue 15, finding 4: the session id is the only key to a web chat, and it may stay behind in a
shared browser. After "hapus data" it must stop working.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app
from bot.core import Core
from tests.support.scan import columns_containing


@pytest.fixture
async def client(any_core: Core) -> AsyncIterator[TestClient[object, object]]:
    app = build_app(any_core.settings, core=any_core)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def test_erasure_rotates_the_session_and_the_old_id_stops_working(
    client: TestClient[object, object], any_core: Core
) -> None:
    old = (await (await client.post("/webchat/api/sessions")).json())["session_id"]
    url = f"/webchat/api/sessions/{old}/messages"
    await client.post(url, json={"text": "hapus data"})

    erased = await client.post(url, json={"button": "privacy:erase-yes"})

    body = await erased.json()
    assert erased.status == 200 and "sudah dihapus" in body["replies"][-1]["text"]
    new = body["session_id"]
    assert new and new != old
    assert (await client.get(url)).status == 404
    assert (await client.post(url, json={"text": "halo"})).status == 404
    assert (await client.post(f"/webchat/api/sessions/{old}/greeting")).status == 404
    page = await client.get(f"/webchat/api/sessions/{new}/messages", params={"after": "0"})
    assert page.status == 200
    assert [r["text"] for r in (await page.json())["replies"]][-1] == body["replies"][-1]["text"]
    going_on = await client.post(f"/webchat/api/sessions/{new}/messages", json={"text": "menu"})
    assert going_on.status == 200 and (await going_on.json()).get("session_id") is None
    assert await columns_containing(any_core, old) == []
    assert await columns_containing(any_core, new) == []


async def test_a_session_id_is_stored_only_as_hash_and_ciphertext(
    client: TestClient[object, object], any_core: Core
) -> None:
    sid = (await (await client.post("/webchat/api/sessions")).json())["session_id"]
    sent = await client.post(f"/webchat/api/sessions/{sid}/messages", json={"text": "halo"})
    assert sent.status == 200
    assert await columns_containing(any_core, sid) == []
