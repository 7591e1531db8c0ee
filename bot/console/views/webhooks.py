"""Admin pages for the city's systems: endpoints (secret shown once), deliveries, kirim ulang."""

from __future__ import annotations

from aiohttp import web

from bot.console.render import render
from bot.console.security import ADMINS, actor, back_to, redirect, requires
from bot.core import CORE
from bot.domain.webhooks import DeliveryState, EventType, Scope
from bot.web.client_address import client_address
from bot.web.params import path_id

HOME = "/console/webhooks"


@requires(*ADMINS)
async def endpoints(request: web.Request) -> web.Response:
    """List endpoints with their delivery counts and the form to add one."""
    return await _page(request)


async def _page(request: web.Request, *, created: str | None = None,
                created_id: int | None = None) -> web.Response:  # fmt: skip
    found = await request.app[CORE].webhook_cases.endpoints()
    return render(
        request, "webhooks.html", endpoints=found, scopes=list(Scope), events=list(EventType),
        states=list(DeliveryState), created=created, created_id=created_id,
    )  # fmt: skip


@requires(*ADMINS)
@back_to(HOME)
async def create(request: web.Request) -> web.Response:
    """Add an endpoint and show its signing secret this one time (stored encrypted)."""
    form = await request.post()
    events = [str(v) for v in form.getall("events", [])]
    endpoint, secret = await request.app[CORE].webhook_cases.create(
        actor(request), str(form.get("url", "")), str(form.get("scope", "")), events,
        ip=client_address(request),
    )  # fmt: skip
    return await _page(request, created=secret, created_id=endpoint.id)


@requires(*ADMINS)
@back_to(HOME)
async def set_active(request: web.Request) -> web.Response:
    """Enable or disable an endpoint."""
    form = await request.post()
    active = str(form.get("active", "")) == "1"
    endpoint = await request.app[CORE].webhook_cases.set_active(
        actor(request), path_id(request), active, ip=client_address(request)
    )
    key = "console-webhooks-enabled" if active else "console-webhooks-disabled"
    raise redirect(request, HOME, "ok", key, id=endpoint.id)


@requires(*ADMINS)
async def deliveries(request: web.Request) -> web.Response:
    """Show one endpoint's newest deliveries, optionally of one state."""
    state = request.query.get("state") or None
    endpoint, found = await request.app[CORE].webhook_cases.deliveries(
        path_id(request), state=state
    )
    return render(
        request, "webhook_deliveries.html", endpoint=endpoint, deliveries=found,
        states=list(DeliveryState), state=state or "",
    )  # fmt: skip


@requires(*ADMINS)
@back_to(HOME)
async def retry(request: web.Request) -> web.Response:
    """Send one delivery again now ("kirim ulang")."""
    delivery = await request.app[CORE].webhook_cases.retry(
        actor(request), path_id(request), ip=client_address(request)
    )
    raise redirect(request, f"{HOME}/{delivery.endpoint_id}", "ok", "console-webhooks-retried",
                   id=delivery.id)  # fmt: skip


def add_routes(console: web.Application) -> None:
    """Register the pages under ``/console/webhooks``."""
    r = console.router
    r.add_get("/webhooks", endpoints)
    r.add_post("/webhooks", create)
    r.add_get(r"/webhooks/{id:\d+}", deliveries)
    r.add_post(r"/webhooks/{id:\d+}/active", set_active)
    r.add_post(r"/webhooks/deliveries/{id:\d+}/retry", retry)
