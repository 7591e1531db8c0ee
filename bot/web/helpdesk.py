"""Helpdesk plumbing of the web app: agents' photos by link, and abandoned holds swept back.

Photos an agent sends are served at ``/media/chat/{blob}?k=…`` (see ``bot.helpdesk.media``):
the web chat shows them, and WhatsApp fetches them when the service has a public URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.core import CORE
from bot.web.params import path_id

log = logging.getLogger(__name__)
SWEEP_SECONDS = 30.0


async def sent_photo(request: web.Request) -> web.Response:
    """Serve a photo an agent sent to a citizen, to whoever holds its link."""
    cases = request.app[CORE].helpdesk_cases
    image = await cases.sent_photo(path_id(request, "blob_id"), request.query.get("k", ""))
    if image is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=image, content_type="image/jpeg",
        headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )  # fmt: skip


async def _sweeper(app: web.Application) -> AsyncIterator[None]:
    """Return abandoned holds to the queue every half minute (safe on every worker at once)."""
    task = asyncio.create_task(_sweep_forever(app), name="helpdesk-sweep")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _sweep_forever(app: web.Application) -> None:
    cases = app[CORE].helpdesk_cases
    while True:
        try:
            returned = await cases.sweep_idle()
            if returned:
                log.info("helpdesk: %d abandoned chats returned to the queue", returned)
        except Exception:
            log.exception("helpdesk sweep failed")
        await asyncio.sleep(SWEEP_SECONDS)


def setup(app: web.Application) -> None:
    """Add the photo route and the idle-hold sweeper to ``app``."""
    app.router.add_get(r"/media/chat/{blob_id:\d+}", sent_photo)
    app.cleanup_ctx.append(_sweeper)
