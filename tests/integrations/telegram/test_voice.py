"""Telegram hears the bot: sendVoice with a real OGG/Opus upload, and a 🔊 Dengarkan row."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiogram import Bot
from aiohttp.test_utils import TestServer

from bot.app import build_app
from bot.config import Settings
from bot.core import Core
from bot.engine.channels import Recipient
from bot.engine.messages import VOICE_NOTE, Button, Reply
from bot.engine.ratelimit import RateLimiter
from bot.i18n import Catalog
from bot.speech import build_speech
from bot.speech.synth import Programs
from integrations.telegram.sender import TelegramSender
from tests.conftest import SECRET, migrated_core
from tests.speech.audio import assert_voice_note, needs_speech
from tests.standins.telegram_api import TelegramStandin

CHAT = "800077"
TO = Recipient(CHAT)
CHOICES = (Button("consent:yes", "✅ Setuju"), Button("consent:no", "Tidak setuju"))


def _sender(bot: Bot, catalog: Catalog, tmp_path: Path, **speech: object) -> TelegramSender:
    settings = Settings(data_dir=tmp_path, secret_key=SECRET, **speech)  # type: ignore[arg-type]
    voice = build_speech(settings)
    return TelegramSender(
        bot, catalog, limiter=RateLimiter(rate=1000, per_key_interval=0),
        make_voice=voice.voice_note,
    )  # fmt: skip


@needs_speech
async def test_a_voice_note_is_uploaded_with_send_voice_as_ogg_opus(
    standin: TelegramStandin, bot: Bot, catalog: Catalog, tmp_path: Path
) -> None:
    sender = _sender(bot, catalog, tmp_path)
    note = Reply("Apakah Bapak/Ibu setuju?", buttons=CHOICES, extra={VOICE_NOTE: True})
    message_id = await sender.send(TO, note)
    [sent] = standin.sent[CHAT]
    assert sent.method == "sendVoice" and message_id == str(sent.message_id)
    assert sent.text is None  # the text went out before, as its own message
    [call] = standin.calls_of("sendVoice")
    assert call.params["voice"].startswith("attach://")  # a multipart upload, not a link
    assert_voice_note(sent.voice or b"")
    # Its choices come along, with the row that reads it again.
    assert sent.labels == ["✅ Setuju", "Tidak setuju", catalog.text("btn-listen")]


async def test_no_voice_note_is_sent_when_none_can_be_made(
    standin: TelegramStandin, bot: Bot, catalog: Catalog, tmp_path: Path
) -> None:
    sender = _sender(bot, catalog, tmp_path, voice_timeout_seconds=0.001)
    note = Reply("Silakan ketik NIK Bapak/Ibu.", extra={VOICE_NOTE: True})
    assert await sender.send(TO, note) is None
    assert standin.sent[CHAT] == [] and not standin.calls_of("sendVoice")


async def test_choices_get_a_listen_row_in_the_keyboard_they_use(
    standin: TelegramStandin, bot: Bot, catalog: Catalog, tmp_path: Path
) -> None:
    sender = _sender(bot, catalog, tmp_path)
    listen = catalog.text("btn-listen")
    await sender.send(TO, Reply("Setuju?", buttons=CHOICES))
    kecamatan = tuple(Button(f"kec:{n}", f"Kecamatan {n}") for n in range(13))
    await sender.send(TO, Reply("Pilih kecamatan:", buttons=kecamatan))
    await sender.send(TO, Reply("Silakan ketik nama lengkap."))
    reply_kb, inline_kb, plain = standin.sent[CHAT]
    assert reply_kb.keyboard_kind == "reply" and reply_kb.reply_markup["keyboard"][-1] == [
        {"text": listen}
    ]
    assert inline_kb.keyboard_kind == "inline"
    assert inline_kb.reply_markup["inline_keyboard"][-1] == [
        {"text": listen, "callback_data": "voice:listen"}
    ]
    # Without choices the keyboard is still removed; "dengarkan" is typed.
    assert plain.keyboard_kind == "remove"


async def test_without_voice_there_is_no_listen_row(
    standin: TelegramStandin, bot: Bot, catalog: Catalog
) -> None:
    sender = TelegramSender(bot, catalog, limiter=RateLimiter(rate=1000, per_key_interval=0))
    await sender.send(TO, Reply("Setuju?", buttons=CHOICES))
    [sent] = standin.sent[CHAT]
    assert catalog.text("btn-listen") not in sent.labels


# --- Through the real service: the outbox, the engine, the dialogs ---


@pytest.fixture
async def service_core(
    standin: TelegramStandin, settings_factory: Callable[..., Settings], sqlite_url: str
) -> AsyncIterator[Core]:
    """Run the app in-process, polling the stand-in, with its outbox dispatcher."""
    settings = settings_factory(
        database_url=sqlite_url, telegram_token=standin.token,
        telegram_api_base=standin.api_base,
    )  # fmt: skip
    core = await migrated_core(settings)
    server = TestServer(build_app(settings, core=core))
    await server.start_server()
    try:
        yield core
    finally:
        await server.close()
        await core.db.dispose()


async def _answer(standin: TelegramStandin, text: str, *, methods: int = 1) -> list[str]:
    """Type ``text`` and wait for the bot's next ``methods`` sends; return their methods."""
    before = len(standin.sent[CHAT])
    standin.push_text(CHAT, text)
    await standin.wait_until(lambda: len(standin.sent[CHAT]) >= before + methods, 30)
    return [m.method for m in standin.sent[CHAT][before:]]


@needs_speech
async def test_dengarkan_is_answered_with_send_voice_through_the_outbox(
    standin: TelegramStandin, service_core: Core
) -> None:
    assert await _answer(standin, "/start") == ["sendMessage"]
    greeting = standin.sent[CHAT][-1]
    assert await _answer(standin, "dengarkan") == ["sendVoice"]
    voice = standin.sent[CHAT][-1]
    assert_voice_note(voice.voice or b"", min_seconds=3.0)
    assert voice.labels == greeting.labels  # the menu can be tapped right under it


@needs_speech
async def test_voice_on_every_message_sends_each_text_then_its_voice_note_once(
    standin: TelegramStandin, service_core: Core
) -> None:
    await _answer(standin, "/start")
    assert await _answer(standin, "suara", methods=2) == ["sendMessage", "sendVoice"]
    assert await _answer(standin, "bantuan", methods=2) == ["sendMessage", "sendVoice"]
    await service_core.outbox.drain_once()  # nothing left over to send twice
    assert [m.method for m in standin.sent[CHAT]].count("sendVoice") == 2
    async with service_core.uow() as uow:
        conv = await uow.conversations.find("telegram", CHAT)
        assert conv is not None and conv.voice_replies is True


async def test_a_failed_voice_note_never_holds_back_the_text(
    standin: TelegramStandin, service_core: Core, tmp_path: Path
) -> None:
    broken = tmp_path / "espeak-ng"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    # espeak-ng breaks after start-up: voice stays on, every note fails.
    service_core.services.speech._synth.programs = Programs(str(broken), "/bin/cat")
    await _answer(standin, "/start")
    assert await _answer(standin, "suara") == ["sendMessage"]
    assert standin.sent[CHAT][-1].text == service_core.catalog.text("voice-on")
    assert await _answer(standin, "bantuan") == ["sendMessage"]  # the next one is not held
    assert not standin.calls_of("sendVoice")


@needs_speech
async def test_a_voice_note_refused_once_is_sent_again_alone(
    standin: TelegramStandin, service_core: Core
) -> None:
    await _answer(standin, "/start")
    standin.fail_next("sendVoice", 429, retry_after=1)
    assert await _answer(standin, "dengarkan") == ["sendVoice"]
    assert [c.status for c in standin.calls_of("sendVoice")] == [429, 200]
    # Only the note was retried: the greeting went out once.
    assert [m.method for m in standin.sent[CHAT]] == ["sendMessage", "sendVoice"]
