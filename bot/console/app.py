"""Build the console sub-application and mount it at ``/console/``."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.console.render import TEMPLATES, make_environment
from bot.console.security import guard, refusals, security_headers
from bot.console.views import admin, auth, chats, home, ktp_lines, queue, reports
from bot.console.views import desk as desk_views
from bot.console.views import faq as faq_views
from bot.console.views import webhooks as webhook_views
from bot.core import CORE

STATIC_DIR = Path(__file__).resolve().parent / "static"
_ID = r"{id:\d+}"


def build_console(parent: web.Application) -> web.Application:
    """Build the console sub-application sharing the parent's core."""
    # The guard runs first: a refusal's page shows the signed-in user's menu.
    console = web.Application(middlewares=[guard, refusals])
    core = parent[CORE]
    console[CORE] = core
    console[TEMPLATES] = make_environment(core.catalog)
    console.on_response_prepare.append(security_headers)
    r = console.router
    r.add_get("/login", auth.login_form)
    r.add_post("/login", auth.login)
    r.add_post("/logout", auth.logout)
    r.add_get("/", home.home)
    r.add_get("/account", auth.account)
    r.add_post("/account/password", auth.change_password)
    r.add_get("/queue", queue.queue)
    r.add_get("/queue/next", queue.next_request)
    r.add_get(f"/registrations/{_ID}", queue.detail)
    r.add_post(f"/registrations/{_ID}/claim", queue.keep_claim)
    r.add_post(f"/registrations/{_ID}/skip", queue.skip)
    r.add_post(f"/registrations/{_ID}/decision", queue.decide)
    r.add_get(f"/registrations/{_ID}/documents/{{kind:ktp|selfie}}", queue.document)
    r.add_get(f"/registrations/{_ID}/ktp-lines/{{field:nik|full_name|birth_date}}",
              ktp_lines.ktp_line)  # fmt: skip
    r.add_get("/reports", reports.page)
    r.add_get("/reports/export.{fmt:csv|xlsx}", reports.export)
    r.add_get("/audit", admin.audit)
    r.add_get("/users", admin.users)
    r.add_post("/users", admin.create_user)
    r.add_post(f"/users/{_ID}/active", admin.set_active)
    r.add_get("/tokens", admin.tokens)
    r.add_post("/tokens", admin.create_token)
    r.add_post(f"/tokens/{_ID}/revoke", admin.revoke_token)
    r.add_get("/settings", admin.settings)
    chats.add_routes(console)
    faq_views.add_routes(console)
    webhook_views.add_routes(console)
    desk_views.add_routes(console)
    r.add_static("/static", STATIC_DIR)
    return console


async def _to_console(request: web.Request) -> web.Response:
    raise web.HTTPFound("/console/")


def setup(app: web.Application) -> None:
    """Mount the console at ``/console/``."""
    # Registered first, so "/console" (no slash) reaches it before the sub-app answers 404.
    app.router.add_get("/console", _to_console)
    app.add_subapp("/console/", build_console(app))
