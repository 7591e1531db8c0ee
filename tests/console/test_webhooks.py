"""The console's "Sistem Kota" page and ``tlive-bot webhooks``: endpoints, secrets once, retries."""

from __future__ import annotations

import html as htmlmod
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.core import Core
from bot.domain.webhooks import DeliveryState, EventType
from bot.storage.models import AuditEntry, WebhookEndpoint
from bot.storage.types import utcnow
from tests.conftest import SECRET
from tests.console.support import add_user, client_for, login, page_csrf
from tests.integrations.citysystems.support import ADMIN

SECRET_SHOWN = re.compile(r'<code id="new-secret">(whsec_[^<]+)</code>')


async def _audit(core: Core, action: str) -> int:
    async with core.uow() as uow:
        stmt = select(func.count(AuditEntry.id)).where(AuditEntry.action == action)
        return int(await uow.session.scalar(stmt) or 0)


async def _record(core: Core, kind: EventType = EventType.REGISTRATION_APPROVED) -> None:
    async with core.uow() as uow:
        targets = await uow.webhooks.subscribers(kind)
        await uow.webhooks.record(kind, targets, "TL-ABC234", {"status": "approved"}, utcnow())
        await uow.commit()


async def test_admin_adds_an_endpoint_and_sees_its_secret_only_once(core: Core) -> None:
    await add_user(core, "admin", "admin")
    async with client_for(core) as client:
        await login(client, "admin")
        csrf = await page_csrf(client, "/console/webhooks")
        resp = await client.post("/console/webhooks", data={
            "csrf": csrf, "url": "https://dukcapil.tangerangkota.go.id/tlive", "scope": "identity",
            "events": ["registration.approved", "registration.rejected"],
        })  # fmt: skip
        page = await resp.text()
        shown = SECRET_SHOWN.search(page)
        assert resp.status == 200 and shown
        again = await (await client.get("/console/webhooks")).text()
    assert shown.group(1) not in again and 'id="new-secret"' not in again
    assert "https://dukcapil.tangerangkota.go.id/tlive" in again
    assert "registration.approved, registration.rejected" in again
    async with core.uow() as uow:
        endpoint = (await uow.session.execute(select(WebhookEndpoint))).scalar_one()
        assert uow.webhooks.secret(endpoint) == shown.group(1)
    assert endpoint.scope == "identity" and endpoint.active
    assert await _audit(core, "webhook.created") == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [("ftp://example.org/x", "Alamat harus diawali https://"),
     ("http://10.1.2.3/hook", "http:// biasa hanya boleh ke mesin ini"),
     ("bukan alamat", "Alamat (URL) tidak valid")],
)  # fmt: skip
async def test_a_url_that_is_not_https_is_refused_with_a_reason(
    core: Core, url: str, message: str
) -> None:
    await add_user(core, "admin", "admin")
    async with client_for(core) as client:
        await login(client, "admin")
        csrf = await page_csrf(client, "/console/webhooks")
        form = {"csrf": csrf, "url": url, "scope": "status", "events": "registration.approved"}
        resp = await client.post("/console/webhooks", data=form)
        page = htmlmod.unescape(await resp.text())
    assert resp.status == 200 and message in page and 'id="new-secret"' not in page
    assert await _audit(core, "webhook.created") == 0


async def test_only_admins_reach_the_page_and_posts_need_the_csrf_token(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    await add_user(core, "admin", "admin")
    async with client_for(core) as client:
        await login(client, "siti")
        assert (await client.get("/console/webhooks")).status == 403
    async with client_for(core) as client:
        await login(client, "admin")
        resp = await client.post("/console/webhooks", data={
            "url": "https://example.org/x", "scope": "status"})  # fmt: skip
        assert resp.status == 403
    async with core.uow() as uow:
        assert not await uow.webhooks.endpoints()


async def test_deliveries_are_listed_and_sent_again_by_hand(core: Core) -> None:
    await add_user(core, "admin", "admin")
    # Nothing listens there: the running service's dispatcher fails at once, offline.
    endpoint, _secret = await core.webhook_cases.create(
        ADMIN, "http://127.0.0.1:9/hook", "status", ["all"]
    )
    await _record(core)
    async with core.uow() as uow:
        (delivery,) = await uow.webhooks.deliveries()
        delivery.state = DeliveryState.DEAD.value
        delivery.attempts = 10
        delivery.last_error = "HTTP 503"
        await uow.commit()
    async with client_for(core) as client:
        await login(client, "admin")
        listing = await (await client.get("/console/webhooks")).text()
        assert "berhenti dicoba: 1" in listing
        page = await (await client.get(f"/console/webhooks/{endpoint.id}?state=dead")).text()
        assert f'data-delivery="{delivery.id}" data-state="dead"' in page
        assert "HTTP 503" in page and "TL-ABC234" in page and delivery.event_uid in page
        csrf = await page_csrf(client, "/console/webhooks")
        resp = await client.post(
            f"/console/webhooks/deliveries/{delivery.id}/retry", data={"csrf": csrf}
        )
        assert resp.status == 200 and resp.url.path == f"/console/webhooks/{endpoint.id}"
        assert "dijadwalkan untuk dikirim ulang" in await resp.text()
        missing = await client.post("/console/webhooks/deliveries/999999/retry",
                                    data={"csrf": csrf})  # fmt: skip
        assert "tidak ditemukan" in await missing.text()
        off = await client.post(f"/console/webhooks/{endpoint.id}/active",
                                data={"csrf": csrf, "active": "0"})  # fmt: skip
        assert "dinonaktifkan" in await off.text()
    async with core.uow() as uow:
        retried = await uow.webhooks.delivery(delivery.id)
        assert retried is not None
        # Due again at once with a fresh count (the running dispatcher may have tried it).
        assert retried.state in (DeliveryState.PENDING, DeliveryState.FAILING)
        assert retried.attempts <= 1
        assert not (await uow.webhooks.endpoint(endpoint.id)).active  # type: ignore[union-attr]
    assert await _audit(core, "webhook.retried") == 1
    assert await _audit(core, "webhook.disabled") == 1


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the command line at a fresh SQLite database and migrate it."""
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("TLIVE_SECRET_KEY", SECRET)
    monkeypatch.setenv("TLIVE_DATA_DIR", str(data))
    monkeypatch.setenv("TLIVE_DATABASE_URL", f"sqlite+aiosqlite:///{data / 'tlive.db'}")
    monkeypatch.setenv("TLIVE_FACE_COMPARISON", "false")
    assert main(["migrate"]) == 0
    return data


def test_cli_adds_lists_disables_and_retries(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["webhooks", "add", "https://sso.tangerangkota.go.id/hook", "--scope", "status",
                 "--events", "registration.approved", "handoff.requested"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    secret = re.search(r"signing secret \(shown only now\): (whsec_\S+)", out)
    assert secret and "endpoint 1 added" in out
    assert "events=registration.approved,handoff.requested" in out
    assert main(["webhooks", "list"]) == 0
    listed = capsys.readouterr().out
    assert "https://sso.tangerangkota.go.id/hook" in listed and "active" in listed
    assert secret.group(1) not in listed
    assert main(["webhooks", "add", "ftp://x.org/", "--scope", "status"]) == 1
    assert "https://" in capsys.readouterr().err
    assert main(["webhooks", "add", "http://10.0.0.9/x", "--scope", "identity"]) == 1
    assert "TLIVE_WEBHOOK_ALLOW_HTTP" in capsys.readouterr().err
    assert main(["webhooks", "add", "https://x.org/", "--scope", "status",
                 "--events", "registration.deleted"]) == 1  # fmt: skip
    assert "unknown event" in capsys.readouterr().err
    assert main(["webhooks", "deliveries"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["webhooks", "retry", "42"]) == 1
    assert "no delivery" in capsys.readouterr().err
    assert main(["webhooks", "disable", "1"]) == 0
    assert "endpoint 1 disabled" in capsys.readouterr().out
    assert main(["webhooks", "list"]) == 0
    assert "disabled" in capsys.readouterr().out
    assert main(["webhooks", "enable", "7"]) == 1
