"""``install``: the channel's lifetime in an aiohttp app, in polling and in webhook mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer, unused_port

from bot.config import ConfigError, Settings
from bot.engine.channels import Recipient
from bot.engine.messages import Reply
from bot.i18n import Catalog
from integrations.telegram import install
from integrations.telegram.install import TELEGRAM_BOT, WEBHOOK_PATH, StaticImages
from integrations.telegram.receiver import SECRET_HEADER
from integrations.telegram.sender import TelegramSender
from tests.integrations.telegram.conftest import FakeCore, make_context
from tests.standins.telegram_api import TelegramStandin

SECRET = "webhook-secret-123"
CHAT = 4242


async def test_polling_mode_registers_commands_and_receives(
    standin: TelegramStandin, settings: Settings, catalog: Catalog, core: FakeCore
) -> None:
    app = web.Application()
    install(app, make_context(settings, catalog, core))
    (sender,) = core.senders
    assert isinstance(sender, TelegramSender) and sender.channel == "telegram"
    assert WEBHOOK_PATH not in {r.canonical for r in app.router.resources()}
    async with TestClient(TestServer(app)):
        await standin.wait_for_call("getUpdates")
        assert standin.calls_of("deleteWebhook")[0].params.get("drop_pending_updates") == "false"
        assert [c["command"] for c in standin.commands] == [
            "start", "menu", "status", "bantuan", "batal"
        ]  # fmt: skip
        assert standin.commands[2]["description"] == catalog.text("telegram-command-status")
        update_id = standin.push_text(CHAT, "/status")
        (inbound,) = await core.wait_for(1)
        assert (inbound.chat_id, inbound.text) == (str(CHAT), "status")
        assert await sender.send(Recipient(str(CHAT)), Reply("Status: menunggu verifikasi"))
        bot = app[TELEGRAM_BOT]
    assert bot.session._session is None or bot.session._session.closed
    assert standin.calls_of("getUpdates")[-1].params["offset"] == str(update_id + 1)


async def test_webhook_mode_sets_the_webhook_and_receives_through_it(
    standin: TelegramStandin, catalog: Catalog, core: FakeCore, tmp_path: Path
) -> None:
    port = unused_port()
    settings = Settings(
        data_dir=tmp_path,
        telegram_token=standin.token,
        telegram_api_base=standin.api_base,
        public_url=f"http://127.0.0.1:{port}/",
        telegram_webhook_secret=SECRET,
    )
    app = web.Application()
    install(app, make_context(settings, catalog, core))
    async with TestClient(TestServer(app, host="127.0.0.1", port=port)) as client:
        (call,) = await standin.wait_for_call("setWebhook")
        assert call.params["url"] == f"http://127.0.0.1:{port}/webhooks/telegram"
        assert call.params["secret_token"] == SECRET
        assert call.params["allowed_updates"] == ["message", "callback_query"]
        assert call.params.get("drop_pending_updates") == "false"
        await standin.wait_for_call("setMyCommands")
        standin.push_text(CHAT, "Halo")
        (inbound,) = await core.wait_for(1)
        assert inbound.text == "Halo"
        await standin.wait_for_idle()
        assert standin.webhook_deliveries[-1][1] == 200
        forged = standin.text_update(CHAT, "palsu")
        resp = await client.post(WEBHOOK_PATH, json=forged, headers={SECRET_HEADER: "nope"})
        assert resp.status == 401
    assert len(core.inbounds) == 1
    assert standin.calls_of("getUpdates") == []
    assert standin.calls_of("deleteWebhook") == []  # other workers keep receiving


async def test_a_down_api_at_start_does_not_stop_the_service(
    catalog: Catalog, core: FakeCore, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path, telegram_token="1:x", telegram_api_base="http://127.0.0.1:9"
    )

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    install(app, make_context(settings, catalog, core))
    async with TestClient(TestServer(app)) as client:
        assert (await client.get("/healthz")).status == 200


def test_malformed_token_is_a_clear_config_error(
    catalog: Catalog, core: FakeCore, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, telegram_token="not a token")
    with pytest.raises(ConfigError, match="TLIVE_TELEGRAM_TOKEN"):
        install(web.Application(), make_context(settings, catalog, core))


def test_static_images_resolve_inside_the_static_folder_only(tmp_path: Path) -> None:
    static = tmp_path / "static"
    (static / "examples").mkdir(parents=True)
    (static / "examples" / "ktp.jpg").write_bytes(b"jpeg")
    (tmp_path / "secret.txt").write_text("x")
    app = web.Application()
    app.router.add_static("/static", static)
    images = StaticImages(app, static_dir=None, public_url="https://tlive.example.id")
    expected = (static / "examples" / "ktp.jpg").resolve()
    assert images("/static/examples/ktp.jpg") == expected
    assert images("/static/examples/ktp.jpg?v=2") == expected
    assert images("https://tlive.example.id/static/examples/ktp.jpg") == expected
    assert images("https://elsewhere.example/static/examples/ktp.jpg") is None
    assert images("/static/../secret.txt") is None
    assert images("/static/examples/missing.jpg") is None
    assert images("/other/examples/ktp.jpg") is None
    fallback = StaticImages(web.Application(), static_dir=static, public_url=None)
    assert fallback("/static/examples/ktp.jpg") == expected
