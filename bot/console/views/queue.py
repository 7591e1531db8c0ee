"""The verification queue (Daftar Verifikasi User), one request's review, and decisions."""

from __future__ import annotations

import asyncio
from datetime import date
from urllib.parse import urlencode

from aiohttp import web

from bot.console.peak_banner import peak_for
from bot.console.render import render
from bot.console.review_page import compare_nik, field_rows, photo_reading
from bot.console.security import REVIEWERS, actor, back_to, redirect, requires, viewer
from bot.console.sessions import document_key
from bot.console.views.ktp_lines import fields_view
from bot.core import CORE
from bot.domain.compare import same_secret
from bot.domain.search import MAX_QUERY
from bot.domain.wilayah import KECAMATAN
from bot.photos.compare_faces import crop_face
from bot.services import decisions
from bot.services.decisions import QueueFilter
from bot.services.registration import RejectReason
from bot.services.reports import CHANNELS
from bot.usecases.errors import Refused
from bot.web.client_address import client_address
from bot.web.params import number, path_id

# Shown on the reject panel, in the order of the keys 1–7.
REASONS = tuple(reason.value for reason in RejectReason)
FLAG_KEYS = (
    "nik_outside_city", "birth_date_mismatch", "ocr_nik_mismatch",
    # Fraud signals raised when the request was sent (bot.services.fraud): hints only.
    "shared_phone", "same_selfie_photo", "same_ktp_photo", "ktp_screen_photo",
)  # fmt: skip


def _filter(request: web.Request) -> QueueFilter:
    q = request.query
    text = " ".join(q.get("q", "").split())[:MAX_QUERY] or None
    # A search looks at every status unless one is chosen: a reference may be decided already.
    status = q.get("status") or ("all" if text else "submitted")
    return QueueFilter(
        status=status if status in decisions.STATUS_FILTERS else "submitted",
        q=text,
        flag=q.get("flag") if q.get("flag") in decisions.FLAG_FILTERS else None,
        due=q.get("due") if q.get("due") in decisions.DUE_FILTERS else None,
        kecamatan=q.get("kecamatan") if q.get("kecamatan") in KECAMATAN else None,
        channel=q.get("channel") if q.get("channel") in CHANNELS else None,
        date_from=_date(q.get("from")),
        date_to=_date(q.get("to")),
    )


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _page(request: web.Request) -> int:
    return number(request.query.get("page")) or 1


def _query(flt: QueueFilter, page: int) -> str:
    values = {
        "status": flt.status, "kecamatan": flt.kecamatan or "", "channel": flt.channel or "",
        "from": flt.date_from.isoformat() if flt.date_from else "",
        "to": flt.date_to.isoformat() if flt.date_to else "", "page": str(page),
        "q": flt.q or "", "flag": flt.flag or "", "due": flt.due or "",
    }  # fmt: skip
    return urlencode({k: v for k, v in values.items() if v})


def _registration_id(request: web.Request) -> int:
    return path_id(request)


@requires(*REVIEWERS)
async def queue(request: web.Request) -> web.Response:
    """List requests (waiting ones oldest first) found by search and filters, with deadlines."""
    core = request.app[CORE]
    flt = _filter(request)
    page = await core.review_cases.queue(flt, page=_page(request), viewer=actor(request))
    return render(
        request, "queue.html", page=page, flt=flt, kecamatan=sorted(KECAMATAN),
        channels=CHANNELS, statuses=decisions.STATUS_FILTERS,
        flag_filters=decisions.FLAG_FILTERS, due_filters=decisions.DUE_FILTERS,
        peak=await peak_for(request), soon_hours=decisions.DUE_SOON_HOURS,
        prev_qs=_query(flt, page.page - 1) if page.page > 1 else None,
        next_qs=_query(flt, page.page + 1) if page.page < page.pages else None,
        sla_hours=core.settings.verification_sla_hours, me=actor(request).key,
    )  # fmt: skip


@requires(*REVIEWERS)
async def next_request(request: web.Request) -> web.Response:
    """Claim and open the oldest waiting request nobody else is reviewing (skipped ones last)."""
    found = await request.app[CORE].review_cases.next_waiting(actor(request))
    if found is None:
        raise redirect(request, "/console/queue", "ok", "console-queue-empty-done")
    raise web.HTTPFound(f"/console/registrations/{found}")


@requires(*REVIEWERS)
async def detail(request: web.Request) -> web.Response:
    """Show one request for review and claim it for a few minutes."""
    core = request.app[CORE]
    current = viewer(request)
    review = await core.review_cases.open(
        current.actor, _registration_id(request), ip=client_address(request), claim_it=True
    )
    if review is None:
        raise web.HTTPNotFound()
    reg = review.registration
    images = {
        kind: f"/console/registrations/{reg.id}/documents/{kind}?k="
        + document_key(core.keys, current.token, reg.id, kind)
        for kind, doc in review.documents.items()
        if doc.blob_id is not None
    }
    face = _face(reg.flags or {}, images) if core.settings.face_comparison else None
    # What the KTP photo says, next to what was typed; the NIK compared digit by digit.
    read = photo_reading(review.data)
    return render(
        request, "taken.html" if review.taken else "detail.html", review=review, reg=reg,
        data=review.data, images=images, reasons=REASONS, flag_keys=FLAG_KEYS,
        warnings=_warnings(reg.flags), face=face,
        claim_seconds=decisions.CLAIM_MINUTES * 60,
        ktp_fields=fields_view(reg, review.data, images),  # _review_fields.html: OCR'd rows
        read=read, rows=field_rows(review.data, read),
        nik=compare_nik(review.data.get("nik"), read.get("nik")),
    )  # fmt: skip


def _face(flags: dict[str, object], images: dict[str, str]) -> dict[str, object] | None:
    """Return the face comparison to show: its bands, score and same-size crop URLs."""
    if not flags.get("face_compared"):
        return None  # not compared (yet, or switched off when the photos came)
    boxes = flags.get("face_boxes")
    boxes = boxes if isinstance(boxes, dict) else {}
    crops: dict[str, str] = {}
    # The crops are the audited document views of the photos, cut at view time.
    for which, kind in (("ktp", "ktp"), ("selfie", "selfie"), ("card", "selfie")):
        box = boxes.get(which)
        if images.get(kind) and _valid_box(box):
            crops[which] = images[kind] + "&face=" + ",".join(str(int(v)) for v in box)  # type: ignore[union-attr]
    return {
        "band": flags.get("face_band"),
        "similarity": flags.get("face_similarity"),
        "card_band": flags.get("card_face_band"),
        "crops": crops,
    }


def _valid_box(box: object) -> bool:
    """Tell whether ``box`` is [x, y, w, h] of non-negative whole numbers, w and h > 0."""
    return (
        isinstance(box, list | tuple)
        and len(box) == 4
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in box)
        and box[2] > 0
        and box[3] > 0
    )


def _face_box(value: str | None) -> list[int] | None:
    """Return the face box asked for (a crop for the side-by-side faces), or None for the photo."""
    if value is None:
        return None
    try:
        box = [int(v) for v in value.split(",")]
    except ValueError:
        raise web.HTTPBadRequest() from None
    if not _valid_box(box) or max(box) > 20_000:
        raise web.HTTPBadRequest()
    return box


def _warnings(flags: dict[str, object]) -> list[tuple[str, str]]:
    """Return (photo kind, problem key) pairs from the photo pre-checks."""
    found: list[tuple[str, str]] = []
    for kind in decisions.DOCUMENT_KINDS:
        problems = flags.get(f"{kind}_warnings") or []
        if isinstance(problems, list):
            found.extend((kind, str(problem)) for problem in problems)
    return found


@requires(*REVIEWERS)
async def keep_claim(request: web.Request) -> web.Response:
    """Extend one's claim while the review page stays open (called by the page script)."""
    held = await request.app[CORE].review_cases.claim(actor(request), _registration_id(request))
    return web.json_response({"mine": held.mine, "holder": held.holder_name}, status=200)


@requires(*REVIEWERS)
async def skip(request: web.Request) -> web.Response:
    """Release and park the request, and open the next one."""
    await request.app[CORE].review_cases.skip(
        actor(request), _registration_id(request), ip=client_address(request)
    )
    raise web.HTTPFound("/console/queue/next")


def _after_refused_decision(request: web.Request, exc: Refused) -> str:
    # A fixable form goes back to the request; a decision that can no longer be taken moves on.
    if exc.code in ("invalid_reason", "note_required", "duplicate_nik", "override_note_required"):
        return f"/console/registrations/{_registration_id(request)}"
    return "/console/queue/next"


@requires(*REVIEWERS)
@back_to(_after_refused_decision)
async def decide(request: web.Request) -> web.Response:
    """Approve or reject; the citizen is told at once; then open the next request."""
    registration_id = _registration_id(request)
    form = await request.post()
    choice = str(form.get("decision", ""))
    if choice not in ("approve", "reject"):
        raise redirect(request, f"/console/registrations/{registration_id}", "error",
                       "console-decision-error-choice")  # fmt: skip
    approve = choice == "approve"
    # Approving over a duplicate NIK: the override's reason is the (staff-only) note.
    override = approve and form.get("override_duplicate") == "1"
    note = str(form.get("override_note" if override else "note", ""))[:500]
    decided = await request.app[CORE].review_cases.decide(
        actor(request), registration_id, approve=approve,
        reason=str(form.get("reason", "")) or None, note=note,
        ip=client_address(request), override_duplicate=override,
    )  # fmt: skip
    reg = decided.registration
    raise redirect(request, "/console/queue/next", "ok", f"console-decision-done-{reg.status}",
                   reference=reg.reference)  # fmt: skip


@requires(*REVIEWERS)
async def document(request: web.Request) -> web.Response:
    """Serve a KTP or selfie image to a reviewer holding this session's key; audited."""
    core = request.app[CORE]
    current = viewer(request)
    registration_id, kind = _registration_id(request), request.match_info["kind"]
    expected = document_key(core.keys, current.token, registration_id, kind)
    if not same_secret(request.query.get("k", ""), expected):
        raise web.HTTPNotFound()
    box = _face_box(request.query.get("face"))
    image = await core.review_cases.view_document(
        current.actor, registration_id, kind, ip=client_address(request)
    )
    if image is None:
        raise web.HTTPNotFound()
    if box is not None:
        image = await asyncio.to_thread(crop_face, image, box)
    return web.Response(
        body=image, content_type="image/jpeg",
        headers={"Cache-Control": "no-store, private", "Content-Disposition": "inline"},
    )  # fmt: skip
