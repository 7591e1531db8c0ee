"""Security headers on every answer of the public app: the web chat page and everything else.

The console and the API are sub-applications that set their own (``bot.console.security``,
``bot.api.auth``); this hook covers the rest: ``/chat``, the web chat API, static files, agent
photo links, webhooks, health checks and not-found answers.
"""

from __future__ import annotations

from aiohttp import web

# The chat page: its own script, style, pictures (and previews of photos being sent) and API.
PAGE_CSP = (
    "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
# Anything else is data, never a page: it may load nothing and be framed nowhere.
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
PAGES = frozenset({"/chat"})


def base_headers(response: web.StreamResponse, csp: str) -> None:
    """Forbid framing, MIME sniffing and cross-site referrers, keeping any set already."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", csp)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Add the security headers to an answer of the public app (not its sub-apps')."""
    if len(request.match_info.apps) > 1:
        return  # the console or the API: they set their own
    base_headers(response, PAGE_CSP if request.path in PAGES else DATA_CSP)
