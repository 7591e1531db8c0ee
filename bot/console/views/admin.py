"""Admin pages: accounts, API tokens, the audit log and the running settings."""

from __future__ import annotations

from datetime import date

from aiohttp import web

from bot.console import audit, sessions
from bot.console.render import render
from bot.console.security import ADMINS, actor, redirect, requires
from bot.core import CORE
from bot.services import accounts
from bot.services.accounts import AccountError, Role


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@requires(*ADMINS)
async def audit_log(request: web.Request) -> web.Response:
    """Show the audit log, filtered by actor, action and dates; it has no edit or delete."""
    core = request.app[CORE]
    q = request.query
    flt = audit.AuditFilter(
        actor=q.get("actor") or None, action=q.get("action") or None,
        date_from=_date(q.get("from")), date_to=_date(q.get("to")),
    )  # fmt: skip
    page_no = int(q["page"]) if q.get("page", "").isdigit() else 1
    async with core.uow() as uow:
        page = await audit.search(uow, flt, page_no)
        known = await audit.actions(uow)
    base = {k: v for k, v in q.items() if k != "page" and v}
    return render(request, "audit.html", page=page, flt=flt, actions=known, base=base)


@requires(*ADMINS)
async def users(request: web.Request) -> web.Response:
    """List accounts with the form to add one."""
    core = request.app[CORE]
    async with core.uow() as uow:
        found = await accounts.list_users(uow)
    return render(
        request, "users.html", users=found, roles=list(Role), me=actor(request).id,
        min_length=accounts.MIN_PASSWORD_LENGTH,
    )  # fmt: skip


@requires(*ADMINS)
async def create_user(request: web.Request) -> web.Response:
    """Add an account."""
    core = request.app[CORE]
    form = await request.post()
    password = str(form.get("password", ""))
    if password != str(form.get("confirm_password", "")):
        raise redirect(request, "/console/users", "error", "console-account-error-mismatch")
    try:
        user = await accounts.create_user(
            core.uow, str(form.get("username", "")), password, str(form.get("role", "")),
            by=actor(request),
        )  # fmt: skip
    except AccountError as exc:
        raise redirect(request, "/console/users", "error", f"console-account-error-{exc.code}",
                       min=accounts.MIN_PASSWORD_LENGTH) from None  # fmt: skip
    raise redirect(request, "/console/users", "ok", "console-users-created",
                   username=user.username)  # fmt: skip


@requires(*ADMINS)
async def set_active(request: web.Request) -> web.Response:
    """Activate or deactivate an account; deactivation ends its sessions at once."""
    core = request.app[CORE]
    form = await request.post()
    active = str(form.get("active", "")) == "1"
    user_id = int(request.match_info["id"])
    async with core.uow() as uow:
        try:
            user = await accounts.set_active(uow, user_id, active, actor(request))
        except AccountError as exc:
            raise redirect(request, "/console/users", "error",
                           f"console-account-error-{exc.code}") from None  # fmt: skip
        if not active:
            await sessions.end_user_sessions(uow, user_id)
        await uow.commit()
    key = "console-users-activated" if active else "console-users-deactivated"
    raise redirect(request, "/console/users", "ok", key, username=user.username)


@requires(*ADMINS)
async def tokens(request: web.Request) -> web.Response:
    """List API tokens with the form to create one."""
    return await _tokens_page(request)


async def _tokens_page(request: web.Request, *, created: str | None = None,
                       status: int = 200) -> web.Response:  # fmt: skip
    core = request.app[CORE]
    async with core.uow() as uow:
        found = await accounts.list_tokens(uow)
    return render(request, "tokens.html", tokens=found, roles=list(Role), created=created,
                  status=status)  # fmt: skip


@requires(*ADMINS)
async def create_token(request: web.Request) -> web.Response:
    """Create a token and show it this one time (it is stored only as a hash)."""
    core = request.app[CORE]
    form = await request.post()
    try:
        _token, raw = await accounts.create_token(
            core.uow, str(form.get("name", "")), str(form.get("role", "")), by=actor(request)
        )
    except AccountError as exc:
        raise redirect(request, "/console/tokens", "error",
                       f"console-account-error-{exc.code}") from None  # fmt: skip
    return await _tokens_page(request, created=raw)


@requires(*ADMINS)
async def revoke_token(request: web.Request) -> web.Response:
    """Revoke a token for good."""
    core = request.app[CORE]
    async with core.uow() as uow:
        try:
            token = await accounts.revoke_token(uow, int(request.match_info["id"]), actor(request))
        except AccountError as exc:
            raise redirect(request, "/console/tokens", "error",
                           f"console-account-error-{exc.code}") from None  # fmt: skip
        await uow.commit()
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
