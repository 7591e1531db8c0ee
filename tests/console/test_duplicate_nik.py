"""The same NIK in two requests: flagged on submit, linked on the review page, approved only
over an explicit override with a note (console and API)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.core import Core, build_core
from bot.services.accounts import Actor, Role
from bot.storage.models import AuditEntry, Registration
from tests.console.support import (
    NIK,
    Seeded,
    add_token,
    add_user,
    client_for,
    login,
    page_csrf,
    seed_registration,
)

SITI = Actor(type="user", id="1", name="siti", role=Role.VERIFIER)


async def _submit(core: Core, *, nik: str = NIK, name: str = "SITI AMINAH") -> Seeded:
    """Store a complete draft from its own chat and send it as the dialog's "Kirim" does."""
    seeded = await seed_registration(core, status="draft", nik=nik, full_name=name)
    async with core.uow() as uow:
        reg = await uow.registrations.get(seeded.id)
        assert reg is not None
        await core.services.registrations.submit(uow, reg)
        await uow.commit()
    return seeded


async def _flags(core: Core, registration_id: int) -> dict[str, object]:
    async with core.uow() as uow:
        reg = await uow.registrations.get(registration_id)
        assert reg is not None
        return dict(reg.flags or {})


async def _status(core: Core, registration_id: int) -> str:
    async with core.uow() as uow:
        stmt = select(Registration.status).where(Registration.id == registration_id)
        return str(await uow.session.scalar(stmt))


async def test_the_same_nik_from_two_chats_flags_both_and_different_niks_flag_none(
    any_core: Core,
) -> None:
    first = await _submit(any_core, name="SITI AMINAH")
    other = await _submit(any_core, nik="3671015708750003", name="RINA")
    assert "duplicate_nik" not in await _flags(any_core, first.id)
    second = await _submit(any_core, name="SITI AMINAH BINTI X")  # same NIK, another chat
    assert (await _flags(any_core, second.id))["duplicate_nik"] is True
    assert (await _flags(any_core, first.id))["duplicate_nik"] is True  # the earlier one too
    assert "duplicate_nik" not in await _flags(any_core, other.id)


async def test_the_same_nik_sent_from_two_chats_at_the_same_moment_flags_both(
    any_core: Core,
) -> None:
    drafts = [
        await seed_registration(any_core, status="draft", full_name=name)
        for name in ("SITI AMINAH", "SITI A.")
    ]
    # A second worker process on PostgreSQL; SQLite is served by one.
    other = any_core if any_core.db.is_sqlite else build_core(any_core.settings, ocr=False)

    async def send(core: Core, registration_id: int) -> None:
        async with core.uow() as uow:
            reg = await uow.registrations.get(registration_id, lock=True)
            assert reg is not None
            await core.services.registrations.submit(uow, reg)
            await asyncio.sleep(0.05)  # both are inside their transaction at once
            await uow.commit()

    try:
        await asyncio.gather(send(any_core, drafts[0].id), send(other, drafts[1].id))
    finally:
        if other is not any_core:
            await other.db.dispose()
    for draft in drafts:
        assert (await _flags(any_core, draft.id)).get("duplicate_nik") is True


async def test_an_approved_request_with_the_same_nik_flags_a_new_one(any_core: Core) -> None:
    first = await _submit(any_core)
    await any_core.review_cases.decide(SITI, first.id, approve=True, reason=None, note=None,
                                       ip=None)  # fmt: skip
    again = await _submit(any_core, name="ORANG LAIN")
    assert (await _flags(any_core, again.id))["duplicate_nik"] is True


async def test_console_links_the_other_request_and_approving_needs_an_override_with_a_note(
    any_core: Core,
) -> None:
    await add_user(any_core, "siti", "verifier")
    first = await _submit(any_core)
    second = await _submit(any_core, name="SITI AMINAH BINTI X")
    async with client_for(any_core) as client:
        await login(client, "siti")
        page = await (await client.get(f"/console/registrations/{second.id}")).text()
        assert 'id="duplicate-nik"' in page
        assert f'<a href="/console/registrations/{first.id}">{first.reference}</a>' in page
        assert 'name="override_duplicate"' in page
        queue = await (await client.get("/console/queue")).text()
        assert queue.count("NIK ganda") == 2
        csrf = await page_csrf(client)
        url = f"/console/registrations/{second.id}/decision"
        plain = await client.post(url, data={"csrf": csrf, "decision": "approve"})
        assert str(plain.url).endswith(f"/console/registrations/{second.id}")
        assert "NIK ini ada di permintaan lain" in await plain.text()
        assert await _status(any_core, second.id) == "submitted"
        bare = await client.post(url, data={
            "csrf": csrf, "decision": "approve", "override_duplicate": "1", "override_note": " ",
        })  # fmt: skip
        assert "Tulis alasan menyetujui walau NIK ganda" in await bare.text()
        assert await _status(any_core, second.id) == "submitted"
        done = await client.post(url, data={
            "csrf": csrf, "decision": "approve", "override_duplicate": "1",
            "override_note": "Dicek: permintaan pertama dikirim dua kali oleh warga yang sama.",
        })  # fmt: skip
        assert done.status == 200
        assert await _status(any_core, second.id) == "approved"
        decided = await (await client.get(f"/console/registrations/{second.id}")).text()
        assert "Disetujui walau NIK ganda" in decided and "dikirim dua kali" in decided
    async with any_core.uow() as uow:
        stmt = select(AuditEntry.details).where(AuditEntry.action == "registration.approved")
        [details] = (await uow.session.execute(stmt)).scalars()
    assert details["duplicate_override"] is True
    assert (await _flags(any_core, second.id))["duplicate_override"] is True


async def test_rejecting_a_duplicate_needs_no_override(any_core: Core) -> None:
    await add_user(any_core, "siti", "verifier")
    await _submit(any_core)
    second = await _submit(any_core, name="ORANG LAIN")
    async with client_for(any_core) as client:
        await login(client, "siti")
        await client.get(f"/console/registrations/{second.id}")
        await client.post(f"/console/registrations/{second.id}/decision", data={
            "csrf": await page_csrf(client), "decision": "reject", "reason": "data_mismatch",
        })  # fmt: skip
    assert await _status(any_core, second.id) == "rejected"


async def test_api_refuses_approving_a_duplicate_without_the_override(any_core: Core) -> None:
    token = await add_token(any_core, "verifier")
    first = await _submit(any_core)
    second = await _submit(any_core, name="ORANG LAIN")
    headers = {"Authorization": f"Bearer {token}"}
    async with client_for(any_core) as client:
        detail = await (await client.get(f"/api/v1/registrations/{second.id}",
                                         headers=headers)).json()  # fmt: skip
        assert detail["flags"]["duplicate_nik"] is True
        assert [o["reference"] for o in detail["same_nik"]] == [first.reference]
        url = f"/api/v1/registrations/{second.id}/decision"
        refused = await client.post(url, headers=headers, json={"decision": "approve"})
        body = await refused.json()
        assert refused.status == 409 and body["error"] == "duplicate_nik"
        assert body["others"] == [first.reference]
        no_note = await client.post(
            url, headers=headers, json={"decision": "approve", "override_duplicate": True}
        )
        assert no_note.status == 422
        assert (await no_note.json())["error"] == "override_note_required"
        ok = await client.post(url, headers=headers, json={
            "decision": "approve", "override_duplicate": True, "note": "Pemohon sama, dicek.",
        })  # fmt: skip
        assert ok.status == 200 and (await ok.json())["status"] == "approved"
        # The first one now has an approved twin: approving it needs the override too.
        twin = await client.post(f"/api/v1/registrations/{first.id}/decision", headers=headers,
                                 json={"decision": "approve"})  # fmt: skip
        assert twin.status == 409
