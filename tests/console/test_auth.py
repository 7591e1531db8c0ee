"""Console sign-in: Argon2 hashes, sessions that expire, CSRF, rate limits and the audit trail."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.core import Core
from bot.services import accounts, login_throttle
from bot.storage.models import AuditEntry, ConsoleSession, LoginThrottle, User
from bot.storage.types import utcnow
from tests.console.support import PASSWORD, add_user, client_for, csrf_of, login, page_csrf


async def _actions(core: Core) -> list[str]:
    async with core.uow() as uow:
        rows = await uow.session.execute(select(AuditEntry.action).order_by(AuditEntry.id))
        return list(rows.scalars())


async def test_passwords_are_stored_as_argon2id(core: Core) -> None:
    await add_user(core, "Siti", "verifier")
    async with core.uow() as uow:
        user = (await uow.session.execute(select(User))).scalar_one()
    assert user.username == "siti"
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert accounts.verify_password(user.password_hash, PASSWORD)
    assert not accounts.verify_password(user.password_hash, "salah-sekali-123")
    assert not accounts.verify_password("not-a-hash", PASSWORD)


async def test_login_sets_a_strict_httponly_cookie_and_is_audited(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    async with client_for(core) as client:
        page = await client.get("/console/login")
        assert page.status == 200
        form = {"csrf": csrf_of(await page.text()), "username": "siti", "password": PASSWORD,
                "next": "/console/queue"}  # fmt: skip
        resp = await client.post("/console/login", data=form, allow_redirects=False)
        assert resp.status == 302 and resp.headers["Location"] == "/console/queue"
        cookie = next(
            v for k, v in resp.headers.items() if k == "Set-Cookie" and "tlive_console=" in v
        )
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/console" in cookie
        home = await client.get("/console/")
        assert home.status == 200 and "siti" in await home.text()
        assert home.headers["Cache-Control"] == "no-store"
        assert "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]
    async with core.uow() as uow:
        user = (await uow.session.execute(select(User))).scalar_one()
        stored = (await uow.session.execute(select(ConsoleSession))).scalar_one()
    assert user.last_login_at is not None
    assert len(stored.token_hash) == 64
    assert "console.login" in await _actions(core)


async def test_wrong_password_and_unknown_user_look_the_same(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    async with client_for(core) as client:
        bad = await login(client, "siti", "salah-sekali-123")
        unknown = await login(client, "nobody", PASSWORD)
        assert bad.status == unknown.status == 401
        assert "Nama pengguna atau kata sandi salah." in await bad.text()
        home = await client.get("/console/", allow_redirects=False)
        assert home.status == 302
    assert (await _actions(core)).count("console.login_failed") == 2


async def test_five_failures_block_the_username(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    await add_user(core, "budi", "verifier")
    async with client_for(core) as client:
        for _ in range(login_throttle.LIMIT_PER_ACCOUNT):
            assert (await login(client, "siti", "salah-sekali-123")).status == 401
        blocked = await login(client, "siti", PASSWORD)
        assert blocked.status == 429
        assert "15 menit" in await blocked.text()
        other = await login(client, "budi")
        assert other.status == 200
    actions = await _actions(core)
    assert "console.login_blocked" in actions
    async with core.uow() as uow:  # the window passes: the block lifts
        await uow.session.execute(
            update(LoginThrottle).values(
                window_start=utcnow() - login_throttle.LOGIN_WINDOW - timedelta(seconds=1)
            )
        )
        await uow.commit()
    async with client_for(core) as client:
        assert (await login(client, "siti")).status == 200


async def test_deactivated_users_cannot_sign_in(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    async with core.uow() as uow:
        await uow.session.execute(update(User).values(active=False))
        await uow.commit()
    async with client_for(core) as client:
        assert (await login(client, "siti")).status == 401


async def test_login_form_needs_its_csrf_cookie(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    async with client_for(core) as client:
        resp = await client.post(
            "/console/login", data={"csrf": "x", "username": "siti", "password": PASSWORD}
        )
        assert resp.status == 403


async def test_next_never_leaves_the_console(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    async with client_for(core) as client:
        page = await client.get("/console/login")
        form = {"csrf": csrf_of(await page.text()), "username": "siti", "password": PASSWORD}
        for target in ("https://evil.example/", "//evil.example/console/", "/chat"):
            page = await client.get("/console/login")
            form["csrf"] = csrf_of(await page.text())
            resp = await client.post("/console/login", data={**form, "next": target},
                                     allow_redirects=False)  # fmt: skip
            assert resp.headers["Location"] == "/console/"


async def test_posts_without_csrf_or_from_another_origin_are_refused(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    async with client_for(core) as client:
        await login(client, "siti")
        token = await page_csrf(client)
        data = {"current_password": PASSWORD, "new_password": "x" * 12, "confirm_password": "y"}
        assert (await client.post("/console/account/password", data=data)).status == 403
        wrong = await client.post("/console/account/password", data={**data, "csrf": "nope"})
        assert wrong.status == 403
        cross = await client.post(
            "/console/account/password", data={**data, "csrf": token},
            headers={"Origin": "https://evil.example"},
        )  # fmt: skip
        assert cross.status == 403
        ok = await client.post("/console/account/password", data={**data, "csrf": token},
                               allow_redirects=False)  # fmt: skip
        assert ok.status == 302 and ok.headers["Location"] == "/console/account"


async def test_logout_ends_the_session_for_good(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    async with client_for(core) as client:
        await login(client, "siti")
        stolen = client.session.cookie_jar.filter_cookies(client.make_url("/console/"))
        token = stolen["tlive_console"].value
        resp = await client.post("/console/logout", data={"csrf": await page_csrf(client)})
        assert resp.status == 200 and "Anda sudah keluar." in await resp.text()
        replay = await client.get(
            "/console/", headers={"Cookie": f"tlive_console={token}"}, allow_redirects=False
        )
        assert replay.status == 302 and replay.headers["Location"] == "/console/login"
    assert "console.logout" in await _actions(core)


async def test_sessions_expire_when_idle_or_too_old(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    async with client_for(core) as client:
        await login(client, "siti")
        assert (await client.get("/console/")).status == 200
        async with core.uow() as uow:
            await uow.session.execute(
                update(ConsoleSession).values(last_seen_at=utcnow() - timedelta(minutes=31))
            )
            await uow.commit()
        assert (await client.get("/console/", allow_redirects=False)).status == 302
        await login(client, "siti")
        async with core.uow() as uow:
            await uow.session.execute(
                update(ConsoleSession).values(expires_at=utcnow() - timedelta(seconds=1))
            )
            await uow.commit()
        assert (await client.get("/console/", allow_redirects=False)).status == 302


async def test_deactivating_a_user_ends_their_sessions(core: Core) -> None:
    await add_user(core, "admin", "admin")
    await add_user(core, "siti", "verifier")
    async with client_for(core) as admin, client_for(core) as siti:
        await login(admin, "admin")
        await login(siti, "siti")
        assert (await siti.get("/console/queue")).status == 200
        user = await core.account_cases.find_user("siti")
        assert user is not None
        resp = await admin.post(f"/console/users/{user.id}/active",
                                data={"csrf": await page_csrf(admin), "active": "0"})  # fmt: skip
        assert "sudah dinonaktifkan" in await resp.text()
        assert (await siti.get("/console/queue", allow_redirects=False)).status == 302


async def test_changing_the_password(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    async with client_for(core) as client:
        await login(client, "siti")
        token = await page_csrf(client)
        short = await client.post("/console/account/password", data={
            "csrf": token, "current_password": PASSWORD, "new_password": "pendek",
            "confirm_password": "pendek"})  # fmt: skip
        assert "minimal 10 karakter" in await short.text()
        wrong = await client.post("/console/account/password", data={
            "csrf": token, "current_password": "bukan-ini-123", "new_password": "baru-sekali-456",
            "confirm_password": "baru-sekali-456"})  # fmt: skip
        assert "Kata sandi sekarang salah." in await wrong.text()
        done = await client.post("/console/account/password", data={
            "csrf": token, "current_password": PASSWORD, "new_password": "baru-sekali-456",
            "confirm_password": "baru-sekali-456"})  # fmt: skip
        assert "Kata sandi sudah diganti." in await done.text()
    async with client_for(core) as client:
        assert (await login(client, "siti", "baru-sekali-456")).status == 200
    assert "user.password_changed" in await _actions(core)
