"""Render console pages with Jinja2; every visible string comes from ``console.ftl``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import jinja2
from aiohttp import web

from bot.console.cookies import COOKIE_PATH, FLASH_COOKIE, read_flash
from bot.console.sessions import VIEWER
from bot.core import CORE
from bot.i18n import WIB, Catalog, format_date, format_datetime
from bot.services.accounts import Role

TEMPLATES = web.AppKey("console_templates", jinja2.Environment)
STATIC = "/console/static"


@dataclass(frozen=True, slots=True)
class NavItem:
    """A link in the console's menu."""

    href: str
    label: str
    roles: tuple[Role, ...]


NAV: tuple[NavItem, ...] = (
    NavItem("/console/", "console-nav-home", (Role.VERIFIER, Role.AGENT, Role.ADMIN)),
    NavItem("/console/queue", "console-nav-queue", (Role.VERIFIER, Role.ADMIN)),
    NavItem("/console/reports", "console-nav-reports", (Role.VERIFIER, Role.ADMIN)),
    NavItem("/console/chats", "console-nav-chats", (Role.AGENT, Role.ADMIN)),
    NavItem("/console/faq", "console-faq-nav", (Role.ADMIN,)),
    NavItem("/console/audit", "console-nav-audit", (Role.ADMIN,)),
    NavItem("/console/users", "console-nav-users", (Role.ADMIN,)),
    NavItem("/console/tokens", "console-nav-tokens", (Role.ADMIN,)),
    NavItem("/console/webhooks", "console-nav-webhooks", (Role.ADMIN,)),
    NavItem("/console/settings", "console-nav-settings", (Role.ADMIN,)),
    NavItem("/console/account", "console-nav-account", (Role.VERIFIER, Role.AGENT, Role.ADMIN)),
)


def make_environment(catalog: Catalog) -> jinja2.Environment:
    """Build the console's template environment with its formatting filters."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("bot.console", "templates"),
        autoescape=jinja2.select_autoescape(["html", "svg"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(t=catalog.text, has=catalog.has, static=STATIC)
    env.filters.update(
        when=lambda value: short_datetime(value),
        when_long=lambda value: format_datetime(catalog, value) if value else "–",
        day=lambda value: format_date(catalog, value),
        isoday=lambda value: _isoday(catalog, value),
        duration=lambda value: duration(catalog, value),
        hours=lambda value: "–" if value is None else f"{value:.1f}".replace(".", ","),
    )
    return env


def short_datetime(value: datetime | None) -> str:
    """Write a moment compactly in Jakarta time, e.g. ``29-11-2026 14.05``."""
    return value.astimezone(WIB).strftime("%d-%m-%Y %H.%M") if value else "–"


def _isoday(catalog: Catalog, value: str | None) -> str:
    try:
        return format_date(catalog, date.fromisoformat(value)) if value else "–"
    except ValueError:
        return value or "–"


def duration(catalog: Catalog, value: timedelta | None) -> str:
    """Write a length of time in days, hours and minutes (absolute value)."""
    if value is None:
        return "–"
    minutes = int(abs(value).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return catalog.text("console-duration-days", days=days, hours=hours)
    if hours:
        return catalog.text("console-duration-hours", hours=hours, minutes=mins)
    return catalog.text("console-duration-minutes", minutes=mins)


def render(request: web.Request, template: str, *, status: int = 200,
           headers: dict[str, str] | None = None, **context: Any) -> web.Response:  # fmt: skip
    """Render a page with the viewer, the menu and any pending flash message."""
    core = request.app[CORE]
    current = request.get(VIEWER)
    flashes = []
    for message in read_flash(request):
        try:
            text = core.catalog.text(message["m"], **message["a"])
        except (KeyError, TypeError, ValueError):
            continue
        flashes.append({"kind": message["k"], "text": text})
    nav = [item for item in NAV if current is not None and current.role in item.roles]
    html = (
        request.app[TEMPLATES]
        .get_template(template)
        .render(viewer=current, nav=nav, flashes=flashes, path=request.path, **context)
    )
    response = web.Response(text=html, content_type="text/html", status=status, headers=headers)
    if FLASH_COOKIE in request.cookies:
        response.del_cookie(FLASH_COOKIE, path=COOKIE_PATH)
    return response


def error_page(request: web.Request, status: int, key: str) -> web.Response:
    """Render an error page with one message."""
    return render(request, "error.html", status=status, message_key=key, code=status)
