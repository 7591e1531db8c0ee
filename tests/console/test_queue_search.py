"""Find and sort: search by reference, NIK, phone or name (console and API, any status),
filters by flag, channel, kecamatan and deadline, amber/red rows with text, home tiles that
open the filtered queue, and the peak-mode banner for supervisors."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.core import Core
from bot.storage.types import utcnow
from tests.console.support import Seeded, add_token, add_user, client_for, login, seed_registration

OTHER_NIK = "3671015708750003"


async def _seed(core: Core) -> dict[str, Seeded]:
    now = utcnow()
    seeded = {
        "overdue": await seed_registration(core, submitted_at=now - timedelta(hours=30),
                                           full_name="BUDI SANTOSO", kecamatan="Karawaci"),
        "soon": await seed_registration(core, submitted_at=now - timedelta(hours=21),
                                        full_name="Siti  Aminah", channel="telegram",
                                        flags={"shared_phone": 6}),
        "fresh": await seed_registration(core, submitted_at=now - timedelta(hours=1),
                                         full_name="RINA WATI", nik=OTHER_NIK),
        "approved": await seed_registration(core, status="approved", decided_at=now,
                                            full_name="AHMAD FAUZI",
                                            submitted_at=now - timedelta(hours=2)),
    }  # fmt: skip
    async with core.uow() as uow:  # the fresh one gave another phone number
        reg = await uow.registrations.get(seeded["fresh"].id)
        assert reg is not None
        uow.registrations.write_data(reg, {**uow.registrations.read_data(reg),
                                           "phone": "+6285700001111"})  # fmt: skip
        await uow.commit()
    return seeded


def _references(html: str) -> set[str]:
    return set(re.findall(r'data-reference="([^"]+)"', html))


async def test_console_search_and_filters_find_the_right_requests(any_core: Core) -> None:
    seeded = await _seed(any_core)
    ref = {key: s.reference for key, s in seeded.items()}
    await add_user(any_core, "siti", "verifier")
    async with client_for(any_core) as client:
        await login(client, "siti")

        async def found(query: str) -> set[str]:
            resp = await client.get(f"/console/queue?{query}")
            assert resp.status == 200, query
            return _references(await resp.text())

        # A reference, typed loosely, finds a decided request too (search looks at every status).
        assert await found(f"q={ref['approved'].lower()}") == {ref["approved"]}
        assert await found(f"q={ref['approved'][3:]}") == {ref["approved"]}
        assert await found("q=siti+aminah") == {ref["soon"]}  # spaces and case ignored
        assert await found("q=RINA+WATI&status=submitted") == {ref["fresh"]}
        assert await found("q=RINA+WATI&status=approved") == set()
        assert await found(f"q={OTHER_NIK}") == {ref["fresh"]}
        assert await found("q=0857-0000-1111") == {ref["fresh"]}
        assert await found("q=081234567890") == {ref["overdue"], ref["soon"], ref["approved"]}
        assert await found("q=siti") == set()  # a name is found whole only
        page = await (await client.get("/console/queue?q=12345")).text()
        assert 'id="search-help"' in page and 'value="12345"' in page
        # Filters: deadline, flag, channel, kecamatan.
        assert await found("due=overdue") == {ref["overdue"]}
        assert await found("due=soon") == {ref["soon"]}
        assert await found("flag=shared_phone") == {ref["soon"]}
        assert await found("flag=fraud") == {ref["soon"]}
        assert await found("channel=telegram") == {ref["soon"]}
        assert await found("kecamatan=Karawaci") == {ref["overdue"]}
        assert await found("flag=bogus&due=never&status=x") == {
            ref["overdue"],
            ref["soon"],
            ref["fresh"],
        }  # unknown values are ignored, not an error
        # Red when overdue, amber when due within 4 hours, each with words, not colour alone.
        html = await (await client.get("/console/queue")).text()
        row = {r: html[html.index(f'data-reference="{r}"') - 60:] for r in ref.values()
               if f'data-reference="{r}"' in html}  # fmt: skip
        assert 'class="overdue"' in row[ref["overdue"]][:80]
        assert "lewat batas" in row[ref["overdue"]][:900]
        assert 'class="due-soon"' in row[ref["soon"]][:80]
        assert "segera: sisa" in row[ref["soon"]][:900]
        assert 'class=""' in row[ref["fresh"]][:80]
        # Home tiles open the filtered queue.
        home = await (await client.get("/console/")).text()
        for href in ("/console/queue?due=overdue", "/console/queue?due=soon",
                     "/console/queue?flag=fraud", "/console/queue?status=submitted"):  # fmt: skip
            assert f'href="{href}"' in home, href
        assert 'id="peak-banner"' not in home  # a verifier is not the supervisor


async def test_home_counts_split_the_waiting_requests_by_deadline_and_fraud_hint(
    any_core: Core,
) -> None:
    await _seed(any_core)  # waiting: overdue, soon (shared_phone), fresh; approved today
    now = utcnow()
    # Not counted as flagged: a decided request's hint, a flag that is not a fraud hint, and
    # a hint stored unraised (zero, an empty list).
    await seed_registration(any_core, status="rejected", decided_at=now - timedelta(days=2),
                            reject_reason="other", submitted_at=now - timedelta(days=3),
                            flags={"same_ktp_photo": ["TL-ABCDEF"]})  # fmt: skip
    await seed_registration(any_core, submitted_at=now - timedelta(hours=3),
                            flags={"nik_outside_city": True, "shared_phone": 0,
                                   "same_selfie_photo": []})  # fmt: skip
    await seed_registration(any_core, submitted_at=now - timedelta(hours=23),
                            flags={"same_selfie_photo": ["TL-ABCDEF"]})  # fmt: skip
    assert await any_core.review_cases.counts(now) == {
        "waiting": 5, "overdue": 1, "due_soon": 2, "flagged": 2,
        "approved_today": 1, "rejected_today": 0,
    }  # fmt: skip


async def test_api_searches_with_any_status_and_refuses_bad_filters(any_core: Core) -> None:
    seeded = await _seed(any_core)
    token = await add_token(any_core, "verifier")
    auth = {"Authorization": f"Bearer {token}"}
    async with client_for(any_core) as client:

        async def found(query: str) -> set[str]:
            resp = await client.get(f"/api/v1/registrations?{query}", headers=auth)
            assert resp.status == 200, (query, await resp.text())
            return {item["reference"] for item in (await resp.json())["items"]}

        assert await found(f"q={seeded['approved'].reference}") == {seeded["approved"].reference}
        assert await found("q=ahmad+fauzi&status=all") == {seeded["approved"].reference}
        assert await found("q=ahmad+fauzi&status=submitted") == set()
        assert await found(f"q={OTHER_NIK}&status=submitted") == {seeded["fresh"].reference}
        assert await found("due=overdue") == {seeded["overdue"].reference}
        assert await found("flag=shared_phone&channel=telegram") == {seeded["soon"].reference}
        for query in ("flag=nope", "due=later", "q=" + "x" * 200):
            bad = await client.get(f"/api/v1/registrations?{query}", headers=auth)
            assert bad.status == 400, query
            assert (await bad.json())["error"].startswith("invalid_")
        spec = await (await client.get("/api/v1/openapi.json")).json()
        names = {p["name"] for p in spec["paths"]["/registrations"]["get"]["parameters"]}
        assert {"q", "flag", "due", "status"} <= names


async def test_peak_mode_warns_admins_and_tells_the_citizen_honestly(any_core: Core) -> None:
    now = utcnow()
    # Three requests with half an hour left, and one decision in the last three hours: at
    # that pace the first would be decided in three hours, too late.
    waiting = [
        await seed_registration(any_core, submitted_at=now - timedelta(hours=23, minutes=30))
        for _ in range(3)
    ]
    await seed_registration(any_core, status="approved", decided_at=now - timedelta(hours=1),
                            submitted_at=now - timedelta(hours=5))  # fmt: skip
    await add_user(any_core, "kepala", "admin")
    await add_user(any_core, "siti", "verifier")
    async with client_for(any_core) as client:
        await login(client, "kepala")
        for path in ("/console/", "/console/queue"):
            html = await (await client.get(path)).text()
            assert 'id="peak-banner"' in html, path
            assert "3 permintaan menunggu" in html and "0,3 keputusan per jam" in html
        chat = await client.post(f"/webchat/api/sessions/{waiting[0].chat_id}/messages",
                                 json={"text": "cek status"})  # fmt: skip
        text = " ".join(r["text"] for r in (await chat.json())["replies"])
        assert waiting[0].reference in text
        assert "kemungkinan selesai lebih lama" in text
    async with client_for(any_core) as client:
        await login(client, "siti")
        assert 'id="peak-banner"' not in await (await client.get("/console/queue")).text()


async def test_a_calm_queue_tells_the_citizen_nothing_about_peaks(any_core: Core) -> None:
    now = utcnow()
    seeded = await seed_registration(any_core, submitted_at=now - timedelta(hours=2))
    await seed_registration(any_core, status="approved", decided_at=now - timedelta(hours=1),
                            submitted_at=now - timedelta(hours=5))  # fmt: skip
    async with client_for(any_core) as client:
        chat = await client.post(f"/webchat/api/sessions/{seeded.chat_id}/messages",
                                 json={"text": "cek status"})  # fmt: skip
        text = " ".join(r["text"] for r in (await chat.json())["replies"])
        assert seeded.reference in text and "lebih lama" not in text
