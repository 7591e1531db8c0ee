"""``/api/v1``: listing, full data, decisions (once), documents, errors and the OpenAPI file."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.core import Core
from bot.services.accounts import Actor, Role
from bot.storage.models import ApiToken, AuditEntry
from bot.storage.types import utcnow
from tests.console.support import (
    NIK,
    add_token,
    client_for,
    jpeg,
    seed_queue,
    seed_registration,
)

SITI = Actor(type="user", id="1", name="siti", role=Role.VERIFIER)


def _auth(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


async def _audit(core: Core, action: str) -> list[AuditEntry]:
    async with core.uow() as uow:
        rows = await uow.session.execute(select(AuditEntry).where(AuditEntry.action == action))
        return list(rows.scalars())


async def test_list_masks_the_nik_and_orders_oldest_first(core: Core) -> None:
    token = await add_token(core, "verifier")
    old, new = await seed_queue(core, 2)
    await seed_registration(core, status="approved", decided_at=utcnow())
    async with client_for(core) as client:
        resp = await client.get("/api/v1/registrations", headers=_auth(token))
        body = await resp.json()
        text = await resp.text()
        assert resp.status == 200
        assert [i["reference"] for i in body["items"]] == [old.reference, new.reference]
        assert body["total"] == 2 and body["page"] == 1 and body["pages"] == 1
        item = body["items"][0]
        assert item["nik_masked"] == "3671••••••••0001" and item["overdue"] is True
        assert item["deadline"] and item["status"] == "submitted"
        assert NIK not in text and "SITI" not in text and "+6281234567890" not in text
        approved = await client.get("/api/v1/registrations?status=approved", headers=_auth(token))
        assert (await approved.json())["total"] == 1
        paged = await client.get("/api/v1/registrations?per_page=1&page=2", headers=_auth(token))
        assert [i["reference"] for i in (await paged.json())["items"]] == [new.reference]
        for query in ("status=nope", "per_page=0", "per_page=1000", "page=x", "from=kemarin",
                      "kecamatan=Jakarta", "channel=fax"):  # fmt: skip
            bad = await client.get(f"/api/v1/registrations?{query}", headers=_auth(token))
            assert bad.status == 400, query
            assert (await bad.json())["error"].startswith("invalid_")


async def test_detail_has_the_full_data_and_is_audited(core: Core) -> None:
    token = await add_token(core, "admin", "dukcapil")
    seeded = await seed_registration(core)
    async with client_for(core) as client:
        resp = await client.get(f"/api/v1/registrations/{seeded.id}", headers=_auth(token))
        body = await resp.json()
        assert resp.status == 200
        assert (body["nik"], body["full_name"], body["birth_date"]) == (
            NIK, "SITI AMINAH", "1990-01-05",
        )  # fmt: skip
        assert [d["kind"] for d in body["documents"]] == ["ktp", "selfie"]
        assert body["documents"][0]["url"] == f"/api/v1/registrations/{seeded.id}/documents/ktp"
        missing = await client.get("/api/v1/registrations/99999", headers=_auth(token))
        assert missing.status == 404 and (await missing.json()) == {"error": "not_found"}
    [entry] = await _audit(core, "registration.viewed")
    assert (entry.actor_type, entry.actor_name, entry.target_id) == (
        "token", "dukcapil", seeded.reference,
    )  # fmt: skip


async def test_decision_notifies_once_and_a_retry_gets_409(any_core: Core) -> None:
    token = await add_token(any_core, "verifier")
    seeded = await seed_registration(any_core)
    url = f"/api/v1/registrations/{seeded.id}/decision"
    body = {"decision": "reject", "reason": "selfie_without_ktp", "note": "Pegang KTP-nya"}
    async with client_for(any_core) as client:
        first, retry = await asyncio.gather(
            client.post(url, json=body, headers=_auth(token)),
            client.post(url, json=body, headers=_auth(token)),
        )
        statuses = sorted([first.status, retry.status])
        assert statuses == [200, 409]
        ok = first if first.status == 200 else retry
        conflict = retry if ok is first else first
        decided = await ok.json()
        assert decided["status"] == "rejected" and decided["reject_reason"] == "selfie_without_ktp"
        assert decided["decided_by"].startswith("token:")
        assert decided["decided_by_name"] == "sistem-verifier"
        assert (await conflict.json()) == {
            "error": "already_decided", "status": "rejected",
            "decided_at": decided["decided_at"],
        }  # fmt: skip
        history = await client.get(f"/webchat/api/sessions/{seeded.chat_id}/messages")
        replies = (await history.json())["replies"]
        assert len(replies) == 1
        assert "selfie tanpa KTP" in replies[0]["text"] and "Pegang KTP-nya" in replies[0]["text"]
    assert len(await _audit(any_core, "registration.rejected")) == 1


@pytest.mark.parametrize(
    ("payload", "status", "error"),
    [
        ({"decision": "reject", "reason": "bogus"}, 422, "invalid_reason"),
        ({"decision": "reject"}, 422, "invalid_reason"),
        ({"decision": "reject", "reason": "other"}, 422, "note_required"),
        ({"decision": "reject", "reason": 5}, 422, "invalid_reason"),
        ({"decision": "maybe"}, 422, "invalid_decision"),
        ({"decision": "approve", "note": "x" * 501}, 422, "invalid_note"),
        (["approve"], 400, "invalid_json"),
    ],
)
async def test_bad_decisions_are_refused(
    core: Core, payload: object, status: int, error: str
) -> None:
    token = await add_token(core, "verifier")
    seeded = await seed_registration(core)
    async with client_for(core) as client:
        url = f"/api/v1/registrations/{seeded.id}/decision"
        resp = await client.post(url, json=payload, headers=_auth(token))
        assert resp.status == status and (await resp.json())["error"] == error
        history = await client.get(f"/webchat/api/sessions/{seeded.chat_id}/messages")
        assert (await history.json())["replies"] == []


async def test_decision_edge_cases(core: Core) -> None:
    token = await add_token(core, "verifier")
    seeded = await seed_registration(core)
    draft = await seed_registration(core, status="draft")
    async with client_for(core) as client:
        not_json = await client.post(f"/api/v1/registrations/{seeded.id}/decision",
                                     data=b"{nope", headers=_auth(token))  # fmt: skip
        assert not_json.status == 400 and (await not_json.json())["error"] == "invalid_json"
        gone = await client.post("/api/v1/registrations/99999/decision",
                                 json={"decision": "approve"}, headers=_auth(token))  # fmt: skip
        assert gone.status == 404 and (await gone.json())["error"] == "not_found"
        drafted = await client.post(f"/api/v1/registrations/{draft.id}/decision",
                                    json={"decision": "approve"}, headers=_auth(token))  # fmt: skip
        assert drafted.status == 409 and (await drafted.json())["error"] == "not_submitted"
        await core.review_cases.claim(SITI, seeded.id)
        claimed = await client.post(f"/api/v1/registrations/{seeded.id}/decision",
                                    json={"decision": "approve"}, headers=_auth(token))  # fmt: skip
        assert claimed.status == 409 and (await claimed.json())["error"] == "claimed"
        method = await client.delete(f"/api/v1/registrations/{seeded.id}", headers=_auth(token))
        assert method.status == 405 and (await method.json())["error"] == "method_not_allowed"
        unknown = await client.get("/api/v1/nothing-here", headers=_auth(token))
        assert unknown.status == 404 and (await unknown.json())["error"] == "not_found"


async def test_documents_are_jpeg_never_cached_and_audited(core: Core) -> None:
    token = await add_token(core, "verifier")
    image = jpeg((1, 2, 3))
    seeded = await seed_registration(core, images={"ktp": image})
    async with client_for(core) as client:
        resp = await client.get(f"/api/v1/registrations/{seeded.id}/documents/ktp",
                                headers=_auth(token))  # fmt: skip
        assert resp.status == 200 and await resp.read() == image
        assert resp.content_type == "image/jpeg" and resp.headers["Cache-Control"] == "no-store"
        missing = await client.get(f"/api/v1/registrations/{seeded.id}/documents/selfie",
                                   headers=_auth(token))  # fmt: skip
        assert missing.status == 404
        other = await client.get(f"/api/v1/registrations/{seeded.id}/documents/kk",
                                 headers=_auth(token))  # fmt: skip
        assert other.status == 404
        async with core.uow() as uow:
            doc = await uow.documents.get(seeded.id, "ktp")
            assert doc is not None
            await uow.documents.purge(doc)
            await uow.commit()
        purged = await client.get(f"/api/v1/registrations/{seeded.id}/documents/ktp",
                                  headers=_auth(token))  # fmt: skip
        assert purged.status == 404
    [entry] = await _audit(core, "document.viewed")
    assert entry.details == {"registration_id": seeded.id, "kind": "ktp"}


async def test_token_use_is_recorded_and_only_a_hash_is_stored(core: Core) -> None:
    token = await add_token(core, "verifier")
    assert re.fullmatch(r"tlv_[A-Za-z0-9_-]{43}", token)
    async with client_for(core) as client:
        assert (await client.get("/api/v1/registrations", headers=_auth(token))).status == 200
        lower = {"Authorization": f"bearer {token}"}
        assert (await client.get("/api/v1/registrations", headers=lower)).status == 200
        basic = {"Authorization": "Basic dXNlcjpwYXNz"}
        assert (await client.get("/api/v1/registrations", headers=basic)).status == 401
    async with core.uow() as uow:
        stored = (await uow.session.execute(select(ApiToken))).scalar_one()
        dumped = await uow.session.scalar(select(func.count(ApiToken.id)).where(
            ApiToken.token_hash == token))  # fmt: skip
    assert stored.last_used_at is not None and token not in stored.token_hash
    assert dumped == 0 and len(stored.token_hash) == 64


async def test_overdue_flag_follows_the_sla(core: Core) -> None:
    token = await add_token(core, "verifier")
    await seed_registration(core, submitted_at=utcnow() - timedelta(hours=23))
    async with client_for(core) as client:
        body = await (await client.get("/api/v1/registrations", headers=_auth(token))).json()
    assert body["items"][0]["overdue"] is False


async def test_openapi_describes_every_endpoint(core: Core) -> None:
    async with client_for(core) as client:
        resp = await client.get("/api/v1/openapi.json")
        doc = await resp.json()
    assert resp.status == 200 and doc["openapi"] == "3.1.0"
    assert set(doc["paths"]) == {
        "/openapi.json", "/registrations", "/registrations/{id}",
        "/registrations/{id}/decision", "/registrations/{id}/documents/{kind}",
        "/registrations/{id}/notes", "/registrations/{id}/reopen",
        "/faq", "/faq/{id}",
        "/conversations", "/conversations/{id}", "/conversations/{id}/media/{seq}",
        "/conversations/{id}/claim", "/conversations/{id}/messages",
        "/conversations/{id}/transfer", "/conversations/{id}/release", "/conversations/{id}/close",
    }  # fmt: skip
    decision = doc["paths"]["/registrations/{id}/decision"]["post"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(decision["responses"])
    reasons = doc["components"]["schemas"]["DecisionRequest"]["properties"]["reason"]["enum"]
    assert reasons == [
        "ktp_blurry", "ktp_unreadable", "face_not_visible", "selfie_without_ktp",
        "data_mismatch", "not_ktp", "other",
    ]  # fmt: skip
    import openapi_spec_validator as validator

    validator.validate(doc)
