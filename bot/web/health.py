"""Liveness, readiness and metrics endpoints."""

from __future__ import annotations

from aiohttp import web

from bot.core import CORE


async def healthz(request: web.Request) -> web.Response:
    """Answer while the process runs."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Answer 200 only when the database is reachable."""
    ok = await request.app[CORE].db.ping()
    return web.json_response({"database": "ok" if ok else "unreachable"}, status=200 if ok else 503)


async def metrics(request: web.Request) -> web.Response:
    """Export Prometheus metrics."""
    body = request.app[CORE].metrics.render()
    return web.Response(body=body, content_type="text/plain", charset="utf-8")


def setup(app: web.Application) -> None:
    """Add the health routes to ``app``."""
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
