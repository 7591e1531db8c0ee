"""``/api/v1`` handlers for the city's systems: registrations, decisions and documents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aiohttp import web

from bot.api.auth import REVIEWERS, actor, api_error, public, requires
from bot.api.openapi import document as openapi_document
from bot.api.schema import SPEC
from bot.core import CORE
from bot.domain.nik import mask_nik
from bot.domain.wilayah import KECAMATAN
from bot.services import decisions
from bot.services.decisions import QueueFilter, Review, Sla
from bot.services.registration import DecisionError
from bot.services.reports import CHANNELS
from bot.storage.models import Registration
from bot.storage.types import utcnow

MAX_PER_PAGE = 200
MAX_NOTE = 500
_DECISION_STATUS = {
    "not_found": 404, "already_decided": 409, "not_submitted": 409, "claimed": 409,
    "invalid_reason": 422, "note_required": 422,
}  # fmt: skip


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def summary(reg: Registration, nik_masked: str, sla: Sla | None) -> dict[str, Any]:
    """Describe a registration without personal data (NIK masked)."""
    return {
        "id": reg.id, "reference": reg.reference, "status": reg.status, "channel": reg.channel,
        "kecamatan": reg.kecamatan, "kelurahan": reg.kelurahan,
        "document_type": reg.document_type, "age_group": reg.age_group, "nik_masked": nik_masked,
        "flags": reg.flags or {}, "submitted_at": _iso(reg.submitted_at),
        "deadline": _iso(sla.deadline) if sla else None,
        "overdue": bool(sla and sla.overdue), "decided_at": _iso(reg.decided_at),
        "decided_by": reg.decided_by, "reject_reason": reg.reject_reason,
        "resubmission_of": reg.resubmission_of,
    }  # fmt: skip


def full(review: Review) -> dict[str, Any]:
    """Describe a registration with its personal data, documents and earlier requests."""
    reg, data = review.registration, review.data
    body = summary(reg, mask_nik(data.get("nik", "")), review.sla)
    body.update(
        full_name=data.get("full_name"),
        nik=data.get("nik"),
        birth_date=data.get("birth_date"),
        phone=data.get("phone"),
        decision_note=reg.decision_note,
        documents=[
            {
                "kind": kind,
                "available": doc.blob_id is not None,
                "mime": doc.mime,
                "width": doc.width,
                "height": doc.height,
                "url": f"/api/v1/registrations/{reg.id}/documents/{kind}",
            }
            for kind, doc in sorted(review.documents.items())
        ],
        earlier=[
            {
                "id": o.id,
                "reference": o.reference,
                "status": o.status,
                "reject_reason": o.reject_reason,
                "submitted_at": _iso(o.submitted_at),
            }
            for o in review.earlier
        ],
    )
    return body


def _filter(request: web.Request) -> tuple[QueueFilter, int, int]:
    q = request.query
    status = q.get("status", "submitted")
    if status not in decisions.STATUS_FILTERS:
        raise api_error(400, "invalid_status", allowed=list(decisions.STATUS_FILTERS))
    if q.get("kecamatan") and q["kecamatan"] not in KECAMATAN:
        raise api_error(400, "invalid_kecamatan")
    if q.get("channel") and q["channel"] not in CHANNELS:
        raise api_error(400, "invalid_channel")
    try:
        start = date.fromisoformat(q["from"]) if q.get("from") else None
        end = date.fromisoformat(q["to"]) if q.get("to") else None
        page = int(q.get("page", "1"))
        per_page = int(q.get("per_page", "50"))
    except ValueError:
        raise api_error(400, "invalid_query") from None
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise api_error(400, "invalid_query")
    flt = QueueFilter(status=status, kecamatan=q.get("kecamatan") or None,
                      channel=q.get("channel") or None, date_from=start, date_to=end)  # fmt: skip
    return flt, page, per_page


def _id(request: web.Request) -> int:
    return int(request.match_info["id"])


@public
async def openapi(request: web.Request) -> web.Response:
    """Serve the OpenAPI 3.1 description of this API."""
    return web.json_response(openapi_document(request.app[SPEC]))


@requires(*REVIEWERS)
async def list_registrations(request: web.Request) -> web.Response:
    """List registrations by status (waiting ones oldest first), NIK masked."""
    core = request.app[CORE]
    flt, page, per_page = _filter(request)
    async with core.uow() as uow:
        found = await decisions.list_queue(uow, core.settings, flt, page=page, per_page=per_page)
    return web.json_response(
        {
            "items": [summary(i.registration, i.nik_masked, i.sla) for i in found.items],
            "total": found.total,
            "page": found.page,
            "pages": found.pages,
            "per_page": per_page,
        }
    )


@requires(*REVIEWERS)
async def get_registration(request: web.Request) -> web.Response:
    """Return one registration with its personal data; audited."""
    core = request.app[CORE]
    async with core.uow() as uow:
        review = await decisions.open_review(
            uow, core.settings, _id(request), actor=actor(request), ip=request.remote,
            claim_it=False,
        )  # fmt: skip
        await uow.commit()
    if review is None:
        raise api_error(404, "not_found")
    return web.json_response(full(review))


@requires(*REVIEWERS)
async def post_decision(request: web.Request) -> web.Response:
    """Approve or reject once; the citizen is notified; a repeat answers 409."""
    core = request.app[CORE]
    try:
        body = await request.json()
    except ValueError:
        raise api_error(400, "invalid_json") from None
    if not isinstance(body, dict):
        raise api_error(400, "invalid_json")
    choice, reason, note = body.get("decision"), body.get("reason"), body.get("note")
    if choice not in ("approve", "reject"):
        raise api_error(422, "invalid_decision")
    if reason is not None and not isinstance(reason, str):
        raise api_error(422, "invalid_reason")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
        raise api_error(422, "invalid_note")
    who = actor(request)
    try:
        reg = await decisions.decide_and_notify(
            core, _id(request), approve=choice == "approve",
            reason=reason if choice == "reject" else None, note=note, actor_type=who.type,
            actor_name=who.name, actor_id=who.id, ip=request.remote,
        )  # fmt: skip
    except DecisionError as exc:
        extra = await _current_status(request, exc.code)
        raise api_error(_DECISION_STATUS.get(exc.code, 409), exc.code, **extra) from None
    async with core.uow() as uow:
        reg = await uow.registrations.get(reg.id) or reg
        nik = mask_nik(uow.registrations.read_data(reg).get("nik", ""))
    return web.json_response(summary(reg, nik, decisions.sla_of(core.settings, reg, utcnow())))


async def _current_status(request: web.Request, code: str) -> dict[str, Any]:
    if code not in ("already_decided", "not_submitted"):
        return {}
    async with request.app[CORE].uow() as uow:
        reg = await uow.registrations.get(_id(request))
    return {"status": reg.status, "decided_at": _iso(reg.decided_at)} if reg else {}


@requires(*REVIEWERS)
async def get_document(request: web.Request) -> web.Response:
    """Return the KTP/resi photo or the selfie as JPEG; audited; never cached."""
    core = request.app[CORE]
    async with core.uow() as uow:
        image = await decisions.view_document(
            uow, _id(request), request.match_info["kind"], actor=actor(request),
            ip=request.remote,
        )  # fmt: skip
        await uow.commit()
    if image is None:
        raise api_error(404, "not_found")
    return web.Response(body=image, content_type="image/jpeg")
