"""The web chat channel: the /chat page and its JSON API.

With voice notes on, every bot or agent message in the API carries ``audio_url``: its voice
note (OGG/Opus), made on the first fetch and cached, under the session's own path so only the
holder of the session id can fetch it. A message to be played right away (the answer to
"dengarkan", or every message once the citizen chose "selalu kirim suara") has ``voice: true``.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import aiohttp
import jinja2
from aiohttp import web

from bot.core import CORE, Core
from bot.engine.messages import VOICE, VOICE_NOTE, Inbound, InboundKind, Reply
from bot.speech import MIME_TYPE
from bot.usecases.citizen_chat import ChatPage, chat_exists, greet_if_new, open_chat, read_chat
from bot.web.client_address import client_address
from bot.web.params import MAX_SEQ
from bot.web.ratelimit import THROTTLE, Action, WebchatThrottle, address_key, retry_after

CHANNEL = "web"
MAX_PHOTO_BYTES = 20 * 1024 * 1024
MAX_TEXT = 4096
_SESSION_ALPHABET = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
TEMPLATES = web.AppKey("webchat_templates", jinja2.Environment)


def reply_json(reply: Reply | dict[str, Any], *, audio_url: str | None = None) -> dict[str, Any]:
    """Render a reply for the web chat client; ``audio_url`` is its voice note, if any."""
    data = reply.to_dict() if isinstance(reply, Reply) else reply
    out: dict[str, Any] = {"text": data["text"], "buttons": data.get("buttons", [])}
    if data.get("image_url"):
        out["image_url"] = data["image_url"]
    extra = data.get("extra") or {}
    if extra.get("photo") in ("ktp", "selfie"):  # the chat now waits for this photo
        out["photo"] = extra["photo"]
        out["capture"] = "user" if extra["photo"] == "selfie" else "environment"
    elif extra.get("photo") == "any":  # a helpdesk agent has the chat: any photo may help
        out["photo"] = "any"
    if audio_url and out["text"].strip():
        out["audio_url"] = audio_url
        if extra.get(VOICE) or extra.get(VOICE_NOTE):
            out["voice"] = True  # play it now: she asked to hear it
    return out


def audio_url(session_id: str, seq: int) -> str:
    """Return where the session's message ``seq`` can be heard."""
    return f"/webchat/api/sessions/{session_id}/messages/{seq}/audio"


async def chat_page(request: web.Request) -> web.Response:
    """Serve the chat page."""
    core = request.app[CORE]
    html = (
        request.app[TEMPLATES]
        .get_template("chat.html")
        .render(t=core.catalog.text, static_url="/static")
    )
    return web.Response(text=html, content_type="text/html", headers=_no_store())


async def create_session(request: web.Request) -> web.Response:
    """Start a web chat, greeted with the menu; the session id is the secret to it."""
    core = request.app[CORE]
    _throttle(request, core, Action.OPEN)
    opened = await open_chat(core.uow, CHANNEL, core.engine.greet, core.services.delivery)
    page = _page_json(opened.page, opened.chat_id, core.services.speech.enabled)
    body = {"session_id": opened.chat_id, **page}
    return web.json_response(body, status=201, headers=_no_store())


async def greet_session(request: web.Request) -> web.Response:
    """Greet a chat opened before greetings existed; answer with its whole history.

    A chat that has any message already is only read back, so reloading never greets twice.
    """
    core = request.app[CORE]
    session_id = await _existing_session(request, core, Action.WRITE)
    page = await greet_if_new(
        core.uow, CHANNEL, session_id, core.engine.greet, core.services.delivery
    )
    if page is None:
        raise _error(core, 404, "webchat-error-session")
    page_json = _page_json(page, session_id, core.services.speech.enabled)
    return web.json_response(page_json, headers=_no_store())


async def post_message(request: web.Request) -> web.Response:
    """Take a citizen's text, button or photo and answer with the bot's replies."""
    core = request.app[CORE]
    photo = request.content_type.startswith("multipart/")
    session_id = await _existing_session(request, core, Action.WRITE, photo=photo)
    inbound = await _read_inbound(request, core, session_id)
    result = await core.handle(inbound)
    # The replies are the newest messages, so their sequence numbers end at last_seq.
    first_seq = result.last_seq - len(result.replies) + 1
    voice = core.services.speech.enabled
    # A retry of the same message id is answered from the history; its own seq is unknown.
    replies = [
        {**reply_json(r, audio_url=_audio(voice, session_id, first_seq + n, result.duplicate)),
         "from": "bot"} | ({} if result.duplicate else {"seq": first_seq + n})
        for n, r in enumerate(result.replies)
    ]  # fmt: skip
    body: dict[str, Any] = {
        "replies": replies,
        "last_seq": result.last_seq,
        "duplicate": result.duplicate,
    }
    if result.new_chat_id:  # erasure replaced the session id: the page must use the new one
        body["session_id"] = result.new_chat_id
    return web.json_response(body, headers=_no_store())


async def get_messages(request: web.Request) -> web.Response:
    """Return bot and agent messages after sequence ``after`` (decisions, agent replies)."""
    core = request.app[CORE]
    session_id = await _existing_session(request, core, Action.READ)
    try:
        after = max(int(request.query.get("after", "0")), 0)
    except ValueError:
        raise _error(core, 400, "webchat-error-after") from None
    if after > MAX_SEQ:  # no message has it, and the database column cannot hold it
        raise _error(core, 400, "webchat-error-after")
    # A first load shows the whole chat; later polls only what the bot or an agent sent.
    directions = ("in", "out") if after == 0 else ("out",)
    page = await read_chat(core.uow, CHANNEL, session_id, after=after, directions=directions)
    if page is None:
        raise _error(core, 404, "webchat-error-session")
    page_json = _page_json(page, session_id, core.services.speech.enabled)
    return web.json_response(page_json, headers=_no_store())


async def get_audio(request: web.Request) -> web.Response:
    """Answer with the voice note of one bot or agent message of this session (OGG/Opus)."""
    core = request.app[CORE]
    session_id = await _existing_session(request, core, Action.READ)
    try:
        seq = int(request.match_info["seq"])
    except ValueError:
        raise _error(core, 404, "webchat-error-audio") from None
    if not core.services.speech.enabled or not 0 < seq <= MAX_SEQ:
        raise _error(core, 404, "webchat-error-audio")
    page = await read_chat(core.uow, CHANNEL, session_id, after=seq - 1, directions=("out",))
    found = next((body for m, body in page.messages if m.seq == seq), None) if page else None
    text = str(found.get("text") or "") if found else ""
    if not text.strip():
        raise _error(core, 404, "webchat-error-audio")
    audio = await core.services.speech.voice_note(text)
    if audio is None:  # espeak-ng failed or took too long; the text is on the page already
        raise _error(core, 503, "webchat-error-audio-unavailable")
    # The browser may keep it for replays; no shared cache may (it can say a name or a NIK).
    headers = {"Cache-Control": "private, max-age=3600"}
    return web.Response(body=audio, content_type=MIME_TYPE, headers=headers)


def _page_json(page: ChatPage, session_id: str, voice: bool) -> dict[str, Any]:
    replies = [
        {**reply_json(body, audio_url=_audio(voice and m.direction == "out", session_id, m.seq)),
         "seq": m.seq, "from": m.author}
        # An agent's message leaves the photo buttons out: she may be asked for any photo.
        | ({"photo": "any"} if m.author == "agent" else {})
        for m, body in page.messages
    ]  # fmt: skip
    return {"replies": replies, "last_seq": page.last_seq}


def _audio(voice: bool, session_id: str, seq: int, duplicate: bool = False) -> str | None:
    return audio_url(session_id, seq) if voice and not duplicate else None


async def _existing_session(
    request: web.Request, core: Core, action: Action, *, photo: bool = False
) -> str:
    session_id = request.match_info["session_id"]
    if len(session_id) > 64 or not set(session_id) <= _SESSION_ALPHABET:
        raise _error(core, 404, "webchat-error-session")
    # Before the lookup: guessing session ids costs the guesser's address, not the database.
    _throttle(request, core, action, session=session_id, photo=photo)
    if not await chat_exists(core.uow, CHANNEL, session_id):
        raise _error(core, 404, "webchat-error-session")
    return session_id


async def _read_inbound(request: web.Request, core: Core, session_id: str) -> Inbound:
    if request.content_type.startswith("multipart/"):
        try:
            return await _read_photo(request, core, session_id)
        except ValueError:  # no boundary, a broken one, or a part that is not text
            raise _error(core, 400, "webchat-error-photo-missing") from None
    try:
        body = await request.json()
    except ValueError:
        raise _error(core, 400, "webchat-error-json") from None
    if not isinstance(body, dict):
        raise _error(core, 400, "webchat-error-json")
    client_id = _client_id(body.get("client_id"))
    message_id = f"{session_id}:{client_id}"
    button = body.get("button")
    if isinstance(button, str) and button.strip():
        return Inbound(CHANNEL, session_id, message_id, InboundKind.BUTTON, button_id=button[:64])
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _error(core, 400, "webchat-error-empty")
    return Inbound(CHANNEL, session_id, message_id, InboundKind.TEXT, text=text[:MAX_TEXT])


async def _read_photo(request: web.Request, core: Core, session_id: str) -> Inbound:
    reader = await request.multipart()
    photo: bytes | None = None
    client_id = None
    too_large = False
    async for part in reader:
        if not isinstance(part, aiohttp.BodyPartReader):
            continue
        if part.name == "photo":
            photo, too_large = await _read_limited(part)
        elif part.name == "client_id":
            client_id = (await part.text())[:64]
    if photo is None and not too_large:
        raise _error(core, 400, "webchat-error-photo-missing")
    message_id = f"{session_id}:{_client_id(client_id)}"
    return Inbound(
        CHANNEL, session_id, message_id, InboundKind.PHOTO, photo=photo or b"",
        photo_too_large=too_large,
    )  # fmt: skip


async def _read_limited(part: aiohttp.BodyPartReader) -> tuple[bytes | None, bool]:
    chunks: list[bytes] = []
    size = 0
    while chunk := await part.read_chunk(256 * 1024):
        size += len(chunk)
        if size > MAX_PHOTO_BYTES:
            # Drain the rest without keeping it; the citizen is told the photo is too big.
            while await part.read_chunk(256 * 1024):
                pass
            return None, True
        chunks.append(chunk)
    return b"".join(chunks), False


def _client_id(value: object) -> str:
    if isinstance(value, str) and 0 < len(value) <= 64 and value.isprintable():
        return value
    return uuid.uuid4().hex


def _throttle(
    request: web.Request, core: Core, action: Action, *, session: str | None = None,
    photo: bool = False,
) -> None:  # fmt: skip
    """Answer 429 with Retry-After when this session or address is going too fast."""
    address = address_key(client_address(request))
    wait = request.app[THROTTLE].charge(action, address=address, session=session, photo=photo)
    if wait <= 0:
        return
    seconds = retry_after(wait)
    body = json.dumps({"error": core.catalog.text("webchat-error-too-many", seconds=seconds)})
    raise web.HTTPTooManyRequests(
        text=body, content_type="application/json",
        headers={"Retry-After": str(seconds), **_no_store()},
    )  # fmt: skip


def _no_store() -> dict[str, str]:
    return {"Cache-Control": "no-store"}


def _error(core: Core, status: int, key: str) -> web.HTTPException:
    """Build a JSON error whose message a citizen can read."""
    error_class = {404: web.HTTPNotFound, 503: web.HTTPServiceUnavailable}.get(
        status, web.HTTPBadRequest
    )
    body = json.dumps({"error": core.catalog.text(key)})
    return error_class(text=body, content_type="application/json")


def setup(app: web.Application) -> None:
    """Add the chat page and its API to ``app``."""
    # Per process (no shared store): with N workers a client may get up to N times the rate.
    app[THROTTLE] = WebchatThrottle()
    app[TEMPLATES] = jinja2.Environment(
        loader=jinja2.PackageLoader("bot.web", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
    )
    app.router.add_get("/chat", chat_page)
    app.router.add_post("/webchat/api/sessions", create_session)
    app.router.add_post("/webchat/api/sessions/{session_id}/messages", post_message)
    app.router.add_get("/webchat/api/sessions/{session_id}/messages", get_messages)
    app.router.add_post("/webchat/api/sessions/{session_id}/greeting", greet_session)
    app.router.add_get("/webchat/api/sessions/{session_id}/messages/{seq}/audio", get_audio)
