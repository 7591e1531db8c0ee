"""Console access control: sessions, roles, CSRF, refusals and security headers.

Every console handler must be marked with :func:`requires` (signed-in users with one of the
given roles) or :func:`public`; an unmarked handler is refused, so a forgotten check fails closed.
A use case's refusal (``bot.usecases.errors.Refused``) is answered by :func:`refusals`: a form
post marked with :func:`back_to` goes back there with the reason as a flash message, anything
else gets the error page.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote, urlsplit

from aiohttp import web

from bot.console.cookies import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from bot.console.cookies import redirect as redirect  # the views' one import for access
from bot.console.render import error_page
from bot.console.sessions import VIEWER, Viewer, csrf_for
from bot.core import CORE
from bot.domain.compare import same_secret
from bot.services.accounts import AccountError, Actor, Role
from bot.services.registration import DecisionError
from bot.usecases.errors import Refused
from bot.usecases.webhooks import WebhookError
from bot.web.access import PUBLIC, AccessMarks, Handler

ANY_ROLE = (Role.VERIFIER, Role.AGENT, Role.ADMIN)
REVIEWERS = (Role.VERIFIER, Role.ADMIN)
ADMINS = (Role.ADMIN,)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_MARKS = AccessMarks("__console_roles__")
requires = _MARKS.requires
public = _MARKS.public
allowed_roles = _MARKS.allowed

# The catalog family that words each kind of refusal; others fall back to console-error-<code>.
REFUSAL_MESSAGES: dict[type[Refused], str] = {
    DecisionError: "console-decision-error-",
    AccountError: "console-account-error-",
    WebhookError: "console-webhooks-error-",
}
Back = Callable[[web.Request, Refused], str]
H = TypeVar("H", bound=Handler)
_BACK = "__console_back__"
_MAX_BODY = "__console_max_body__"


def viewer(request: web.Request) -> Viewer:
    """Return the signed-in user of a guarded request."""
    return request[VIEWER]


def actor(request: web.Request) -> Actor:
    """Return the signed-in user as the audit log names them."""
    return request[VIEWER].actor


def back_to(location: str | Back) -> Callable[[H], H]:
    """Send a refused request back to ``location`` (or where ``location(request, exc)`` says)."""

    def mark(handler: H) -> H:
        setattr(handler, _BACK, location)
        return handler

    return mark


def max_body(size: int) -> Callable[[H], H]:
    """Let a form post up to ``size`` bytes (one with a photo); the app's limit is for others."""

    def mark(handler: H) -> H:
        setattr(handler, _MAX_BODY, size)
        return handler

    return mark


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Check session, role and CSRF before any console handler runs."""
    match = request.match_info
    if match.http_exception is not None or isinstance(match.route.resource, web.StaticResource):
        return await handler(request)
    size = getattr(match.handler, _MAX_BODY, None)
    if size is not None:  # before the CSRF check reads the form
        request = request.clone(client_max_size=size)
    roles = allowed_roles(match.handler)
    if roles == PUBLIC:
        return await handler(request)
    current = await _load(request)
    if current is None:
        raise _to_login(request)
    request[VIEWER] = current
    if not isinstance(roles, frozenset) or current.role not in roles:
        return error_page(request, 403, "console-error-forbidden")
    if request.method not in _SAFE_METHODS and not await csrf_ok(request, current.csrf):
        return error_page(request, 403, "console-error-csrf")
    return await handler(request)


@web.middleware
async def refusals(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer a use case's refusal: back to the form with a message, or the error page."""
    try:
        return await handler(request)
    except Refused as exc:
        key = refusal_message(request, exc)
        back: str | Back | None = getattr(request.match_info.handler, _BACK, None)
        if back is None:
            return error_page(request, exc.status, key)
        location = back if isinstance(back, str) else back(request, exc)
        args = {k: v for k, v in exc.extra.items() if isinstance(v, str | int)}
        raise redirect(request, location, "error", key, **args) from None


def refusal_message(request: web.Request, exc: Refused) -> str:
    """Return the catalog key that tells a console user why ``exc`` was refused."""
    prefix = next((p for kind, p in REFUSAL_MESSAGES.items() if isinstance(exc, kind)), None)
    key = f"{prefix or 'console-error-'}{exc.code}"
    return key if request.app[CORE].catalog.has(key) else "console-error-title"


async def _load(request: web.Request) -> Viewer | None:
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return None
    core = request.app[CORE]
    found = await core.account_cases.signed_in(token)
    if found is None:
        return None
    return Viewer(
        user_id=found.user_id, username=found.username, role=found.role, token=token,
        csrf=csrf_for(core.keys, token), session_id=found.session_id,
    )  # fmt: skip


def _to_login(request: web.Request) -> web.HTTPException:
    target = "/console/login"
    if request.method in _SAFE_METHODS and request.path != "/console/":
        target += "?next=" + quote(request.path_qs, safe="")
    return web.HTTPFound(target)


def same_origin(request: web.Request) -> bool:
    """Refuse cross-site form posts that name another origin (defence in depth)."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.host


async def csrf_ok(request: web.Request, expected: str) -> bool:
    """Check the CSRF token of a form (field ``csrf``) or a script (``X-CSRF-Token``)."""
    if not same_origin(request):
        return False
    sent = request.headers.get("X-CSRF-Token")
    if sent is None and request.content_type in (
        "application/x-www-form-urlencoded", "multipart/form-data",
    ):  # fmt: skip
        sent = str((await request.post()).get("csrf", ""))
    if not sent:
        return False
    return same_secret(sent, expected)


def safe_next(value: str | None) -> str:
    """Return a local console path to go to after login, never another site."""
    if value and value.startswith("/console/") and not value.startswith("//"):
        return value
    return "/console/"


def login_csrf(request: web.Request) -> str:
    """Return the login form's CSRF value (a double-submit cookie), making one if needed."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


CSP = (
    "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Forbid framing, sniffing, referrers and caching on every console response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith("/console/static/"):
        headers["Cache-Control"] = "no-store"
