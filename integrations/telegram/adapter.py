"""Translate Telegram updates into channel-neutral :class:`Inbound` messages.

Download policy: a photo that cannot be fetched *for now* (network error, 5xx, 429,
"temporarily unavailable") raises :class:`DownloadError`, so the update is not stored and
Telegram (webhook) or the poller retries it. A photo that can never be fetched (unknown or
expired file id, no file path, or still failing when the caller passes ``give_up=True``
because the update has failed for too long) becomes a PHOTO inbound with ``photo=None`` and
``photo_too_large=False``: the dialog asks the citizen to send it again instead of the update
blocking the chat.
Files over the Bot API's 20 MB download limit become ``photo_too_large=True``, unfetched.
"""

from __future__ import annotations

import contextlib
import io
import logging
from pathlib import PurePosixPath
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.exceptions import AiogramError, TelegramBadRequest, TelegramNotFound
from aiogram.types import CallbackQuery, Document, Message, PhotoSize, Update

from bot.engine.messages import Inbound, InboundKind

log = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
DOWNLOAD_TIMEOUT = 60
# The update types the bot asks Telegram for; nothing else is delivered.
ALLOWED_UPDATES = ("message", "callback_query")
# Bot commands and the words the dialogs understand for them.
COMMANDS = {
    "start": "menu",
    "menu": "menu",
    "status": "status",
    "bantuan": "bantuan",
    "batal": "batal",
}
# Deep links ``t.me/<bot>?start=<word>`` (posters, QR codes) that open a flow directly.
START_PAYLOADS = frozenset({"daftar", "status", "bantuan", "tanya", "petugas"})
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".bmp", ".tif"})


class DownloadError(Exception):
    """A file could not be fetched right now; retrying the update may succeed."""


class FileTooLargeError(Exception):
    """The file is over the Bot API's 20 MB download limit."""


class UnusableFileError(Exception):
    """The file can never be fetched (unknown or expired id, no path)."""


def chat_key(update: Update) -> str:
    """Return the key whose updates must be handled one at a time, in order."""
    if update.message is not None:
        return str(update.message.chat.id)
    query = update.callback_query
    if query is not None:
        return str(query.message.chat.id if query.message else query.from_user.id)
    return f"update:{update.update_id}"


async def to_inbound(update: Update, bot: Bot, *, give_up: bool = False) -> Inbound | None:
    """Translate ``update``; None means it is not for the dialogs and is ignored."""
    if update.callback_query is not None:
        return _button(update.update_id, update.callback_query)
    message = update.message
    # Groups and channels would show personal data to others: the bot serves 1:1 chats only.
    if message is None or message.chat.type != "private":
        return None
    if message.from_user is not None and message.from_user.is_bot:
        return None
    return await _message(update.update_id, message, bot, give_up=give_up)


async def acknowledge(update: Update, bot: Bot) -> None:
    """Stop a tapped button's loading spinner; failures are ignored."""
    if update.callback_query is None:
        return
    with contextlib.suppress(AiogramError, aiohttp.ClientError, OSError, TimeoutError):
        await bot.answer_callback_query(update.callback_query.id, request_timeout=10)


def command_text(text: str) -> str:
    """Turn ``/status@SomeBot`` into ``status``; leave any other text as typed."""
    words = text.strip().split(maxsplit=1)
    if not words or not words[0].startswith("/") or len(words[0]) == 1:
        return text
    name = words[0][1:].split("@", 1)[0].lower()
    payload = words[1].strip().lower() if len(words) > 1 else ""
    if name == "start" and payload in START_PAYLOADS:
        return payload
    return COMMANDS.get(name, text)


def _button(update_id: int, query: CallbackQuery) -> Inbound | None:
    if query.data is None:
        return None
    chat_id = query.message.chat.id if query.message else query.from_user.id
    return Inbound(
        channel=CHANNEL,
        chat_id=str(chat_id),
        message_id=f"u{update_id}",
        kind=InboundKind.BUTTON,
        button_id=query.data,
        display_name=query.from_user.first_name,
    )


def _inbound(update_id: int, message: Message, kind: InboundKind, **fields: Any) -> Inbound:
    return Inbound(
        channel=CHANNEL,
        chat_id=str(message.chat.id),
        message_id=f"u{update_id}",
        kind=kind,
        display_name=message.from_user.first_name if message.from_user else None,
        **fields,
    )


async def _message(update_id: int, message: Message, bot: Bot, *, give_up: bool) -> Inbound:
    if message.text is not None:
        return _inbound(update_id, message, InboundKind.TEXT, text=command_text(message.text))
    picture = _largest_photo(message.photo) if message.photo else _image_document(message.document)
    if picture is not None:
        fields = await _photo_fields(picture, bot, give_up=give_up)
        # A caption rides along as text; the message is still a photo.
        return _inbound(update_id, message, InboundKind.PHOTO, text=message.caption or "", **fields)
    if message.contact is not None:
        own = message.from_user is not None and message.contact.user_id == message.from_user.id
        # Someone else's contact card: CONTACT without a phone, the dialog asks for their own.
        phone = message.contact.phone_number if own else None
        return _inbound(update_id, message, InboundKind.CONTACT, contact_phone=phone)
    return _inbound(update_id, message, _other_kind(message), text=message.caption or "")


def _largest_photo(sizes: list[PhotoSize]) -> PhotoSize:
    return max(sizes, key=lambda size: (size.width * size.height, size.file_size or 0))


def _image_document(document: Document | None) -> Document | None:
    if document is None:
        return None
    mime = (document.mime_type or "").lower()
    suffix = PurePosixPath(document.file_name or "").suffix.lower()
    if mime.startswith("image/") or (
        mime in ("", "application/octet-stream") and suffix in IMAGE_SUFFIXES
    ):
        return document
    return None


def _other_kind(message: Message) -> InboundKind:
    if message.voice or message.audio or message.video_note:
        return InboundKind.VOICE
    if message.sticker:
        return InboundKind.STICKER
    if message.location or message.venue:
        return InboundKind.LOCATION
    return InboundKind.UNSUPPORTED


async def _photo_fields(
    picture: PhotoSize | Document, bot: Bot, *, give_up: bool
) -> dict[str, Any]:
    if (picture.file_size or 0) > MAX_DOWNLOAD_BYTES:
        return {"photo": None, "photo_too_large": True}
    try:
        return {"photo": await download(bot, picture.file_id), "photo_too_large": False}
    except FileTooLargeError:
        return {"photo": None, "photo_too_large": True}
    except UnusableFileError as exc:
        log.warning("telegram file cannot be fetched, the citizen is asked to resend: %s", exc)
    except DownloadError:
        if not give_up:
            raise
        log.exception("telegram download still failing on the last attempt, giving up")
    return {"photo": None, "photo_too_large": False}


async def download(bot: Bot, file_id: str) -> bytes:
    """Fetch a file through ``getFile`` and the file URL of the configured API base."""
    try:
        file = await bot.get_file(file_id, request_timeout=30)
    except (TelegramBadRequest, TelegramNotFound) as exc:
        text = str(exc).lower()
        if "too big" in text:
            raise FileTooLargeError(str(exc)) from exc
        if "temporarily" in text:
            raise DownloadError(str(exc)) from exc
        raise UnusableFileError(str(exc)) from exc
    except (AiogramError, aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise DownloadError(f"getFile failed: {exc}") from exc
    if (file.file_size or 0) > MAX_DOWNLOAD_BYTES:
        raise FileTooLargeError(f"file_size {file.file_size}")
    if not file.file_path:
        raise UnusableFileError("getFile returned no file_path")
    return await _fetch(bot, file.file_path)


async def _fetch(bot: Bot, file_path: str) -> bytes:
    url = bot.session.api.file_url(bot.token, file_path)
    buffer = io.BytesIO()
    stream = bot.session.stream_content(url=url, timeout=DOWNLOAD_TIMEOUT)
    try:
        async for chunk in stream:
            buffer.write(chunk)
            if buffer.tell() > MAX_DOWNLOAD_BYTES:
                raise FileTooLargeError(f"download passed {MAX_DOWNLOAD_BYTES} bytes")
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        # A 404 here means the path expired; a fresh getFile on the retry fixes it.
        raise DownloadError(f"file download failed: {type(exc).__name__}: {exc}") from exc
    finally:
        await stream.aclose()
    return buffer.getvalue()
