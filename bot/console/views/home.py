"""The console's home page: where the queue stands, for every role."""

from __future__ import annotations

from aiohttp import web

from bot.console.render import render
from bot.console.security import ANY_ROLE, requires
from bot.core import CORE


@requires(*ANY_ROLE)
async def home(request: web.Request) -> web.Response:
    """Show today's numbers and the way into the work this role may do."""
    core = request.app[CORE]
    counts = await core.review_cases.counts()
    return render(
        request, "home.html", counts=counts, sla_hours=core.settings.verification_sla_hours
    )
