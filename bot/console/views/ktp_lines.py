"""The KTP's Nama / NIK / birth-date rows for the verifier: cut from the audited KTP view.

``fields_view`` tells the review page what to show (what was read, whether it agrees with the
typed data, and the crop's URL); ``ktp_line`` serves a crop. A crop is the KTP photo itself,
cut: it needs the same per-session key as the photo, and every crop served is audited as a
view of the KTP (``document.viewed``), exactly like the photo.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.console.security import REVIEWERS, requires, viewer
from bot.console.sessions import document_key
from bot.core import CORE
from bot.domain.compare import same_secret
from bot.photos.ktp_crops import crop_row, parse_quad
from bot.photos.ktp_fields import FIELDS
from bot.services.ktp_reading import FLAG, OCR_KEY
from bot.storage.models import Registration
from bot.web.client_address import client_address
from bot.web.params import path_id


def fields_view(
    reg: Registration, data: dict[str, Any], images: dict[str, str]
) -> dict[str, Any] | None:
    """Return the read rows for ``_review_fields.html``, or None if the KTP was not read."""
    summary = (reg.flags or {}).get(FLAG)
    if not isinstance(summary, dict):
        return None
    stored = data.get(OCR_KEY) if isinstance(data.get(OCR_KEY), dict) else {}
    boxes = summary.get("boxes") if isinstance(summary.get("boxes"), dict) else {}
    ktp_url = images.get("ktp")
    rows = []
    for name in FIELDS:
        box = boxes.get(name)
        crop = None
        if ktp_url and isinstance(box, list) and len(box) == 8:
            key = ktp_url.split("?k=", 1)[1] if "?k=" in ktp_url else ""
            coords = ",".join(str(int(v)) for v in box)
            crop = f"/console/registrations/{reg.id}/ktp-lines/{name}?k={quote(key)}&q={coords}"
        read = stored.get(name)
        if name == "birth_date" and stored.get("birth_place") and read:
            read = f"{stored['birth_place']}, {read}"
        agree = summary.get(name, "unread")
        rows.append({"field": name, "read": read, "agreement": agree, "crop": crop})
    return {
        "rows": rows,
        "engine": summary.get("engine"),
        "confident": bool(summary.get("confident")),
        "nik_digits": summary.get("nik_digits_differ") or [],
        "birth_vs_nik": summary.get("birth_date_vs_nik"),
    }


@requires(*REVIEWERS)
async def ktp_line(request: web.Request) -> web.Response:
    """Serve one row of the KTP photo (key-checked like the photo, audited as viewing it)."""
    core = request.app[CORE]
    current = viewer(request)
    registration_id = path_id(request, "id")
    expected = document_key(core.keys, current.token, registration_id, "ktp")
    if not same_secret(request.query.get("k", ""), expected):
        raise web.HTTPNotFound()
    quad = parse_quad(request.query.get("q"))
    if quad is None:  # refused before anything is read or audited
        raise web.HTTPBadRequest(text="q must be eight numbers 0-10000: x1,y1,...,x4,y4")
    image = await core.review_cases.view_document(
        current.actor, registration_id, "ktp", ip=client_address(request)
    )
    if image is None:
        raise web.HTTPNotFound()
    try:
        row = await asyncio.to_thread(crop_row, image, quad)
    except Exception as exc:  # a box off the picture: nothing to show
        raise web.HTTPBadRequest(text="the box is outside the photo") from exc
    return web.Response(
        body=row, content_type="image/jpeg",
        headers={"Cache-Control": "no-store, private", "Content-Disposition": "inline"},
    )  # fmt: skip
