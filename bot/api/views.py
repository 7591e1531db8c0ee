"""``/api/v1`` registrations for the city's systems: the queue, one request, decisions, documents.

The pydantic models below are both what the handlers accept and answer and what the OpenAPI
document says; :func:`endpoints` declares each operation once.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import BaseModel, Field, WithJsonSchema

from bot.api.auth import REVIEWERS, actor, public, requires
from bot.api.schema import SPEC, BadRequest, Endpoint, Handler, read_body, read_query, respond
from bot.core import CORE
from bot.domain.nik import mask_nik
from bot.domain.search import MAX_QUERY
from bot.domain.wilayah import KECAMATAN
from bot.services.decisions import (
    DUE_FILTERS,
    DUE_SOON_HOURS,
    FLAG_FILTERS,
    STATUS_FILTERS,
    QueueFilter,
    QueueItem,
    Review,
)
from bot.services.registration import RejectReason
from bot.services.reports import CHANNELS
from bot.usecases.errors import NotFound
from bot.web.client_address import client_address
from bot.web.params import path_id

MAX_PER_PAGE = 200
MAX_NOTE = 500
_REASONS = [reason.value for reason in RejectReason]

Moment = Annotated[str | None, WithJsonSchema({"type": ["string", "null"], "format": "date-time"})]
Text = Annotated[str | None, WithJsonSchema({"type": ["string", "null"]})]


def _undocumented_default(schema: dict[str, Any]) -> None:
    # An omitted parameter is simply absent: "default": null would contradict its type.
    schema.pop("default", None)


ABSENT = Field(default=None, json_schema_extra=_undocumented_default)


class Registration(BaseModel):
    """A registration without personal data (NIK masked)."""

    id: int
    reference: Annotated[str, Field(examples=["TL-7KQ4M9"])]
    status: Annotated[
        str, WithJsonSchema({"type": "string", "enum": ["submitted", "approved", "rejected"]})
    ]
    channel: Annotated[str, Field(examples=["web", "telegram", "whatsapp"])]
    kecamatan: Text
    kelurahan: Text
    document_type: Annotated[
        str | None, WithJsonSchema({"type": ["string", "null"], "enum": ["ktp", "resi", None]})
    ]
    age_group: Text
    nik_masked: Annotated[str, Field(examples=["3671••••••••0001"])]
    flags: Annotated[
        dict[str, Any],
        Field(
            description="Checks for the verifier: nik_outside_city, birth_date_mismatch, "
            "ocr_nik_mismatch, ktp_warnings, selfie_warnings, duplicate_nik (another waiting "
            "or approved request has the same NIK), duplicate_override, face_similarity, "
            "face_band, face_mismatch, card_face_similarity, card_face_band, face_boxes; "
            "fraud hints raised when the request was sent (never a refusal): shared_phone "
            "(how many NIKs gave this phone number), same_selfie_photo / same_ktp_photo (the "
            "references of other NIKs' requests with the same picture), ktp_screen_photo "
            "(the KTP photo seems taken off a screen; the score); ocr_fields: how what was "
            "read off the KTP photo agrees with the typed data, per field (nik, full_name, "
            "birth_date: same | close (names) | differs | unread | untyped), "
            "nik_digits_differ (positions 1-16), birth_date_vs_nik, engine, confident, boxes "
            "(the rows on the photo); the values read are never in the API."
        ),
    ]
    face_similarity: Annotated[float | None, WithJsonSchema({
        "type": ["number", "null"],
        "description": "KTP photo vs selfie face, 1 − dlib embedding distance (≥ 0.55 likely the "
        "same person, < 0.40 look carefully); null when a face was not found or not compared. "
        "A hint, never a verdict.",
        "examples": [0.88],
    })]  # fmt: skip
    face_mismatch: Annotated[
        bool,
        Field(description="The faces fall in the 'look carefully' band: check them by eye."),
    ]
    submitted_at: Moment
    deadline: Annotated[Moment, Field(description="submitted_at + TLIVE_VERIFICATION_SLA_HOURS")]
    overdue: bool
    decided_at: Moment
    decided_by: Annotated[str | None, WithJsonSchema({
        "type": ["string", "null"], "description": "Who decided: user:<id> or token:<id>.",
        "examples": ["user:3", "token:1"],
    })]  # fmt: skip
    decided_by_name: Annotated[str | None, WithJsonSchema({
        "type": ["string", "null"], "description": "That user's or token's name.",
        "examples": ["siti"],
    })]  # fmt: skip
    reject_reason: Annotated[
        str | None, WithJsonSchema({"type": ["string", "null"], "enum": [*_REASONS, None]})
    ]
    resubmission_of: int | None
    registered_by_helper: Annotated[
        bool,
        Field(
            description="Sent by a family member helping from their own chat (flag helper), "
            "not by the registered person: the selfie must still show the KTP's owner."
        ),
    ]

    @classmethod
    def of(cls, item: QueueItem) -> Registration:
        """Describe a queue item."""
        reg, sla = item.registration, item.sla
        return cls(
            id=reg.id, reference=reg.reference, status=reg.status, channel=reg.channel,
            kecamatan=reg.kecamatan, kelurahan=reg.kelurahan, document_type=reg.document_type,
            age_group=reg.age_group, nik_masked=item.nik_masked, flags=reg.flags or {},
            submitted_at=_iso(reg.submitted_at), deadline=_iso(sla.deadline) if sla else None,
            overdue=bool(sla and sla.overdue), decided_at=_iso(reg.decided_at),
            decided_by=reg.decided_by, decided_by_name=item.decided_by_name,
            reject_reason=reg.reject_reason,
            resubmission_of=reg.resubmission_of,
            registered_by_helper=bool((reg.flags or {}).get("helper")),
            face_similarity=(reg.flags or {}).get("face_similarity"),
            face_mismatch=bool((reg.flags or {}).get("face_mismatch")),
        )  # fmt: skip


class DocumentInfo(BaseModel):
    """One photo of a registration and where to fetch it."""

    kind: Annotated[str, WithJsonSchema({"type": "string", "enum": ["ktp", "selfie"]})]
    available: bool
    mime: str
    width: int
    height: int
    url: str


class EarlierRequest(BaseModel):
    """Another request of the same citizen."""

    id: int
    reference: str
    status: str
    reject_reason: Text
    submitted_at: Moment


class RegistrationDetail(Registration):
    """A registration with its personal data, documents and the citizen's earlier requests."""

    full_name: Text
    nik: Text
    birth_date: Annotated[
        str | None, WithJsonSchema({"type": ["string", "null"], "format": "date"})
    ]
    phone: Text
    decision_note: Text
    documents: list[DocumentInfo]
    earlier: list[EarlierRequest]
    same_nik: Annotated[
        list[EarlierRequest],
        Field(description="Other requests (of anyone) with the same NIK; approving while one "
              "of them waits or is approved needs override_duplicate."),
    ]  # fmt: skip

    @classmethod
    def of_review(cls, review: Review) -> RegistrationDetail:
        """Describe what a reviewer sees of a request."""
        reg, data = review.registration, review.data
        summary = Registration.of(QueueItem(
            reg, mask_nik(data.get("nik", "")), review.sla, None,
            decided_by_name=review.decided_by_name,
        ))  # fmt: skip
        return cls(
            **summary.model_dump(),
            full_name=data.get("full_name"), nik=data.get("nik"),
            birth_date=data.get("birth_date"), phone=data.get("phone"),
            decision_note=reg.decision_note,
            documents=[
                DocumentInfo(
                    kind=kind, available=doc.blob_id is not None, mime=doc.mime,
                    width=doc.width, height=doc.height,
                    url=f"/api/v1/registrations/{reg.id}/documents/{kind}",
                )
                for kind, doc in sorted(review.documents.items())
            ],
            earlier=[
                EarlierRequest(id=o.id, reference=o.reference, status=o.status,
                               reject_reason=o.reject_reason, submitted_at=_iso(o.submitted_at))
                for o in review.earlier
            ],
            same_nik=[
                EarlierRequest(id=o.id, reference=o.reference, status=o.status,
                               reject_reason=o.reject_reason, submitted_at=_iso(o.submitted_at))
                for o in review.same_nik
            ],
        )  # fmt: skip


class RegistrationList(BaseModel):
    """A page of registrations."""

    items: list[Registration]
    total: int
    page: int
    pages: int
    per_page: int


class RegistrationQuery(BaseModel):
    """Which registrations to list."""

    status: Annotated[
        str | None,
        Field(description="Which requests (default submitted; with q, all)."),
        WithJsonSchema({"type": "string", "enum": list(STATUS_FILTERS), "default": "submitted"}),
    ] = ABSENT
    q: Annotated[
        str | None,
        Field(max_length=MAX_QUERY, description=(
            "Search: a reference (TL-7KQ4M9), a whole NIK, a whole phone number or a whole "
            "full name (case and punctuation ignored). NIK, phone and name are matched by "
            "their keyed hashes; combine with any status.")),
        WithJsonSchema({"type": "string", "maxLength": MAX_QUERY}),
    ] = ABSENT  # fmt: skip
    flag: Annotated[
        str | None,
        Field(description="Only requests with this flag raised (fraud: any duplicate or "
              "fraud hint)."),
        WithJsonSchema({"type": "string", "enum": list(FLAG_FILTERS)}),
    ] = ABSENT  # fmt: skip
    due: Annotated[
        str | None,
        Field(description=f"Waiting requests past their deadline (overdue) or due within "
              f"{DUE_SOON_HOURS} hours (soon)."),
        WithJsonSchema({"type": "string", "enum": list(DUE_FILTERS)}),
    ] = ABSENT  # fmt: skip
    kecamatan: Annotated[
        str | None, Field(description="Only this kecamatan."), WithJsonSchema({"type": "string"})
    ] = ABSENT
    channel: Annotated[
        str | None,
        Field(description="Only this channel."),
        WithJsonSchema({"type": "string", "enum": list(CHANNELS)}),
    ] = ABSENT
    date_from: Annotated[
        date | None,
        Field(alias="from", description="Submitted on or after this date (WIB)."),
        WithJsonSchema({"type": "string", "format": "date"}),
    ] = ABSENT
    date_to: Annotated[
        date | None,
        Field(alias="to", description="Submitted on or before this date (WIB)."),
        WithJsonSchema({"type": "string", "format": "date"}),
    ] = ABSENT
    page: Annotated[int, Field(ge=1, description="Page number.")] = 1
    per_page: Annotated[int, Field(ge=1, le=MAX_PER_PAGE, description="Items per page.")] = 50

    def to_filter(self) -> QueueFilter:
        """Check the values against what exists and return the queue filter."""
        text = " ".join((self.q or "").split()) or None
        status = self.status or ("all" if text else "submitted")
        if status not in STATUS_FILTERS:
            raise BadRequest(400, "invalid_status", allowed=list(STATUS_FILTERS))
        if self.flag and self.flag not in FLAG_FILTERS:
            raise BadRequest(400, "invalid_flag", allowed=list(FLAG_FILTERS))
        if self.due and self.due not in DUE_FILTERS:
            raise BadRequest(400, "invalid_due", allowed=list(DUE_FILTERS))
        if self.kecamatan and self.kecamatan not in KECAMATAN:
            raise BadRequest(400, "invalid_kecamatan")
        if self.channel and self.channel not in CHANNELS:
            raise BadRequest(400, "invalid_channel")
        return QueueFilter(
            status=status, kecamatan=self.kecamatan or None, channel=self.channel or None,
            date_from=self.date_from, date_to=self.date_to, q=text, flag=self.flag or None,
            due=self.due or None,
        )  # fmt: skip


class DecisionRequest(BaseModel):
    """A verifier's decision on a waiting request."""

    decision: Literal["approve", "reject"]
    reason: Annotated[
        str | None,
        WithJsonSchema({"type": "string", "enum": _REASONS,
                        "description": "Required when rejecting: the SOP's reason."}),
    ] = ABSENT  # fmt: skip
    note: Annotated[
        str | None,
        Field(max_length=MAX_NOTE),
        WithJsonSchema({"type": "string", "maxLength": MAX_NOTE,
                        "description": "Shown to the citizen; required with reason 'other'. "
                        "With override_duplicate: why (kept for the staff, not sent)."}),
    ] = ABSENT  # fmt: skip
    override_duplicate: Annotated[
        bool,
        Field(description="Approve although another waiting or approved request has the same "
              "NIK (flag duplicate_nik); requires a note."),
    ] = False  # fmt: skip


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _id(request: web.Request) -> int:
    return path_id(request)


@public
async def openapi(request: web.Request) -> web.Response:
    """Serve the OpenAPI 3.1 description of this API."""
    return web.json_response(request.app[SPEC].document())


@requires(*REVIEWERS)
async def list_registrations(request: web.Request) -> web.Response:
    """List or search registrations (waiting ones oldest first), NIK masked."""
    query = read_query(request, RegistrationQuery)
    found = await request.app[CORE].review_cases.queue(
        query.to_filter(), page=query.page, per_page=query.per_page
    )
    listed = RegistrationList(
        items=[Registration.of(item) for item in found.items], total=found.total,
        page=found.page, pages=found.pages, per_page=query.per_page,
    )  # fmt: skip
    return respond(listed)


@requires(*REVIEWERS)
async def get_registration(request: web.Request) -> web.Response:
    """Return one registration with its personal data; audited."""
    review = await request.app[CORE].review_cases.open(
        actor(request), _id(request), ip=client_address(request), claim_it=False
    )
    if review is None:
        raise NotFound("not_found")
    return respond(RegistrationDetail.of_review(review))


@requires(*REVIEWERS)
async def post_decision(request: web.Request) -> web.Response:
    """Approve or reject once; the citizen is notified; a repeat answers 409."""
    body = await read_body(request, DecisionRequest)
    decided = await request.app[CORE].review_cases.decide(
        actor(request), _id(request), approve=body.decision == "approve",
        reason=body.reason if body.decision == "reject" else None, note=body.note,
        ip=client_address(request),
        override_duplicate=body.decision == "approve" and body.override_duplicate,
    )  # fmt: skip
    return respond(Registration.of(decided))


@requires(*REVIEWERS)
async def get_document(request: web.Request) -> web.Response:
    """Return the KTP/resi photo or the selfie as JPEG; audited; never cached."""
    image = await request.app[CORE].review_cases.view_document(
        actor(request), _id(request), request.match_info["kind"], ip=client_address(request)
    )
    if image is None:
        raise NotFound("not_found")
    return web.Response(body=image, content_type="image/jpeg")


_ID = {"id": {"description": "Registration id.", "schema": {"type": "integer", "minimum": 1}}}
_NOT_FOUND = {404: "No such registration."}


def endpoints() -> list[tuple[Endpoint, Handler]]:
    """Return the registration endpoints with their handlers, in the document's order."""
    return [
        (Endpoint(
            "GET", "/openapi.json", "getOpenapi", "This document", public=True,
            raw_response={"description": "OpenAPI 3.1 document",
                          "content": {"application/json": {"schema": {"type": "object"}}}},
        ), openapi),
        (Endpoint(
            "GET", "/registrations", "listRegistrations", "List registrations (NIK masked)",
            description="Waiting requests oldest first; decided ones newest first.",
            query=RegistrationQuery, response=RegistrationList,
            response_description="A page of registrations",
            errors={400: "Invalid query parameter."},
        ), list_registrations),
        (Endpoint(
            "GET", "/registrations/{id}", "getRegistration",
            "One registration with its personal data (audited)", path_params=_ID,
            response=RegistrationDetail, response_description="The registration",
            errors=_NOT_FOUND,
        ), get_registration),
        (Endpoint(
            "POST", "/registrations/{id}/decision", "decideRegistration",
            "Approve or reject (the citizen is notified at once)",
            description="Recorded once: a repeated or concurrent decision answers 409 and "
            "notifies nobody.",
            path_params=_ID, body=DecisionRequest, response=Registration,
            response_description="The decided registration",
            examples={"reject": {"decision": "reject", "reason": "ktp_blurry"}},
            errors={
                400: "Body is not a JSON object.", **_NOT_FOUND,
                409: "Already decided, not submitted, or being reviewed in the console; "
                "or (error: duplicate_nik, with the other references in others) approving "
                "while another waiting or approved request has the same NIK, without "
                "override_duplicate.",
                422: "Invalid decision, reason or note (error: invalid_decision, "
                "invalid_reason, note_required, invalid_note, override_note_required).",
            },
        ), post_decision),
        (Endpoint(
            "GET", "/registrations/{id}/documents/{kind}", "getRegistrationDocument",
            "The KTP/resi photo or the selfie (audited, never cached)",
            path_params={**_ID, "kind": {"schema": {"type": "string", "enum": ["ktp", "selfie"]}}},
            raw_response={
                "description": "JPEG image",
                "headers": {"Cache-Control": {"schema": {"type": "string"},
                                              "description": "no-store"}},
                "content": {"image/jpeg": {"schema": {"type": "string",
                                                      "contentMediaType": "image/jpeg"}}},
            },
            errors={404: "No such registration or document, or the image was deleted after "
                    "the retention period."},
        ), get_document),
    ]  # fmt: skip
