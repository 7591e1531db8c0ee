"""Console *Chats*: the live helpdesk queue, one chat with its history, and canned answers.

Pages work as plain forms; ``chats.js`` adds the live updates (server-sent events) and sends
replies without leaving the page. The logic lives in ``bot.services.helpdesk``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import aiohttp
from aiohttp import web

from bot.console import chat_format, live
from bot.console.live import EventStream
from bot.console.render import error_page, render
from bot.console.security import ADMINS, actor, redirect, requires
from bot.core import CORE, Core
from bot.i18n import Catalog
from bot.services import helpdesk_read
from bot.services.accounts import Role
from bot.services.helpdesk import MAX_PHOTO_BYTES, HelpdeskError
from bot.services.helpdesk_read import Holder

AGENTS = (Role.AGENT, Role.ADMIN)
TOUCH_SECONDS = 30.0
RECENT_DELIVERIES = 50
MAX_FIELD = 8 * 1024
_ID = r"{id:\d+}"
_ERROR_STATUS = {"not_found": 404, "forbidden": 403, "empty": 422, "photo_refused": 422,
                 "canned_not_found": 422, "no_such_agent": 422, "canned_empty": 422}  # fmt: skip
_STRINGS = {
    "live": "console-chats-live", "reconnecting": "console-chats-reconnecting",
    "open": "console-chats-open", "take": "console-chats-take", "empty": "console-chats-empty",
    "sending": "console-chats-sending", "sent": "console-chats-sent",
    "failed": "console-chats-send-failed",
}  # fmt: skip


def add_routes(console: web.Application) -> None:
    """Register the helpdesk pages on the console sub-application."""
    live.setup(console)
    r = console.router
    r.add_get("/chats", chat_list)
    r.add_get("/chats/events", queue_events)
    r.add_get(f"/chats/{_ID}", chat_page)
    r.add_get(f"/chats/{_ID}/events", chat_events)
    r.add_get(f"/chats/{_ID}/media/{{seq:\\d+}}", chat_media)
    r.add_post(f"/chats/{_ID}/claim", claim)
    r.add_post(f"/chats/{_ID}/messages", send_message)
    r.add_post(f"/chats/{_ID}/notes", add_note)
    r.add_post(f"/chats/{_ID}/transfer", transfer)
    r.add_post(f"/chats/{_ID}/release", release)
    r.add_post(f"/chats/{_ID}/close", close)
    r.add_get("/canned", canned_list)
    r.add_post("/canned", canned_save)
    r.add_post(f"/canned/{_ID}", canned_save)
    r.add_post(f"/canned/{_ID}/delete", canned_delete)


def _id(request: web.Request) -> int:
    return int(request.match_info["id"])


def _strings(catalog: Catalog) -> dict[str, str]:
    strings = {name: catalog.text(key) for name, key in _STRINGS.items()}
    strings["minutes"] = catalog.text("console-duration-minutes", minutes="{m}")
    strings["hours"] = catalog.text("console-duration-hours", hours="{h}", minutes="{m}")
    return strings


def _changed(core: Core) -> None:
    """Wake the outbox and every live view in this worker after a commit."""
    core.services.helpdesk.changes.notify()


# --- the queue ----------------------------------------------------------------------------------


@requires(*AGENTS)
async def chat_list(request: web.Request) -> web.Response:
    """Show the agent's own chats first, then the waiting queue (admins: every chat)."""
    core = request.app[CORE]
    async with core.uow() as uow:
        entries = await helpdesk_read.queue(uow, Holder.of(actor(request)))
    return render(
        request, "chats.html", items=[chat_format.queue_item(core.catalog, e) for e in entries],
        strings=_strings(core.catalog), idle_minutes=core.settings.handoff_idle_minutes,
    )  # fmt: skip


@requires(*AGENTS)
async def queue_events(request: web.Request) -> web.StreamResponse:
    """Stream the queue whenever it changes; an open page also keeps the agent's holds alive."""
    core, who = request.app[CORE], actor(request)
    seen: dict[str, Any] = {"items": None, "touched": 0.0}

    async def tick(stream: EventStream) -> None:
        async with core.uow() as uow:
            entries = await helpdesk_read.queue(uow, Holder.of(who))
            if time.monotonic() - seen["touched"] >= TOUCH_SECONDS:
                await core.services.helpdesk.touch(uow, who)
                await uow.commit()
                seen["touched"] = time.monotonic()
        items = [chat_format.queue_item(core.catalog, e) for e in entries]
        if items != seen["items"]:
            await stream.send("queue", {"items": items})
            seen["items"] = items

    return await live.run(request, tick)


# --- one chat -----------------------------------------------------------------------------------


@requires(*AGENTS)
async def chat_page(request: web.Request) -> web.Response:
    """Show one chat: history with delivery states, the citizen's state, and the actions."""
    core, who = request.app[CORE], actor(request)
    holder = Holder.of(who)
    async with core.uow() as uow:
        conv = await uow.conversations.get(_id(request))
        if conv is None:
            return error_page(request, 404, "console-chats-error-not_found")
        if not helpdesk_read.visible_to(conv, holder):
            return error_page(request, 403, "console-chats-error-not_visible")
        entries = await helpdesk_read.history(uow, conv)
        citizen = await helpdesk_read.citizen_state(uow, conv)
        canned = await core.services.helpdesk.canned_answers(uow)
        agents = await core.services.helpdesk.agents(uow)
        uow.audit.record(
            "chat.viewed", actor_type=who.type, actor_id=who.id, actor_name=who.name,
            target_type="conversation", target_id=str(conv.id), ip=request.remote,
        )  # fmt: skip
        await core.services.helpdesk.touch(uow, who)
        await uow.commit()
    catalog = core.catalog
    return render(
        request, "chat.html", conv=conv, citizen=citizen, canned=canned,
        agents=[a for a in agents if f"user:{a.id}" != conv.holder],
        state=chat_format.chat_state(catalog, conv, holder),
        messages=[chat_format.message_item(catalog, conv.id, e) for e in entries],
        channel=chat_format.channel_label(catalog, conv.channel),
        reason=chat_format.reason_label(catalog, conv.handoff_reason),
        strings=_strings(catalog),
    )  # fmt: skip


@requires(*AGENTS)
async def chat_events(request: web.Request) -> web.StreamResponse:
    """Stream new messages (resuming after ``Last-Event-ID``), hold changes and delivery states."""
    core, who = request.app[CORE], actor(request)
    holder, conv_id, catalog = Holder.of(who), _id(request), core.catalog
    async with core.uow() as uow:
        conv = await uow.conversations.get(conv_id)
    if conv is None or not helpdesk_read.visible_to(conv, holder):
        return error_page(request, 404 if conv is None else 403, "console-chats-error-not_visible")
    start = request.headers.get("Last-Event-ID") or request.query.get("after") or "0"
    seen: dict[str, Any] = {"seq": int(start) if start.isdigit() else 0, "state": None,
                            "delivery": None, "touched": time.monotonic()}  # fmt: skip

    async def tick(stream: EventStream) -> None:
        async with core.uow() as uow:
            conv = await uow.conversations.get(conv_id)
            if conv is None:
                return
            visible = helpdesk_read.visible_to(conv, holder)
            new = []
            if visible and (conv.last_seq or 0) > seen["seq"]:
                new = await helpdesk_read.history(uow, conv, after=seen["seq"])
            recent = list(range(max(1, conv.last_seq - RECENT_DELIVERIES), conv.last_seq + 1))
            states = await helpdesk_read.delivery_states(uow, conv.id, recent) if visible else {}
            if conv.holder == holder.key and time.monotonic() - seen["touched"] >= TOUCH_SECONDS:
                await core.services.helpdesk.touch(uow, who)
                await uow.commit()
                seen["touched"] = time.monotonic()
        for entry in new:
            await stream.send("message", chat_format.message_item(catalog, conv_id, entry),
                              event_id=entry.seq)  # fmt: skip
            seen["seq"] = entry.seq
        await _send_if_changed(stream, seen, "state", chat_format.chat_state(catalog, conv, holder))
        delivery = {str(s): chat_format.delivery_item(catalog, d) for s, d in states.items()}
        await _send_if_changed(stream, seen, "delivery", delivery)

    return await live.run(request, tick)


async def _send_if_changed(
    stream: EventStream, seen: dict[str, Any], event: str, data: Any
) -> None:
    if data != seen[event]:
        await stream.send(event, data)
        seen[event] = data


@requires(*AGENTS)
async def chat_media(request: web.Request) -> web.Response:
    """Serve a photo of the chat (the citizen's or an agent's); audited; never cached."""
    core = request.app[CORE]
    async with core.uow() as uow:
        image = await core.services.helpdesk.chat_photo(
            uow, _id(request), int(request.match_info["seq"]), actor(request), request.remote
        )
        await uow.commit()
    if image is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=image, content_type="image/jpeg",
        headers={"Cache-Control": "no-store, private", "Content-Disposition": "inline"},
    )  # fmt: skip


# --- actions ------------------------------------------------------------------------------------


@requires(*AGENTS)
async def claim(request: web.Request) -> web.Response:
    """Take a waiting chat (one agent wins; the others are told who was faster)."""
    core, conv_id = request.app[CORE], _id(request)
    try:
        async with core.uow() as uow:
            await core.services.helpdesk.claim(uow, conv_id, actor(request), request.remote)
            await uow.commit()
    except HelpdeskError as exc:
        raise redirect(
            request, "/console/chats", "error", f"console-chats-error-{exc.code}"
        ) from None
    _changed(core)
    raise redirect(request, f"/console/chats/{conv_id}", "ok", "console-chats-claimed")


@requires(*AGENTS)
async def send_message(request: web.Request) -> web.StreamResponse:
    """Send a text, a canned answer or a photo to the citizen."""
    helpdesk = request.app[CORE].services.helpdesk
    form, photo_bytes = await _read_form(request)
    photo = await helpdesk.clean_photo(photo_bytes) if photo_bytes else None
    canned = form.get("canned_id", "")
    return await _write(request, partial(
        helpdesk.reply, text=form.get("text", ""), photo=photo,
        canned_id=int(canned) if canned.isdigit() else None,
    ))  # fmt: skip


@requires(*AGENTS)
async def add_note(request: web.Request) -> web.StreamResponse:
    """Add an internal note (never sent to the citizen)."""
    form, _photo = await _read_form(request)
    return await _write(
        request, partial(request.app[CORE].services.helpdesk.note, text=form.get("text", ""))
    )


async def _write(request: web.Request, action: Callable[..., Awaitable[Any]]) -> web.StreamResponse:
    """Add a message to this chat with ``action(uow, conv id, actor, ip)``; answer the page."""
    core, conv_id = request.app[CORE], _id(request)
    try:
        async with core.uow() as uow:
            message = await action(uow, conv_id, actor(request), request.remote)
            await uow.commit()
    except HelpdeskError as exc:
        return _answer(request, conv_id, error=exc.code)
    _changed(core)
    return _answer(request, conv_id, seq=message.seq)


@requires(*AGENTS)
async def transfer(request: web.Request) -> web.Response:
    """Hand the chat to another agent."""
    to = str((await request.post()).get("to", ""))
    conv = await _act(
        request, partial(request.app[CORE].services.helpdesk.transfer, to_username=to)
    )
    raise redirect(request, "/console/chats", "ok", "console-chats-transferred",
                   agent=conv.holder_name or to)  # fmt: skip


@requires(*AGENTS)
async def release(request: web.Request) -> web.Response:
    """Give the chat back to the bot, which asks the citizen's current step again."""
    core = request.app[CORE]
    await _act(request, partial(core.services.helpdesk.release, resume=core.engine.resume))
    raise redirect(request, "/console/chats", "ok", "console-chats-released")


@requires(*AGENTS)
async def close(request: web.Request) -> web.Response:
    """End the chat; the citizen is asked to rate the help."""
    await _act(request, request.app[CORE].services.helpdesk.close)
    raise redirect(request, "/console/chats", "ok", "console-chats-closed")


async def _act(request: web.Request, action: Callable[..., Awaitable[Any]]) -> Any:
    """Run ``action(uow, conv id, actor, ip)`` on this chat; if refused, go back with why."""
    core, conv_id = request.app[CORE], _id(request)
    try:
        async with core.uow() as uow:
            conv = await action(uow, conv_id, actor(request), request.remote)
            await uow.commit()
    except HelpdeskError as exc:
        back = f"/console/chats/{conv_id}"
        raise redirect(request, back, "error", f"console-chats-error-{exc.code}") from None
    _changed(core)
    return conv


async def _read_form(request: web.Request) -> tuple[dict[str, str], bytes | None]:
    """Read a (multipart) form: its text fields and an optional photo, streamed within limits."""
    if request.headers.get("X-CSRF-Token") and request.content_type == "multipart/form-data":
        return await _stream_form(request)
    form = await request.post()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    upload = form.get("photo")
    photo = upload.file.read() if isinstance(upload, web.FileField) else None
    return fields, photo or None


async def _stream_form(request: web.Request) -> tuple[dict[str, str], bytes | None]:
    fields: dict[str, str] = {}
    photo: bytes | None = None
    async for part in await request.multipart():
        if not isinstance(part, aiohttp.BodyPartReader) or not part.name:
            continue
        if part.name == "photo":
            data = await part.read(decode=False)
            if len(data) > MAX_PHOTO_BYTES:
                raise web.HTTPRequestEntityTooLarge(MAX_PHOTO_BYTES, len(data))
            photo = data or None
        else:
            fields[part.name] = (await part.text())[:MAX_FIELD]
    return fields, photo


def _answer(request: web.Request, conv_id: int, *, seq: int = 0,
            error: str | None = None) -> web.StreamResponse:  # fmt: skip
    """Answer a script with JSON, a plain form with a redirect back to the chat."""
    back = f"/console/chats/{conv_id}"
    catalog = request.app[CORE].catalog
    if "application/json" in request.headers.get("Accept", ""):
        if error is None:
            return web.json_response({"ok": True, "seq": seq})
        message = catalog.text(f"console-chats-error-{error}")
        return web.json_response({"error": error, "message": message},
                                 status=_ERROR_STATUS.get(error, 409))  # fmt: skip
    if error is not None:
        raise redirect(request, back, "error", f"console-chats-error-{error}")
    raise redirect(request, back)


# --- canned answers -----------------------------------------------------------------------------


@requires(*ADMINS)
async def canned_list(request: web.Request) -> web.Response:
    """List the canned answers with forms to add, change and delete them."""
    core = request.app[CORE]
    async with core.uow() as uow:
        canned = await core.services.helpdesk.canned_answers(uow)
    return render(request, "canned.html", canned=canned)


@requires(*ADMINS)
async def canned_save(request: web.Request) -> web.Response:
    """Add a canned answer, or change one."""
    core = request.app[CORE]
    form = await request.post()
    canned_id = int(request.match_info["id"]) if "id" in request.match_info else None
    try:
        async with core.uow() as uow:
            await core.services.helpdesk.save_canned(
                uow, actor(request), request.remote, str(form.get("title", "")),
                str(form.get("text", "")), canned_id,
            )  # fmt: skip
            await uow.commit()
    except HelpdeskError as exc:
        raise redirect(
            request, "/console/canned", "error", f"console-chats-error-{exc.code}"
        ) from None
    raise redirect(request, "/console/canned", "ok", "console-canned-saved")


@requires(*ADMINS)
async def canned_delete(request: web.Request) -> web.Response:
    """Delete a canned answer."""
    core = request.app[CORE]
    try:
        async with core.uow() as uow:
            await core.services.helpdesk.delete_canned(
                uow, actor(request), request.remote, _id(request)
            )
            await uow.commit()
    except HelpdeskError as exc:
        raise redirect(
            request, "/console/canned", "error", f"console-chats-error-{exc.code}"
        ) from None
    raise redirect(request, "/console/canned", "ok", "console-canned-deleted")
