"""The console's home page: where the queue stands, for every role, and for those who edit the
FAQ the week's most asked unanswered questions."""

from __future__ import annotations

from aiohttp import web

from bot.console.peak_banner import peak_for
from bot.console.render import render
from bot.console.security import ANY_ROLE, allowed_roles, requires, viewer
from bot.console.views import faq
from bot.core import CORE
from bot.services.decisions import DUE_SOON_HOURS


def edits_faq(request: web.Request) -> bool:
    """Tell whether the signed-in user may work the unanswered inbox (so sees its digest)."""
    roles = allowed_roles(faq.unanswered)
    return isinstance(roles, frozenset) and viewer(request).role in roles


@requires(*ANY_ROLE)
async def home(request: web.Request) -> web.Response:
    """Show today's numbers (tiles that open the filtered queue), the peak alert to supervisors,
    the way into this role's work and, to FAQ editors, the digest."""
    core = request.app[CORE]
    counts = await core.review_cases.counts()
    digest = await core.faq_cases.digest() if edits_faq(request) else None
    return render(
        request, "home.html", counts=counts, sla_hours=core.settings.verification_sla_hours,
        digest=digest, inbox=faq.INBOX, soon_hours=DUE_SOON_HOURS, peak=await peak_for(request),
    )  # fmt: skip
