"""``/api/v1/conversations``: the helpdesk queue and chats for agent and admin tokens.

A token that claims a chat holds it like a console user would; another holder gets 409.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import Any

import aiohttp
from aiohttp import web

from bot.api.auth import actor, api_error, requires
from bot.core import CORE, Core
from bot.services import helpdesk_read
from bot.services.accounts import Role
from bot.services.helpdesk import MAX_PHOTO_BYTES, HelpdeskError
from bot.services.helpdesk_read import CitizenState, HistoryEntry, Holder, QueueEntry
from bot.storage.models import Conversation
from bot.storage.types import utcnow

AGENTS = (Role.AGENT, Role.ADMIN)
MODES = ("open", "queued", "agent")
MAX_FIELD = 8 * 1024
_ID = r"{id:\d+}"
_STATUS = {
    "not_found": 404, "forbidden": 403, "taken": 409, "not_queued": 409, "not_held": 409,
    "not_holder": 409, "same_agent": 409, "empty": 422, "photo_refused": 422,
    "canned_not_found": 422, "no_such_agent": 422,
}  # fmt: skip


def add_routes(r: web.UrlDispatcher) -> None:
    """Register the conversation endpoints on the API router."""
    r.add_get("/conversations", list_conversations)
    r.add_get(f"/conversations/{_ID}", get_conversation)
    r.add_get(f"/conversations/{_ID}/media/{{seq:\\d+}}", get_media)
    r.add_post(f"/conversations/{_ID}/claim", claim)
    r.add_post(f"/conversations/{_ID}/messages", post_message)
    r.add_post(f"/conversations/{_ID}/transfer", transfer)
    r.add_post(f"/conversations/{_ID}/release", release)
    r.add_post(f"/conversations/{_ID}/close", close)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def summary(conv: Conversation | QueueEntry, holder: Holder) -> dict[str, Any]:
    """Describe a chat in the queue (no personal data)."""
    now = utcnow()
    mine = conv.mode == "agent" and (
        conv.mine if isinstance(conv, QueueEntry) else conv.holder == holder.key
    )
    holder_name = conv.holder_name if conv.mode == "agent" else None
    return {
        "id": conv.id, "channel": conv.channel, "mode": conv.mode,
        "reason": conv.handoff_reason if isinstance(conv, Conversation) else conv.reason,
        "queued_at": _iso(conv.queued_at),
        "wait_seconds": int((now - conv.queued_at).total_seconds()) if conv.queued_at else None,
        "holder": holder_name, "mine": mine, "last_inbound_at": _iso(conv.last_inbound_at),
        "last_seq": conv.last_seq or 0,
    }  # fmt: skip


def message(conv_id: int, entry: HistoryEntry) -> dict[str, Any]:
    """Describe one history message (NIK-like numbers masked)."""
    return {
        "seq": entry.seq, "direction": entry.direction, "author": entry.author,
        "author_name": entry.author_name, "kind": entry.kind, "text": entry.text,
        "buttons": list(entry.buttons), "created_at": _iso(entry.created_at),
        "media_url": f"/api/v1/conversations/{conv_id}/media/{entry.seq}" if entry.has_media
        else None,
        "delivery": {"state": entry.delivery.state, "error": entry.delivery.error}
        if entry.delivery else None,
    }  # fmt: skip


def citizen(state: CitizenState) -> dict[str, Any]:
    """Describe where the citizen stands (NIK masked)."""
    return {
        "flow": state.flow, "step": state.step, "reference": state.reference,
        "status": state.status, "full_name": state.full_name, "nik_masked": state.nik_masked,
        "kecamatan": state.kecamatan, "kelurahan": state.kelurahan,
        "documents": list(state.documents),
    }  # fmt: skip


def _holder(request: web.Request) -> Holder:
    return Holder.of(actor(request))


def _id(request: web.Request) -> int:
    return int(request.match_info["id"])


def _refused(exc: HelpdeskError) -> web.HTTPException:
    return api_error(_STATUS.get(exc.code, 409), exc.code)


def _changed(core: Core) -> None:
    core.services.helpdesk.changes.notify()


@requires(*AGENTS)
async def list_conversations(request: web.Request) -> web.Response:
    """List waiting chats and the caller's own (admins: everyone's), own first."""
    mode = request.query.get("mode", "open")
    if mode not in MODES:
        raise api_error(400, "invalid_mode", allowed=list(MODES))
    core, holder = request.app[CORE], _holder(request)
    async with core.uow() as uow:
        entries = await helpdesk_read.queue(uow, holder)
    items = [summary(e, holder) for e in entries if mode == "open" or e.mode == mode]
    return web.json_response({"items": items, "total": len(items)})


@requires(*AGENTS)
async def get_conversation(request: web.Request) -> web.Response:
    """Return one chat with its history and the citizen's state; audited."""
    core, holder, who = request.app[CORE], _holder(request), actor(request)
    async with core.uow() as uow:
        conv = await uow.conversations.get(_id(request))
        if conv is None:
            raise api_error(404, "not_found")
        if not helpdesk_read.visible_to(conv, holder):
            raise api_error(409, "not_holder")
        entries = await helpdesk_read.history(uow, conv)
        state = await helpdesk_read.citizen_state(uow, conv)
        uow.audit.record(
            "chat.viewed", actor_type=who.type, actor_id=who.id, actor_name=who.name,
            target_type="conversation", target_id=str(conv.id), ip=request.remote,
        )  # fmt: skip
        await core.services.helpdesk.touch(uow, who)
        await uow.commit()
    body = summary(conv, holder)
    body.update(citizen=citizen(state), messages=[message(conv.id, e) for e in entries])
    return web.json_response(body)


@requires(*AGENTS)
async def get_media(request: web.Request) -> web.Response:
    """Return the photo of one chat message as JPEG; audited; never cached."""
    core = request.app[CORE]
    async with core.uow() as uow:
        image = await core.services.helpdesk.chat_photo(
            uow, _id(request), int(request.match_info["seq"]), actor(request), request.remote
        )
        await uow.commit()
    if image is None:
        raise api_error(404, "not_found")
    return web.Response(body=image, content_type="image/jpeg")


@requires(*AGENTS)
async def claim(request: web.Request) -> web.Response:
    """Take a waiting chat; 409 when someone else was faster."""
    return await _act(request, request.app[CORE].services.helpdesk.claim)


async def _act(
    request: web.Request, action: Callable[..., Awaitable[Conversation]]
) -> web.Response:
    """Run one helpdesk action ``action(uow, conversation id, actor, ip)`` and answer the chat."""
    core, holder = request.app[CORE], _holder(request)
    try:
        async with core.uow() as uow:
            conv = await action(uow, _id(request), actor(request), request.remote)
            await uow.commit()
    except HelpdeskError as exc:
        raise _refused(exc) from None
    _changed(core)
    return web.json_response(summary(conv, holder))


@requires(*AGENTS)
async def post_message(request: web.Request) -> web.Response:
    """Send the citizen a text, canned answer or photo, or add an internal note."""
    core = request.app[CORE]
    body, photo_bytes = await _read_body(request)
    photo = await core.services.helpdesk.clean_photo(photo_bytes) if photo_bytes else None
    text, note, canned = body.get("text", ""), body.get("note"), body.get("canned_id")
    if not isinstance(text, str) or not isinstance(note, bool | None) or (
        canned is not None and (not isinstance(canned, int) or isinstance(canned, bool))
    ):  # fmt: skip
        raise api_error(422, "invalid_message")
    helpdesk, who = core.services.helpdesk, actor(request)
    try:
        async with core.uow() as uow:
            if note:
                sent = await helpdesk.note(uow, _id(request), who, request.remote, text)
            else:
                sent = await helpdesk.reply(uow, _id(request), who, request.remote, text=text,
                                            photo=photo, canned_id=canned)  # fmt: skip
            await uow.commit()
    except HelpdeskError as exc:
        raise _refused(exc) from None
    _changed(core)
    return web.json_response({"seq": sent.seq, "direction": sent.direction}, status=201)


async def _read_body(request: web.Request) -> tuple[dict[str, Any], bytes | None]:
    """Read JSON, or a multipart form with a ``photo`` part (streamed within the photo limit)."""
    if not request.content_type.startswith("multipart/"):
        try:
            body = await request.json()
        except ValueError:
            raise api_error(400, "invalid_json") from None
        if not isinstance(body, dict):
            raise api_error(400, "invalid_json")
        return body, None
    fields: dict[str, Any] = {}
    photo: bytes | None = None
    async for part in await request.multipart():
        if not isinstance(part, aiohttp.BodyPartReader) or not part.name:
            continue
        if part.name == "photo":
            photo = await part.read(decode=False)
            if len(photo) > MAX_PHOTO_BYTES:
                raise api_error(422, "photo_too_large")
        else:
            fields[part.name] = (await part.text())[:MAX_FIELD]
    if "note" in fields:
        fields["note"] = fields["note"].lower() in ("1", "true", "yes")
    return fields, photo or None


@requires(*AGENTS)
async def transfer(request: web.Request) -> web.Response:
    """Hand a held chat to another agent (``{"to": "<username>"}``)."""
    core, holder = request.app[CORE], _holder(request)
    body, _photo = await _read_body(request)
    to = body.get("to")
    if not isinstance(to, str) or not to.strip():
        raise api_error(422, "no_such_agent")
    try:
        async with core.uow() as uow:
            conv = await core.services.helpdesk.transfer(
                uow, _id(request), actor(request), request.remote, to
            )
            await uow.commit()
    except HelpdeskError as exc:
        raise _refused(exc) from None
    _changed(core)
    return web.json_response(summary(conv, holder))


@requires(*AGENTS)
async def release(request: web.Request) -> web.Response:
    """Give the chat back to the bot, which asks the citizen's current step again."""
    core = request.app[CORE]
    return await _act(request, partial(core.services.helpdesk.release, resume=core.engine.resume))


@requires(*AGENTS)
async def close(request: web.Request) -> web.Response:
    """End the chat; the citizen is asked for a 1–5 rating."""
    return await _act(request, request.app[CORE].services.helpdesk.close)
