"""The JSON API for the city's systems: a nested app at ``/api/v1`` with bearer tokens.

New endpoints are declared as ``bot.api.schema.Endpoint`` with pydantic models and routed in
``bot.api.openapi.add_routes`` (which also documents them), their handlers marked with
``bot.api.auth.requires`` so the bearer check and JSON errors apply to them too.
"""

from __future__ import annotations

from aiohttp import web

from bot.api.auth import guard, no_store
from bot.api.openapi import add_routes, new_spec
from bot.api.schema import SPEC
from bot.core import CORE


def build_api(parent: web.Application) -> web.Application:
    """Build the API sub-application sharing the parent's core; it holds the one ``ApiSpec``."""
    api = web.Application(middlewares=[guard], client_max_size=64 * 1024)
    api[CORE] = parent[CORE]
    spec = new_spec()
    api[SPEC] = spec
    api.on_response_prepare.append(no_store)
    add_routes(spec, api.router)
    return api


def setup(app: web.Application) -> None:
    """Mount the API at ``/api/v1``."""
    app.add_subapp("/api/v1/", build_api(app))
