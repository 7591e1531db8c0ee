"""The peak-mode banner supervisors (admins) see on the home and queue pages."""

from __future__ import annotations

from aiohttp import web

from bot.console.security import viewer
from bot.core import CORE
from bot.domain.peak import Forecast
from bot.usecases.desk import SUPERVISORS  # no supervisor role exists: admins are warned


async def peak_for(request: web.Request) -> Forecast | None:
    """Return the queue's forecast when it is a peak and the viewer supervises, else None."""
    core = request.app[CORE]
    watch = core.services.peak
    if watch is None or viewer(request).role not in SUPERVISORS:
        return None
    found = await watch.current(core.uow)
    return found if found.peak else None
