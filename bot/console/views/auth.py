"""Sign in, sign out and change one's own password."""

from __future__ import annotations

from aiohttp import web

from bot.console.cookies import COOKIE_PATH, LOGIN_CSRF_COOKIE, SESSION_COOKIE, set_cookie
from bot.console.render import render
from bot.console.security import (
    ANY_ROLE,
    back_to,
    login_csrf,
    public,
    redirect,
    requires,
    safe_next,
    same_origin,
    viewer,
)
from bot.core import CORE
from bot.domain.compare import same_secret
from bot.services import accounts
from bot.services.accounts import LoginBlockedError
from bot.web.client_address import client_address

_LOGIN_PATH = "/console/login"


def _login_page(request: web.Request, *, status: int = 200, error: str | None = None,
                username: str = "") -> web.Response:  # fmt: skip
    token = login_csrf(request)
    response = render(
        request, "login.html", status=status, csrf=token, error=error, username=username,
        next=safe_next(request.query.get("next")),
    )  # fmt: skip
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, path=_LOGIN_PATH)
    return response


@public
async def login_form(request: web.Request) -> web.Response:
    """Show the sign-in form."""
    return _login_page(request)


@public
async def login(request: web.Request) -> web.Response:
    """Check the credentials (rate-limited, audited) and open a session."""
    form = await request.post()
    sent, expected = str(form.get("csrf", "")), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not same_origin(request) or not same_secret(sent, expected):
        return _login_page(request, status=403, error="console-login-error-csrf")
    username = str(form.get("username", ""))[:64]
    try:
        token = await request.app[CORE].account_cases.login(
            username, str(form.get("password", "")), ip=client_address(request)
        )
    except LoginBlockedError:
        return _login_page(request, status=429, error="console-login-error-blocked",
                           username=username)  # fmt: skip
    if token is None:
        return _login_page(request, status=401, error="console-login-error-bad",
                           username=username)  # fmt: skip
    response = web.HTTPFound(safe_next(str(form.get("next", ""))))
    set_cookie(request, response, SESSION_COOKIE, token)
    response.del_cookie(LOGIN_CSRF_COOKIE, path=_LOGIN_PATH)
    raise response


@requires(*ANY_ROLE)
async def logout(request: web.Request) -> web.Response:
    """End the session and release the requests the user was reviewing."""
    current = viewer(request)
    core = request.app[CORE]
    # Otherwise her claims would hide those requests from the others until they expire.
    await core.review_cases.release_claims(current.actor, ip=client_address(request),
                                           why="logout")  # fmt: skip
    await core.account_cases.logout(current.signed_in, current.token, ip=client_address(request))
    response = redirect(request, _LOGIN_PATH, "ok", "console-logout-done")
    response.del_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    raise response


@requires(*ANY_ROLE)
async def account(request: web.Request) -> web.Response:
    """Show one's own account and the password form."""
    return render(request, "account.html", min_length=accounts.MIN_PASSWORD_LENGTH)


@requires(*ANY_ROLE)
@back_to("/console/account")
async def change_password(request: web.Request) -> web.Response:
    """Change one's own password and end one's other sessions."""
    form = await request.post()
    new = str(form.get("new_password", ""))
    if new != str(form.get("confirm_password", "")):
        raise redirect(request, "/console/account", "error", "console-account-error-mismatch")
    await request.app[CORE].account_cases.change_password(
        viewer(request).signed_in,
        str(form.get("current_password", "")),
        new,
        ip=client_address(request),
    )
    raise redirect(request, "/console/account", "ok", "console-account-password-changed")
