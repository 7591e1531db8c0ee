"""Translate real-shaped Telegram updates into neutral inbound messages."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import Bot
from aiogram.types import Update

from bot.engine.messages import Inbound, InboundKind
from integrations.telegram.adapter import DownloadError, chat_key, command_text, to_inbound
from tests.integrations.telegram.conftest import jpeg
from tests.standins.telegram_api import TelegramStandin

CHAT = 700_001
BIG = 25 * 1024 * 1024


async def translate(raw: dict[str, Any], bot: Bot, *, give_up: bool = False) -> Inbound | None:
    """Parse a raw update as the webhook does and translate it."""
    update = Update.model_validate(raw, context={"bot": bot})
    return await to_inbound(update, bot, give_up=give_up)


async def test_text_message_keeps_ids_and_name(standin: TelegramStandin, bot: Bot) -> None:
    raw = standin.text_update(CHAT, "Halo, saya mau daftar", first_name="Siti")
    inbound = await translate(raw, bot)
    assert inbound == Inbound(
        channel="telegram",
        chat_id=str(CHAT),
        message_id=f"u{raw['update_id']}",
        kind=InboundKind.TEXT,
        text="Halo, saya mau daftar",
        display_name="Siti",
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/start", "menu"),
        ("/start kampanye-kelurahan", "menu"),
        ("/start daftar", "daftar"),
        ("/start status", "status"),
        ("/menu", "menu"),
        ("/status", "status"),
        ("/bantuan", "bantuan"),
        ("/batal", "batal"),
        ("/STATUS@tlive_standin_bot", "status"),
        ("/lainnya", "/lainnya"),
        ("/", "/"),
    ],
)
async def test_commands_become_dialog_words(
    standin: TelegramStandin, bot: Bot, typed: str, expected: str
) -> None:
    inbound = await translate(standin.text_update(CHAT, typed), bot)
    assert inbound is not None
    assert inbound.kind is InboundKind.TEXT
    assert inbound.text == expected
    assert command_text(typed) == expected


async def test_callback_query_becomes_button(standin: TelegramStandin, bot: Bot) -> None:
    raw = standin.callback_update(CHAT, "kec:karawaci")
    inbound = await translate(raw, bot)
    assert inbound is not None
    assert inbound.kind is InboundKind.BUTTON
    assert inbound.button_id == "kec:karawaci"
    assert inbound.chat_id == str(CHAT)
    assert inbound.message_id == f"u{raw['update_id']}"
    assert chat_key(Update.model_validate(raw)) == str(CHAT)


async def test_photo_downloads_the_largest_size(
    standin: TelegramStandin, bot: Bot, photo: bytes
) -> None:
    raw = standin.photo_update(CHAT, photo)
    sizes = raw["message"]["photo"]
    assert len(sizes) == 4
    raw["message"]["photo"] = [sizes[2], sizes[3], sizes[0], sizes[1]]  # order must not matter
    inbound = await translate(raw, bot)
    assert inbound is not None
    assert inbound.kind is InboundKind.PHOTO
    assert inbound.photo == photo
    assert not inbound.photo_too_large
    asked = [call.params["file_id"] for call in standin.calls_of("getFile")]
    assert asked == [sizes[3]["file_id"]]


async def test_photo_caption_is_kept_as_text(
    standin: TelegramStandin, bot: Bot, photo: bytes
) -> None:
    inbound = await translate(standin.photo_update(CHAT, photo, caption="ini KTP saya"), bot)
    assert inbound is not None
    assert inbound.kind is InboundKind.PHOTO
    assert inbound.text == "ini KTP saya"
    assert inbound.photo == photo


@pytest.mark.parametrize(
    ("mime_type", "file_name"),
    [("image/jpeg", "KTP.JPG"), ("image/png", "scan.png"), ("", "foto_ktp.jpeg")],
)
async def test_image_document_is_a_photo(
    standin: TelegramStandin, bot: Bot, mime_type: str, file_name: str
) -> None:
    picture = jpeg(2400, 1800)
    raw = standin.photo_update(
        CHAT, picture, as_document=True, mime_type=mime_type, file_name=file_name
    )
    inbound = await translate(raw, bot)
    assert inbound is not None
    assert inbound.kind is InboundKind.PHOTO
    assert inbound.photo == picture


async def test_other_document_is_unsupported(standin: TelegramStandin, bot: Bot) -> None:
    raw = standin.photo_update(
        CHAT, b"%PDF-1.7", as_document=True, mime_type="application/pdf", file_name="ktp.pdf"
    )
    inbound = await translate(raw, bot)
    assert inbound is not None
    assert inbound.kind is InboundKind.UNSUPPORTED
    assert standin.calls_of("getFile") == []


@pytest.mark.parametrize("as_document", [False, True])
async def test_too_large_file_is_flagged_not_downloaded(
    standin: TelegramStandin, bot: Bot, photo: bytes, as_document: bool
) -> None:
    raw = standin.photo_update(CHAT, photo, as_document=as_document, file_size=BIG)
    inbound = await translate(raw, bot)
    assert inbound is not None
    assert inbound.kind is InboundKind.PHOTO
    assert inbound.photo_too_large
    assert inbound.photo is None
    assert standin.calls_of("getFile") == []


async def test_file_too_big_for_getfile_is_flagged(
    standin: TelegramStandin, bot: Bot, photo: bytes
) -> None:
    raw = standin.photo_update(CHAT, photo, as_document=True)
    document = raw["message"]["document"]
    del document["file_size"]  # Telegram omits it sometimes; getFile then refuses
    standin.files[document["file_id"]].declared_size = BIG
    inbound = await translate(raw, bot)
    assert inbound is not None
    assert inbound.photo_too_large
    assert inbound.photo is None


async def test_transient_download_failure_raises_so_the_update_is_retried(
    standin: TelegramStandin, bot: Bot, photo: bytes
) -> None:
    raw = standin.photo_update(CHAT, photo)
    standin.fail_next("getFile", 500)
    with pytest.raises(DownloadError):
        await translate(raw, bot)
    standin.fail_next("file", 502)
    with pytest.raises(DownloadError):
        await translate(raw, bot)
    inbound = await translate(raw, bot)
    assert inbound is not None
    assert inbound.photo == photo


async def test_last_attempt_gives_up_with_an_unusable_photo(
    standin: TelegramStandin, bot: Bot, photo: bytes
) -> None:
    standin.fail_next("getFile", 500)
    inbound = await translate(standin.photo_update(CHAT, photo), bot, give_up=True)
    assert inbound is not None
    assert inbound.kind is InboundKind.PHOTO
    assert inbound.photo is None
    assert not inbound.photo_too_large


async def test_unknown_file_id_is_unusable_not_an_error(
    standin: TelegramStandin, bot: Bot, photo: bytes
) -> None:
    raw = standin.photo_update(CHAT, photo)
    for size in raw["message"]["photo"]:
        size["file_id"] = "AgAC-expired"
    inbound = await translate(raw, bot)
    assert inbound is not None
    assert inbound.kind is InboundKind.PHOTO
    assert inbound.photo is None
    assert not inbound.photo_too_large


async def test_own_contact_gives_the_phone(standin: TelegramStandin, bot: Bot) -> None:
    inbound = await translate(standin.contact_update(CHAT, "6281234567890"), bot)
    assert inbound is not None
    assert inbound.kind is InboundKind.CONTACT
    assert inbound.contact_phone == "6281234567890"


async def test_someone_elses_contact_gives_no_phone(standin: TelegramStandin, bot: Bot) -> None:
    raw = standin.contact_update(CHAT, "6289876543210", user_id=CHAT + 1)
    inbound = await translate(raw, bot)
    assert inbound is not None
    assert inbound.kind is InboundKind.CONTACT
    assert inbound.contact_phone is None
    del raw["message"]["contact"]["user_id"]  # a contact card typed in by hand
    inbound = await translate(raw, bot)
    assert inbound is not None
    assert inbound.contact_phone is None


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (
            {"voice": {"file_id": "v1", "file_unique_id": "v1u", "duration": 4}},
            InboundKind.VOICE,
        ),
        (
            {"audio": {"file_id": "a1", "file_unique_id": "a1u", "duration": 60}},
            InboundKind.VOICE,
        ),
        (
            {"video_note": {"file_id": "n1", "file_unique_id": "n1u", "length": 240,
                            "duration": 5}},
            InboundKind.VOICE,
        ),
        (
            {
                "sticker": {
                    "file_id": "s1",
                    "file_unique_id": "s1u",
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            },
            InboundKind.STICKER,
        ),
        ({"location": {"latitude": -6.17, "longitude": 106.63}}, InboundKind.LOCATION),
        (
            {"video": {"file_id": "m1", "file_unique_id": "m1u", "width": 640, "height": 360,
                       "duration": 9, "mime_type": "video/mp4"}},
            InboundKind.UNSUPPORTED,
        ),
        ({"dice": {"emoji": "🎲", "value": 3}}, InboundKind.UNSUPPORTED),
    ],
)  # fmt: skip
async def test_things_the_bot_cannot_use_get_their_kind(
    standin: TelegramStandin, bot: Bot, content: dict[str, Any], kind: InboundKind
) -> None:
    inbound = await translate(standin.message_update(CHAT, **content), bot)
    assert inbound is not None
    assert inbound.kind is kind


async def test_album_photos_are_separate_inbounds(standin: TelegramStandin, bot: Bot) -> None:
    first, second = jpeg(color=(200, 10, 10)), jpeg(color=(10, 200, 10))
    raws = [standin.photo_update(CHAT, img, media_group_id="album-1") for img in (first, second)]
    inbounds = [await translate(raw, bot) for raw in raws]
    assert [i.photo for i in inbounds if i] == [first, second]
    assert len({i.message_id for i in inbounds if i}) == 2


async def test_groups_edits_and_bots_are_ignored(standin: TelegramStandin, bot: Bot) -> None:
    group = standin.text_update(-100_200, "halo")
    group["message"]["chat"] = {"id": -100_200, "type": "supergroup", "title": "Warga RT 01"}
    assert await translate(group, bot) is None
    edited = standin.text_update(CHAT, "ralat")
    edited["edited_message"] = edited.pop("message")
    edited["edited_message"]["edit_date"] = edited["edited_message"]["date"]
    assert await translate(edited, bot) is None
    from_bot = standin.text_update(CHAT, "spam")
    from_bot["message"]["from"]["is_bot"] = True
    assert await translate(from_bot, bot) is None
