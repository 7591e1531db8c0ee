"""Every console route × every role (anonymous, verifier, agent, admin) → the expected answer.

``ok`` 200 · ``redirect`` 302 within the console (the action ran or was refused politely) ·
``login`` 302 to the sign-in page · ``forbidden`` 403 · ``signout`` session cookie cleared.
A route added without a row here fails ``test_every_console_route_is_in_the_matrix``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from aiohttp import web

from bot.api import build_api
from bot.console.app import build_console
from bot.console.security import allowed_roles
from bot.console.sessions import document_key
from bot.core import CORE, Core
from tests.console.support import add_user, client_for, login, page_csrf, seed_registration

ROLES = ("anonymous", "verifier", "agent", "admin")


@dataclass(frozen=True)
class Case:
    """One route and what each role gets."""

    method: str
    path: str
    expect: tuple[str, str, str, str]  # anonymous, verifier, agent, admin
    data: dict[str, str] | None = None


REVIEW = ("login", "ok", "forbidden", "ok")
ROW_BOX = "1000,1000,9000,1000,9000,3000,1000,3000"  # a row of the KTP, in 1/10,000ths
REVIEW_POST = ("login", "redirect", "forbidden", "redirect")
ADMIN = ("login", "forbidden", "forbidden", "ok")
ADMIN_POST = ("login", "forbidden", "forbidden", "redirect")
ANYONE = ("login", "ok", "ok", "ok")
HELPDESK = ("login", "forbidden", "ok", "ok")
HELPDESK_POST = ("login", "forbidden", "redirect", "redirect")

CASES = (
    Case("GET", "/console/login", ("ok", "ok", "ok", "ok")),
    Case("POST", "/console/login", ("forbidden",) * 4, {"username": "x", "password": "y"}),
    Case("GET", "/console/", ANYONE),
    Case("GET", "/console/account", ANYONE),
    Case("POST", "/console/account/password", ("login", "redirect", "redirect", "redirect"),
         {"current_password": "a", "new_password": "b", "confirm_password": "c"}),
    Case("GET", "/console/queue", REVIEW),
    Case("GET", "/console/queue/next", ("login", "redirect", "forbidden", "redirect")),
    Case("GET", "/console/registrations/{id}", REVIEW),
    Case("POST", "/console/registrations/{id}/claim", REVIEW),
    Case("POST", "/console/registrations/{id}/skip", REVIEW_POST),
    Case("POST", "/console/registrations/{id}/decision", REVIEW_POST, {"decision": "maybe"}),
    Case("GET", "/console/registrations/{id}/documents/ktp?k={ktp}", REVIEW),
    Case("GET", "/console/registrations/{id}/documents/selfie?k={selfie}", REVIEW),
    Case("GET", "/console/registrations/{id}/ktp-lines/nik?k={ktp}&q=" + ROW_BOX, REVIEW),
    Case("GET", "/console/webhooks", ADMIN),
    Case("POST", "/console/webhooks", ADMIN_POST, {"url": "ftp://bukan-http"}),
    Case("GET", "/console/webhooks/{missing}", ("login", "forbidden", "forbidden", "missing")),
    Case("POST", "/console/webhooks/{missing}/active", ADMIN_POST, {"active": "0"}),
    Case("POST", "/console/webhooks/deliveries/{missing}/retry", ADMIN_POST),
    Case("GET", "/console/reports", REVIEW),
    Case("GET", "/console/reports/export.csv", REVIEW),
    Case("GET", "/console/reports/export.xlsx", REVIEW),
    Case("GET", "/console/audit", ADMIN),
    Case("GET", "/console/audit/export.csv", ADMIN),
    Case("POST", "/console/registrations/{id}/notes", REVIEW_POST, {"note": "cek ulang KTP"}),
    Case("POST", "/console/registrations/{id}/reopen", ADMIN_POST, {"reason": "salah klik"}),
    Case("GET", "/console/users", ADMIN),
    Case("POST", "/console/users", ADMIN_POST,
         {"username": "baru", "role": "agent", "password": "a" * 12, "confirm_password": "b"}),
    Case("POST", "/console/users/{missing}/active", ADMIN_POST, {"active": "0"}),
    Case("GET", "/console/tokens", ADMIN),
    Case("POST", "/console/tokens", ADMIN_POST, {"name": "", "role": "verifier"}),
    Case("POST", "/console/tokens/{missing}/revoke", ADMIN_POST),
    Case("GET", "/console/settings", ADMIN),
    Case("GET", "/console/faq", ADMIN),
    Case("GET", "/console/faq/new?from=1", ADMIN),
    Case("POST", "/console/faq/new", ADMIN_POST,
         {"id": "uji-matriks", "category": "uji", "question": "Uji?", "answer": "Ya."}),
    Case("GET", "/console/faq/cara-daftar", ADMIN),
    Case("GET", "/console/faq/cara-daftar/history", ADMIN),
    Case("GET", "/console/faq/try?text=gmn+cara+daftar", ADMIN),
    Case("GET", "/console/faq/try?text=daftar&partial=1", ADMIN),
    Case("POST", "/console/faq/try", ADMIN, {"text": "cara daftar", "question": "Cara daftar?"}),
    Case("GET", "/console/faq/unanswered", ADMIN),
    Case("POST", "/console/faq/unanswered/paraphrase", ADMIN_POST, {"ids": "", "faq_id": "x"}),
    Case("POST", "/console/faq/unanswered/dismiss", ADMIN_POST, {"ids": ""}),
    Case("GET", "/console/faq/export.yaml", ADMIN),
    Case("POST", "/console/faq/import", ADMIN_POST),
    Case("GET", "/console/faq/{missing}", ("login", "forbidden", "forbidden", "redirect")),
    Case("POST", "/console/faq/{missing}", ADMIN_POST,
         {"category": "uji", "question": "Uji?", "answer": "Ya."}),
    Case("POST", "/console/faq/{missing}/publish", ADMIN_POST, {"published": "0"}),
    Case("POST", "/console/faq/{missing}/delete", ADMIN_POST),
    Case("GET", "/console/faq/{missing}/history", ("login", "forbidden", "forbidden", "redirect")),
    Case("POST", "/console/faq/{missing}/rollback", ADMIN_POST, {"version": "1"}),
    # Helpdesk chats ({conv}: the seeded citizen's conversation, with the bot, not the helpdesk).
    Case("GET", "/console/chats", HELPDESK),
    Case("GET", "/console/chats/events", HELPDESK),
    Case("GET", "/console/chats/{conv}", ("login", "forbidden", "forbidden", "ok")),
    Case("GET", "/console/chats/{conv}/events", ("login", "forbidden", "forbidden", "ok")),
    Case("GET", "/console/chats/{conv}/media/{seq}", ("login", "forbidden", "missing", "missing")),
    Case("POST", "/console/chats/{conv}/claim", HELPDESK_POST),
    Case("POST", "/console/chats/{conv}/messages", HELPDESK_POST, {"text": "Halo"}),
    Case("POST", "/console/chats/{conv}/notes", HELPDESK_POST, {"text": "Catatan"}),
    Case("POST", "/console/chats/{conv}/transfer", HELPDESK_POST, {"to": "u-agent"}),
    Case("POST", "/console/chats/{conv}/release", HELPDESK_POST),
    Case("POST", "/console/chats/{conv}/close", HELPDESK_POST),
    Case("GET", "/console/canned", ADMIN),
    Case("POST", "/console/canned", ADMIN_POST, {"title": "", "text": ""}),
    Case("POST", "/console/canned/{missing}", ADMIN_POST, {"title": "Uji", "text": "Ya."}),
    Case("POST", "/console/canned/{missing}/delete", ADMIN_POST),
    Case("POST", "/console/logout", ("login", "signout", "signout", "signout")),
)  # fmt: skip


def _check(expected: str, status: int, location: str, cookies: str, where: str) -> None:
    if expected == "signout":
        assert status == 302 and location == "/console/login", where
        assert 'tlive_console=""' in cookies or "tlive_console=;" in cookies, where
    elif expected == "ok":
        assert status == 200, where
    elif expected == "forbidden":
        assert status == 403, where
    elif expected == "missing":
        assert status == 404, where
    elif expected == "login":
        assert status == 302 and location.startswith("/console/login"), where
    else:
        assert status == 302 and not location.startswith("/console/login"), where


def _normal(path: str) -> str:
    path = path.split("?")[0].replace("/selfie", "/ktp").replace("{kind}", "ktp")
    path = path.replace("/ktp-lines/nik", "/ktp-lines/{field}")
    path = path.replace("{missing}", "{id}").replace("{conv}", "{id}")
    return path.replace("export.{fmt}", "export.csv").replace("export.xlsx", "export.csv")


def test_every_console_route_is_in_the_matrix(core: Core) -> None:
    parent = web.Application()
    parent[CORE] = core
    console = build_console(parent)
    listed = {(c.method, _normal(c.path)) for c in CASES}
    for route in console.router.routes():
        if route.method == "HEAD" or isinstance(route.resource, web.StaticResource):
            continue
        assert route.resource is not None
        method, path = route.method, _normal("/console" + route.resource.canonical)
        path = "/console/" if path == "/console" else path
        assert (method, path) in listed, f"{method} {path} has no row in the role matrix"
        roles = allowed_roles(route.handler)
        assert roles is not None, f"{method} {path} is not marked public or requires()"


@pytest.mark.parametrize("role", ROLES)
async def test_role_matrix(core: Core, role: str) -> None:
    for name in ("verifier", "agent", "admin"):
        await add_user(core, f"u-{name}", name)
    seeded = await seed_registration(core)
    async with client_for(core) as client:
        token = ""
        csrf = ""
        if role != "anonymous":
            assert (await login(client, f"u-{role}")).status == 200
            csrf = await page_csrf(client)
            cookie = client.session.cookie_jar.filter_cookies(client.make_url("/console/"))
            token = cookie["tlive_console"].value
        keys = {kind: document_key(core.keys, token, seeded.id, kind) for kind in ("ktp", "selfie")}
        for case in CASES:
            path = case.path.format(id=seeded.id, missing=9999, conv=seeded.conversation_id,
                                    seq=1, **keys)  # fmt: skip
            expected = case.expect[ROLES.index(role)]
            data = {**(case.data or {}), "csrf": csrf} if case.method == "POST" else None
            resp = await client.request(case.method, path, data=data, allow_redirects=False)
            where = f"{role} {case.method} {path} → {resp.status}"
            cookies = " ".join(resp.headers.getall("Set-Cookie", []))
            _check(expected, resp.status, resp.headers.get("Location", ""), cookies, where)
            if ("/documents/" in path or "/ktp-lines/" in path) and expected == "ok":
                assert resp.content_type == "image/jpeg", where
                assert "no-store" in resp.headers["Cache-Control"], where


def test_the_audit_log_cannot_be_changed_through_any_route(core: Core) -> None:
    parent = web.Application()
    parent[CORE] = core
    for app, prefix in ((build_console(parent), "/console"), (build_api(parent), "/api/v1")):
        for route in app.router.routes():
            assert route.resource is not None
            path = prefix + route.resource.canonical
            assert "audit" not in path or route.method in ("GET", "HEAD"), path
            faq_api = path.startswith("/api/v1/faq/")  # CONTRACT: GET/PUT/DELETE /faq/{id}
            assert route.method not in ("PUT", "PATCH", "DELETE") or faq_api, path


async def test_console_root_and_static_files(core: Core) -> None:
    async with client_for(core) as client:
        root = await client.get("/console", allow_redirects=False)
        assert root.status == 302 and root.headers["Location"] == "/console/"
        for name in ("console.css", "console.js"):
            static = await client.get(f"/console/static/{name}")
            assert static.status == 200, name
        assert (await client.get("/console/nothing", allow_redirects=False)).status == 404
