"""Password guessing against the console login: bursts, many addresses, and the shared proxy.

The test client connects from 127.0.0.1, a trusted proxy by default, so ``X-Forwarded-For``
plays the part of each citizen or attacker behind the city's reverse proxy.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from sqlalchemy import select, update

from bot.core import Core
from bot.services import login_throttle
from bot.storage.models import AuditEntry, LoginThrottle
from bot.storage.types import utcnow
from bot.usecases import accounts as usecases_accounts
from tests.console.support import PASSWORD, add_user, client_for, csrf_of, page_csrf
from tests.support.helpdesk import audit_actions

WRONG = "salah-sekali-123"


async def _form(client: TestClient[Any, Any]) -> str:
    page = await client.get("/console/login")
    return csrf_of(await page.text())


async def _login(
    client: TestClient[Any, Any], csrf: str, username: str, password: str = PASSWORD,
    *, address: str = "203.0.113.7",
) -> ClientResponse:  # fmt: skip
    return await client.post(
        "/console/login", data={"csrf": csrf, "username": username, "password": password},
        headers={"X-Forwarded-For": address}, allow_redirects=False,
    )  # fmt: skip


async def _entries(core: Core, action: str) -> list[AuditEntry]:
    async with core.uow() as uow:
        stmt = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list((await uow.session.execute(stmt)).scalars())


async def test_a_burst_of_concurrent_guesses_is_checked_only_up_to_the_limit(
    any_core: Core,
) -> None:
    await add_user(any_core, "siti", "verifier")
    async with client_for(any_core) as client:
        csrf = await _form(client)
        answers = await asyncio.gather(*(_login(client, csrf, "siti", WRONG) for _ in range(30)))
    statuses = Counter(resp.status for resp in answers)
    assert set(statuses) == {401, 429}
    assert statuses[401] <= login_throttle.LIMIT_PER_ACCOUNT
    assert len(await _entries(any_core, "console.login_failed")) == statuses[401]


async def test_no_more_than_two_checks_run_at_once_for_one_account(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    running, most = 0, 0
    guard = threading.Lock()

    def slow_verify(stored: str, password: str) -> bool:
        nonlocal running, most
        with guard:
            running += 1
            most = max(most, running)
        time.sleep(0.3)  # every request arrives while the first checks still run
        with guard:
            running -= 1
        return False

    monkeypatch.setattr(usecases_accounts, "verify_password", slow_verify)
    await add_user(core, "siti", "verifier")
    async with client_for(core) as client:
        csrf = await _form(client)
        answers = await asyncio.gather(*(_login(client, csrf, "siti", WRONG) for _ in range(10)))
    assert most == login_throttle.CHECKS_PER_ACCOUNT
    assert Counter(resp.status for resp in answers) == {401: 2, 429: 8}


async def test_guesses_for_one_account_from_many_addresses_block_that_account(
    any_core: Core,
) -> None:
    await add_user(any_core, "siti", "verifier")
    await add_user(any_core, "budi", "verifier")
    async with client_for(any_core) as client:
        csrf = await _form(client)
        for i in range(login_throttle.LIMIT_PER_ACCOUNT):
            assert (
                await _login(client, csrf, "siti", WRONG, address=f"198.51.100.{i}")
            ).status == 401
        assert (await _login(client, csrf, "siti", address="192.0.2.50")).status == 429
        assert (await _login(client, csrf, "budi", address="192.0.2.50")).status == 302
    async with any_core.uow() as uow:  # the window passes: the account may try again
        await uow.session.execute(
            update(LoginThrottle).values(window_start=utcnow() - login_throttle.LOGIN_WINDOW)
        )
        await uow.commit()
    async with client_for(any_core) as client:
        assert (await _login(client, await _form(client), "siti")).status == 302


async def test_unknown_names_from_one_client_behind_the_proxy_do_not_lock_out_colleagues(
    any_core: Core,
) -> None:
    await add_user(any_core, "siti", "verifier")
    async with client_for(any_core) as client:
        csrf = await _form(client)
        statuses = Counter(
            [(await _login(client, csrf, f"tebak{i}", WRONG, address="203.0.113.66")).status
             for i in range(login_throttle.LIMIT_PER_ADDRESS + 5)]
        )  # fmt: skip
        assert statuses == {401: login_throttle.LIMIT_PER_ADDRESS, 429: 5}
        # Same proxy, another client: the right password still opens the console.
        assert (await _login(client, csrf, "siti", address="198.51.100.23")).status == 302
    [failed, *_] = await _entries(any_core, "console.login_failed")
    assert failed.ip == "203.0.113.66"


async def test_an_ipv6_client_is_counted_by_its_slash_64(any_core: Core) -> None:
    await add_user(any_core, "siti", "verifier")
    async with client_for(any_core) as client:
        csrf = await _form(client)
        for i in range(login_throttle.LIMIT_PER_ADDRESS):
            resp = await _login(
                client, csrf, f"tebak{i}", WRONG, address=f"2001:db8:0:7::{i + 1:x}"
            )
            assert resp.status == 401
        rotated = await _login(client, csrf, "tebaklagi", WRONG, address="2001:db8:0:7:ffff::1")
        assert rotated.status == 429
        neighbour = await _login(client, csrf, "siti", address="2001:db8:0:8::1")
        assert neighbour.status == 302


async def test_forwarded_for_from_an_untrusted_peer_is_ignored(
    settings_factory: Any, sqlite_url: str
) -> None:
    from tests.conftest import migrated_core

    core = await migrated_core(settings_factory(database_url=sqlite_url,
                                                trusted_proxies="10.0.0.0/8"))  # fmt: skip
    try:
        await add_user(core, "siti", "verifier")
        async with client_for(core) as client:
            csrf = await _form(client)
            for i in range(login_throttle.LIMIT_PER_ADDRESS):
                await _login(client, csrf, f"tebak{i}", WRONG, address=f"192.0.2.{i}")
            # Forging another address does not escape the count of the real peer.
            assert (await _login(client, csrf, "siti", address="198.51.100.1")).status == 429
        failed = await _entries(core, "console.login_failed")
        assert {entry.ip for entry in failed} == {"127.0.0.1"}
    finally:
        await core.db.dispose()


async def test_a_blocked_burst_is_one_audit_row_with_a_count(any_core: Core) -> None:
    await add_user(any_core, "siti", "verifier")
    async with client_for(any_core) as client:
        csrf = await _form(client)
        for _ in range(login_throttle.LIMIT_PER_ACCOUNT):
            assert (await _login(client, csrf, "siti", WRONG)).status == 401
        for i in range(20):
            assert (await _login(client, csrf, "siti", WRONG, address=f"192.0.2.{i}")).status == 429
        assert "15 menit" in await (await _login(client, csrf, "siti")).text()
    [burst] = await _entries(any_core, "console.login_blocked")
    assert burst.actor_name == "siti" and burst.ip == "192.0.2.0"  # the first refused
    assert burst.details == {"scope": "account", "count": 21}
    assert (await audit_actions(any_core)).count("console.login_failed") == 5


async def test_a_right_password_gives_its_attempt_back(any_core: Core) -> None:
    await add_user(any_core, "siti", "verifier")
    async with client_for(any_core) as client:
        for _ in range(3):
            csrf = await _form(client)  # a sign-in spends the form's token
            for _ in range(login_throttle.LIMIT_PER_ACCOUNT - 1):
                assert (await _login(client, csrf, "siti", WRONG)).status == 401
            assert (await _login(client, csrf, "siti")).status == 302
    async with any_core.uow() as uow:
        rows = {r.key: r for r in (await uow.session.execute(select(LoginThrottle))).scalars()}
    assert rows["account:siti"].failures == 0 and rows["account:siti"].checking == 0
    assert rows["address:203.0.113.7"].failures == 3 * (login_throttle.LIMIT_PER_ACCOUNT - 1)


async def test_stale_counts_are_pruned(any_core: Core) -> None:
    await add_user(any_core, "siti", "verifier")
    async with any_core.uow() as uow:
        uow.session.add(LoginThrottle(key="account:lama", window_start=utcnow() - timedelta(days=1),
                                      failures=3, checking=0, refused=0))  # fmt: skip
        await uow.commit()
    async with client_for(any_core) as client:
        assert (await _login(client, await _form(client), "siti")).status == 302
    async with any_core.uow() as uow:
        keys = set((await uow.session.execute(select(LoginThrottle.key))).scalars())
    assert "account:lama" not in keys and "account:siti" in keys


async def test_a_stolen_session_guesses_the_password_no_faster_than_a_stranger(
    core: Core,
) -> None:
    await add_user(core, "siti", "verifier")
    async with client_for(core) as client:
        assert (await _login(client, await _form(client), "siti")).status == 302
        token = await page_csrf(client)

        async def change(current: str) -> str:
            new = "baru-sekali-456"
            form = {"csrf": token, "current_password": current, "new_password": new,
                    "confirm_password": new}  # fmt: skip
            return await (await client.post("/console/account/password", data=form)).text()

        for _ in range(login_throttle.LIMIT_PER_ACCOUNT):
            assert "Kata sandi sekarang salah." in await change(WRONG)
        assert "Tunggu 15 menit" in await change(PASSWORD)
    async with client_for(core) as client:  # the account's sign-in is held back as well
        assert (await _login(client, await _form(client), "siti")).status == 429
