"""Bearer-token access to ``/api/v1``: roles per handler and JSON errors for every failure.

Each handler is marked with :func:`requires` or :func:`public`; an unmarked handler answers 403,
so a forgotten check fails closed.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web

from bot.api.schema import BadRequest
from bot.core import CORE
from bot.services.accounts import Actor, Role
from bot.usecases.errors import Refused
from bot.web.access import PUBLIC, AccessMarks, Handler
from bot.web.client_address import client_address
from bot.web.headers import DATA_CSP, base_headers

log = logging.getLogger(__name__)
ACTOR = web.RequestKey("api_actor", Actor)
# A request body read whole (JSON) may be this big; a photo is streamed within its own limit.
MAX_BODY = 64 * 1024
REVIEWERS = (Role.VERIFIER, Role.ADMIN)
_STATUS_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "unprocessable",
    500: "internal",
}  # fmt: skip

# Only the OpenAPI document is public.
_MARKS = AccessMarks("__api_roles__")
requires = _MARKS.requires
public = _MARKS.public


def api_error(status: int, error: str, /, **extra: Any) -> web.HTTPException:
    """Build an HTTP error whose body is ``{"error": ...}``."""
    body = json.dumps({"error": error, **extra})
    headers = {"WWW-Authenticate": 'Bearer realm="tlive"'} if status == 401 else None
    error_class = _ERRORS.get(status, web.HTTPBadRequest)
    return error_class(text=body, content_type="application/json", headers=headers)


_ERRORS: dict[int, type[web.HTTPException]] = {
    400: web.HTTPBadRequest, 401: web.HTTPUnauthorized, 403: web.HTTPForbidden,
    404: web.HTTPNotFound, 409: web.HTTPConflict, 413: web.HTTPRequestEntityTooLarge,
    422: web.HTTPUnprocessableEntity, 429: web.HTTPTooManyRequests,
    500: web.HTTPInternalServerError,
}  # fmt: skip


def actor(request: web.Request) -> Actor:
    """Return the token a guarded request acts as."""
    return request[ACTOR]


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Authenticate the bearer token, check the role, and turn every error into JSON."""
    try:
        match = request.match_info
        if match.http_exception is not None:
            raise match.http_exception
        # The parent app's limit (photos in forms) applies to every sub-app: set the API's own.
        request = request.clone(client_max_size=MAX_BODY)
        roles = _MARKS.allowed(match.handler)
        if roles != PUBLIC:
            found = await _authenticate(request)
            if not isinstance(roles, frozenset) or found.role not in roles:
                raise api_error(403, "forbidden")
            request[ACTOR] = found
        response = await handler(request)
    except Refused as exc:
        raise api_error(exc.status, exc.code, **exc.extra) from None
    except BadRequest as exc:
        raise api_error(exc.status, exc.code, **exc.extra) from None
    except web.HTTPException as exc:
        if exc.content_type != "application/json" and exc.status >= 400:
            # Keep the status (and headers such as Allow) but answer in JSON.
            exc.text = json.dumps({"error": _STATUS_CODES.get(exc.status, "error")})
            exc.content_type = "application/json"
        raise
    except Exception:
        # Logged (through the PII filter), never shown: a traceback may quote personal data.
        log.exception("api: %s %s failed", request.method, request.path)
        raise api_error(500, "internal") from None
    return response


async def _authenticate(request: web.Request) -> Actor:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise api_error(401, "unauthorized")
    found = await request.app[CORE].account_cases.token_actor(
        raw.strip(), ip=client_address(request)
    )
    if found is None:
        raise api_error(401, "unauthorized")
    return found


async def no_store(request: web.Request, response: web.StreamResponse) -> None:
    """Keep API answers (personal data) out of every cache, and never render or frame them."""
    response.headers["Cache-Control"] = "no-store"
    base_headers(response, DATA_CSP)
