"""Check a citizen's KTP photo or selfie before a human verifier sees it: bytes in, verdict out.

``check_photo`` is synchronous and CPU-bound; run it in a thread pool. It never raises on what
a citizen sends: anything unusable comes back as a refused verdict whose problem keys are
Fluent message ids in ``locales/id/photos.ftl``.

Thresholds were calibrated on the synthetic photos of ``tests/photos/factory.py``; the method
and numbers are in ``bot/photos/README.md``.

``PhotoVerdict.flags`` can hold the NIK read by OCR: it is personal data, store it with the
request, never log it.
"""

from __future__ import annotations

import logging
import time

import cv2

from bot.photos.decode import PhotoRefusedError, decode, encode_jpeg
from bot.photos.ktp import check_ktp, check_ocr
from bot.photos.limits import DEFAULT_LIMITS, PhotoLimits
from bot.photos.measures import locate_card
from bot.photos.quality import Region, shrink
from bot.photos.selfie import check_selfie
from bot.photos.verdict import PhotoKind, PhotoProblem, PhotoVerdict

log = logging.getLogger(__name__)


def check_photo(
    data: bytes,
    kind: PhotoKind,
    *,
    typed_nik: str | None = None,
    ocr: bool = True,
    limits: PhotoLimits = DEFAULT_LIMITS,
) -> PhotoVerdict:
    """Check one uploaded photo of ``kind``; never raise on what the citizen sent."""
    kind = PhotoKind(kind)  # a wrong kind is a programming error: let it raise
    started = time.perf_counter()
    # The OCR keys are always present, so a verifier screen can read them for any verdict.
    flags: dict[str, object] = {
        "kind": str(kind),
        "ocr": "skipped",
        "ocr_nik": None,
        "nik_mismatch": False,
    }
    try:
        verdict = _check(data, kind, typed_nik, ocr, limits, flags)
    except Exception:
        # A bug or an OpenCV surprise on a picture that decoded fine. The traceback names no
        # image content or NIK; the citizen is asked to send the photo again.
        log.exception("photo check failed (kind=%s)", kind)
        verdict = _refused("photo-check-failed", flags)
    flags["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return verdict


def _refused(key: str, flags: dict[str, object], width: int = 0, height: int = 0) -> PhotoVerdict:
    """Return a verdict refusing the photo for the hard problem ``key``, keeping no image."""
    return PhotoVerdict(False, (PhotoProblem(key, True),), None, width, height, flags)


def _check(
    data: object,
    kind: PhotoKind,
    typed_nik: str | None,
    ocr: bool,
    limits: PhotoLimits,
    flags: dict[str, object],
) -> PhotoVerdict:
    """Run the checks in order, cheapest refusals first; fill ``flags`` on the way."""
    if not isinstance(data, bytes | bytearray | memoryview):
        return _refused("photo-not-image", flags)
    data = bytes(data)
    flags["bytes"] = len(data)
    if not data:
        return _refused("photo-not-image", flags)
    if len(data) > limits.max_bytes:
        return _refused("photo-too-big", flags)
    try:
        photo = decode(
            data,
            max_pixels=limits.max_pixels,
            max_pixels_full_decode=limits.max_pixels_full_decode,
            max_side=limits.store_side,
            wait=limits.decode_wait,
        )
    except PhotoRefusedError as refusal:
        return _refused(refusal.key, flags)
    flags.update(
        format=photo.format,
        original_width=photo.original_width,
        original_height=photo.original_height,
        orientation=photo.orientation,
    )
    long_side = max(photo.original_width, photo.original_height)
    short_side = min(photo.original_width, photo.original_height)
    if long_side < limits.min_long_side or short_side < limits.min_short_side:
        return _refused("photo-too-small", flags, photo.original_width, photo.original_height)

    problems: list[PhotoProblem] = []
    gray = cv2.cvtColor(photo.rgb, cv2.COLOR_RGB2GRAY)  # at stored size (≤ store_side)
    work = shrink(gray, limits.work_side)
    card = locate_card(work)
    card_box: Region | None = None
    if kind is PhotoKind.KTP:
        card_box = check_ktp(photo, gray, work, card, limits, problems, flags)
    else:
        check_selfie(gray, work, card, limits, problems, flags)

    accepted = not any(p.hard for p in problems)
    if kind is PhotoKind.KTP and not ocr:
        flags["ocr"] = "off"
    elif kind is PhotoKind.KTP and accepted:  # a refused photo is retaken: don't read it
        check_ocr(gray, card_box, typed_nik, limits, problems, flags)

    problems = _dedupe(problems)
    height, width = photo.rgb.shape[:2]
    clean = encode_jpeg(photo.rgb, limits.jpeg_quality) if accepted else None
    return PhotoVerdict(accepted, tuple(problems), clean, width, height, flags)


def _dedupe(problems: list[PhotoProblem]) -> list[PhotoProblem]:
    """Keep the first of each key, hard problems first (the order citizens should fix them)."""
    seen: set[str] = set()
    unique: list[PhotoProblem] = []
    for problem in sorted(problems, key=lambda p: not p.hard):
        if problem.key not in seen:
            seen.add(problem.key)
            unique.append(problem)
    return unique
