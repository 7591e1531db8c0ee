"""The JSON API for the city's systems: a nested app at ``/api/v1`` with bearer tokens.

New endpoints go into this package and are registered in :func:`build_api`, marked with
``bot.api.auth.requires`` so the bearer check and JSON errors apply to them too.
"""

from __future__ import annotations

from aiohttp import web

from bot.api import conversations, views
from bot.api import faq as faq_api
from bot.api.auth import guard, no_store
from bot.api.openapi import new_spec
from bot.api.schema import SPEC
from bot.core import CORE

_ID = r"{id:\d+}"


def build_api(parent: web.Application) -> web.Application:
    """Build the API sub-application sharing the parent's core."""
    api = web.Application(middlewares=[guard], client_max_size=64 * 1024)
    api[CORE] = parent[CORE]
    spec = api[SPEC] = new_spec()
    api.on_response_prepare.append(no_store)
    r = api.router
    r.add_get("/openapi.json", views.openapi)
    r.add_get("/registrations", views.list_registrations)
    r.add_get(f"/registrations/{_ID}", views.get_registration)
    r.add_post(f"/registrations/{_ID}/decision", views.post_decision)
    r.add_get(f"/registrations/{_ID}/documents/{{kind:ktp|selfie}}", views.get_document)
    faq_api.add_routes(r)
    conversations.add_routes(spec, r)
    return api


def setup(app: web.Application) -> None:
    """Mount the API at ``/api/v1``."""
    app.add_subapp("/api/v1/", build_api(app))
