"""The web chat page and every public answer forbid framing, sniffing and leaking referrers, like
the console does (issue 15, finding 7)."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.console.support import add_token, client_for


def _policy(header: str) -> dict[str, str]:
    """Split a Content-Security-Policy into directive → value."""
    parts = (p.strip().split(" ", 1) for p in header.split(";") if p.strip())
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


async def test_the_chat_page_runs_only_its_own_script_and_cannot_be_framed(core: Core) -> None:
    async with client_for(core) as client:
        resp = await client.get("/chat")
        assert resp.status == 200
        policy = _policy(resp.headers["Content-Security-Policy"])
        assert policy["frame-ancestors"] == "'none'"
        assert policy["script-src"] == "'self'" and policy["object-src"] == "'none'"
        assert "'unsafe-inline'" not in resp.headers["Content-Security-Policy"]
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["X-Frame-Options"] == "DENY"
        assert resp.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/webchat/api/sessions"),
        ("GET", "/webchat/api/sessions/nope/messages"),
        ("GET", "/static/chat.js"),
        ("GET", "/static/favicon.svg"),
        ("GET", "/media/chat/1?k=0"),
        ("GET", "/healthz"),
        ("GET", "/no-such-page"),
        ("GET", "/"),
    ],
)
async def test_every_public_answer_carries_the_headers(core: Core, method: str, path: str) -> None:
    async with client_for(core) as client:
        resp = await client.request(method, path, allow_redirects=False)
        policy = _policy(resp.headers.get("Content-Security-Policy", ""))
        assert policy.get("frame-ancestors") == "'none'", (path, resp.headers)
        assert resp.headers.get("X-Content-Type-Options") == "nosniff", path
        assert resp.headers.get("Referrer-Policy") == "same-origin", path


async def test_the_api_and_the_console_keep_theirs(core: Core) -> None:
    token = await add_token(core, "admin")
    async with client_for(core) as client:
        api = await client.get("/api/v1/faq", headers={"Authorization": f"Bearer {token}"})
        assert _policy(api.headers["Content-Security-Policy"])["frame-ancestors"] == "'none'"
        assert api.headers["X-Content-Type-Options"] == "nosniff"
        assert api.headers["Referrer-Policy"] == "same-origin"
        console = await client.get("/console/login")
        assert _policy(console.headers["Content-Security-Policy"])["form-action"] == "'self'"
