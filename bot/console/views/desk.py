"""Working as a team on a request: case notes, reopening a decision; the audit log's export."""

from __future__ import annotations

from aiohttp import web

from bot.console.security import ADMINS, REVIEWERS, actor, back_to, redirect, requires
from bot.console.views.admin import audit_filter
from bot.core import CORE
from bot.usecases.audit import audit_csv
from bot.usecases.desk import MAX_NOTE
from bot.web.client_address import client_address
from bot.web.params import path_id

_ID = r"{id:\d+}"


def add_routes(console: web.Application) -> None:
    """Route the desk's forms and the audit export."""
    r = console.router
    r.add_post(f"/registrations/{_ID}/notes", add_note)
    r.add_post(f"/registrations/{_ID}/reopen", reopen)
    r.add_get("/audit/export.csv", audit_export)


def _back(request: web.Request, _exc: object = None) -> str:
    return f"/console/registrations/{path_id(request)}#review-notes"


@requires(*REVIEWERS)
@back_to(_back)
async def add_note(request: web.Request) -> web.Response:
    """Add an internal case note (staff only) and go back to the request."""
    form = await request.post()
    await request.app[CORE].desk_cases.add_note(
        actor(request), path_id(request), str(form.get("note", ""))[: MAX_NOTE + 1],
        ip=client_address(request),
    )  # fmt: skip
    raise redirect(request, _back(request), "ok", "console-notes-added")


@requires(*ADMINS)
@back_to(_back)
async def reopen(request: web.Request) -> web.Response:
    """Reopen (undo) a decision within the window: it waits again; the citizen is told."""
    form = await request.post()
    item = await request.app[CORE].desk_cases.reopen(
        actor(request), path_id(request), str(form.get("reason", ""))[: MAX_NOTE + 1],
        ip=client_address(request),
    )  # fmt: skip
    reference = item.registration.reference
    raise redirect(request, _back(request), "ok", "console-reopen-done", reference=reference)


@requires(*ADMINS)
async def audit_export(request: web.Request) -> web.Response:
    """Download the audit entries matching the page's filters as CSV (audited)."""
    core = request.app[CORE]
    body, name = await audit_csv(
        core.uow, audit_filter(request), actor(request), core.catalog,
        ip=client_address(request),
    )  # fmt: skip
    return web.Response(
        body=body, content_type="text/csv", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"',
                 "Cache-Control": "no-store, private"},
    )  # fmt: skip
