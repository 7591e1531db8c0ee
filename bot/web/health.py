"""Liveness, readiness and metrics endpoints.

``/healthz`` answers while the process runs. ``/readyz`` answers 200 only when this worker can
serve: the database answers, its schema is at the newest migration this code knows, and Redis
answers when ``TLIVE_REDIS_URL`` is set; otherwise 503 with what is wrong. ``/metrics`` is for
the city's monitoring, not the internet: it answers only clients on loopback or a private
network (the address a trusted proxy forwarded counts, so a proxy that passes it on by
mistake still does not expose it).
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.core import CORE
from bot.domain.addresses import parse_address
from bot.web.client_address import client_address

log = logging.getLogger(__name__)


async def healthz(request: web.Request) -> web.Response:
    """Answer while the process runs."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Answer 200 when the database, its schema and Redis (if configured) are ready; else 503."""
    readiness = await request.app[CORE].operations.readiness()
    body = {
        "status": "ready" if readiness.ready else "not ready",
        **readiness.checks,
        "problems": list(readiness.problems),
    }
    return web.json_response(body, status=200 if readiness.ready else 503)


async def metrics(request: web.Request) -> web.Response:
    """Export Prometheus metrics to the monitoring network."""
    if not _on_private_network(client_address(request)):
        raise web.HTTPForbidden(text="metrics are served to the internal network only\n")
    core = request.app[CORE]
    try:
        gauges = await core.operations.gauges()
    except Exception as exc:
        # The counters still tell what happened; the database's trouble shows in /readyz.
        log.warning("metrics: queue gauges unavailable (%s)", type(exc).__name__)
        gauges = None
    body = core.metrics.render(gauges, channels=core.outbox.channels)
    return web.Response(body=body, content_type="text/plain", charset="utf-8")


def _on_private_network(address: str | None) -> bool:
    parsed = parse_address(address or "")
    # Not global: loopback, RFC 1918, link-local, shared (100.64/10), unique-local IPv6.
    return parsed is not None and not parsed.is_global


def setup(app: web.Application) -> None:
    """Add the health routes to ``app``."""
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
