"""``/api/v1`` behind the proxy: the client's own address, and bad tokens turned away."""

from __future__ import annotations

from sqlalchemy import select

from bot.core import Core
from bot.services import login_throttle
from bot.storage.models import AuditEntry
from tests.console.support import add_token, client_for


def _headers(raw: str, address: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}", "X-Forwarded-For": address}


async def _audit(core: Core, action: str) -> list[AuditEntry]:
    async with core.uow() as uow:
        stmt = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list((await uow.session.execute(stmt)).scalars())


async def test_the_audit_log_names_the_client_the_proxy_forwarded(core: Core) -> None:
    token = await add_token(core, "admin")
    async with client_for(core) as client:
        url = "/api/v1/faq/cara-daftar"
        assert (await client.delete(url, headers=_headers(token, "203.0.113.7"))).status == 200
    [deleted] = await _audit(core, "faq.deleted")
    assert deleted.ip == "203.0.113.7"


async def test_a_flood_of_bad_tokens_is_turned_away_without_stopping_good_ones(
    any_core: Core,
) -> None:
    token = await add_token(any_core, "verifier")
    async with client_for(any_core) as client:
        url, guess = "/api/v1/registrations", "tlv_" + "x" * 43
        for _ in range(login_throttle.LIMIT_PER_ADDRESS):
            resp = await client.get(url, headers=_headers(guess, "203.0.113.66"))
            assert resp.status == 401
        for _ in range(3):
            resp = await client.get(url, headers=_headers(guess, "203.0.113.66"))
            assert resp.status == 429 and (await resp.json()) == {"error": "login_blocked"}
        # Another system behind the proxy is not counted with it, and a good token always works.
        assert (await client.get(url, headers=_headers(guess, "198.51.100.5"))).status == 401
        assert (await client.get(url, headers=_headers(token, "203.0.113.66"))).status == 200
    [burst] = await _audit(any_core, "api.auth_blocked")
    assert burst.ip == "203.0.113.66" and burst.details == {"scope": "address", "count": 3}
