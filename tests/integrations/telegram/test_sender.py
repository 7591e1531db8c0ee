"""Render neutral replies as Telegram messages, against the Bot API stand-in."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from aiogram import Bot

from bot.config import Settings
from bot.engine.channels import Recipient, SendError
from bot.engine.messages import Button, Reply
from bot.engine.ratelimit import RateLimiter
from bot.i18n import Catalog
from integrations.telegram.install import make_bot
from integrations.telegram.sender import TelegramSender, split_text
from tests.integrations.telegram.conftest import jpeg
from tests.standins.telegram_api import TelegramStandin

CHAT = "800001"
TO = Recipient(CHAT)
EXAMPLE = "/static/examples/contoh-foto-ktp.jpg"
KECAMATAN = ("Batuceper", "Benda", "Cibodas", "Ciledug", "Cipondoh", "Jatiuwung",
             "Karang Tengah", "Karawaci", "Larangan", "Neglasari", "Periuk", "Pinang",
             "Tangerang")  # fmt: skip


@pytest.fixture
def static(tmp_path: Path) -> Path:
    """A static folder holding the KTP example picture."""
    folder = tmp_path / "static"
    (folder / "examples").mkdir(parents=True)
    (folder / "examples" / "contoh-foto-ktp.jpg").write_bytes(jpeg(800, 500))
    return folder


@pytest.fixture
def sender(bot: Bot, catalog: Catalog, static: Path) -> TelegramSender:
    """A sender with a fast limiter, resolving ``/static/…`` to the static folder."""

    def resolve(url: str) -> Path | None:
        path = static / url.removeprefix("/static/")
        return path if url.startswith("/static/") and path.is_file() else None

    return TelegramSender(
        bot, catalog, resolve_image=resolve, limiter=RateLimiter(rate=1000, per_key_interval=0)
    )


async def test_plain_text_removes_a_reply_keyboard(
    standin: TelegramStandin, sender: TelegramSender
) -> None:
    message_id = await sender.send(TO, Reply("Selamat datang di Asisten Tangerang LIVE."))
    (sent,) = standin.sent[CHAT]
    assert message_id == str(sent.message_id)
    assert sent.text == "Selamat datang di Asisten Tangerang LIVE."
    assert sent.keyboard_kind == "remove"
    assert "parse_mode" not in sent.params  # plain text: a name like <Budi> stays as typed


async def test_few_short_choices_use_a_big_reply_keyboard(
    standin: TelegramStandin, sender: TelegramSender
) -> None:
    buttons = (Button("consent:yes", "✅ Setuju"), Button("consent:no", "Tidak setuju"))
    await sender.send(TO, Reply("Apakah Anda setuju?", buttons=buttons))
    (sent,) = standin.sent[CHAT]
    markup = sent.reply_markup
    assert sent.keyboard_kind == "reply"
    assert markup["keyboard"] == [[{"text": "✅ Setuju"}], [{"text": "Tidak setuju"}]]
    assert markup["resize_keyboard"] is True
    assert markup["one_time_keyboard"] is True
    assert markup["input_field_placeholder"]


async def test_many_choices_use_inline_buttons_carrying_ids(
    standin: TelegramStandin, sender: TelegramSender
) -> None:
    buttons = tuple(Button(f"kec:{name.lower().replace(' ', '-')}", name) for name in KECAMATAN)
    await sender.send(TO, Reply("Pilih kecamatan Anda:", buttons=buttons))
    (sent,) = standin.sent[CHAT]
    rows = sent.reply_markup["inline_keyboard"]
    assert sent.keyboard_kind == "inline"
    assert [len(row) for row in rows] == [2] * 6 + [1]
    assert [b["callback_data"] for b in sent.buttons] == [b.id for b in buttons]
    assert sent.labels[6] == "Karang Tengah"


async def test_long_labels_or_lookalike_labels_go_inline_one_per_row(
    standin: TelegramStandin, sender: TelegramSender
) -> None:
    long = (
        Button("doc:ktp", "KTP elektronik (kartu asli)"),
        Button("doc:resi", "Resi / surat keterangan pengganti KTP-el"),
    )
    await sender.send(TO, Reply("Dokumen apa yang Anda punya?", buttons=long))
    alike = (Button("a", "Ya!"), Button("b", "ya"))
    await sender.send(TO, Reply("Yakin?", buttons=alike))
    first, second = standin.sent[CHAT]
    assert first.keyboard_kind == "inline"
    assert [len(row) for row in first.reply_markup["inline_keyboard"]] == [1, 1]
    assert second.keyboard_kind == "inline"  # typed back, "Ya!" and "ya" could not be told apart


async def test_ids_too_long_for_callback_data_fall_back_to_a_reply_keyboard(
    standin: TelegramStandin, sender: TelegramSender
) -> None:
    buttons = tuple(Button(f"faq:{'x' * 70}:{i}", f"Pertanyaan {i}") for i in range(6))
    await sender.send(TO, Reply("Pertanyaan terkait:", buttons=buttons))
    (sent,) = standin.sent[CHAT]
    assert sent.keyboard_kind == "reply"
    assert sent.labels == [b.label for b in buttons]


async def test_ask_contact_offers_the_share_phone_button(
    standin: TelegramStandin, sender: TelegramSender, catalog: Catalog
) -> None:
    reply = Reply("Berapa nomor HP Anda?", ask_contact=True, buttons=(Button("cancel", "Batal"),))
    await sender.send(TO, reply)
    (sent,) = standin.sent[CHAT]
    share, cancel = sent.buttons
    assert share == {"text": catalog.text("telegram-share-phone"), "request_contact": True}
    assert cancel == {"text": "Batal"}
    assert sent.reply_markup["one_time_keyboard"] is True


async def test_example_picture_is_uploaded_once_then_reused(
    standin: TelegramStandin, sender: TelegramSender, static: Path
) -> None:
    reply = Reply(
        "Kirim foto KTP Anda seperti contoh ini.",
        image_url=EXAMPLE,
        buttons=(Button("x", "Batal"),),
    )
    first_id = await sender.send(TO, reply)
    await sender.send(TO, reply)
    first, second = standin.sent[CHAT]
    assert first.method == second.method == "sendPhoto"
    assert first_id == str(first.message_id)
    assert first.photo == (static / "examples" / "contoh-foto-ktp.jpg").read_bytes()
    assert first.photo_ref == "upload"
    assert second.photo_ref == "file_id"
    assert first.text == "Kirim foto KTP Anda seperti contoh ini."
    assert first.keyboard_kind == "reply"


async def test_unknown_picture_sends_the_text_alone(
    standin: TelegramStandin, sender: TelegramSender
) -> None:
    await sender.send(TO, Reply("Contoh foto:", image_url="/static/examples/hilang.jpg"))
    (sent,) = standin.sent[CHAT]
    assert sent.method == "sendMessage"
    assert sent.text == "Contoh foto:"


async def test_long_text_is_split_with_the_keyboard_on_the_last_part(
    standin: TelegramStandin, sender: TelegramSender
) -> None:
    paragraph = "Persyaratan pendaftaran Tangerang LIVE 😊 " * 40
    text = "\n\n".join([paragraph] * 8)
    await sender.send(TO, Reply(text, buttons=(Button("menu", "Menu"),)))
    parts = standin.sent[CHAT]
    assert len(parts) >= 3
    assert all(len(p.text.encode("utf-16-le")) // 2 <= 4096 for p in parts)
    assert [p.keyboard_kind for p in parts] == [None] * (len(parts) - 1) + ["reply"]
    assert "".join(p.text for p in parts).replace("\n", "").replace(" ", "") == text.replace(
        "\n", ""
    ).replace(" ", "")


async def test_long_text_with_a_picture_follows_the_picture(
    standin: TelegramStandin, sender: TelegramSender
) -> None:
    await sender.send(TO, Reply("Panduan foto. " * 100, image_url=EXAMPLE))
    photo, text = standin.sent[CHAT]
    assert photo.method == "sendPhoto"
    assert photo.text is None
    assert text.method == "sendMessage"
    assert text.keyboard_kind == "remove"


def test_split_text_prefers_paragraphs_and_counts_utf16() -> None:
    assert split_text("pendek") == ["pendek"]
    emoji = "😊" * 3000  # 6000 UTF-16 units
    parts = split_text(emoji)
    assert [len(p) for p in parts] == [2048, 952]
    text = "a" * 3000 + "\n\n" + "b" * 3000
    assert split_text(text) == ["a" * 3000, "b" * 3000]


async def test_429_pauses_the_limiter_and_asks_to_retry_later(
    standin: TelegramStandin, bot: Bot, catalog: Catalog
) -> None:
    limiter = RateLimiter(rate=30, per_key_interval=0)
    sender = TelegramSender(bot, catalog, limiter=limiter)
    standin.fail_next("sendMessage", 429, retry_after=1)
    with pytest.raises(SendError) as caught:
        await sender.send(TO, Reply("Halo"))
    assert caught.value.retry_after == 1
    started = time.monotonic()
    await sender.send(Recipient("800002"), Reply("Halo"))  # another chat waits as well
    assert time.monotonic() - started >= 0.9
    assert len(standin.sent["800002"]) == 1


async def test_a_long_flood_pause_hands_messages_back_without_calling_telegram(
    standin: TelegramStandin, sender: TelegramSender
) -> None:
    standin.fail_next("sendMessage", 429, retry_after=30)
    with pytest.raises(SendError):
        await sender.send(TO, Reply("Halo"))
    calls = len(standin.calls)
    with pytest.raises(SendError) as caught:
        await sender.send(Recipient("800003"), Reply("Keputusan verifikasi"))
    assert caught.value.retry_after is not None and 28 < caught.value.retry_after <= 30
    assert len(standin.calls) == calls


async def test_server_error_is_retryable(standin: TelegramStandin, sender: TelegramSender) -> None:
    standin.fail_next("sendMessage", 500)
    with pytest.raises(SendError) as caught:
        await sender.send(TO, Reply("Halo"))
    assert caught.value.retry_after is not None and caught.value.retry_after > 0
    assert await sender.send(TO, Reply("Halo"))


async def test_blocked_bot_is_a_permanent_failure(
    standin: TelegramStandin, sender: TelegramSender
) -> None:
    standin.block(CHAT)
    with pytest.raises(SendError) as caught:
        await sender.send(TO, Reply("Keputusan verifikasi Anda"))
    assert caught.value.retry_after is None


async def test_bad_request_is_a_permanent_failure(
    standin: TelegramStandin, sender: TelegramSender
) -> None:
    standin.fail_next("sendMessage", 400, description="Bad Request: chat not found")
    with pytest.raises(SendError) as caught:
        await sender.send(TO, Reply("Halo"))
    assert caught.value.retry_after is None


async def test_unreachable_api_is_retryable(tmp_path: Path, catalog: Catalog) -> None:
    settings = Settings(
        data_dir=tmp_path, telegram_token="1:x", telegram_api_base="http://127.0.0.1:9"
    )
    bot = make_bot(settings)
    try:
        with pytest.raises(SendError) as caught:
            await TelegramSender(bot, catalog).send(TO, Reply("Halo"))
    finally:
        await bot.session.close()
    assert caught.value.retry_after is not None


async def test_a_later_part_is_retried_in_place_without_duplicates(
    standin: TelegramStandin, sender: TelegramSender
) -> None:
    await sender.send(TO, Reply("Panduan foto. " * 100, image_url=EXAMPLE))
    assert len(standin.sent[CHAT]) == 2
    standin.sent.clear()
    standin.fail_next("sendMessage", 502)  # the picture went out; its text part fails once
    await sender.send(TO, Reply("Panduan foto. " * 100, image_url=EXAMPLE))
    assert [s.method for s in standin.sent[CHAT]] == ["sendPhoto", "sendMessage"]
