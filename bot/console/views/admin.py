"""Admin pages: accounts, API tokens, the audit log and the running settings."""

from __future__ import annotations

from datetime import date

from aiohttp import web

from bot.console.render import render
from bot.console.security import ADMINS, actor, back_to, redirect, requires
from bot.core import CORE
from bot.services import accounts
from bot.services.accounts import Role
from bot.usecases.audit import AuditFilter, audit_log
from bot.web.client_address import client_address
from bot.web.params import number, path_id


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def audit_filter(request: web.Request) -> AuditFilter:
    """Read the audit log's filters (who, what, which reference, dates) from the query."""
    q = request.query
    return AuditFilter(
        actor=q.get("actor", "").strip()[:64] or None, action=q.get("action") or None,
        date_from=_date(q.get("from")), date_to=_date(q.get("to")),
        reference=q.get("reference", "").strip()[:64] or None,
    )  # fmt: skip


@requires(*ADMINS)
async def audit(request: web.Request) -> web.Response:
    """Show the audit log, filtered by who, action, reference and dates; no edit or delete."""
    q = request.query
    flt = audit_filter(request)
    page_no = number(q.get("page")) or 1
    found = await audit_log(request.app[CORE].uow, flt, page_no)
    base = {k: v for k, v in q.items() if k != "page" and v}
    return render(request, "audit.html", page=found.page, flt=flt, actions=found.actions, base=base)


@requires(*ADMINS)
async def users(request: web.Request) -> web.Response:
    """List accounts with the form to add one."""
    found = await request.app[CORE].account_cases.users()
    return render(
        request, "users.html", users=found, roles=list(Role), me=actor(request).id,
        min_length=accounts.MIN_PASSWORD_LENGTH,
    )  # fmt: skip


@requires(*ADMINS)
@back_to("/console/users")
async def create_user(request: web.Request) -> web.Response:
    """Add an account."""
    form = await request.post()
    password = str(form.get("password", ""))
    if password != str(form.get("confirm_password", "")):
        raise redirect(request, "/console/users", "error", "console-account-error-mismatch")
    user = await request.app[CORE].account_cases.create_user(
        str(form.get("username", "")), password, str(form.get("role", "")), by=actor(request)
    )
    raise redirect(request, "/console/users", "ok", "console-users-created",
                   username=user.username)  # fmt: skip


@requires(*ADMINS)
@back_to("/console/users")
async def set_active(request: web.Request) -> web.Response:
    """Activate or deactivate an account; deactivation ends its sessions and claims at once."""
    form = await request.post()
    active = str(form.get("active", "")) == "1"
    core = request.app[CORE]
    user = await core.account_cases.set_active(actor(request), path_id(request), active)
    if not active:
        await core.review_cases.release_claims(
            actor(request), ip=client_address(request), why="deactivated",
            holder=f"user:{user.id}",
        )  # fmt: skip
    key = "console-users-activated" if active else "console-users-deactivated"
    raise redirect(request, "/console/users", "ok", key, username=user.username)


@requires(*ADMINS)
async def tokens(request: web.Request) -> web.Response:
    """List API tokens with the form to create one."""
    return await _tokens_page(request)


async def _tokens_page(request: web.Request, *, created: str | None = None) -> web.Response:
    found = await request.app[CORE].account_cases.tokens()
    return render(request, "tokens.html", tokens=found, roles=list(Role), created=created)


@requires(*ADMINS)
@back_to("/console/tokens")
async def create_token(request: web.Request) -> web.Response:
    """Create a token and show it this one time (it is stored only as a hash)."""
    form = await request.post()
    _token, raw = await request.app[CORE].account_cases.create_token(
        str(form.get("name", "")), str(form.get("role", "")), by=actor(request)
    )
    return await _tokens_page(request, created=raw)


@requires(*ADMINS)
@back_to("/console/tokens")
async def revoke_token(request: web.Request) -> web.Response:
    """Revoke a token for good."""
    token = await request.app[CORE].account_cases.revoke_token(
        actor(request), path_id(request)
    )
    raise redirect(request, "/console/tokens", "ok", "console-tokens-revoked", name=token.name)


@requires(*ADMINS)
async def settings(request: web.Request) -> web.Response:
    """Show the settings the service runs with (secrets left out; set in the environment)."""
    s = request.app[CORE].settings
    rows = [
        ("console-settings-sla", str(s.verification_sla_hours)),
        ("console-settings-retention", str(s.retention_days)),
        ("console-settings-helpdesk-hours", s.helpdesk_hours),
        ("console-settings-helpdesk-days", s.helpdesk_days),
        ("console-settings-telegram", "console-yes" if s.telegram_enabled else "console-no"),
        ("console-settings-whatsapp", "console-yes" if s.whatsapp_enabled else "console-no"),
        ("console-settings-database", "SQLite" if s.is_sqlite else "PostgreSQL"),
        ("console-settings-public-url", s.public_url or "–"),
    ]
    return render(request, "settings.html", rows=rows)
