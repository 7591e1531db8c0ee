"""Every ``/api/v1`` endpoint × every caller: no token, a bad or revoked token, a console cookie,
and verifier, agent and admin tokens. A route added without a row here fails the first test.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from aiohttp import web

from bot.api import build_api
from bot.core import CORE, Core
from bot.services.accounts import Actor, Role
from tests.console.support import add_token, add_user, client_for, login, seed_registration

CALLERS = ("none", "garbage", "revoked", "console_cookie", "verifier", "agent", "admin")
DENIED = (401, 401, 401, 401)
REVIEW = (*DENIED, 200, 403, 200)
READ = (*DENIED, 200, 200, 200)
WRITE = (*DENIED, 403, 403, 200)
HELPDESK = (*DENIED, 403, 200, 200)
NOT_QUEUED = (*DENIED, 403, 409, 409)


@dataclass(frozen=True)
class Case:
    """One endpoint and the status each caller gets."""

    method: str
    path: str
    expect: tuple[int, ...]
    body: dict[str, str] | None = None
    errors: tuple[str, ...] = ()  # what agent and admin tokens may be told besides 200


CASES = (
    Case("GET", "/api/v1/openapi.json", (200,) * 7),
    Case("GET", "/api/v1/registrations", REVIEW),
    Case("GET", "/api/v1/registrations?status=all", REVIEW),
    Case("GET", "/api/v1/registrations/{id}", REVIEW),
    Case("POST", "/api/v1/registrations/{id}/decision", REVIEW, {"decision": "approve"}),
    Case("GET", "/api/v1/registrations/{id}/documents/ktp", REVIEW),
    Case("GET", "/api/v1/registrations/{id}/documents/selfie", REVIEW),
    Case("GET", "/api/v1/registrations/{id}/notes", REVIEW),
    Case("POST", "/api/v1/registrations/{id}/notes", (*DENIED, 201, 403, 201), {"note": "cek"}),
    # After the decision above: an admin token reopens it.
    Case("POST", "/api/v1/registrations/{id}/reopen", WRITE, {"reason": "x"}),
    Case("GET", "/api/v1/faq", READ),
    Case("GET", "/api/v1/faq?published=true", READ),
    Case("GET", "/api/v1/faq/cara-daftar", READ),
    Case(
        "PUT",
        "/api/v1/faq/cara-daftar",
        WRITE,
        {"category": "pendaftaran", "question": "Cara daftar?", "answer": "Lewat menu Daftar."},
    ),
    Case("DELETE", "/api/v1/faq/cara-daftar", WRITE),
    # Helpdesk ({conv}: the seeded citizen's conversation, with the bot, not the helpdesk).
    Case("GET", "/api/v1/conversations", HELPDESK),
    Case("GET", "/api/v1/conversations?mode=queued", HELPDESK),
    Case("GET", "/api/v1/conversations/{conv}", (*DENIED, 403, 409, 200), None, ("not_holder",)),
    Case(
        "GET",
        "/api/v1/conversations/{conv}/media/1",
        (*DENIED, 403, 404, 404),
        None,
        ("not_found",),
    ),
    Case("POST", "/api/v1/conversations/{conv}/claim", NOT_QUEUED, None, ("not_queued",)),
    Case(
        "POST", "/api/v1/conversations/{conv}/messages", NOT_QUEUED, {"text": "Halo"}, ("not_held",)
    ),
    Case(
        "POST", "/api/v1/conversations/{conv}/transfer", NOT_QUEUED, {"to": "siti"}, ("not_held",)
    ),
    Case("POST", "/api/v1/conversations/{conv}/release", NOT_QUEUED, None, ("not_held",)),
    Case("POST", "/api/v1/conversations/{conv}/close", NOT_QUEUED, None, ("not_held",)),
)


def _normal(path: str) -> str:
    path = path.split("?")[0].replace("/selfie", "/ktp").replace("{kind}", "ktp")
    path = path.replace("{conv}", "{id}").replace("/media/1", "/media/{seq}")
    return path.replace("/faq/cara-daftar", "/faq/{id}")


def test_every_api_route_is_in_the_matrix(core: Core) -> None:
    parent = web.Application()
    parent[CORE] = core
    listed = {(c.method, _normal(c.path)) for c in CASES}
    for route in build_api(parent).router.routes():
        if route.method == "HEAD":
            continue
        assert route.resource is not None
        key = (route.method, _normal("/api/v1" + route.resource.canonical))
        assert key in listed, f"{key} has no row in the API role matrix"


@pytest.mark.parametrize("caller", CALLERS)
async def test_api_role_matrix(core: Core, caller: str) -> None:
    tokens = {role: await add_token(core, role) for role in ("verifier", "agent", "admin")}
    revoked = await add_token(core, "admin", "lama")
    old = (await core.account_cases.tokens())[0]
    await core.account_cases.revoke_token(Actor("system", None, "test", Role.ADMIN), old.id)
    await add_user(core, "siti", "admin")
    seeded = await seed_registration(core)
    headers = {
        "none": {}, "garbage": {"Authorization": "Bearer tlv_not-a-real-token"},
        "revoked": {"Authorization": f"Bearer {revoked}"}, "console_cookie": {},
        **{role: {"Authorization": f"Bearer {raw}"} for role, raw in tokens.items()},
    }[caller]  # fmt: skip
    async with client_for(core) as client:
        if caller == "console_cookie":
            await login(client, "siti")
        for case in CASES:
            path = case.path.format(id=seeded.id, conv=seeded.conversation_id)
            resp = await client.request(case.method, path, json=case.body, headers=headers)
            expected = case.expect[CALLERS.index(caller)]
            assert resp.status == expected, f"{caller} {case.method} {path} → {resp.status}"
            assert resp.headers["Cache-Control"] == "no-store"
            if expected >= 400:
                body = await resp.json()
                assert body["error"] in ("unauthorized", "forbidden", *case.errors)
            if expected == 401:
                assert resp.headers["WWW-Authenticate"].startswith("Bearer")
