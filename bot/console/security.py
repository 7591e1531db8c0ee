"""Console access control: sessions, roles, CSRF, flash messages and security headers.

Every console handler must be marked with :func:`requires` (signed-in users with one of the
given roles) or :func:`public`; an unmarked handler is refused, so a forgotten check fails closed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp import web

from bot.console.sessions import Viewer, load_viewer
from bot.core import CORE
from bot.services.accounts import Actor, Role
from bot.web.access import PUBLIC, AccessMarks, Handler

VIEWER = web.RequestKey("console_viewer", Viewer)
SESSION_COOKIE = "tlive_console"
FLASH_COOKIE = "tlive_flash"
LOGIN_CSRF_COOKIE = "tlive_login_csrf"
COOKIE_PATH = "/console"
ANY_ROLE = (Role.VERIFIER, Role.AGENT, Role.ADMIN)
REVIEWERS = (Role.VERIFIER, Role.ADMIN)
ADMINS = (Role.ADMIN,)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_MARKS = AccessMarks("__console_roles__")
requires = _MARKS.requires
public = _MARKS.public
allowed_roles = _MARKS.allowed


def viewer(request: web.Request) -> Viewer:
    """Return the signed-in user of a guarded request."""
    return request[VIEWER]


def actor(request: web.Request) -> Actor:
    """Return the signed-in user as the audit log names them."""
    v = request[VIEWER]
    return Actor(type="user", id=str(v.user_id), name=v.username, role=v.role)


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Check session, role and CSRF before any console handler runs."""
    match = request.match_info
    if match.http_exception is not None or isinstance(match.route.resource, web.StaticResource):
        return await handler(request)
    roles = allowed_roles(match.handler)
    if roles == PUBLIC:
        return await handler(request)
    current = await _load(request)
    if current is None:
        raise _to_login(request)
    request[VIEWER] = current
    if not isinstance(roles, frozenset) or current.role not in roles:
        from bot.console.render import error_page

        return error_page(request, 403, "console-error-forbidden")
    if request.method not in _SAFE_METHODS and not await csrf_ok(request, current.csrf):
        from bot.console.render import error_page

        return error_page(request, 403, "console-error-csrf")
    return await handler(request)


async def _load(request: web.Request) -> Viewer | None:
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return None
    core = request.app[CORE]
    async with core.uow() as uow:
        found = await load_viewer(uow, core.keys, token)
        await uow.commit()
    return found


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
    return hmac.compare_digest(sent, expected)


def safe_next(value: str | None) -> str:
    """Return a local console path to go to after login, never another site."""
    if value and value.startswith("/console/") and not value.startswith("//"):
        return value
    return "/console/"


def secure_cookies(request: web.Request) -> bool:
    """Tell whether cookies must be marked Secure (HTTPS in front)."""
    public_url = request.app[CORE].settings.public_url or ""
    return request.secure or public_url.startswith("https://")


def set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str,
               *, path: str = COOKIE_PATH) -> None:  # fmt: skip
    """Set an HttpOnly, SameSite=Strict cookie scoped to the console."""
    response.set_cookie(
        name, value, path=path, httponly=True, samesite="Strict",
        secure=secure_cookies(request),
    )  # fmt: skip


def login_csrf(request: web.Request) -> str:
    """Return the login form's CSRF value (a double-submit cookie), making one if needed."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


def _sign(key: bytes, payload: bytes) -> str:
    return hmac.new(key, b"flash:" + payload, hashlib.sha256).hexdigest()[:32]


def flash(request: web.Request, response: web.StreamResponse, kind: str, key: str,
          **args: str | int) -> None:  # fmt: skip
    """Add a one-time message (a catalog key and its arguments) for the next page.

    Messages pending from earlier redirects are kept, so a chain of redirects loses none.
    """
    pending = [*read_flash(request), {"k": kind, "m": key, "a": args}][-3:]
    payload = base64.urlsafe_b64encode(json.dumps(pending, separators=(",", ":")).encode())
    signature = _sign(request.app[CORE].keys.session_key, payload)
    set_cookie(request, response, FLASH_COOKIE, f"{payload.decode()}.{signature}")


def read_flash(request: web.Request) -> list[dict[str, Any]]:
    """Return the pending one-time messages whose signature holds."""
    raw = request.cookies.get(FLASH_COOKIE, "")
    payload, _, signature = raw.partition(".")
    if not payload or not hmac.compare_digest(
        _sign(request.app[CORE].keys.session_key, payload.encode()), signature
    ):
        return []
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except ValueError:
        return []
    return [m for m in data if isinstance(m, dict)] if isinstance(data, list) else []


def redirect(request: web.Request, location: str, kind: str | None = None,
             key: str | None = None, **args: str | int) -> web.HTTPFound:  # fmt: skip
    """Return a redirect to ``location`` carrying an optional flash message."""
    response = web.HTTPFound(location)
    if kind and key:
        flash(request, response, kind, key, **args)
    return response


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
