"""Console *Chats*: the live helpdesk queue, one chat with its history, and canned answers.

Pages work as plain forms; ``chats.js`` adds the live updates (server-sent events) and sends
replies without leaving the page. Each handler parses the request, calls one use case of
``bot.usecases.helpdesk`` and renders its result.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.console import chat_format, live
from bot.console.live import EventStream
from bot.console.render import error_page, render
from bot.console.security import ADMINS, actor, max_body, redirect, requires
from bot.core import CORE
from bot.helpdesk.agents import AGENT_ROLES
from bot.helpdesk.hold import HelpdeskError, Holder
from bot.helpdesk.media import MAX_PHOTO_BYTES
from bot.i18n import Catalog
from bot.storage.models import Conversation, Message
from bot.usecases.helpdesk import AgentMessage
from bot.web.client_address import client_address
from bot.web.params import MAX_SEQ, number, path_id
from bot.web.uploads import Upload, read_upload

TOUCH_SECONDS = 30.0
# A reply's text fields beside its photo (the photo has its own limit).
FORM_BYTES = 64 * 1024
RECENT_DELIVERIES = 50
_ID = r"{id:\d+}"
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
    return path_id(request)


def _strings(catalog: Catalog) -> dict[str, str]:
    strings = {name: catalog.text(key) for name, key in _STRINGS.items()}
    strings["noName"] = catalog.text("console-chats-no-name")
    strings["alertTitle"] = catalog.text("console-chats-alert-title")
    strings["alertBody"] = catalog.text("console-chats-alert-body", count="{count}")
    strings["alertBlocked"] = catalog.text("console-chats-alert-blocked")
    strings["minutes"] = catalog.text("console-duration-minutes", minutes="{m}")
    strings["hours"] = catalog.text("console-duration-hours", hours="{h}", minutes="{m}")
    return strings


def _back(request: web.Request, location: str, exc: HelpdeskError) -> web.HTTPFound:
    """Go back to ``location`` saying why the action was refused."""
    return redirect(request, location, "error", f"console-chats-error-{exc.code}")


# --- the queue ----------------------------------------------------------------------------------


@requires(*AGENT_ROLES)
async def chat_list(request: web.Request) -> web.Response:
    """Show the agent's own chats first, then the waiting queue (admins: every chat)."""
    core = request.app[CORE]
    entries = await core.helpdesk_cases.queue(actor(request))
    return render(
        request, "chats.html", items=[chat_format.queue_item(core.catalog, e) for e in entries],
        strings=_strings(core.catalog), idle_minutes=core.settings.handoff_idle_minutes,
    )  # fmt: skip


@requires(*AGENT_ROLES)
async def queue_events(request: web.Request) -> web.StreamResponse:
    """Stream the queue whenever it changes; an open page also keeps the agent's holds alive."""
    core, who = request.app[CORE], actor(request)
    seen: dict[str, Any] = {"items": None, "touched": 0.0}

    async def tick(stream: EventStream) -> None:
        touch = time.monotonic() - seen["touched"] >= TOUCH_SECONDS
        entries = await core.helpdesk_cases.queue(who, touch=touch)
        if touch:
            seen["touched"] = time.monotonic()
        items = [chat_format.queue_item(core.catalog, e) for e in entries]
        if items != seen["items"]:
            await stream.send("queue", {"items": items})
            seen["items"] = items

    return await live.run(request, tick)


# --- one chat -----------------------------------------------------------------------------------


@requires(*AGENT_ROLES)
async def chat_page(request: web.Request) -> web.Response:
    """Show one chat: history with delivery states, the citizen's state, and the actions."""
    core, who = request.app[CORE], actor(request)
    try:
        view = await core.helpdesk_cases.open_chat(
            who, _id(request), client_address(request), tools=True
        )
    except HelpdeskError as exc:
        if exc.code == "not_found":
            return error_page(request, 404, "console-chats-error-not_found")
        return error_page(request, 403, "console-chats-error-not_visible")
    catalog, conv = core.catalog, view.conv
    return render(
        request, "chat.html", conv=conv, citizen=view.citizen, canned=view.canned,
        agents=[a for a in view.agents if Holder.of_user(a).key != conv.holder],
        state=chat_format.chat_state(catalog, conv, Holder.of(who)),
        messages=[chat_format.message_item(catalog, conv.id, e) for e in view.history],
        channel=chat_format.channel_label(catalog, conv.channel),
        reason=chat_format.reason_label(catalog, conv.handoff_reason),
        deadline=chat_format.deadline(view.citizen, core.services.registrations.deadline),
        strings=_strings(catalog),
    )  # fmt: skip


@requires(*AGENT_ROLES)
async def chat_events(request: web.Request) -> web.StreamResponse:
    """Stream new messages (resuming after ``Last-Event-ID``), hold changes and delivery states."""
    core, who = request.app[CORE], actor(request)
    holder, conv_id, catalog = Holder.of(who), _id(request), core.catalog
    try:
        await core.helpdesk_cases.peek(who, conv_id)
    except HelpdeskError as exc:
        status = 404 if exc.code == "not_found" else 403
        return error_page(request, status, "console-chats-error-not_visible")
    start = number(
        request.headers.get("Last-Event-ID") or request.query.get("after") or "0", limit=MAX_SEQ
    )
    if start is None:
        return error_page(request, 400, "console-error-title")
    seen: dict[str, Any] = {"seq": start, "state": None, "delivery": None,
                            "touched": time.monotonic()}  # fmt: skip

    async def tick(stream: EventStream) -> None:
        poll = await core.helpdesk_cases.poll(
            who, conv_id, after=seen["seq"], recent=RECENT_DELIVERIES,
            touch=time.monotonic() - seen["touched"] >= TOUCH_SECONDS,
        )  # fmt: skip
        if poll is None:
            return
        if poll.touched:
            seen["touched"] = time.monotonic()
        for entry in poll.new:
            await stream.send("message", chat_format.message_item(catalog, conv_id, entry),
                              event_id=entry.seq)  # fmt: skip
            seen["seq"] = entry.seq
        state = chat_format.chat_state(catalog, poll.conv, holder)
        await _send_if_changed(stream, seen, "state", state)
        delivery = {
            str(s): chat_format.delivery_item(catalog, d) for s, d in poll.deliveries.items()
        }
        await _send_if_changed(stream, seen, "delivery", delivery)

    return await live.run(request, tick)


async def _send_if_changed(
    stream: EventStream, seen: dict[str, Any], event: str, data: Any
) -> None:
    if data != seen[event]:
        await stream.send(event, data)
        seen[event] = data


@requires(*AGENT_ROLES)
async def chat_media(request: web.Request) -> web.Response:
    """Serve a photo of the chat (the citizen's or an agent's); audited; never cached."""
    image = await request.app[CORE].helpdesk_cases.chat_photo(
        actor(request),
        _id(request),
        path_id(request, "seq", limit=MAX_SEQ),
        client_address(request),
    )
    if image is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=image, content_type="image/jpeg",
        headers={"Cache-Control": "no-store, private", "Content-Disposition": "inline"},
    )  # fmt: skip


# --- actions ------------------------------------------------------------------------------------


@requires(*AGENT_ROLES)
async def claim(request: web.Request) -> web.Response:
    """Take a waiting chat (one agent wins; the others are told who was faster)."""
    conv_id = _id(request)
    try:
        await request.app[CORE].helpdesk_cases.claim(
            actor(request), conv_id, client_address(request)
        )
    except HelpdeskError as exc:
        raise _back(request, "/console/chats", exc) from None
    raise redirect(request, f"/console/chats/{conv_id}", "ok", "console-chats-claimed")


@requires(*AGENT_ROLES)
@max_body(MAX_PHOTO_BYTES + FORM_BYTES)
async def send_message(request: web.Request) -> web.StreamResponse:
    """Send a text, a canned answer or a photo to the citizen."""
    form = await _read_form(request)
    canned = form.fields.get("canned_id", "")
    message = AgentMessage(
        text=form.fields.get("text", ""), photo=form.photo,
        canned_id=number(canned),
    )  # fmt: skip
    return await _write(request, message)


@requires(*AGENT_ROLES)
async def add_note(request: web.Request) -> web.StreamResponse:
    """Add an internal note (never sent to the citizen)."""
    form = await _read_form(request)
    return await _write(request, AgentMessage(text=form.fields.get("text", ""), note=True))


async def _write(request: web.Request, message: AgentMessage) -> web.StreamResponse:
    """Add ``message`` to this chat; answer a script with JSON, a form with a redirect."""
    core, conv_id = request.app[CORE], _id(request)
    try:
        sent: Message = await core.helpdesk_cases.send(
            actor(request), conv_id, client_address(request), message
        )
    except HelpdeskError as exc:
        return _answer(request, conv_id, error=exc)
    return _answer(request, conv_id, seq=sent.seq)


@requires(*AGENT_ROLES)
async def transfer(request: web.Request) -> web.Response:
    """Hand the chat to another agent."""
    to = str((await request.post()).get("to", ""))
    cases = request.app[CORE].helpdesk_cases
    conv = await _act(request, lambda *args: cases.transfer(*args, to))
    raise redirect(request, "/console/chats", "ok", "console-chats-transferred",
                   agent=conv.holder_name or to)  # fmt: skip


@requires(*AGENT_ROLES)
async def release(request: web.Request) -> web.Response:
    """Give the chat back to the bot, which asks the citizen's current step again."""
    await _act(request, request.app[CORE].helpdesk_cases.hand_back)
    raise redirect(request, "/console/chats", "ok", "console-chats-released")


@requires(*AGENT_ROLES)
async def close(request: web.Request) -> web.Response:
    """End the chat; the citizen is asked to rate the help."""
    await _act(request, request.app[CORE].helpdesk_cases.close)
    raise redirect(request, "/console/chats", "ok", "console-chats-closed")


Action = Callable[..., Awaitable[Conversation]]


async def _act(request: web.Request, action: Action) -> Conversation:
    """Run ``action(actor, conv id, ip)`` on this chat; if refused, go back with why."""
    conv_id = _id(request)
    try:
        return await action(actor(request), conv_id, client_address(request))
    except HelpdeskError as exc:
        raise _back(request, f"/console/chats/{conv_id}", exc) from None


async def _read_form(request: web.Request) -> Upload:
    """Read a (multipart) form: its text fields and an optional photo, streamed within limits."""
    if request.headers.get("X-CSRF-Token") and request.content_type == "multipart/form-data":
        # A script sent it: the body is still unread, so the photo can be streamed.
        upload = await read_upload(request, max_photo=MAX_PHOTO_BYTES)
        if upload.too_large:
            raise web.HTTPRequestEntityTooLarge(MAX_PHOTO_BYTES, MAX_PHOTO_BYTES + 1)
        return upload
    form = await request.post()  # a plain form: the CSRF check has read it already
    field = form.get("photo")
    photo = field.file.read(MAX_PHOTO_BYTES + 1) if isinstance(field, web.FileField) else b""
    if len(photo) > MAX_PHOTO_BYTES:  # the same limit as a script's upload
        raise web.HTTPRequestEntityTooLarge(MAX_PHOTO_BYTES, len(photo))
    return Upload({k: v for k, v in form.items() if isinstance(v, str)}, photo or None)


def _answer(request: web.Request, conv_id: int, *, seq: int = 0,
            error: HelpdeskError | None = None) -> web.StreamResponse:  # fmt: skip
    """Answer a script with JSON, a plain form with a redirect back to the chat."""
    back = f"/console/chats/{conv_id}"
    if "application/json" in request.headers.get("Accept", ""):
        if error is None:
            return web.json_response({"ok": True, "seq": seq})
        message = request.app[CORE].catalog.text(f"console-chats-error-{error.code}")
        return web.json_response({"error": error.code, "message": message}, status=error.status)
    if error is not None:
        raise _back(request, back, error)
    raise redirect(request, back)


# --- canned answers -----------------------------------------------------------------------------


@requires(*ADMINS)
async def canned_list(request: web.Request) -> web.Response:
    """List the canned answers with forms to add, change and delete them."""
    canned = await request.app[CORE].helpdesk_cases.canned_answers()
    return render(request, "canned.html", canned=canned)


@requires(*ADMINS)
async def canned_save(request: web.Request) -> web.Response:
    """Add a canned answer, or change one."""
    form = await request.post()
    canned_id = path_id(request) if "id" in request.match_info else None
    try:
        await request.app[CORE].helpdesk_cases.save_canned(
            actor(request), client_address(request), str(form.get("title", "")),
            str(form.get("text", "")), canned_id,
        )  # fmt: skip
    except HelpdeskError as exc:
        raise _back(request, "/console/canned", exc) from None
    raise redirect(request, "/console/canned", "ok", "console-canned-saved")


@requires(*ADMINS)
async def canned_delete(request: web.Request) -> web.Response:
    """Delete a canned answer."""
    try:
        await request.app[CORE].helpdesk_cases.delete_canned(
            actor(request), client_address(request), _id(request)
        )
    except HelpdeskError as exc:
        raise _back(request, "/console/canned", exc) from None
    raise redirect(request, "/console/canned", "ok", "console-canned-deleted")
