"""The console's cookies: HttpOnly, SameSite=Strict, and signed one-time flash messages."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from aiohttp import web

from bot.core import CORE
from bot.domain.compare import same_secret

SESSION_COOKIE = "tlive_console"
FLASH_COOKIE = "tlive_flash"
LOGIN_CSRF_COOKIE = "tlive_login_csrf"
COOKIE_PATH = "/console"


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
    # What this service wrote is ASCII (base64 and hex); anything else is forged or garbled.
    if not payload or not payload.isascii() or not same_secret(
        signature, _sign(request.app[CORE].keys.session_key, payload.encode())
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
