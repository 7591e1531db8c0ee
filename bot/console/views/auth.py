"""Sign in, sign out and change one's own password."""

from __future__ import annotations

import hmac

from aiohttp import web

from bot.console import sessions
from bot.console.render import render
from bot.console.security import (
    ANY_ROLE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    login_csrf,
    public,
    redirect,
    requires,
    safe_next,
    same_origin,
    set_cookie,
    viewer,
)
from bot.core import CORE
from bot.services import accounts
from bot.services.accounts import AccountError, LoginBlockedError


def _login_page(request: web.Request, *, status: int = 200, error: str | None = None,
                username: str = "") -> web.Response:  # fmt: skip
    token = login_csrf(request)
    response = render(
        request, "login.html", status=status, csrf=token, error=error, username=username,
        next=safe_next(request.query.get("next")),
    )  # fmt: skip
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, path="/console/login")
    return response


@public
async def login_form(request: web.Request) -> web.Response:
    """Show the sign-in form."""
    return _login_page(request)


@public
async def login(request: web.Request) -> web.Response:
    """Check the credentials (rate-limited, audited) and open a session."""
    core = request.app[CORE]
    form = await request.post()
    sent, expected = str(form.get("csrf", "")), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not same_origin(request) or not hmac.compare_digest(sent, expected):
        return _login_page(request, status=403, error="console-login-error-csrf")
    username = str(form.get("username", ""))[:64]
    try:
        user = await accounts.authenticate(
            core.uow, username, str(form.get("password", "")), request.remote
        )
    except LoginBlockedError:
        return _login_page(request, status=429, error="console-login-error-blocked",
                           username=username)  # fmt: skip
    if user is None:
        return _login_page(request, status=401, error="console-login-error-bad",
                           username=username)  # fmt: skip
    async with core.uow() as uow:
        token = await sessions.open_session(uow, user, request.remote)
        await uow.commit()
    response = web.HTTPFound(safe_next(str(form.get("next", ""))))
    set_cookie(request, response, SESSION_COOKIE, token)
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/console/login")
    raise response


@requires(*ANY_ROLE)
async def logout(request: web.Request) -> web.Response:
    """End the session."""
    core = request.app[CORE]
    current = viewer(request)
    async with core.uow() as uow:
        await sessions.end_session(uow, current.token)
        uow.audit.record(
            "console.logout", actor_type="user", actor_id=str(current.user_id),
            actor_name=current.username, ip=request.remote,
        )  # fmt: skip
        await uow.commit()
    response = redirect(request, "/console/login", "ok", "console-logout-done")
    response.del_cookie(SESSION_COOKIE, path="/console")
    raise response


@requires(*ANY_ROLE)
async def account(request: web.Request) -> web.Response:
    """Show one's own account and the password form."""
    return render(request, "account.html", min_length=accounts.MIN_PASSWORD_LENGTH)


@requires(*ANY_ROLE)
async def change_password(request: web.Request) -> web.Response:
    """Change one's own password and end one's other sessions."""
    core = request.app[CORE]
    current = viewer(request)
    form = await request.post()
    new = str(form.get("new_password", ""))
    if new != str(form.get("confirm_password", "")):
        raise redirect(request, "/console/account", "error", "console-account-error-mismatch")
    try:
        await accounts.change_password(
            core.uow, current.user_id, str(form.get("current_password", "")), new,
            request.remote,
        )  # fmt: skip
    except AccountError as exc:
        raise redirect(request, "/console/account", "error", f"console-account-error-{exc.code}",
                       min=accounts.MIN_PASSWORD_LENGTH) from None  # fmt: skip
    async with core.uow() as uow:
        await sessions.end_user_sessions(uow, current.user_id, keep=current.session_id)
        await uow.commit()
    raise redirect(request, "/console/account", "ok", "console-account-password-changed")
