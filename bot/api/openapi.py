"""The one source of ``/api/v1``'s OpenAPI document: its title, its auth errors, its routes.

:func:`add_routes` routes every endpoint through the :class:`ApiSpec`, which documents each one
as it routes it, so the document served at ``/api/v1/openapi.json`` is what the handlers do.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.api.conversations import add_routes as add_conversation_routes
from bot.api.desk import add_routes as add_desk_routes
from bot.api.faq import add_routes as add_faq_routes
from bot.api.schema import ApiSpec
from bot.api.views import endpoints as registration_endpoints

TITLE = "Asisten Tangerang LIVE API"
VERSION = "1.0.0"
DESCRIPTION = (
    "Verification requests of the Tangerang LIVE app (SOP-TLIVE-01) for the city's systems. "
    "Create a token with `tlive-bot token create NAME --role verifier|agent|admin` and send it "
    "as `Authorization: Bearer <token>`. Every read of personal data or a document is written "
    "to the audit log."
)
AUTH_ERRORS = {
    401: "Missing, unknown or revoked bearer token.",
    403: "The token's role may not use this endpoint (needs verifier or admin).",
}


def new_spec() -> ApiSpec:
    """Return an empty spec for this API."""
    return ApiSpec(title=TITLE, version=VERSION, description=DESCRIPTION, auth_errors=AUTH_ERRORS)


def add_routes(spec: ApiSpec, router: web.UrlDispatcher) -> None:
    """Route and document every endpoint of the API."""
    for endpoint, handler in registration_endpoints():
        spec.add(router, endpoint, handler)
    add_faq_routes(spec, router)
    add_conversation_routes(spec, router)
    add_desk_routes(spec, router)


def document() -> dict[str, Any]:
    """Return the OpenAPI document without serving the API (for tests and tools)."""
    spec = new_spec()
    add_routes(spec, web.UrlDispatcher())
    return spec.document()
