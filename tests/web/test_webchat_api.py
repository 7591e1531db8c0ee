"""The web chat JSON API: sessions, texts, buttons, photos, polling and bad input."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app
from bot.core import Core
from tests.photos.factory import good_ktp_jpeg


@pytest.fixture
async def client(core: Core) -> AsyncIterator[TestClient]:
    app = build_app(core.settings, core=core)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def _session(client: TestClient) -> str:
    resp = await client.post("/webchat/api/sessions")
    assert resp.status == 201
    return (await resp.json())["session_id"]


async def test_chat_page_is_served_with_catalog_strings(client: TestClient) -> None:
    resp = await client.get("/chat")
    assert resp.status == 200
    html = await resp.text()
    assert "<html" in html.lower() and "Tangerang LIVE" in html


async def test_text_then_button_walks_the_menu(client: TestClient) -> None:
    sid = await _session(client)
    url = f"/webchat/api/sessions/{sid}/messages"
    body = await (await client.post(url, json={"text": "halo"})).json()
    assert next(b["id"] for b in body["replies"][-1]["buttons"]) == "menu:register"
    body = await (await client.post(url, json={"button": "menu:register"})).json()
    assert [b["id"] for b in body["replies"][-1]["buttons"]] == [
        "consent:yes",
        "consent:family",
        "consent:no",
    ]
    # The greeting on opening, the menu's turn (two messages), then the consent and for whom.
    assert body["last_seq"] == 6


async def test_polling_returns_only_newer_messages(client: TestClient) -> None:
    sid = await _session(client)
    url = f"/webchat/api/sessions/{sid}/messages"
    first = await (await client.post(url, json={"text": "halo"})).json()
    everything = await (await client.get(url, params={"after": "0"})).json()
    bot_texts = [r["text"] for r in everything["replies"][2:] if r["from"] == "bot"]
    assert bot_texts == [r["text"] for r in first["replies"]]
    assert everything["replies"][0]["seq"] == 1 and everything["replies"][0]["from"] == "bot"
    assert everything["replies"][1] == {"text": "halo", "buttons": [], "seq": 2, "from": "citizen"}
    newer = await (await client.get(url, params={"after": str(first["last_seq"])})).json()
    assert newer["replies"] == []


async def test_same_client_id_twice_is_one_message_with_the_same_answer(client: TestClient) -> None:
    sid = await _session(client)
    url = f"/webchat/api/sessions/{sid}/messages"
    first = await (await client.post(url, json={"text": "daftar", "client_id": "c-1"})).json()
    again = await (await client.post(url, json={"text": "daftar", "client_id": "c-1"})).json()
    assert again["duplicate"] is True
    assert [r["text"] for r in again["replies"]] == [r["text"] for r in first["replies"]]
    assert again["last_seq"] == first["last_seq"]


@pytest.mark.parametrize("payload", [{"text": ""}, {"text": "   "}, {}, {"button": ""}])
async def test_empty_messages_get_a_clear_400(client: TestClient, payload: dict) -> None:
    sid = await _session(client)
    resp = await client.post(f"/webchat/api/sessions/{sid}/messages", json=payload)
    assert resp.status == 400
    assert "kosong" in (await resp.json())["error"]


async def test_malformed_json_gets_400(client: TestClient) -> None:
    sid = await _session(client)
    resp = await client.post(
        f"/webchat/api/sessions/{sid}/messages", data=b"{not json",
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert resp.status == 400 and "error" in await resp.json()


async def test_unknown_session_gets_404(client: TestClient) -> None:
    resp = await client.post("/webchat/api/sessions/nope/messages", json={"text": "halo"})
    assert resp.status == 404
    resp = await client.get("/webchat/api/sessions/../../etc/messages")
    assert resp.status == 404


async def test_long_text_and_emoji_get_normal_replies(client: TestClient) -> None:
    sid = await _session(client)
    url = f"/webchat/api/sessions/{sid}/messages"
    for text in ["x" * 10_000, "🙏🙏🙏", "<img src=x onerror=alert(1)>"]:
        resp = await client.post(url, json={"text": text})
        assert resp.status == 200
        assert (await resp.json())["replies"]


async def test_photo_upload_when_text_expected_is_explained(client: TestClient) -> None:
    sid = await _session(client)
    url = f"/webchat/api/sessions/{sid}/messages"
    await client.post(url, json={"text": "daftar"})
    await client.post(url, json={"button": "consent:yes"})
    form = aiohttp.FormData()
    form.add_field("photo", good_ktp_jpeg(), filename="ktp.jpg", content_type="image/jpeg")
    body = await (await client.post(url, data=form)).json()
    assert "diketik" in body["replies"][0]["text"]


async def test_multipart_without_photo_gets_400(client: TestClient) -> None:
    sid = await _session(client)
    form = aiohttp.FormData()
    form.add_field("client_id", "abc")
    resp = await client.post(f"/webchat/api/sessions/{sid}/messages", data=form)
    assert resp.status == 400


async def test_health_ready_and_metrics(client: TestClient) -> None:
    assert (await client.get("/healthz")).status == 200
    assert (await client.get("/readyz")).status == 200
    await _session(client)
    metrics = await (await client.get("/metrics")).text()
    assert "tlive_inbound_messages" in metrics
