"""Working as a team: case notes, a supervisor reopening a decision, who decided what in the
Rekapitulasi (page, XLSX, CSV for Indonesian Excel) and the audit log's filters and export."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from bot.core import Core
from bot.domain.days import today_wib
from bot.services.accounts import Actor, Role
from bot.storage.models import AuditEntry, Registration, ReviewNote
from bot.storage.types import utcnow
from tests.console.support import add_user, client_for, login, page_csrf, seed_registration

ADMIN = Actor(type="user", id="1", name="kepala", role=Role.ADMIN)


async def _audit(core: Core, action: str) -> list[AuditEntry]:
    async with core.uow() as uow:
        stmt = select(AuditEntry).where(AuditEntry.action == action)
        return list((await uow.session.execute(stmt)).scalars())


async def _registration(core: Core, registration_id: int) -> Registration:
    async with core.uow() as uow:
        reg = await uow.registrations.get(registration_id)
        assert reg is not None
        return reg


async def test_case_notes_are_kept_encrypted_shown_to_staff_and_audited_without_text(
    any_core: Core,
) -> None:
    seeded = await seed_registration(any_core)
    await add_user(any_core, "siti", "verifier")
    async with client_for(any_core) as client:
        await login(client, "siti")
        csrf = await page_csrf(client)
        url = f"/console/registrations/{seeded.id}/notes"
        empty = await client.post(url, data={"csrf": csrf, "note": "   "})
        assert "Catatan masih kosong" in await empty.text()
        done = await client.post(url, data={"csrf": csrf, "note": "KTP buram di pojok, cek NIK"})
        page = await done.text()
        assert done.status == 200 and "Catatan disimpan" in page
        assert 'id="notes-list"' in page and "KTP buram di pojok, cek NIK" in page
        assert 'id="reopen-form"' not in page  # waiting, and a verifier is no supervisor
        long = await client.post(url, data={"csrf": csrf, "note": "x" * 1001})
        assert "terlalu panjang" in await long.text()
        citizen = await client.get(f"/webchat/api/sessions/{seeded.chat_id}/messages")
        assert (await citizen.json())["replies"] == []  # never sent to the citizen
    async with any_core.uow() as uow:
        [note] = (await uow.session.execute(select(ReviewNote))).scalars().all()
        assert b"KTP buram" not in note.body_enc and note.author_name == "siti"
    [entry] = await _audit(any_core, "registration.noted")
    assert entry.target_id == seeded.reference and "KTP" not in str(entry.details)


async def test_an_admin_reopens_a_decision_within_the_window_and_the_citizen_is_told(
    any_core: Core,
) -> None:
    seeded = await seed_registration(any_core)
    await add_user(any_core, "kepala", "admin")
    await add_user(any_core, "siti", "verifier")
    siti = Actor(type="user", id="2", name="siti", role=Role.VERIFIER)
    await any_core.review_cases.decide(siti, seeded.id, approve=False, reason="ktp_blurry",
                                       note=None, ip=None)  # fmt: skip
    async with client_for(any_core) as client:
        await login(client, "siti")
        csrf = await page_csrf(client)
        refused = await client.post(f"/console/registrations/{seeded.id}/reopen",
                                    data={"csrf": csrf, "reason": "salah"})  # fmt: skip
        assert refused.status == 403
    async with client_for(any_core) as client:
        await login(client, "kepala")
        page = await (await client.get(f"/console/registrations/{seeded.id}")).text()
        assert 'id="reopen-form"' in page
        csrf = await page_csrf(client)
        url = f"/console/registrations/{seeded.id}/reopen"
        blank = await client.post(url, data={"csrf": csrf, "reason": " "})
        assert "Tulis alasan" in await blank.text()
        done = await client.post(url, data={"csrf": csrf, "reason": "Foto KTP ternyata jelas"})
        text = await done.text()
        assert "dibuka kembali" in text and 'id="reopened-info"' in text
        assert "Foto KTP ternyata jelas" in text  # the reason is a case note
        again = await client.post(url, data={"csrf": csrf, "reason": "lagi"})
        assert "belum diputuskan" in await again.text()
        history = await client.get(f"/webchat/api/sessions/{seeded.chat_id}/messages")
        replies = [r["text"] for r in (await history.json())["replies"]]
        assert len(replies) == 2 and "kami tinjau ulang" in replies[1]
    reg = await _registration(any_core, seeded.id)
    assert (reg.status, reg.decided_at, reg.decided_by, reg.reject_reason) == (
        "submitted", None, None, None,
    )  # fmt: skip
    assert reg.flags["reopened"]["from"] == "rejected"
    [entry] = await _audit(any_core, "registration.reopened")
    assert entry.actor_name == "kepala" and entry.details["from"] == "rejected"
    assert entry.details["decided_by"] == "user:2" and entry.details["notified"] is True


async def test_a_decision_older_than_the_window_stays(any_core: Core) -> None:
    seeded = await seed_registration(
        any_core, status="approved", decided_at=utcnow() - timedelta(hours=25),
        submitted_at=utcnow() - timedelta(hours=30),
    )  # fmt: skip
    await add_user(any_core, "kepala", "admin")
    async with client_for(any_core) as client:
        await login(client, "kepala")
        page = await (await client.get(f"/console/registrations/{seeded.id}")).text()
        assert 'id="reopen-form"' not in page
        csrf = await page_csrf(client)
        late = await client.post(f"/console/registrations/{seeded.id}/reopen",
                                 data={"csrf": csrf, "reason": "terlambat"})  # fmt: skip
        assert "sudah lewat" in await late.text()
    assert (await _registration(any_core, seeded.id)).status == "approved"


async def test_rekapitulasi_shows_who_decided_every_kecamatan_and_a_csv_for_indonesian_excel(
    any_core: Core,
) -> None:
    await add_user(any_core, "siti", "verifier")
    await add_user(any_core, "budi", "verifier")
    siti = Actor(type="user", id="1", name="siti", role=Role.VERIFIER)
    budi = Actor(type="user", id="2", name="budi", role=Role.VERIFIER)
    sent = utcnow() - timedelta(hours=3, minutes=30)
    regs = [await seed_registration(any_core, submitted_at=sent) for _ in range(3)]
    await any_core.review_cases.decide(siti, regs[0].id, approve=True, reason=None, note=None,
                                       ip=None)  # fmt: skip
    await any_core.review_cases.decide(siti, regs[1].id, approve=False, reason="ktp_blurry",
                                       note=None, ip=None)  # fmt: skip
    await any_core.review_cases.decide(budi, regs[2].id, approve=True, reason=None, note=None,
                                       ip=None)  # fmt: skip
    today = today_wib(utcnow())
    query = f"from={(today - timedelta(days=1)).isoformat()}&to={today.isoformat()}"
    async with client_for(any_core) as client:
        await login(client, "siti")
        page = await (await client.get(f"/console/reports?{query}")).text()
        table = page[page.index('id="table-decider"') :]
        table = table[: table.index("</table>")]
        assert '<th scope="row">siti</th><td>2</td><td>1</td><td>1</td>' in table
        assert '<th scope="row">budi</th><td>1</td><td>1</td><td>0</td>' in table
        kecamatan = page[page.index('id="table-kecamatan"') :]
        assert '<th scope="row">Neglasari</th><td>0</td>' in kecamatan  # no request: listed
        book = load_workbook(io.BytesIO(await (await client.get(
            f"/console/reports/export.xlsx?{query}")).read()), read_only=True)  # fmt: skip
        rows = list(book["Daftar permintaan"].iter_rows(values_only=True))
        assert rows[0][-1] == "Diputuskan oleh"
        assert sorted(r[-1] for r in rows[1:]) == ["budi", "siti", "siti"]
        deciders = list(book["Per petugas verifikasi"].iter_rows(values_only=True))
        assert deciders[0][:2] == ("Petugas", "Diputuskan") and len(deciders) == 3
        raw = await (await client.get(f"/console/reports/export.csv?{query}")).read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert all(len(row) == 9 for row in rows)  # every line splits into the same columns on ;
    by_key = {(r[0], r[1]): r[2:] for r in rows[1:]}
    median = by_key[("total", "Total")][4]
    assert median == "3,5"  # a decimal comma
    assert by_key[("decider", "siti")][:4] == ["2", "1", "1", ""]
    assert by_key[("kecamatan", "Neglasari")][0] == "0"


async def test_the_audit_log_filters_by_reference_user_and_action_and_exports_them(
    any_core: Core,
) -> None:
    first = await seed_registration(any_core)
    second = await seed_registration(any_core)
    await add_user(any_core, "kepala", "admin")
    siti = Actor(type="user", id="9", name="siti", role=Role.VERIFIER)
    await any_core.review_cases.decide(siti, first.id, approve=True, reason=None, note=None,
                                       ip=None)  # fmt: skip
    await any_core.review_cases.decide(ADMIN, second.id, approve=True, reason=None, note=None,
                                       ip=None)  # fmt: skip
    async with client_for(any_core) as client:
        await login(client, "kepala")

        async def actions(query: str) -> list[tuple[str, str]]:
            html = await (await client.get(f"/console/audit?{query}")).text()
            body = html[html.index('id="audit-table"') :]
            refs = [line for line in body.split("<tr ")[1:]]
            return [(r.split('data-action="')[1].split('"')[0], r) for r in refs]

        by_ref = await actions(f"reference={first.reference.lower()}")
        assert [a for a, _ in by_ref] == ["registration.approved"]
        assert first.reference in by_ref[0][1]
        by_user = await actions("actor=siti&action=registration.approved")
        assert len(by_user) == 1 and first.reference in by_user[0][1]
        assert await actions(f"reference={second.reference}&actor=siti") == []
        export = await client.get(f"/console/audit/export.csv?reference={first.reference}")
        assert export.status == 200 and "attachment" in export.headers["Content-Disposition"]
        text = (await export.read()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["Waktu (WIB)", "Pelaku"]
    assert [r[3] for r in rows[1:]] == ["registration.approved"]
    assert rows[1][4] == first.reference
    date.fromisoformat(rows[1][0][:10])
    [entry] = await _audit(any_core, "audit.exported")
    assert entry.actor_name == "kepala" and entry.details["reference"] == first.reference


async def test_api_reads_and_adds_notes_and_an_admin_token_reopens(any_core: Core) -> None:
    from tests.console.support import add_token

    seeded = await seed_registration(any_core)
    verifier = {"Authorization": f"Bearer {await add_token(any_core, 'verifier', 'dukcapil')}"}
    admin = {"Authorization": f"Bearer {await add_token(any_core, 'admin', 'kepala')}"}
    notes_url = f"/api/v1/registrations/{seeded.id}/notes"
    reopen_url = f"/api/v1/registrations/{seeded.id}/reopen"
    async with client_for(any_core) as client:
        added = await client.post(notes_url, json={"note": "Cek ulang NIK"}, headers=verifier)
        assert added.status == 201 and (await added.json())["author_name"] == "dukcapil"
        for bad in ({"note": ""}, {"note": "x" * 1001}, {}):
            refused = await client.post(notes_url, json=bad, headers=verifier)
            assert refused.status == 422, bad
        listed = await (await client.get(notes_url, headers=verifier)).json()
        assert [n["body"] for n in listed["items"]] == ["Cek ulang NIK"]
        early = await client.post(reopen_url, json={"reason": "salah"}, headers=admin)
        assert early.status == 409 and (await early.json())["error"] == "not_decided"
        decided = await client.post(f"/api/v1/registrations/{seeded.id}/decision",
                                    json={"decision": "approve"}, headers=verifier)  # fmt: skip
        assert decided.status == 200
        forbidden = await client.post(reopen_url, json={"reason": "salah"}, headers=verifier)
        assert forbidden.status == 403
        reopened = await client.post(reopen_url, json={"reason": "NIK salah ketik"},
                                     headers=admin)  # fmt: skip
        body = await reopened.json()
        assert reopened.status == 200 and body["status"] == "submitted"
        assert body["flags"]["reopened"]["from"] == "approved"
        assert body["nik_masked"] == "3671••••••••0001" and body["decided_at"] is None
        listed = await (await client.get(notes_url, headers=admin)).json()
        assert [n["body"] for n in listed["items"]] == ["Cek ulang NIK", "NIK salah ketik"]
    assert len(await _audit(any_core, "registration.notes_viewed")) == 2
