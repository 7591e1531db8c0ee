"""The queue, one request's review, claims, decisions and document images in the console."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from bot.console.sessions import document_key
from bot.core import Core
from bot.storage.models import AuditEntry
from bot.storage.types import utcnow
from tests.console.support import (
    NIK,
    add_user,
    client_for,
    jpeg,
    login,
    page_csrf,
    seed_queue,
    seed_registration,
)


async def _audit_count(core: Core, action: str) -> int:
    async with core.uow() as uow:
        stmt = select(func.count(AuditEntry.id)).where(AuditEntry.action == action)
        return int(await uow.session.scalar(stmt) or 0)


async def test_queue_shows_oldest_first_overdue_marked_and_nik_masked(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    old = await seed_registration(core, submitted_at=utcnow() - timedelta(hours=30))
    new = await seed_registration(core, submitted_at=utcnow() - timedelta(hours=2))
    async with client_for(core) as client:
        await login(client, "siti")
        html = await (await client.get("/console/queue")).text()
    assert html.index(old.reference) < html.index(new.reference)
    row = re.search(rf'<tr class="([^"]*)" data-reference="{old.reference}"', html)
    assert row and row.group(1) == "overdue"
    assert "lewat batas 6 jam" in html and "sisa 21 jam" in html
    assert "3671••••••••0001" in html and NIK not in html and "SITI AMINAH" not in html


async def test_queue_filters_and_pages(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    await seed_queue(core, 3)
    benda = await seed_registration(core, kecamatan="Benda", kelurahan="Benda")
    async with client_for(core) as client:
        await login(client, "siti")
        html = await (await client.get("/console/queue?kecamatan=Benda")).text()
        assert benda.reference in html and "1 permintaan." in html
        none = await (await client.get("/console/queue?status=approved")).text()
        assert "Tidak ada permintaan yang cocok" in none
        junk = await client.get("/console/queue?status=x&kecamatan=x&from=kemarin&page=-1")
        assert junk.status == 200


async def test_opening_claims_and_a_second_verifier_sees_it_taken(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    await add_user(core, "budi", "verifier")
    seeded = await seed_registration(core)
    async with client_for(core) as siti, client_for(core) as budi:
        await login(siti, "siti")
        await login(budi, "budi")
        mine = await (await siti.get(f"/console/registrations/{seeded.id}")).text()
        assert NIK in mine and 'id="decision-form"' in mine
        taken = await (await budi.get(f"/console/registrations/{seeded.id}")).text()
        assert "sedang diperiksa oleh siti" in taken and NIK not in taken
        queue = await (await budi.get("/console/queue")).text()
        assert "siti" in queue
        nxt = await budi.get("/console/queue/next", allow_redirects=False)
        assert nxt.headers["Location"] == "/console/queue"
        beat = await siti.post(f"/console/registrations/{seeded.id}/claim",
                               headers={"X-CSRF-Token": await page_csrf(siti)})  # fmt: skip
        assert beat.status == 200 and (await beat.json())["mine"] is True
        skip = await siti.post(
            f"/console/registrations/{seeded.id}/skip",
            data={"csrf": await page_csrf(siti)},
            allow_redirects=False,
        )
        assert skip.headers["Location"] == "/console/queue/next"
        again = await (await budi.get(f"/console/registrations/{seeded.id}")).text()
        assert 'id="decision-form"' in again
    assert await _audit_count(core, "registration.viewed") == 2


async def test_deciding_notifies_the_citizen_and_opens_the_next_request(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    first, second = await seed_queue(core, 2)
    async with client_for(core) as client:
        await login(client, "siti")
        start = await client.get("/console/queue/next", allow_redirects=False)
        assert start.headers["Location"] == f"/console/registrations/{first.id}"
        await client.get(start.headers["Location"])
        csrf = await page_csrf(client)
        resp = await client.post(
            f"/console/registrations/{first.id}/decision",
            data={"csrf": csrf, "decision": "reject", "reason": "ktp_blurry", "note": ""},
        )
        html = await resp.text()
        assert str(resp.url).endswith(f"/console/registrations/{second.id}")
        assert f"{first.reference} ditolak. Warga sudah diberi tahu" in html
        history = await client.get(f"/webchat/api/sessions/{first.chat_id}/messages?after=0")
        replies = (await history.json())["replies"]
        assert len(replies) == 1 and "foto KTP buram" in replies[0]["text"]
        assert first.reference in replies[0]["text"]
        again = await client.post(
            f"/console/registrations/{first.id}/decision",
            data={"csrf": csrf, "decision": "approve"},
        )
        assert "sudah diputuskan petugas lain" in await again.text()
        history = await client.get(f"/webchat/api/sessions/{first.chat_id}/messages?after=0")
        assert len((await history.json())["replies"]) == 1
        decided = await (await client.get(f"/console/registrations/{first.id}")).text()
        assert "Sudah diputuskan" in decided and "Foto KTP buram" in decided
    assert await _audit_count(core, "registration.rejected") == 1


async def test_bad_decisions_go_back_with_a_message(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    seeded = await seed_registration(core)
    async with client_for(core) as client:
        await login(client, "siti")
        await client.get(f"/console/registrations/{seeded.id}")
        csrf = await page_csrf(client)
        url = f"/console/registrations/{seeded.id}/decision"
        for data, text in (
            ({"decision": "maybe"}, "Pilih setujui atau tolak."),
            ({"decision": "reject"}, "Pilih alasan penolakan"),
            ({"decision": "reject", "reason": "other"}, "memerlukan catatan"),
        ):  # fmt: skip
            resp = await client.post(url, data={"csrf": csrf, **data})
            assert str(resp.url).endswith(f"/console/registrations/{seeded.id}")
            assert text in await resp.text()
        resp = await client.post(
            url, data={"csrf": csrf, "decision": "reject", "reason": "other", "note": "Buram"}
        )
        assert "ditolak" in await resp.text()


async def test_refusals_of_a_use_case_are_answered_by_the_console(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    seeded = await seed_registration(core, status="approved", decided_at=utcnow())
    async with client_for(core) as client:
        await login(client, "siti")
        csrf = await page_csrf(client)
        gone = await client.post("/console/registrations/99999/claim",
                                 headers={"X-CSRF-Token": csrf})  # fmt: skip
        assert gone.status == 404 and "Permintaan tidak ditemukan." in await gone.text()
        late = await client.post(
            f"/console/registrations/{seeded.id}/decision",
            data={"csrf": csrf, "decision": "approve"}, allow_redirects=False,
        )  # fmt: skip
        assert late.headers["Location"] == "/console/queue/next"
        moved_on = await client.get("/console/queue")
        assert "sudah diputuskan petugas lain" in await moved_on.text()


async def test_last_decision_ends_on_an_empty_queue(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    [only] = await seed_queue(core, 1)
    async with client_for(core) as client:
        await login(client, "siti")
        await client.get(f"/console/registrations/{only.id}")
        csrf = await page_csrf(client)
        resp = await client.post(
            f"/console/registrations/{only.id}/decision", data={"csrf": csrf, "decision": "approve"}
        )
        assert str(resp.url).endswith("/console/queue")
        assert "Semua permintaan sudah diperiksa" in await resp.text()


async def test_document_images_need_the_session_key_and_are_audited(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    image = jpeg((10, 200, 30))
    seeded = await seed_registration(core, images={"ktp": image})
    async with client_for(core) as client, client_for(core) as other:
        await login(client, "siti")
        await login(other, "siti")
        html = await (await client.get(f"/console/registrations/{seeded.id}")).text()
        src = re.search(r'<img id="img-ktp" src="([^"]+)"', html)
        assert src is not None
        url = src.group(1).replace("&amp;", "&")
        resp = await client.get(url)
        assert resp.status == 200 and await resp.read() == image
        assert resp.headers["Content-Type"] == "image/jpeg"
        assert "no-store" in resp.headers["Cache-Control"]
        guessed = f"/console/registrations/{seeded.id}/documents/ktp"
        assert (await client.get(guessed)).status == 404
        assert (await client.get(guessed + "?k=" + "0" * 32)).status == 404
        assert (await other.get(url)).status == 404  # another session's key
        assert "Foto tidak tersedia" in html
        cookie = client.session.cookie_jar.filter_cookies(client.make_url("/console/"))
        selfie_key = document_key(core.keys, cookie["tlive_console"].value, seeded.id, "selfie")
        missing = await client.get(
            f"/console/registrations/{seeded.id}/documents/selfie?k={selfie_key}"
        )
        assert missing.status == 404
    assert await _audit_count(core, "document.viewed") == 1


async def test_a_skipped_request_does_not_come_back_after_the_next_decision(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    first, second, third = await seed_queue(core, 3)
    async with client_for(core) as client:
        await login(client, "siti")
        start = await client.get("/console/queue/next")
        assert str(start.url).endswith(f"/console/registrations/{first.id}")
        csrf = await page_csrf(client)
        # N: skip the first; A+Enter on the second; then the third, not the skipped first.
        skipped = await client.post(f"/console/registrations/{first.id}/skip", data={"csrf": csrf})
        assert str(skipped.url).endswith(f"/console/registrations/{second.id}")
        queue = await (await client.get("/console/queue")).text()
        row = queue[queue.index(f'data-reference="{first.reference}"') :].split("</tr>")[0]
        assert "Dilewati" in row and queue.count("Dilewati") == 1
        decided = await client.post(f"/console/registrations/{second.id}/decision",
                                    data={"csrf": csrf, "decision": "approve"})  # fmt: skip
        assert str(decided.url).endswith(f"/console/registrations/{third.id}")
        decided = await client.post(f"/console/registrations/{third.id}/decision",
                                    data={"csrf": csrf, "decision": "approve"})  # fmt: skip
        # Nothing else waits: the skipped one is offered again rather than "all done".
        assert str(decided.url).endswith(f"/console/registrations/{first.id}")
    assert await _audit_count(core, "registration.skipped") == 1


async def test_signing_out_releases_her_requests_to_the_others_at_once(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    await add_user(core, "budi", "verifier")
    [only] = await seed_queue(core, 1)
    async with client_for(core) as siti, client_for(core) as budi:
        await login(siti, "siti")
        await login(budi, "budi")
        await siti.get("/console/queue/next")
        held = await budi.get("/console/queue/next", allow_redirects=False)
        assert held.headers["Location"] == "/console/queue"  # "Semua permintaan sudah diperiksa"
        out = await siti.post("/console/logout", data={"csrf": await page_csrf(siti)})
        assert out.status == 200 and "/console/login" in str(out.url)
        freed = await budi.get("/console/queue/next", allow_redirects=False)
        assert freed.headers["Location"] == f"/console/registrations/{only.id}"
    assert await _audit_count(core, "registration.released") == 1


async def test_deactivating_a_verifier_releases_her_requests(core: Core) -> None:
    await add_user(core, "admin", "admin")
    await add_user(core, "siti", "verifier")
    await add_user(core, "budi", "verifier")
    [only] = await seed_queue(core, 1)
    async with client_for(core) as admin, client_for(core) as siti, client_for(core) as budi:
        await login(siti, "siti")
        await siti.get("/console/queue/next")
        await login(admin, "admin")
        user = await core.account_cases.find_user("siti")
        assert user is not None
        await admin.post(f"/console/users/{user.id}/active",
                         data={"csrf": await page_csrf(admin), "active": "0"})  # fmt: skip
        await login(budi, "budi")
        freed = await budi.get("/console/queue/next", allow_redirects=False)
        assert freed.headers["Location"] == f"/console/registrations/{only.id}"
    assert await _audit_count(core, "registration.released") == 1
