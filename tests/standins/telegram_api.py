"""A local stand-in for the Telegram Bot API, for tests.

An aiohttp server on 127.0.0.1 (a free port) that answers ``/bot{token}/{method}`` for the
methods the bot uses, with the Bot API's JSON shapes (``ok``/``result`` or ``ok``/
``error_code``/``description``/``parameters.retry_after``), and serves
``/file/bot{token}/{file_path}``. Tests play the citizens::

    standin = TelegramStandin()
    await standin.start()
    settings = Settings(telegram_token=standin.token, telegram_api_base=standin.api_base)
    standin.push_text(1001, "/start")
    replies = await standin.wait_for_messages(1001, 1)

``getUpdates`` long-polls for real (the request is held until an update is queued or the
timeout passes; ``offset`` confirms earlier updates). After ``setWebhook`` queued updates
are POSTed to the webhook URL with the secret header, one at a time per chat in ``update_id``
order (like Telegram's per-chat webhook queues), retried on non-2xx or connection errors.
``fail_next`` makes the next call(s) of a method fail with a chosen status.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

DOWNLOAD_LIMIT = 20 * 1024 * 1024
JSON_PARAMS = frozenset(
    {"reply_markup", "commands", "allowed_updates", "scope", "entities", "caption_entities"}
)
DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: invalid request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """An error answer of the stand-in, in the Bot API's shape."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def response(self) -> web.Response:
        """Render as the Bot API does."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return web.json_response(body, status=self.status)


@dataclass
class Failure:
    """An injected failure for the next call of one method."""

    status: int
    retry_after: int | None
    description: str | None


@dataclass
class SentMessage:
    """A message the bot sent to a chat, as the stand-in recorded it."""

    method: str
    chat_id: str
    message_id: int
    params: dict[str, Any]
    text: str | None = None
    photo: bytes | None = None
    photo_ref: str | None = None
    voice: bytes | None = None

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        """Return the decoded ``reply_markup``, if any."""
        return self.params.get("reply_markup")

    @property
    def keyboard_kind(self) -> str | None:
        """Return "inline", "reply", "remove" or None for the attached markup."""
        markup = self.reply_markup or {}
        if "inline_keyboard" in markup:
            return "inline"
        if "keyboard" in markup:
            return "reply"
        if markup.get("remove_keyboard"):
            return "remove"
        return None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Return the buttons of the attached keyboard, row by row flattened."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [button for row in rows for button in row]

    @property
    def labels(self) -> list[str]:
        """Return the labels of the attached keyboard's buttons."""
        return [button["text"] for button in self.buttons]


@dataclass
class StoredFile:
    """A file the stand-in can serve through getFile and the file URL."""

    file_id: str
    unique_id: str
    data: bytes
    path: str
    declared_size: int


@dataclass
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]
    status: int = 200
    files: dict[str, bytes] = field(default_factory=dict)


class TelegramStandin:
    """A Bot API server for tests, plus the citizens' side of the conversation."""

    def __init__(
        self,
        token: str = "123456789:standin-token",
        *,
        bot_username: str = "tlive_standin_bot",
        webhook_retry_delay: float = 0.1,
        webhook_max_attempts: int = 20,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.webhook_retry_delay = webhook_retry_delay
        self.webhook_max_attempts = webhook_max_attempts
        self.queue: list[dict[str, Any]] = []
        self.sent: defaultdict[str, list[SentMessage]] = defaultdict(list)
        self.calls: list[Call] = []
        self.files: dict[str, StoredFile] = {}
        self.commands: list[dict[str, Any]] = []
        self.callback_answers: list[str] = []
        self.blocked: set[str] = set()
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_allowed_updates: list[str] | None = None
        self.webhook_deliveries: list[tuple[int, int | None]] = []
        self.webhook_dropped: list[int] = []
        self.delivered_update_ids: list[int] = []
        self._failures: defaultdict[str, list[Failure]] = defaultdict(list)
        self._update_ids = itertools.count(10_000)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._wake = asyncio.Event()
        self._delivery: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._closing = False
        self._handed_out: set[int] = set()

    # -- server -----------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on 127.0.0.1 at a free port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop delivering and serving; held long polls return at once."""
        self.webhook_url = None
        self._closing = True
        self._changed()
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> TelegramStandin:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        """Return the base URL to give the bot (``TLIVE_TELEGRAM_API_BASE``)."""
        return f"http://127.0.0.1:{self._port}"

    # -- test controls ------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 500,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (or "file" downloads) fail."""
        if status == 429 and retry_after is None:
            retry_after = 1
        for _ in range(times):
            self._failures[method.lower()].append(Failure(status, retry_after, description))

    def block(self, chat_id: int | str) -> None:
        """Act as if the citizen blocked the bot: sends answer 403."""
        self.blocked.add(str(chat_id))

    def calls_of(self, method: str) -> list[Call]:
        """Return the recorded calls of ``method``."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    async def wait_for_messages(
        self,
        chat_id: int | str,
        n: int,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """Wait until the bot has sent at least ``n`` messages to ``chat_id``; return them all."""
        key = str(chat_id)
        await self._wait_until(lambda: len(self.sent[key]) >= n, timeout, f"{n} messages")
        return list(self.sent[key])

    async def wait_for_call(
        self,
        method: str,
        n: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> list[Call]:
        """Wait until ``method`` was called successfully ``n`` times; return those calls."""

        def ok() -> list[Call]:
            return [c for c in self.calls_of(method) if c.status == 200]

        await self._wait_until(lambda: len(ok()) >= n, timeout, f"{n}× {method}")
        return ok()

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> None:
        """Wait until ``predicate()`` holds (checked after every change)."""
        await self._wait_until(predicate, timeout, "condition")

    async def wait_for_idle(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until every queued update was fetched and confirmed or delivered."""
        await self._wait_until(lambda: not self.queue, timeout, "empty update queue")

    async def _wait_until(self, predicate: Callable[[], bool], seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not predicate():
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"telegram stand-in: timed out waiting for {what}")
            wake = self._wake
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), min(left, 0.5))

    def _changed(self) -> None:
        self._wake.set()
        self._wake = asyncio.Event()

    # -- citizens' side: updates ----------------------------------------------------------

    def next_update_id(self) -> int:
        """Reserve a fresh update id."""
        return next(self._update_ids)

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update as is (give it an ``update_id`` to test duplicates/order)."""
        update.setdefault("update_id", self.next_update_id())
        self.queue.append(update)
        self._changed()
        return int(update["update_id"])

    def push_text(self, chat_id: int | str, text: str, **user: Any) -> int:
        """Queue a text message (``/commands`` get their ``bot_command`` entity)."""
        return self.push_update(self.text_update(chat_id, text, **user))

    def push_photo(
        self,
        chat_id: int | str,
        image: bytes,
        *,
        as_document: bool = False,
        caption: str | None = None,
        media_group_id: str | None = None,
        file_size: int | None = None,
        mime_type: str = "image/jpeg",
        file_name: str = "foto.jpg",
    ) -> int:
        """Queue a photo, or a file with an image MIME type when ``as_document``."""
        update = self.photo_update(
            chat_id,
            image,
            as_document=as_document,
            caption=caption,
            media_group_id=media_group_id,
            file_size=file_size,
            mime_type=mime_type,
            file_name=file_name,
        )
        return self.push_update(update)

    def push_callback(self, chat_id: int | str, data: str, *, message_id: int | None = None) -> int:
        """Queue a tap on an inline button with callback ``data``."""
        return self.push_update(self.callback_update(chat_id, data, message_id=message_id))

    def push_contact(
        self, chat_id: int | str, phone: str, *, user_id: int | str | None = None
    ) -> int:
        """Queue a shared contact; by default the citizen's own (``user_id`` = sender)."""
        return self.push_update(self.contact_update(chat_id, phone, user_id=user_id))

    def push_voice(self, chat_id: int | str) -> int:
        """Queue a voice note."""
        voice = {"duration": 3, "mime_type": "audio/ogg", **self._file_ref(b"OggS-voice", "voice")}
        return self.push_update(self.message_update(chat_id, voice=voice))

    def push_sticker(self, chat_id: int | str) -> int:
        """Queue a sticker."""
        sticker = {
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            **self._file_ref(b"RIFF-webp", "stickers"),
        }
        return self.push_update(self.message_update(chat_id, sticker=sticker))

    def push_location(
        self, chat_id: int | str, latitude: float = -6.1783, longitude: float = 106.6319
    ) -> int:
        """Queue a shared location (default: Tangerang city hall)."""
        location = {"latitude": latitude, "longitude": longitude}
        return self.push_update(self.message_update(chat_id, location=location))

    def tap(self, chat_id: int | str, label: str) -> int:
        """Tap the button ``label`` of the latest keyboard sent to the chat, as Telegram would."""
        for message in reversed(self.sent[str(chat_id)]):
            if message.keyboard_kind not in ("inline", "reply"):
                continue
            for button in message.buttons:
                if button["text"] != label:
                    continue
                if message.keyboard_kind == "inline":
                    return self.push_callback(
                        chat_id, button["callback_data"], message_id=message.message_id
                    )
                return self.push_text(chat_id, label)
            break
        raise LookupError(f"no button {label!r} on the latest keyboard of chat {chat_id}")

    # -- update builders (real Bot API shapes) --------------------------------------------

    def user(self, user_id: int | str, first_name: str = "Warga") -> dict[str, Any]:
        """Build a ``User`` object of a citizen."""
        return {
            "id": int(user_id),
            "is_bot": False,
            "first_name": first_name,
            "language_code": "id",
        }

    def message_update(
        self,
        chat_id: int | str,
        *,
        first_name: str = "Warga",
        update_id: int | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        """Build a ``message`` update in a private chat with ``content`` fields."""
        chat = {"id": int(chat_id), "type": "private", "first_name": first_name}
        message = {
            "message_id": next(self._message_ids),
            "from": self.user(chat_id, first_name),
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
        return {"update_id": update_id or self.next_update_id(), "message": message}

    def text_update(self, chat_id: int | str, text: str, **user: Any) -> dict[str, Any]:
        """Build a text ``message`` update."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
        return self.message_update(chat_id, **content, **user)

    def photo_update(
        self,
        chat_id: int | str,
        image: bytes,
        *,
        as_document: bool = False,
        caption: str | None = None,
        media_group_id: str | None = None,
        file_size: int | None = None,
        mime_type: str = "image/jpeg",
        file_name: str = "foto.jpg",
    ) -> dict[str, Any]:
        """Build a photo (several sizes, largest last) or image-document update."""
        content: dict[str, Any] = {}
        sizes = self._photo_sizes(image, file_size)
        if as_document:
            document = {
                "file_name": file_name,
                "mime_type": mime_type,
                "thumbnail": sizes[0],
                **self._file_ref(image, "documents", file_size),
            }
            content["document"] = document
        else:
            content["photo"] = sizes
        if caption is not None:
            content["caption"] = caption
        if media_group_id is not None:
            content["media_group_id"] = media_group_id
        return self.message_update(chat_id, **content)

    def callback_update(
        self, chat_id: int | str, data: str, *, message_id: int | None = None
    ) -> dict[str, Any]:
        """Build a ``callback_query`` update for a tap on an inline button."""
        message = {
            "message_id": message_id or next(self._message_ids),
            "from": {"id": self.bot_id, "is_bot": True, "first_name": "Asisten"},
            "chat": {"id": int(chat_id), "type": "private", "first_name": "Warga"},
            "date": int(time.time()),
            "text": "…",
        }
        query = {
            "id": f"cbq{next(self._message_ids)}",
            "from": self.user(chat_id),
            "message": message,
            "chat_instance": f"ci{chat_id}",
            "data": data,
        }
        return {"update_id": self.next_update_id(), "callback_query": query}

    def contact_update(
        self, chat_id: int | str, phone: str, *, user_id: int | str | None = None
    ) -> dict[str, Any]:
        """Build a shared-contact update."""
        owner = int(chat_id if user_id is None else user_id)
        contact = {"phone_number": phone, "first_name": "Warga", "user_id": owner}
        return self.message_update(chat_id, contact=contact)

    def _file_ref(
        self, data: bytes, folder: str, declared_size: int | None = None
    ) -> dict[str, Any]:
        number = next(self._file_ids)
        stored = StoredFile(
            file_id=f"AgAC-file-{number}",
            unique_id=f"AQAD{number}",
            data=data,
            path=f"{folder}/file_{number}",
            declared_size=declared_size if declared_size is not None else len(data),
        )
        self.files[stored.file_id] = stored
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_size": stored.declared_size,
        }

    def _photo_sizes(self, image: bytes, file_size: int | None) -> list[dict[str, Any]]:
        """Make Telegram's sizes: small JPEG previews, then the original as the largest."""
        width, height = _image_size(image)
        sizes = []
        for side in (90, 320, 800):
            if max(width, height) <= side:
                break
            preview, w, h = _preview(image, side)
            sizes.append({"width": w, "height": h, **self._file_ref(preview, "photos")})
        largest = self._file_ref(image, "photos", file_size)
        sizes.append({"width": width, "height": height, **largest})
        return sizes

    # -- Bot API ------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, files = await _read_params(request)
        call = Call(method=method, params=params, files=files)
        self.calls.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            self._maybe_fail(method)
            handler = getattr(self, f"_m_{method.lower()}", None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = await handler(params, files)
        except ApiError as exc:
            call.status = exc.status
            self._changed()
            return exc.response()
        self._changed()
        return web.json_response({"ok": True, "result": result})

    def _maybe_fail(self, method: str) -> None:
        pending = self._failures.get(method.lower())
        if not pending:
            return
        failure = pending.pop(0)
        template = failure.description or DEFAULT_DESCRIPTIONS.get(failure.status, "Error")
        description = template.format(retry_after=failure.retry_after)
        raise ApiError(failure.status, description, failure.retry_after)

    async def _m_getme(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Asisten Tangerang LIVE",
            "username": self.bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getupdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        if offset:
            # Confirm what was handed out below the offset; an older update queued later
            # (a test's redelivery) is still handed out, as after a lost confirmation.
            confirmed = {
                id(u) for u in self.queue if u["update_id"] < offset and id(u) in self._handed_out
            }
            self.queue = [u for u in self.queue if id(u) not in confirmed]
            self._handed_out -= confirmed
            self._changed()
        with contextlib.suppress(TimeoutError):
            await self._wait_until(
                lambda: bool(self.queue or self.webhook_url or self._closing), timeout, ""
            )
        batch = [] if self.webhook_url or self._closing else self.queue[:limit]
        self._handed_out.update(id(u) for u in batch)
        self.delivered_update_ids.extend(u["update_id"] for u in batch)
        return batch

    async def _m_setwebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        url = params.get("url") or ""
        if not url:
            return await self._m_deletewebhook(params, files)
        self.webhook_url = url
        self.webhook_secret = params.get("secret_token")
        self.webhook_allowed_updates = params.get("allowed_updates")
        if _truthy(params.get("drop_pending_updates")):
            self.queue.clear()
        if self._delivery is None or self._delivery.done():
            self._delivery = asyncio.create_task(self._deliver_loop())
        return True

    async def _m_deletewebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook_url = None
        if _truthy(params.get("drop_pending_updates")):
            self.queue.clear()
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.queue),
        }

    async def _m_setmycommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        commands = params.get("commands") or []
        for command in commands:
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: command description is invalid")
        self.commands = commands
        return True

    async def _m_answercallbackquery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.callback_answers.append(str(params.get("callback_query_id")))
        return True

    async def _m_getfile(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        stored = self.files.get(str(params.get("file_id")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.declared_size > DOWNLOAD_LIMIT:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_size": stored.declared_size,
            "file_path": stored.path,
        }

    async def _m_sendmessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._check_chat(params)
        text = str(params.get("text") or "")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if _utf16(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        _check_markup(params.get("reply_markup"))
        sent = SentMessage("sendMessage", chat_id, next(self._message_ids), params, text=text)
        self.sent[chat_id].append(sent)
        return self._message_result(sent, text=text)

    async def _m_sendphoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._check_chat(params)
        caption = params.get("caption")
        if caption is not None and _utf16(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        _check_markup(params.get("reply_markup"))
        data, ref = self._photo_param(str(params.get("photo") or ""), files)
        sent = SentMessage(
            "sendPhoto",
            chat_id,
            next(self._message_ids),
            params,
            text=caption,
            photo=data,
            photo_ref=ref,
        )
        self.sent[chat_id].append(sent)
        width, height = _image_size(data)
        photo = [{"width": width, "height": height, **self._file_ref(data, "photos")}]
        return self._message_result(sent, photo=photo, **({"caption": caption} if caption else {}))

    async def _m_sendvoice(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._check_chat(params)
        _check_markup(params.get("reply_markup"))
        data, ref = self._photo_param(str(params.get("voice") or ""), files)
        # Telegram shows a voice note only for OGG/Opus (else it is sent as a plain file).
        if ref == "upload" and not (data.startswith(b"OggS") and b"OpusHead" in data[:200]):
            raise ApiError(400, "Bad Request: VOICE_MESSAGES_FORBIDDEN or not OGG/Opus")
        sent = SentMessage("sendVoice", chat_id, next(self._message_ids), params, voice=data)
        self.sent[chat_id].append(sent)
        voice = {"duration": 1, "mime_type": "audio/ogg", **self._file_ref(data, "voice")}
        return self._message_result(sent, voice=voice)

    def _photo_param(self, value: str, files: dict[str, bytes]) -> tuple[bytes, str]:
        if value.startswith("attach://"):
            data = files.get(value.removeprefix("attach://"))
            if data is None:
                raise ApiError(400, "Bad Request: file must be non-empty")
            return data, "upload"
        if value in self.files:
            return self.files[value].data, "file_id"
        if value.startswith(("http://", "https://")):
            return b"", "url"
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def _check_chat(self, params: dict[str, Any]) -> str:
        chat_id = str(params.get("chat_id") or "")
        if not chat_id:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _message_result(self, sent: SentMessage, **content: Any) -> dict[str, Any]:
        return {
            "message_id": sent.message_id,
            "from": {
                "id": self.bot_id,
                "is_bot": True,
                "first_name": "Asisten",
                "username": self.bot_username,
            },
            "chat": {"id": int(sent.chat_id), "type": "private", "first_name": "Warga"},
            "date": int(time.time()),
            **content,
        }

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        self.calls.append(Call(method="file", params={"path": request.match_info["path"]}))
        try:
            self._maybe_fail("file")
        except ApiError as exc:
            return exc.response()
        for stored in self.files.values():
            if stored.path == request.match_info["path"]:
                return web.Response(body=stored.data, content_type="application/octet-stream")
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    # -- webhook delivery -----------------------------------------------------------------

    async def _deliver_loop(self) -> None:
        """POST queued updates to the webhook: in order, one in flight per chat."""
        in_flight: dict[str, asyncio.Task[None]] = {}
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while self.webhook_url:
                for update in sorted(self.queue, key=lambda u: u["update_id"]):
                    key = _update_chat(update)
                    if key in in_flight:
                        continue
                    task = asyncio.create_task(self._deliver(session, update))
                    in_flight[key] = task
                    task.add_done_callback(lambda _t, k=key: in_flight.pop(k, None))
                    task.add_done_callback(lambda _t: self._changed())
                wake = self._wake
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), 0.5)
            for task in in_flight.values():
                task.cancel()

    async def _deliver(self, session: aiohttp.ClientSession, update: dict[str, Any]) -> None:
        delay = self.webhook_retry_delay
        for _ in range(self.webhook_max_attempts):
            url = self.webhook_url
            if url is None:
                return
            headers = {"Content-Type": "application/json"}
            if self.webhook_secret:
                headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook_secret
            status: int | None
            try:
                async with session.post(url, data=json.dumps(update), headers=headers) as resp:
                    status = resp.status
            except (aiohttp.ClientError, OSError, TimeoutError):
                status = None
            self.webhook_deliveries.append((update["update_id"], status))
            if status is not None and 200 <= status < 300:
                self.delivered_update_ids.append(update["update_id"])
                self._remove(update)
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)
        self.webhook_dropped.append(update["update_id"])
        self._remove(update)

    def _remove(self, update: dict[str, Any]) -> None:
        self.queue = [u for u in self.queue if u is not update]
        self._changed()


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    params: dict[str, Any] = dict(request.query)
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        params.update(await request.json())
        return params, files
    if request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = value.file.read()
            else:
                params[key] = value
    for key in JSON_PARAMS & params.keys():
        if isinstance(params[key], str):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    return params, files


def _check_markup(markup: Any) -> None:
    if not isinstance(markup, dict):
        return
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    if "keyboard" in markup and not markup["keyboard"]:
        raise ApiError(400, "Bad Request: keyboard must be non-empty")


def _update_chat(update: dict[str, Any]) -> str:
    if "message" in update:
        return str(update["message"]["chat"]["id"])
    if "callback_query" in update:
        return str(update["callback_query"]["from"]["id"])
    return f"update:{update['update_id']}"


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _truthy(value: Any) -> bool:
    return value in (True, "true", "True", "1", 1)


def _image_size(data: bytes) -> tuple[int, int]:
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except Exception:
        return (1280, 960)


def _preview(data: bytes, side: int) -> tuple[bytes, int, int]:
    """Scale an image down to ``side`` pixels on its longer edge, as JPEG."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((side, side))
            out = io.BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=80)
            return out.getvalue(), image.width, image.height
    except Exception:
        return f"preview-{side}".encode(), side, side * 3 // 4
