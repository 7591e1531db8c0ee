"""Helpdesk plumbing of the web app: agents' photos by link.

Photos an agent sends are served at ``/media/chat/{blob}?k=…`` (see ``bot.helpdesk.media``):
the web chat shows them, and WhatsApp fetches them when the service has a public URL.
"""

from __future__ import annotations

from aiohttp import web

from bot.core import CORE
from bot.web.params import path_id


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


def setup(app: web.Application) -> None:
    """Add the photo route to ``app`` (the idle-hold sweep is a periodic job: ``bot.app``)."""
    app.router.add_get(r"/media/chat/{blob_id:\d+}", sent_photo)
