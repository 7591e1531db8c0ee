"""``/api/v1/faq``: reading for every role, create/replace/delete for admins, versions,
validation (422 with a message), conflicts (409), audit, and the bot following at once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.core import Core
from bot.storage.models import AuditEntry, FaqVersion
from tests.console.support import add_token, client_for

ENTRY: dict[str, Any] = {
    "category": "pendaftaran",
    "question": "Bisa daftar pakai paspor?",
    "paraphrases": ["daftar pake paspor bisa ga", "paspor boleh buat daftar akun"],
    "answer": "Belum bisa. Pendaftaran memakai KTP-el atau resi KTP-el dari Disdukcapil.",
}


def _auth(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


async def test_every_role_reads_and_filters(core: Core) -> None:
    agent = _auth(await add_token(core, "agent"))
    async with client_for(core) as client:
        listed = await (await client.get("/api/v1/faq", headers=agent)).json()
        assert listed["total"] == 34 == len(listed["items"])
        first = listed["items"][0]
        assert set(first) == {
            "id", "category", "question", "paraphrases", "answer", "published", "version",
            "updated_at", "updated_by",
        }  # fmt: skip
        assert first["version"] == 1 and first["updated_by"] == "system"
        found = await (await client.get("/api/v1/faq?q=ktp+sy+ilang", headers=agent)).json()
        assert "ktp-hilang" in [i["id"] for i in found["items"]]
        privacy = await (await client.get("/api/v1/faq?category=privasi", headers=agent)).json()
        assert privacy["total"] == 3 and {i["category"] for i in privacy["items"]} == {"privasi"}
        drafts = await (await client.get("/api/v1/faq?published=false", headers=agent)).json()
        assert drafts == {"items": [], "total": 0}
        bad = await client.get("/api/v1/faq?published=ya", headers=agent)
        assert bad.status == 400 and (await bad.json())["error"] == "invalid_query"
        one = await client.get("/api/v1/faq/biaya", headers=agent)
        assert one.status == 200 and (await one.json())["id"] == "biaya"
        missing = await client.get("/api/v1/faq/tidak-ada", headers=agent)
        assert missing.status == 404 and await missing.json() == {"error": "not_found"}
        denied = await client.put("/api/v1/faq/biaya", json=ENTRY, headers=agent)
        assert denied.status == 403


async def test_put_creates_replaces_and_the_bot_follows(core: Core) -> None:
    admin = _auth(await add_token(core, "admin", "cms-kota"))
    assert core.services.faq.ask("daftar pake paspor bisa ga").faq_id is None
    async with client_for(core) as client:
        created = await client.put("/api/v1/faq/daftar-paspor", json=ENTRY, headers=admin)
        body = await created.json()
        assert created.status == 201
        assert (body["id"], body["version"], body["published"], body["updated_by"]) == (
            "daftar-paspor", 1, True, "cms-kota",
        )  # fmt: skip
        assert core.services.faq.ask("daftar pake paspor bisa ga").faq_id == "daftar-paspor"

        changed = {**ENTRY, "answer": "Belum bisa, maaf.", "version": 1}
        replaced = await client.put("/api/v1/faq/daftar-paspor", json=changed, headers=admin)
        assert replaced.status == 200 and (await replaced.json())["version"] == 2
        same = await client.put("/api/v1/faq/daftar-paspor", json=changed | {"version": 2},
                                headers=admin)  # fmt: skip
        assert same.status == 200 and (await same.json())["version"] == 2
        stale = await client.put("/api/v1/faq/daftar-paspor", json=changed, headers=admin)
        conflict = await stale.json()
        assert stale.status == 409
        assert (conflict["error"], conflict["version"]) == ("version_conflict", 2)
        assert "versi 2" in conflict["message"]

        hidden = await client.put("/api/v1/faq/daftar-paspor", json={**ENTRY, "published": False},
                                  headers=admin)  # fmt: skip
        assert (await hidden.json())["published"] is False
        assert core.services.faq.ask("daftar pake paspor bisa ga").faq_id is None
    async with core.uow() as uow:
        versions = await uow.session.execute(
            select(FaqVersion.version, FaqVersion.action, FaqVersion.by)
            .where(FaqVersion.faq_id == "daftar-paspor")
            .order_by(FaqVersion.id)
        )
        assert [tuple(v) for v in versions] == [
            (1, "create", "cms-kota"), (2, "edit", "cms-kota"), (3, "edit", "cms-kota"),
        ]  # fmt: skip
        audit = await uow.session.execute(
            select(AuditEntry.action, AuditEntry.actor_type, AuditEntry.actor_name)
            .where(AuditEntry.target_type == "faq")
            .order_by(AuditEntry.id)
        )
        assert [tuple(a) for a in audit] == [
            ("faq.created", "token", "cms-kota"), ("faq.updated", "token", "cms-kota"),
            ("faq.updated", "token", "cms-kota"),
        ]  # fmt: skip


async def test_validation_answers_422_with_field_and_message(core: Core) -> None:
    admin = _auth(await add_token(core, "admin"))
    cases: list[tuple[str, Any, int, str, str | None]] = [
        ("daftar-paspor", {**ENTRY, "answer": "  "}, 422, "answer_empty", "answer"),
        ("daftar-paspor", {**ENTRY, "question": "x" * 400}, 422, "question_long", "question"),
        ("Daftar Paspor", ENTRY, 422, "id_invalid", "id"),
        ("new", ENTRY, 422, "id_invalid", "id"),
        ("daftar-paspor", {**ENTRY, "category": ""}, 422, "category_invalid", "category"),
        ("daftar-paspor", {**ENTRY, "paraphrases": "satu"}, 422, "paraphrases_invalid",
         "paraphrases"),
        ("daftar-paspor", {**ENTRY, "published": "ya"}, 422, "published_invalid", "published"),
        ("daftar-paspor", {**ENTRY, "jawaban": "x"}, 422, "unknown_field", "jawaban"),
        ("daftar-paspor", {**ENTRY, "id": "lain"}, 422, "id_mismatch", "id"),
        ("biaya", {**ENTRY, "version": "1"}, 422, "version_invalid", "version"),
    ]  # fmt: skip
    async with client_for(core) as client:
        for faq_id, body, status, error, field in cases:
            resp = await client.put(f"/api/v1/faq/{faq_id}", json=body, headers=admin)
            answer = await resp.json()
            assert resp.status == status, (faq_id, body, answer)
            assert (answer["error"], answer.get("field")) == (error, field)
            assert answer["message"] and "{" not in answer["message"]
        long_question = {**ENTRY, "question": "x" * 400}
        too_long = await client.put("/api/v1/faq/daftar-paspor", json=long_question, headers=admin)
        assert "300" in (await too_long.json())["message"]
        not_json = await client.put("/api/v1/faq/daftar-paspor", data=b"{", headers=admin)
        assert not_json.status == 400 and (await not_json.json())["error"] == "invalid_json"
        listed = await client.put("/api/v1/faq/daftar-paspor", json=[ENTRY], headers=admin)
        assert listed.status == 400
        assert (await client.get("/api/v1/faq/daftar-paspor", headers=admin)).status == 404


async def test_delete_keeps_history_and_answers_404_after(core: Core) -> None:
    admin = _auth(await add_token(core, "admin"))
    assert core.services.faq.ask("berapa biaya daftarnya").faq_id == "biaya"
    async with client_for(core) as client:
        gone = await client.delete("/api/v1/faq/biaya", headers=admin)
        assert gone.status == 200
        assert await gone.json() == {"id": "biaya", "deleted": True, "version": 2}
        assert core.services.faq.ask("berapa biaya daftarnya").faq_id != "biaya"
        again = await client.delete("/api/v1/faq/biaya", headers=admin)
        assert again.status == 404 and (await again.json())["error"] == "not_found"
        assert (await client.get("/api/v1/faq/biaya", headers=admin)).status == 404
        back = await client.put("/api/v1/faq/biaya", json=ENTRY, headers=admin)
        assert back.status == 201 and (await back.json())["version"] == 3


async def test_openapi_describes_the_faq_endpoints(core: Core) -> None:
    async with client_for(core) as client:
        doc = await (await client.get("/api/v1/openapi.json")).json()
    item = doc["paths"]["/faq/{id}"]
    assert set(item) == {"get", "put", "delete"}
    assert {"200", "201", "401", "403", "409", "422"} <= set(item["put"]["responses"])
    assert "FaqEntryPut" in doc["components"]["schemas"]
