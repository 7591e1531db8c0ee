"""Render neutral replies as Telegram messages and send them within Telegram's limits.

Keyboard rule (documented in the README's Telegram section):
- ``ask_contact`` → a reply keyboard whose first button shares the citizen's own number,
  followed by the reply's buttons, one per row.
- up to :data:`REPLY_KEYBOARD_MAX` choices with short, distinct labels → a reply keyboard,
  one big button per row, hidden after one tap; the label comes back as text, which the
  dialogs accept like a button tap (they match labels and numbers).
- more choices, or long labels → an inline keyboard whose callback data is the button id
  (2 buttons per row when the labels are short), which comes back as a BUTTON inbound.
  A button id longer than Telegram's 64-byte callback limit forces a reply keyboard.
- a message another message follows in the same turn (``extra["followed"]``) → an inline
  keyboard, so its choices stay under it (the consent's "Baca selengkapnya").
- no buttons → the message removes any reply keyboard still showing, so a stale choice
  cannot be tapped at a step that expects something else.
- voice notes on (``make_voice``): a message with choices gets a last row "🔊 Dengarkan" in
  the same keyboard (a reply-keyboard tap comes back as the typed word, an inline one as the
  ``voice:listen`` button); a message without choices keeps removing the keyboard and is heard
  by typing "dengarkan". A voice-note reply goes out as ``sendVoice`` (OGG/Opus upload) with
  its choices, or not at all when no note could be made (the text went out before it).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import aiohttp
from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.methods import SendMessage, SendPhoto, SendVoice, TelegramMethod
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.engine.channels import Recipient, SendError
from bot.engine.messages import Button, Reply
from bot.engine.ratelimit import RateLimiter
from bot.i18n import Catalog
from bot.speech import FILENAME
from integrations.telegram.adapter import CHANNEL

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
# Map an image URL of the public site (``/static/x.jpg``) to a local file, or None.
ImageResolver = Callable[[str], Path | None]
# Load the bytes behind a stored image link (an agent's photo), or None.
ImageLoader = Callable[[str], Awaitable[bytes | None]]
# Make the OGG/Opus voice note of a text, or None when none could be made.
VoiceMaker = Callable[[str], Awaitable[bytes | None]]
# The "🔊 Dengarkan" button's id (dialogs.voice listens for it).
LISTEN_BUTTON = "voice:listen"

_T = TypeVar("_T")

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
REPLY_KEYBOARD_MAX = 4
REPLY_LABEL_MAX = 30
INLINE_PAIR_LABEL_MAX = 16
# Retryable errors after part of a reply went out are retried here, up to this long,
# so that the outbox does not resend (and duplicate) the parts already delivered.
INLINE_RETRY_MAX_WAIT = 5.0
INLINE_RETRIES = 3
NETWORK_RETRY_AFTER = 5.0
TOKEN_RETRY_AFTER = 60.0
REQUEST_TIMEOUT = 30
# Telegram's limits: about 30 messages a second per bot, about one a second per chat.
RATE = 30.0
PER_CHAT_INTERVAL = 1.0


def no_images(url: str) -> Path | None:
    """Resolve no image URL (text-only fallback)."""
    return None


class TelegramSender:
    """Send replies to Telegram chats through the Bot API."""

    channel = CHANNEL

    def __init__(
        self,
        bot: Bot,
        catalog: Catalog,
        *,
        resolve_image: ImageResolver = no_images,
        limiter: RateLimiter | None = None,
        load_image: ImageLoader | None = None,
        make_voice: VoiceMaker | None = None,
    ) -> None:
        self._bot = bot
        self._make_voice = make_voice
        self._catalog = catalog
        self._resolve_image = resolve_image
        self._load_image = load_image
        self.limiter = limiter or RateLimiter(RATE, PER_CHAT_INTERVAL)
        # Pictures by image URL: Telegram's file_id is reused after the first upload.
        self._file_ids: dict[str, str] = {}
        self._paused_until = 0.0

    async def send(self, recipient: Recipient, reply: Reply) -> str | None:
        """Send ``reply``; return the last Telegram message id, or raise :class:`SendError`."""
        chat_id = _telegram_chat_id(recipient.chat_id)
        listen = self._make_voice is not None
        markup = keyboard_for(reply, self._catalog, listen=listen)
        if reply.is_voice_note:
            return await self._send_voice(recipient.chat_id, chat_id, reply, markup)
        parts = split_text(reply.text) if reply.text.strip() else []
        sent: Message | None = None
        if reply.image_url:
            # Short text becomes the caption; longer text follows the picture as messages.
            captioned = not parts or (len(parts) == 1 and _units(parts[0]) <= CAPTION_LIMIT)
            caption = parts[0] if captioned and parts else None
            photo_markup = markup if captioned else None
            sent = await self._send_photo(
                recipient.chat_id, chat_id, reply.image_url, caption, photo_markup
            )
            if sent is not None and captioned:
                return str(sent.message_id)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            method = SendMessage(chat_id=chat_id, text=part, reply_markup=markup if last else None)
            sent = await self._call(recipient.chat_id, method, partial=sent is not None)
        return str(sent.message_id) if sent is not None else None

    async def _send_voice(
        self, key: str, chat_id: int | str, reply: Reply, markup: Markup
    ) -> str | None:
        """Send the voice note of ``reply``; skip it when none can be made."""
        audio = await self._make_voice(reply.text) if self._make_voice is not None else None
        if audio is None:
            log.info("telegram: no voice note made, skipped (the text was sent)")
            return None
        method = SendVoice(
            chat_id=chat_id, voice=BufferedInputFile(audio, filename=FILENAME),
            reply_markup=markup if reply.buttons else None,
        )  # fmt: skip
        sent = await self._call(key, method, partial=False)
        return str(sent.message_id)

    async def _send_photo(
        self, key: str, chat_id: int | str, url: str, caption: str | None, markup: Markup | None
    ) -> Message | None:
        photo = await self._photo_input(url)
        if photo is None:
            log.warning("telegram: image %s not found locally, sending text only", url)
            return None
        method = SendPhoto(chat_id=chat_id, photo=photo, caption=caption, reply_markup=markup)
        try:
            message = await self._call(key, method, partial=False)
        except SendError as exc:
            if exc.retry_after is not None:
                raise
            self._file_ids.pop(url, None)
            log.warning("telegram: picture refused (%s), sending text only", exc)
            return None
        if message.photo:
            self._file_ids[url] = message.photo[-1].file_id
        return message

    async def _photo_input(self, url: str) -> BufferedInputFile | str | None:
        if url in self._file_ids:
            return self._file_ids[url]
        path = self._resolve_image(url)
        if path is not None and path.is_file():
            return BufferedInputFile(path.read_bytes(), filename=path.name)
        stored = await self._load_image(url) if self._load_image is not None else None
        if stored is not None:
            return BufferedInputFile(stored, filename="foto.jpg")
        if url.startswith("https://"):
            return url  # a public picture: Telegram fetches it itself
        return None

    async def _call(self, key: str, method: TelegramMethod[Message], *, partial: bool) -> Message:
        attempts = 1 + (INLINE_RETRIES if partial else 0)
        for attempt in range(attempts):
            paused = self._paused_until - time.monotonic()
            if paused > INLINE_RETRY_MAX_WAIT and not partial:
                # Flood control: hand the message back to the outbox instead of holding it.
                raise SendError("paused by Telegram flood control", retry_after=paused)
            try:
                async with self.limiter.slot(key):
                    return await self._bot(method, request_timeout=REQUEST_TIMEOUT)
            except (TelegramAPIError, ClientDecodeError, aiohttp.ClientError, TimeoutError) as exc:
                if isinstance(exc, TelegramRetryAfter):
                    self.limiter.pause(exc.retry_after)
                    self._paused_until = time.monotonic() + exc.retry_after
                error = send_error(exc)
            wait = error.retry_after
            if wait is None or wait > INLINE_RETRY_MAX_WAIT or attempt == attempts - 1:
                raise error
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")


def send_error(exc: Exception) -> SendError:
    """Classify a failed Bot API call: retry later (seconds) or never (None)."""
    detail = str(getattr(exc, "message", None) or exc).splitlines()
    message = f"{type(exc).__name__}: {detail[0] if detail else ''}"
    if isinstance(exc, TelegramRetryAfter):
        return SendError(message, retry_after=float(exc.retry_after))
    permanent = (
        TelegramForbiddenError,  # the citizen blocked the bot or deleted the account
        TelegramBadRequest,
        TelegramNotFound,
        TelegramMigrateToChat,
        TelegramEntityTooLarge,
    )
    if isinstance(exc, permanent):
        return SendError(message, retry_after=None)
    if isinstance(exc, TelegramUnauthorizedError):
        # A revoked token: keep the message until an operator fixes the configuration.
        return SendError(message, retry_after=TOKEN_RETRY_AFTER)
    return SendError(message, retry_after=NETWORK_RETRY_AFTER)


def keyboard_for(reply: Reply, catalog: Catalog, *, listen: bool = False) -> Markup:
    """Choose the keyboard for ``reply`` by the rule in this module's docstring.

    ``listen`` adds the "🔊 Dengarkan" row to a keyboard of choices.
    """
    placeholder = catalog.text("telegram-keyboard-placeholder")
    if reply.ask_contact:
        share = KeyboardButton(text=catalog.text("telegram-share-phone"), request_contact=True)
        rows = [[share], *([KeyboardButton(text=b.label)] for b in reply.buttons)]
        return _reply_keyboard(rows, catalog.text("telegram-phone-placeholder"))
    if not reply.buttons:
        return ReplyKeyboardRemove()
    heard = catalog.text("btn-listen")
    # A message another follows keeps its choices under itself: the next one's reply keyboard
    # would replace a reply keyboard of its own.
    inline_ok = _fits_callback_data(reply.buttons)
    followed = bool(reply.extra.get("followed")) and inline_ok
    if not followed and (_fits_reply_keyboard(reply.buttons) or not inline_ok):
        labels = [KeyboardButton(text=b.label) for b in reply.buttons]
        rows = _rows(labels, pairs=len(labels) > REPLY_KEYBOARD_MAX)
        if listen:
            rows.append([KeyboardButton(text=heard)])
        return _reply_keyboard(rows, placeholder)
    inline = [InlineKeyboardButton(text=b.label, callback_data=b.id) for b in reply.buttons]
    pairs = all(len(b.label) <= INLINE_PAIR_LABEL_MAX for b in reply.buttons)
    inline_rows = _rows(inline, pairs=pairs)
    if listen:
        inline_rows.append([InlineKeyboardButton(text=heard, callback_data=LISTEN_BUTTON)])
    return InlineKeyboardMarkup(inline_keyboard=inline_rows)


def _fits_reply_keyboard(buttons: tuple[Button, ...]) -> bool:
    # The label comes back as typed text: it must be short and tell the choices apart
    # the way the dialogs compare labels (letters and digits only, any case).
    plain = ["".join(c for c in b.label.casefold() if c.isalnum()) for b in buttons]
    return (
        len(buttons) <= REPLY_KEYBOARD_MAX
        and all(len(b.label) <= REPLY_LABEL_MAX for b in buttons)
        and all(plain)
        and len(set(plain)) == len(plain)
    )


def _fits_callback_data(buttons: tuple[Button, ...]) -> bool:
    return all(0 < len(b.id.encode()) <= CALLBACK_DATA_LIMIT for b in buttons)


def _rows(items: list[_T], *, pairs: bool) -> list[list[_T]]:
    size = 2 if pairs else 1
    return [items[i : i + size] for i in range(0, len(items), size)]


def _reply_keyboard(rows: list[list[KeyboardButton]], placeholder: str) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=rows,
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=placeholder[:64],
    )


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split ``text`` into messages of at most ``limit`` UTF-16 units, at paragraph or word ends."""
    parts: list[str] = []
    rest = text
    while _units(rest) > limit:
        cut = _prefix_length(rest, limit)
        window = rest[:cut]
        for separator in ("\n\n", "\n", " "):
            at = window.rfind(separator)
            if at > cut // 2:
                cut = at
                break
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _units(text: str) -> int:
    """Count UTF-16 code units, as Telegram does for message lengths."""
    return len(text.encode("utf-16-le")) // 2


def _prefix_length(text: str, limit: int) -> int:
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _telegram_chat_id(chat_id: str) -> int | str:
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id
