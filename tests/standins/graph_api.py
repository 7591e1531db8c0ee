"""A local stand-in for the WhatsApp Cloud API (Graph API) and a builder for Meta's webhooks.

The server listens on 127.0.0.1 on a free port and offers what the channel uses:

- ``POST /{version}/{phone_number_id}/messages``: validates each payload as strictly as Meta
  documents it (reply buttons ≤ 3 with titles ≤ 20, lists ≤ 10 rows with titles ≤ 24 and
  descriptions ≤ 72, text ≤ 4096, interactive bodies ≤ 1024, template parameters without line
  breaks, …), records it and answers like Meta with a fresh ``wamid``. Invalid payloads get
  Meta's error 100 and are kept in :attr:`GraphApiStandIn.rejected`.
- ``POST /{version}/{phone_number_id}/media``: a business upload (multipart: messaging_product,
  type, file), checked like Meta does (audio/ogg only with Opus), kept in ``uploads``.
- ``GET /{version}/{media_id}``: media metadata with a download URL pointing back here.
- ``GET /whatsapp_business/attachments/?mid=…``: the media bytes, only with the bearer token.
- Error injection: :meth:`GraphApiStandIn.fail_next`.

:class:`WebhookBuilder` makes notifications shaped like Meta's webhook reference (messages of
every type, statuses including failures, batches) and :func:`post_webhook` signs and posts them.
:class:`WhatsAppUser` drives a conversation with a running service through both.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import re
import secrets
import socket
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Self

import aiohttp
from aiohttp import web

API_VERSION = "v21.0"
DEFAULT_TOKEN = "EAAG-test-token"
DEFAULT_PHONE_NUMBER_ID = "106540352242922"
DEFAULT_DISPLAY_NUMBER = "15550783881"
DEFAULT_WABA_ID = "102290129340398"

ERROR_TITLES = {
    100: "Invalid parameter",
    131047: "Re-engagement message",
    130429: "Rate limit hit",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    80007: "Rate limit issues",
    131026: "Message Undeliverable",
    131000: "Something went wrong",
    190: "Access token has expired",
}
ERROR_DETAILS = {
    131047: (
        "Message failed to send because more than 24 hours have passed since the customer "
        "last replied to this number."
    ),
    130429: (
        "Message failed to send because there were too many messages sent from this phone "
        "number in a short period of time"
    ),
    131056: (
        "Message failed to send because there were too many messages sent from this phone "
        "number to the same phone number in a short period of time."
    ),
}
TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,512}$")
PHONE = re.compile(r"\+?\d{6,15}")
BSUID = re.compile(r"[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}")


class PayloadInvalid(ValueError):
    """A message payload Meta would refuse."""


@dataclass
class _Failure:
    status: int
    code: int
    message: str
    details: str
    endpoint: str
    error_type: str


@dataclass
class _StoredMedia:
    data: bytes
    mime_type: str
    file_size: int
    key: str


@dataclass
class GraphApiStandIn:
    """A Graph API stand-in on 127.0.0.1; use as ``async with GraphApiStandIn() as graph``."""

    token: str = DEFAULT_TOKEN
    phone_number_id: str = DEFAULT_PHONE_NUMBER_ID
    version: str = API_VERSION
    messages: list[dict[str, Any]] = field(default_factory=list)
    # The message id answered for each accepted message, in the same order as ``messages``.
    message_ids: list[str] = field(default_factory=list)
    rejected: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    media_lookups: int = 0
    # Media the business uploaded (POST /{phone_number_id}/media): (media id, MIME type, bytes).
    uploads: list[tuple[str, str, bytes]] = field(default_factory=list)
    media_downloads: int = 0
    unauthorized: int = 0
    port: int = 0
    _failures: list[_Failure] = field(default_factory=list)
    _media: dict[str, _StoredMedia] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def base_url(self) -> str:
        """Return ``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """Return the value for ``TLIVE_WHATSAPP_API_BASE`` (base URL with version)."""
        return f"{self.base_url}/{self.version}"

    @property
    def templates(self) -> list[dict[str, Any]]:
        """Return the template messages received, in order."""
        return [m for m in self.messages if m.get("type") == "template"]

    def messages_to(self, wa_id: str) -> list[dict[str, Any]]:
        """Return the payloads sent to ``wa_id`` (phone number or BSUID), in order."""
        return [m for m in self.messages if wa_id in (m.get("to"), m.get("recipient"))]

    def last_id_to(self, wa_id: str) -> str:
        """Return the message id answered for the last message sent to ``wa_id``."""
        return next(
            wamid for m, wamid in zip(reversed(self.messages), reversed(self.message_ids),
                                      strict=True)
            if wa_id in (m.get("to"), m.get("recipient"))
        )  # fmt: skip

    @property
    def webhooks(self) -> WebhookBuilder:
        """Return a webhook builder for this stand-in's phone number."""
        return WebhookBuilder(phone_number_id=self.phone_number_id)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Start serving on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_get("/whatsapp_business/attachments/", self._download)
        app.router.add_post("/{version}/{phone_number_id}/messages", self._send)
        app.router.add_post("/{version}/{phone_number_id}/media", self._upload)
        app.router.add_get("/{version}/{media_id}", self._media_info)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def close(self) -> None:
        """Stop the server."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def add_media(
        self, data: bytes, mime_type: str = "image/jpeg", *, file_size: int | None = None
    ) -> str:
        """Store media as if a citizen uploaded it; return its media id.

        ``file_size`` overrides the reported size (to test the 20 MB limit cheaply).
        """
        media_id = str(1013859600285441 + next(self._ids))
        self._media[media_id] = _StoredMedia(
            data=data,
            mime_type=mime_type,
            file_size=len(data) if file_size is None else file_size,
            key=secrets.token_hex(8),
        )
        return media_id

    def fail_next(
        self,
        status: int = 400,
        code: int = 131047,
        *,
        message: str | None = None,
        details: str | None = None,
        times: int = 1,
        endpoint: str = "messages",
        error_type: str = "OAuthException",
    ) -> None:
        """Answer the next ``times`` calls to ``endpoint`` ("messages" or "media") with an error."""
        title = ERROR_TITLES.get(code, "Error")
        failure = _Failure(
            status=status,
            code=code,
            message=message or f"(#{code}) {title}",
            details=details or ERROR_DETAILS.get(code, title),
            endpoint=endpoint,
            error_type=error_type,
        )
        self._failures.extend([failure] * times)

    def _take_failure(self, endpoint: str) -> _Failure | None:
        for index, failure in enumerate(self._failures):
            if failure.endpoint == endpoint:
                return self._failures.pop(index)
        return None

    def _authorized(self, request: web.Request) -> bool:
        ok = hmac.compare_digest(
            request.headers.get("Authorization", "").encode(), f"Bearer {self.token}".encode()
        )
        if not ok:
            self.unauthorized += 1
        return ok

    async def _send(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return _error(401, 190, "Invalid OAuth access token.", "Invalid token")
        if request.match_info["phone_number_id"] != self.phone_number_id:
            return _error(400, 100, "Unsupported post request.", "unknown phone number id")
        if request.match_info["version"] != self.version:
            return _error(400, 2500, "Unknown path components", "wrong API version")
        try:
            payload = await request.json()
        except ValueError:
            return _error(400, 100, "(#100) Invalid parameter", "body is not JSON")
        try:
            validate_message(payload)
        except PayloadInvalid as exc:
            self.rejected.append((payload if isinstance(payload, dict) else {}, str(exc)))
            return _error(400, 100, "(#100) Invalid parameter", str(exc))
        failure = self._take_failure("messages")
        if failure is not None:
            return _error(
                failure.status, failure.code, failure.message, failure.details, failure.error_type
            )
        self.messages.append(payload)
        target = payload.get("to") or payload["recipient"]
        wamid = (
            "wamid."
            + base64.b64encode(
                f"HBgN{target}FQIAERgS{secrets.token_hex(9).upper()}".encode()
            ).decode()
        )
        self.message_ids.append(wamid)
        result: dict[str, Any] = {"id": wamid}
        if payload["type"] == "template":
            result["message_status"] = "accepted"
        contact = {"input": target, "wa_id" if "to" in payload else "user_id": target}
        return web.json_response(
            {"messaging_product": "whatsapp", "contacts": [contact], "messages": [result]}
        )

    async def _upload(self, request: web.Request) -> web.Response:
        """Take an upload as Meta does: multipart with messaging_product, type and file."""
        if not self._authorized(request):
            return _error(401, 190, "Invalid OAuth access token.", "Invalid token")
        if request.match_info["phone_number_id"] != self.phone_number_id:
            return _error(400, 100, "Unsupported post request.", "unknown phone number id")
        failure = self._take_failure("upload")
        if failure is not None:
            return _error(
                failure.status, failure.code, failure.message, failure.details, failure.error_type
            )
        if not request.content_type.startswith("multipart/"):
            return _error(400, 100, "(#100) Invalid parameter", "upload must be multipart")
        fields: dict[str, str] = {}
        data = b""
        file_type = ""
        async for part in await request.multipart():
            if not isinstance(part, aiohttp.BodyPartReader):
                continue
            if part.name == "file":
                data = await part.read()
                file_type = part.headers.get("Content-Type", "")
            elif part.name:
                fields[part.name] = await part.text()
        mime = fields.get("type", "")
        problem = _upload_problem(fields, mime, file_type, data)
        if problem:
            return _error(400, 131053, "(#131053) Media upload error", problem)
        media_id = self.add_media(data, mime)
        self.uploads.append((media_id, mime, data))
        return web.json_response({"id": media_id})

    async def _media_info(self, request: web.Request) -> web.Response:
        self.media_lookups += 1
        if not self._authorized(request):
            return _error(401, 190, "Invalid OAuth access token.", "Invalid token")
        failure = self._take_failure("media")
        if failure is not None:
            return _error(
                failure.status, failure.code, failure.message, failure.details, failure.error_type
            )
        media_id = request.match_info["media_id"]
        stored = self._media.get(media_id)
        if stored is None:
            return _error(
                400, 100, "Unsupported get request.", f"Object with ID '{media_id}' does not exist"
            )
        ext = stored.mime_type.split("/")[-1]
        url = (
            f"{self.base_url}/whatsapp_business/attachments/?mid={media_id}&ext={ext}"
            f"&hash={stored.key}"
        )
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "url": url,
                "mime_type": stored.mime_type,
                "sha256": hashlib.sha256(stored.data).hexdigest(),
                "file_size": stored.file_size,
                "id": media_id,
            }
        )

    async def _download(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return web.Response(status=401, text="Unauthorized")
        stored = self._media.get(request.query.get("mid", ""))
        if stored is None or not hmac.compare_digest(request.query.get("hash", ""), stored.key):
            return web.Response(status=404, text="Not found")
        self.media_downloads += 1
        return web.Response(body=stored.data, content_type=stored.mime_type)


def _error(
    status: int, code: int, message: str, details: str, error_type: str = "OAuthException"
) -> web.Response:
    """Answer with Meta's error object."""
    return web.json_response(
        {
            "error": {
                "message": message,
                "type": error_type,
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": details},
                "fbtrace_id": "A" + secrets.token_hex(10),
            }
        },
        status=status,
    )


# --------------------------------------------------------------------------- payload checks


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise PayloadInvalid(reason)


def _text(value: Any, name: str, limit: int, *, required: bool = True) -> None:
    if value is None and not required:
        return
    _require(isinstance(value, str), f"{name} must be a string")
    _require(bool(value.strip()), f"{name} must not be empty")
    _require(len(value) <= limit, f"{name} longer than {limit} characters ({len(value)})")


def _keys(obj: Any, allowed: set[str], name: str) -> None:
    _require(isinstance(obj, dict), f"{name} must be an object")
    extra = set(obj) - allowed
    _require(not extra, f"{name} has unknown fields {sorted(extra)}")


# What Meta accepts as audio uploads; audio/ogg only with the Opus codec, up to 16 MB.
AUDIO_TYPES = {"audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"}
MAX_AUDIO_BYTES = 16 * 1024 * 1024


def _upload_problem(fields: dict[str, str], mime: str, file_type: str, data: bytes) -> str:
    """Return why Meta would refuse this upload, or an empty string."""
    if fields.get("messaging_product") != "whatsapp":
        return "messaging_product must be whatsapp"
    if mime not in AUDIO_TYPES and not mime.startswith("image/"):
        return f"unsupported type {mime!r}"
    if file_type and file_type.split(";")[0].strip() != mime:
        return "file part Content-Type differs from type"
    if not data or len(data) > MAX_AUDIO_BYTES:
        return "file empty or too large"
    if mime == "audio/ogg" and not (data.startswith(b"OggS") and b"OpusHead" in data[:200]):
        return "audio/ogg must be OGG with the Opus codec"
    return ""


def validate_message(payload: Any) -> None:
    """Raise :class:`PayloadInvalid` unless ``payload`` is a message Meta would accept."""
    kinds = {"text", "interactive", "image", "template", "audio"}
    allowed = {"messaging_product", "recipient_type", "to", "recipient", "type", "context"}
    _keys(payload, allowed | kinds, "body")
    _require(payload.get("messaging_product") == "whatsapp", "messaging_product must be whatsapp")
    _require(payload.get("recipient_type", "individual") == "individual", "bad recipient_type")
    to, recipient = payload.get("to"), payload.get("recipient")
    _require((to is None) != (recipient is None), "exactly one of 'to' or 'recipient'")
    if to is not None:
        _require(isinstance(to, str) and PHONE.fullmatch(to) is not None, "bad 'to'")
    else:
        _require(isinstance(recipient, str) and BSUID.fullmatch(recipient) is not None, "bad BSUID")
    kind = payload.get("type", "text")
    _require(kind in kinds, f"unsupported type {kind!r}")
    _require(isinstance(payload.get(kind), dict), f"missing {kind} object")
    present = [k for k in kinds if k in payload]
    _require(present == [kind], "exactly one content object, matching 'type'")
    {
        "text": _validate_text,
        "interactive": _validate_interactive,
        "image": _validate_image,
        "template": _validate_template,
        "audio": _validate_audio,
    }[kind](payload[kind])


def _validate_audio(audio: dict[str, Any]) -> None:
    _keys(audio, {"link", "id", "voice"}, "audio")
    _require(("link" in audio) != ("id" in audio), "audio needs exactly one of link or id")
    _require(isinstance(audio.get("voice", False), bool), "audio.voice must be a boolean")


def _validate_text(text: dict[str, Any]) -> None:
    _keys(text, {"body", "preview_url"}, "text")
    _text(text.get("body"), "text.body", 4096)
    _require(isinstance(text.get("preview_url", False), bool), "preview_url must be a boolean")


def _validate_image(image: dict[str, Any]) -> None:
    _keys(image, {"link", "id", "caption"}, "image")
    _require(("link" in image) != ("id" in image), "image needs exactly one of link or id")
    if "link" in image:
        _require(
            isinstance(image["link"], str) and image["link"].startswith(("http://", "https://")),
            "image.link must be an http(s) URL",
        )
    _text(image.get("caption"), "image.caption", 1024, required=False)


def _validate_interactive(interactive: dict[str, Any]) -> None:
    _keys(interactive, {"type", "header", "body", "footer", "action"}, "interactive")
    body = interactive.get("body")
    _keys(body, {"text"}, "interactive.body")
    _text(body.get("text"), "interactive.body.text", 1024)
    action = interactive.get("action")
    _require(isinstance(action, dict), "interactive.action required")
    kind = interactive.get("type")
    if kind == "button":
        _keys(action, {"buttons"}, "action")
        buttons = action.get("buttons")
        _require(isinstance(buttons, list) and 1 <= len(buttons) <= 3, "1 to 3 reply buttons")
        ids, titles = [], []
        for button in buttons:
            _keys(button, {"type", "reply"}, "button")
            _require(button.get("type") == "reply", "button.type must be reply")
            reply = button.get("reply")
            _keys(reply, {"id", "title"}, "button.reply")
            _text(reply.get("id"), "button id", 256)
            _text(reply.get("title"), "button title", 20)
            ids.append(reply["id"])
            titles.append(reply["title"])
        _require(len(set(ids)) == len(ids), "button ids must be unique")
        _require(len(set(titles)) == len(titles), "button titles must be unique")
    elif kind == "list":
        _keys(action, {"button", "sections"}, "action")
        _text(action.get("button"), "list button", 20)
        sections = action.get("sections")
        _require(isinstance(sections, list) and 1 <= len(sections) <= 10, "1 to 10 sections")
        ids: list[str] = []
        for section in sections:
            _keys(section, {"title", "rows"}, "section")
            _text(section.get("title"), "section title", 24, required=len(sections) > 1)
            rows = section.get("rows")
            _require(isinstance(rows, list) and rows, "each section needs rows")
            for row in rows:
                _keys(row, {"id", "title", "description"}, "row")
                _text(row.get("id"), "row id", 200)
                _text(row.get("title"), "row title", 24)
                _text(row.get("description"), "row description", 72, required=False)
                ids.append(row["id"])
        _require(1 <= len(ids) <= 10, f"1 to 10 rows in all sections ({len(ids)})")
        _require(len(set(ids)) == len(ids), "row ids must be unique")
    else:
        raise PayloadInvalid(f"unsupported interactive type {kind!r}")


def _validate_template(template: dict[str, Any]) -> None:
    _keys(template, {"name", "language", "components"}, "template")
    name = template.get("name")
    _require(isinstance(name, str) and TEMPLATE_NAME.match(name) is not None, "bad template name")
    language = template.get("language")
    _keys(language, {"code", "policy"}, "template.language")
    _text(language.get("code"), "language code", 15)
    for component in template.get("components", []):
        _keys(component, {"type", "parameters", "sub_type", "index"}, "component")
        _require(component.get("type") in {"header", "body", "button"}, "bad component type")
        for parameter in component.get("parameters", []):
            _keys(parameter, {"type", "text"}, "parameter")
            _require(parameter.get("type") == "text", "only text parameters are used")
            text = parameter.get("text")
            _text(text, "parameter text", 32768)
            _require(not re.search(r"[\n\t]| {5,}", text), "parameter has newlines/tabs/spaces")


# --------------------------------------------------------------------------- webhooks


@dataclass
class WebhookBuilder:
    """Build webhook notifications exactly as Meta's webhook reference shapes them."""

    phone_number_id: str = DEFAULT_PHONE_NUMBER_ID
    display_phone_number: str = DEFAULT_DISPLAY_NUMBER
    waba_id: str = DEFAULT_WABA_ID
    names: dict[str, str] = field(default_factory=dict)

    # -- message objects (entry[].changes[].value.messages[])

    @staticmethod
    def wamid() -> str:
        """Make a fresh message id in Meta's style."""
        return "wamid.HBgN" + base64.b64encode(secrets.token_bytes(24)).decode()

    def _message(self, wa_id: str, kind: str, content: Any, wamid: str | None) -> dict[str, Any]:
        return {
            "from": wa_id,
            "id": wamid or self.wamid(),
            "timestamp": str(int(time.time())),
            "type": kind,
            kind: content,
        }

    def text(self, wa_id: str, body: str, *, wamid: str | None = None) -> dict[str, Any]:
        """Make a text message."""
        return self._message(wa_id, "text", {"body": body}, wamid)

    def button_reply(
        self, wa_id: str, button_id: str, title: str, *, wamid: str | None = None
    ) -> dict[str, Any]:
        """Make the message sent when a reply button is tapped."""
        message = self._message(
            wa_id,
            "interactive",
            {"type": "button_reply", "button_reply": {"id": button_id, "title": title}},
            wamid,
        )
        message["context"] = {"from": self.display_phone_number, "id": self.wamid()}
        return message

    def list_reply(
        self,
        wa_id: str,
        row_id: str,
        title: str,
        description: str | None = None,
        *,
        wamid: str | None = None,
    ) -> dict[str, Any]:
        """Make the message sent when a list row is chosen."""
        reply = {"id": row_id, "title": title}
        if description:
            reply["description"] = description
        message = self._message(
            wa_id, "interactive", {"type": "list_reply", "list_reply": reply}, wamid
        )
        message["context"] = {"from": self.display_phone_number, "id": self.wamid()}
        return message

    def template_button(
        self, wa_id: str, text: str, payload: str, *, wamid: str | None = None
    ) -> dict[str, Any]:
        """Make the message sent when a template's quick-reply button is tapped."""
        message = self._message(wa_id, "button", {"text": text, "payload": payload}, wamid)
        message["context"] = {"from": self.display_phone_number, "id": self.wamid()}
        return message

    def image(
        self,
        wa_id: str,
        media_id: str,
        *,
        mime_type: str = "image/jpeg",
        caption: str | None = None,
        wamid: str | None = None,
    ) -> dict[str, Any]:
        """Make an image message referring to uploaded media."""
        content = {"mime_type": mime_type, "sha256": _b64sha(media_id), "id": media_id}
        if caption:
            content["caption"] = caption
        return self._message(wa_id, "image", content, wamid)

    def document(
        self,
        wa_id: str,
        media_id: str,
        *,
        mime_type: str = "application/pdf",
        filename: str = "dokumen.pdf",
        caption: str | None = None,
        wamid: str | None = None,
    ) -> dict[str, Any]:
        """Make a document message referring to uploaded media."""
        content = {
            "filename": filename,
            "mime_type": mime_type,
            "sha256": _b64sha(media_id),
            "id": media_id,
        }
        if caption:
            content["caption"] = caption
        return self._message(wa_id, "document", content, wamid)

    def audio(
        self,
        wa_id: str,
        media_id: str = "2093480123",
        *,
        voice: bool = True,
        wamid: str | None = None,
    ) -> dict[str, Any]:
        """Make an audio message (a voice note by default)."""
        content = {
            "mime_type": "audio/ogg; codecs=opus",
            "sha256": _b64sha(media_id),
            "id": media_id,
            "voice": voice,
        }
        return self._message(wa_id, "audio", content, wamid)

    def sticker(
        self, wa_id: str, media_id: str = "3093480124", *, wamid: str | None = None
    ) -> dict[str, Any]:
        """Make a sticker message."""
        content = {
            "mime_type": "image/webp",
            "sha256": _b64sha(media_id),
            "id": media_id,
            "animated": False,
        }
        return self._message(wa_id, "sticker", content, wamid)

    def location(
        self,
        wa_id: str,
        latitude: float = -6.1783,
        longitude: float = 106.6319,
        *,
        name: str = "Pusat Pemerintahan Kota Tangerang",
        address: str = "Jl. Satria Sudirman No.1, Sukaasih, Kota Tangerang",
        wamid: str | None = None,
    ) -> dict[str, Any]:
        """Make a location message."""
        content = {"latitude": latitude, "longitude": longitude, "name": name, "address": address}
        return self._message(wa_id, "location", content, wamid)

    def contacts(
        self, wa_id: str, phone: str = "+62 812-3456-7890", *, wamid: str | None = None
    ) -> dict[str, Any]:
        """Make a message sharing a contact card."""
        digits = re.sub(r"\D", "", phone)
        card = {
            "name": {"formatted_name": "Siti Aminah", "first_name": "Siti", "last_name": "Aminah"},
            "phones": [{"phone": phone, "wa_id": digits, "type": "CELL"}],
        }
        return self._message(wa_id, "contacts", [card], wamid)

    def reaction(
        self, wa_id: str, message_id: str, emoji: str = "\U0001f44d", *, wamid: str | None = None
    ) -> dict[str, Any]:
        """Make a reaction to one of the business's messages."""
        return self._message(wa_id, "reaction", {"message_id": message_id, "emoji": emoji}, wamid)

    def unsupported(self, wa_id: str, *, wamid: str | None = None) -> dict[str, Any]:
        """Make the notification Meta sends for a message type it does not support."""
        return {
            "from": wa_id,
            "id": wamid or self.wamid(),
            "timestamp": str(int(time.time())),
            "errors": [
                {
                    "code": 131051,
                    "title": "Message type unknown",
                    "message": "Message type unknown",
                    "error_data": {"details": "Message type is currently not supported."},
                }
            ],
            "type": "unsupported",
        }

    @staticmethod
    def hide_phone(message: dict[str, Any], bsuid: str) -> dict[str, Any]:
        """Turn ``message`` into one from a username user: ``from_user_id`` and no ``from``."""
        hidden = {k: v for k, v in message.items() if k != "from"}
        hidden["from_user_id"] = bsuid
        return hidden

    # -- status objects (entry[].changes[].value.statuses[])

    def status(self, wamid: str, status: str, recipient_id: str) -> dict[str, Any]:
        """Make a sent/delivered/read status for one of the business's messages."""
        obj: dict[str, Any] = {
            "id": wamid,
            "status": status,
            "timestamp": str(int(time.time())),
            "recipient_id": recipient_id,
        }
        if status in ("sent", "delivered"):
            obj["conversation"] = {
                "id": secrets.token_hex(16),
                "origin": {"type": "service"},
            }
            obj["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "service"}
        return obj

    def failed_status(
        self, wamid: str, recipient_id: str, code: int = 131047, title: str | None = None
    ) -> dict[str, Any]:
        """Make a failed status with Meta's ``errors`` array."""
        title = title or ERROR_TITLES.get(code, "Error")
        return {
            "id": wamid,
            "status": "failed",
            "timestamp": str(int(time.time())),
            "recipient_id": recipient_id,
            "errors": [
                {
                    "code": code,
                    "title": title,
                    "message": title,
                    "error_data": {"details": ERROR_DETAILS.get(code, title)},
                    "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
                }
            ],
        }

    # -- envelopes

    def value(
        self,
        messages: Iterable[dict[str, Any]] = (),
        statuses: Iterable[dict[str, Any]] = (),
    ) -> dict[str, Any]:
        """Make a change ``value``; ``contacts`` lists each message sender once."""
        messages, statuses = list(messages), list(statuses)
        value: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": self.display_phone_number,
                "phone_number_id": self.phone_number_id,
            },
        }
        senders = list(dict.fromkeys(m.get("from") or m["from_user_id"] for m in messages))
        if senders:
            value["contacts"] = [
                {
                    "profile": {"name": self.names.get(s, "Warga Tangerang")},
                    "wa_id" if PHONE.fullmatch(s) else "user_id": s,
                }
                for s in senders
            ]
            value["messages"] = messages
        if statuses:
            value["statuses"] = statuses
        return value

    def entry(self, *values: dict[str, Any]) -> dict[str, Any]:
        """Make one ``entry`` holding a ``messages`` change per value."""
        return {
            "id": self.waba_id,
            "changes": [{"value": value, "field": "messages"} for value in values],
        }

    @staticmethod
    def notification(*entries: dict[str, Any]) -> dict[str, Any]:
        """Wrap entries in the top-level notification object."""
        return {"object": "whatsapp_business_account", "entry": list(entries)}

    def messages(self, *messages: dict[str, Any]) -> dict[str, Any]:
        """Make a notification carrying ``messages`` in one entry and one change."""
        return self.notification(self.entry(self.value(messages=messages)))

    def statuses(self, *statuses: dict[str, Any]) -> dict[str, Any]:
        """Make a notification carrying ``statuses`` in one entry and one change."""
        return self.notification(self.entry(self.value(statuses=statuses)))


def _b64sha(seed: str) -> str:
    return base64.b64encode(hashlib.sha256(seed.encode()).digest()).decode()


def sign(body: bytes, app_secret: str) -> str:
    """Return the ``X-Hub-Signature-256`` header value for ``body``."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


_SIGN = object()


async def post_webhook(
    session: aiohttp.ClientSession,
    url: str,
    payload: dict[str, Any] | bytes,
    *,
    app_secret: str,
    signature: str | object | None = _SIGN,
) -> tuple[int, str]:
    """POST a notification like Meta does; return (status, body text).

    By default the body is signed with ``app_secret``; pass ``signature=None`` to send no
    header, or a string to send that exact header value.
    """
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if signature is _SIGN:
        headers["X-Hub-Signature-256"] = sign(body, app_secret)
    elif isinstance(signature, str):
        headers["X-Hub-Signature-256"] = signature
    async with session.post(url, data=body, headers=headers) as response:
        return response.status, await response.text()


# --------------------------------------------------------------------------- a simulated user


def button_ids(payloads: list[dict[str, Any]]) -> list[str]:
    """Return the reply-button and list-row ids offered in ``payloads``."""
    ids: list[str] = []
    for payload in payloads:
        if payload["type"] != "interactive":
            continue
        action = payload["interactive"]["action"]
        if "buttons" in action:
            ids += [b["reply"]["id"] for b in action["buttons"]]
        else:
            ids += [r["id"] for s in action["sections"] for r in s["rows"]]
    return ids


def text_of(payloads: list[dict[str, Any]]) -> str:
    """Return the visible text of ``payloads`` (bodies, captions, template names)."""
    parts = []
    for p in payloads:
        if p["type"] == "text":
            parts.append(p["text"]["body"])
        elif p["type"] == "interactive":
            parts.append(p["interactive"]["body"]["text"])
        elif p["type"] == "image":
            parts.append(p["image"].get("caption", ""))
        elif p["type"] == "template":
            parts.append(p["template"]["name"])
    return "\n".join(parts)


@dataclass
class WhatsAppUser:
    """A WhatsApp user talking to a running service through signed webhooks.

    ``pending`` tells how many replies to this user still wait in the service's outbox; each
    input waits until it is 0, so the answer is complete without guessing at timings.
    """

    graph: GraphApiStandIn
    webhooks: WebhookBuilder
    session: aiohttp.ClientSession
    url: str
    app_secret: str
    wa_id: str
    pending: Callable[[], Awaitable[int]]
    inputs: int = 0
    seen: int = 0
    last: list[dict[str, Any]] = field(default_factory=list)

    async def send(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        """Deliver one message like Meta does and return the payloads the bot answers with."""
        self.inputs += 1
        payload = self.webhooks.messages(message)
        status, _ = await post_webhook(self.session, self.url, payload, app_secret=self.app_secret)
        assert status == 200, status
        return await self.answers()

    async def answers(self, *, expect: bool = True) -> list[dict[str, Any]]:
        """Wait until nothing is pending for this user; return the payloads sent since last time."""
        for _ in range(1200):  # at most a minute
            if not await self.pending():
                break
            await asyncio.sleep(0.05)
        new = self.graph.messages_to(self.wa_id)[self.seen :]
        self.seen += len(new)
        assert new or not expect, "the bot did not answer"
        if new:
            self.last = new  # what tap() and pick_number() read
        return new

    async def text(self, body: str) -> list[dict[str, Any]]:
        """Type ``body``."""
        return await self.send(self.webhooks.text(self.wa_id, body))

    async def tap(self, button_id: str) -> list[dict[str, Any]]:
        """Tap the reply button or list row ``button_id`` of the bot's last interactive message."""
        interactive = [m for m in self.last if m["type"] == "interactive"]
        if not interactive:
            raise AssertionError(f"no buttons to tap in {text_of(self.last)!r}")
        content = interactive[-1]["interactive"]
        w = self.webhooks
        if content["type"] == "button":
            for button in content["action"]["buttons"]:
                if button["reply"]["id"] == button_id:
                    title = button["reply"]["title"]
                    return await self.send(w.button_reply(self.wa_id, button_id, title))
        else:
            for row in content["action"]["sections"][0]["rows"]:
                if row["id"] == button_id:
                    message = w.list_reply(
                        self.wa_id, button_id, row["title"], row.get("description")
                    )
                    return await self.send(message)
        raise AssertionError(f"{button_id} not offered")

    async def pick_number(self, label: str) -> list[dict[str, Any]]:
        """Type the number of ``label`` in the bot's last numbered menu."""
        body = self.last[-1]["text"]["body"]
        match = re.search(rf"^(\d+)\. {re.escape(label)}$", body, re.MULTILINE)
        if match is None:
            raise AssertionError(f"{label} not in the numbered menu")
        return await self.text(match.group(1))

    async def photo(self, data: bytes, *, as_document: bool = False) -> list[dict[str, Any]]:
        """Upload a JPEG and send it as a photo, or as a document."""
        media_id = self.graph.add_media(data, "image/jpeg")
        w = self.webhooks
        if as_document:
            message = w.document(self.wa_id, media_id, mime_type="image/jpeg", filename="ktp.jpg")
        else:
            message = w.image(self.wa_id, media_id)
        return await self.send(message)
