"""A reply that leaves the chat waiting for a photo says which one (the web chat's camera)."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app
from bot.core import Core
from bot.web.webchat import reply_json
from tests.photos.factory import good_ktp_jpeg
from tests.support.chat import ChatDriver
from tests.support.registration import NIK, walk_to_ktp_step


async def test_photo_steps_mark_their_last_reply_with_the_kind_and_camera(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("halo")
    assert all("photo" not in reply.extra for reply in chat.replies)
    await walk_to_ktp_step(chat)
    assert chat.replies[-1].extra["photo"] == "ktp"
    assert reply_json(chat.replies[-1])["capture"] == "environment"
    await chat.photo(good_ktp_jpeg(NIK))
    assert chat.replies[-1].extra["photo"] == "selfie"
    assert reply_json(chat.replies[-1])["capture"] == "user"
    assert all("photo" not in reply.extra for reply in chat.replies[:-1])


async def test_a_helpdesk_chat_offers_any_photo_on_the_web(core: Core) -> None:
    app = build_app(core.settings, core=core)
    async with TestClient(TestServer(app)) as client:
        sid = (await (await client.post("/webchat/api/sessions")).json())["session_id"]
        url = f"/webchat/api/sessions/{sid}/messages"
        menu = await (await client.post(url, json={"text": "menu"})).json()
        assert "photo" not in menu["replies"][-1]
        person = {"text": "sy mau ngomong sama orang aja"}
        asked = await (await client.post(url, json=person)).json()
        assert asked["replies"][-1]["photo"] == "any"
        assert "capture" not in asked["replies"][-1]  # the phone's usual camera
