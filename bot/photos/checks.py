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
from dataclasses import dataclass, field
from enum import StrEnum

import cv2
import numpy as np

from bot.photos.card import CardRegion, find_card
from bot.photos.decode import DecodedPhoto, PhotoRefusedError, decode, encode_jpeg
from bot.photos.faces import Face, confirm_face, detect_faces
from bot.photos.ocr import OcrStatus, plausible_nik, read_nik
from bot.photos.quality import Region, exposure, sharpness, shrink

log = logging.getLogger(__name__)


class PhotoKind(StrEnum):
    """Which photo the SOP asks for."""

    KTP = "ktp"  # the KTP-el, or the receipt (resi) issued while it is printed
    SELFIE = "selfie"  # the citizen's face with that KTP/resi held in hand


@dataclass(frozen=True, slots=True)
class PhotoProblem:
    """One thing wrong with a photo; ``key`` is a message id in ``locales/id/photos.ftl``."""

    key: str
    hard: bool  # a hard problem refuses the photo; a soft one is only a warning


@dataclass(frozen=True, slots=True)
class PhotoLimits:
    """Every limit and threshold of the checks (defaults calibrated, see the README)."""

    # --- the file
    max_bytes: int = 20 * 1024 * 1024  # Telegram's getFile limit; WhatsApp images are ≤ 5 MB
    # Declared pixels, checked on the header before decoding. Below Pillow's own
    # MAX_IMAGE_PIXELS (89.5 M), so Pillow never warns, and a 64-MP phone photo still fits.
    max_pixels: int = 80_000_000
    # PNG/WebP cannot be decoded at a reduced scale like JPEG: 25 MP is ~75 MB of RGB,
    # far above any phone screenshot (~3 MP) or PNG a citizen would send.
    max_pixels_full_decode: int = 25_000_000
    # --- resolution (after EXIF rotation)
    min_long_side: int = 640  # smaller: a thumbnail or a forwarded preview, unreadable
    min_short_side: int = 360
    ktp_min_card_width: int = 1000  # px across the card itself; below, small print blurs
    # --- what is stored
    # 2,000 px keeps the KTP's smallest print ~20 px high and a selfie face ~400 px wide,
    # plenty for a verifier, at ~0.5 MB instead of 3–5 MB for a 12-MP original; and keeping
    # less biometric detail than the camera captured is what UU PDP's minimisation asks.
    store_side: int = 2000
    jpeg_quality: int = 90
    # --- blur (directional detail score, higher = sharper; see quality.sharpness)
    work_side: int = 1000  # long side of the picture the whole-image checks run on
    card_width: int = 1000  # the card is rescaled to this width before measuring its blur
    # On a 1,000-px card: hard ≈ Gaussian σ 2.3 px or a 7-px shake, where OCR loses most of
    # the small print; soft ≈ σ 1.6 px or a 5-px shake, still readable but soft.
    ktp_blur_hard: float = 8.0
    ktp_blur_soft: float = 25.0
    face_side: int = 128  # the face is rescaled to this square before measuring its blur
    # Hard ≈ σ 2.3 % of the face width (a 5 % shake): eyes and mouth smeared; soft ≈ σ 1.5 %.
    face_blur_hard: float = 1.0
    face_blur_soft: float = 3.0
    selfie_blur_hard: float = 2.0  # whole picture, used only when no face was found
    # --- exposure (0–1)
    dark_hard: float = 0.20  # even the brightest 5 % of the subject are this dark
    dark_soft: float = 0.45
    glare_soft_ktp: float = 0.02  # share of the card clipped white: a spot can hide digits
    glare_soft_selfie: float = 0.25  # selfies often have a bright window; only warn if big
    glare_hard: float = 0.40  # this much clipped white is a washed-out picture
    # --- faces (fractions of the picture's short side)
    face_min: float = 0.09  # smaller faces are never the citizen (card photo, background)
    face_small: float = 0.12  # citizen's face smaller than this: warn "come closer"
    face_second_ratio: float = 0.5  # a second face this big relative to the largest is a person
    face_edge_margin: float = 0.02  # a face box closer than this to an edge: head cut off
    # --- OCR
    ocr_timeout: float = 10.0  # seconds; Tesseract is killed after this
    ocr_side: int = 1400  # long side of what Tesseract reads: NIK digits ~40 px high


DEFAULT_LIMITS = PhotoLimits()


@dataclass(frozen=True, slots=True)
class PhotoVerdict:
    """The outcome of ``check_photo``.

    ``width``/``height`` are those of ``clean_jpeg`` (upright, capped to ``store_side``);
    for a refused photo they are the upright size of the upload, or 0 if it never decoded.
    """

    accepted: bool
    problems: tuple[PhotoProblem, ...]
    clean_jpeg: bytes | None
    width: int
    height: int
    flags: dict[str, object] = field(default_factory=dict)

    @property
    def hard_problems(self) -> tuple[PhotoProblem, ...]:
        """Return the problems that refuse the photo."""
        return tuple(p for p in self.problems if p.hard)

    @property
    def warnings(self) -> tuple[PhotoProblem, ...]:
        """Return the soft problems (shown with ``photo-ok-with-warning``)."""
        return tuple(p for p in self.problems if not p.hard)

    @property
    def keys(self) -> tuple[str, ...]:
        """Return the problem keys, hard ones first."""
        return tuple(p.key for p in self.problems)


# Every key check_photo can return, hard or soft; each has a message in photos.ftl. Quality
# problems have one key per kind because the advice differs: a KTP lies on a table, a
# selfie is taken facing the light.
PROBLEM_KEYS: frozenset[str] = frozenset(
    {
        "photo-not-image",
        "photo-format",
        "photo-too-big",
        "photo-too-many-pixels",
        "photo-corrupt",
        "photo-too-small",
        "photo-check-failed",
        *(
            f"{kind}-{problem}"
            for kind in ("ktp", "selfie")
            for problem in (
                "blurry",
                "slightly-blurry",
                "too-dark",
                "dark",
                "too-bright",
                "glare",
            )
        ),
        "ktp-low-resolution",
        "ktp-card-cut",
        "ktp-nik-unreadable",
        "ktp-not-recognized",
        "ktp-nik-mismatch",
        "selfie-no-face",
        "selfie-many-faces",
        "selfie-face-small",
        "selfie-face-cut",
    }
)


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
    card = _find_card(work)
    card_box: Region | None = None
    if kind is PhotoKind.KTP:
        card_box = _check_ktp(photo, gray, work, card, limits, problems, flags)
    else:
        _check_selfie(gray, work, card, limits, problems, flags)

    accepted = not any(p.hard for p in problems)
    if kind is PhotoKind.KTP and not ocr:
        flags["ocr"] = "off"
    elif kind is PhotoKind.KTP and accepted:  # a refused photo is retaken: don't read it
        _check_ocr(gray, card_box, typed_nik, limits, problems, flags)

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


# --------------------------------------------------------------------------- card


@dataclass(frozen=True, slots=True)
class _Card:
    """The card found at the 500-px search scale, with a factor back to working pixels."""

    region: CardRegion
    to_work: float  # multiply search-scale coordinates by this for working-picture pixels

    def box(self, scale: float = 1.0) -> Region:
        """Return the card's box in working pixels, times ``scale``."""
        f = self.to_work * scale
        r = self.region
        return Region(int(r.x * f), int(r.y * f), max(1, int(r.w * f)), max(1, int(r.h * f)))


def _find_card(work: np.ndarray) -> _Card | None:
    """Look for the card on a 500-px copy of ``work``."""
    search = shrink(work, 500)  # the outline of a card needs no detail; 500 px is plenty
    region = find_card(search)
    if region is None:
        return None
    # ``work`` and ``search`` are both shrunk from the stored picture; go via the long side.
    return _Card(region, 1.0 / (max(search.shape) / max(work.shape)))


# --------------------------------------------------------------------------- KTP


def _check_ktp(
    photo: DecodedPhoto,
    gray: np.ndarray,
    work: np.ndarray,
    card: _Card | None,
    limits: PhotoLimits,
    problems: list[PhotoProblem],
    flags: dict[str, object],
) -> Region | None:
    """Check a KTP photo; return the card's box in stored pixels if all of it is visible."""
    work_to_stored = max(gray.shape) / max(work.shape)
    stored_to_original = max(photo.original_width, photo.original_height) / max(gray.shape)
    inside = card is not None and card.region.edges_touched == 0
    flags["card_found"] = inside
    if card is not None and not inside:
        problems.append(PhotoProblem("ktp-card-cut", False))
    flags["card_edges_touched"] = card.region.edges_touched if card else None

    # How wide the card is in the camera's pixels: the card if we see all of it, otherwise
    # assume the card fills the frame (what a cut or very close card looks like).
    card_box: Region | None = None
    card_width = float(max(photo.original_width, photo.original_height))
    if card is not None and inside:
        card_box = card.box(work_to_stored)  # stored pixels
        card_width = card_box.w * stored_to_original
    flags["card_width_px"] = round(card_width)
    if card_width < limits.ktp_min_card_width:
        problems.append(PhotoProblem("ktp-low-resolution", False))

    # Blur on the card scaled to a fixed width: the threshold then means "how smeared is the
    # print", whatever the camera's resolution and however far away it was held.
    if card_box is not None:
        patch = gray[card_box.y : card_box.y + card_box.h, card_box.x : card_box.x + card_box.w]
        basis = "card"
    else:
        patch, basis = gray, "image"
    patch = _resize_long(patch, limits.card_width)
    sharp = sharpness(patch)
    flags.update(blur=round(sharp.score, 1), blur_laplacian=round(sharp.laplacian, 1))
    flags["blur_basis"] = basis
    if sharp.score < limits.ktp_blur_hard:
        problems.append(PhotoProblem("ktp-blurry", True))
    elif sharp.score < limits.ktp_blur_soft:
        problems.append(PhotoProblem("ktp-slightly-blurry", False))

    region = card.box() if card is not None and inside else None  # work pixels
    _check_exposure("ktp", work, region, limits.glare_soft_ktp, limits, problems, flags)

    # The pas foto on the card: reported for the verifier, never a problem (a receipt may
    # have none, and Haar misses some printed photos). Searched on the card only, scaled so
    # the photo (~19 % of the card's width) is ~75 px: a few milliseconds instead of ~100.
    if card is not None and inside:
        box = card.box()
        patch = _resize_long(work[box.y : box.y + box.h, box.x : box.x + box.w], 400)
        faces = detect_faces(patch, min_size=32, min_neighbors=4)
        flags.update(faces=len(faces), card_photo_visible=bool(faces))
    else:
        flags.update(faces=None, card_photo_visible=None)
    return card_box


def _resize_long(gray: np.ndarray, width: int) -> np.ndarray:
    """Scale ``gray`` so its long side is ``width`` (shrink by area, enlarge bilinearly)."""
    h, w = gray.shape
    scale = width / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(gray, size, interpolation=interpolation)


# --------------------------------------------------------------------------- selfie


def _check_selfie(
    gray: np.ndarray,
    work: np.ndarray,
    card: _Card | None,
    limits: PhotoLimits,
    problems: list[PhotoProblem],
    flags: dict[str, object],
) -> None:
    """Check a selfie: one confirmed face, big, sharp and well lit, apart from the card's."""
    short = min(work.shape)
    # Only faces big enough to be the citizen: searching for the small pas foto on the held
    # card over the whole picture would cost ~3× more (see _faces).
    faces = _faces(work, min_fraction=limits.face_min, search_short=360)
    card_box = card.box() if card is not None else None  # work pixels
    flags["card_found"] = card is not None
    people: list[Face] = []
    card_faces: list[Face] = []
    for face in faces:
        # A face on the held card, or one the second cascade does not confirm (the first
        # also fires on the KTP's whole pas foto at a larger scale), is the card's.
        on_card = card_box is not None and _inside(face, card_box)
        if on_card or not confirm_face(work, face):
            card_faces.append(face)
        else:
            people.append(face)
    # Faces far smaller than the biggest are the pas foto or someone far behind: not a
    # second person.
    largest = people[0].w if people else 0
    card_faces += [f for f in people if f.w < limits.face_second_ratio * largest]
    people = [f for f in people if f.w >= limits.face_second_ratio * largest]
    if card_box is not None and not card_faces:
        patch = work[card_box.y : card_box.y + card_box.h, card_box.x : card_box.x + card_box.w]
        card_faces = detect_faces(_resize_long(patch, 400), min_size=32, min_neighbors=4)
    flags.update(
        faces=len(people),
        # None: no card found, so the pas foto was not looked for.
        card_face_visible=bool(card_faces) if card_box is not None or card_faces else None,
        largest_face=round(people[0].w / short, 3) if people else None,
    )
    _check_exposure("selfie", work, None, limits.glare_soft_selfie, limits, problems, flags)
    if not people:
        problems.append(PhotoProblem("selfie-no-face", True))
        sharp = sharpness(work)
        flags.update(blur=round(sharp.score, 1), blur_laplacian=round(sharp.laplacian, 1))
        flags["blur_basis"] = "image"
        if sharp.score < limits.selfie_blur_hard:
            problems.append(PhotoProblem("selfie-blurry", True))
        return
    if len(people) > 1:
        # Soft: a relative who helps an older citizen often ends up in the picture; the
        # verifier can still tell whose face matches the KTP.
        problems.append(PhotoProblem("selfie-many-faces", False))
    face = people[0]
    if face.w < limits.face_small * short:
        problems.append(PhotoProblem("selfie-face-small", False))
    # The cascade's box is the face from brow to chin; a box this close to the edge means
    # the head (hair, ears, chin) is cut off. Faces cut further are not found at all.
    h, w = work.shape
    m = limits.face_edge_margin * short
    if face.x < m or face.y < m or face.x + face.w > w - m or face.y + face.h > h - m:
        problems.append(PhotoProblem("selfie-face-cut", False))

    # Blur on the face scaled to a fixed size: what matters is whether the verifier can
    # compare it with the KTP photo, however near the camera was.
    scale = max(gray.shape) / max(work.shape)
    x, y, fw, fh = (round(v * scale) for v in (face.x, face.y, face.w, face.h))
    patch = gray[y : y + fh, x : x + fw]
    patch = _resize_long(patch, limits.face_side)
    sharp = sharpness(patch, tiled=False)
    flags.update(blur=round(sharp.score, 1), blur_laplacian=round(sharp.laplacian, 1))
    flags["blur_basis"] = "face"
    if sharp.score < limits.face_blur_hard:
        problems.append(PhotoProblem("selfie-blurry", True))
    elif sharp.score < limits.face_blur_soft:
        problems.append(PhotoProblem("selfie-slightly-blurry", False))


def _inside(face: Face, box: Region) -> bool:
    """Tell whether ``face``'s centre lies in ``box``."""
    cx, cy = face.center
    return box.x <= cx <= box.x + box.w and box.y <= cy <= box.y + box.h


def _faces(work: np.ndarray, *, min_fraction: float, search_short: int) -> list[Face]:
    """Detect faces at least ``min_fraction`` of the short side, in ``work`` coordinates.

    Haar's cost grows with (picture size ÷ smallest face)², so the picture is shrunk until the
    smallest face wanted is the cascade's native 24 px: same faces, a fraction of the time.
    """
    h, w = work.shape
    scale = min(1.0, search_short / min(h, w))
    search = work if scale >= 1 else shrink(work, round(max(h, w) * scale))
    min_size = max(24, round(min_fraction * min(search.shape)))
    back = max(h, w) / max(search.shape)
    return [
        Face(round(f.x * back), round(f.y * back), round(f.w * back), round(f.h * back))
        for f in detect_faces(search, min_size=min_size)
    ]


# --------------------------------------------------------------------------- exposure


def _check_exposure(
    prefix: str,
    work: np.ndarray,
    region: Region | None,
    glare_soft: float,
    limits: PhotoLimits,
    problems: list[PhotoProblem],
    flags: dict[str, object],
) -> None:
    """Check for too little light and for clipped white (glare, a washed-out picture)."""
    light = exposure(work, region)
    flags.update(
        brightness=round(light.brightness, 3),
        highlights=round(light.highlights, 3),
        clipped=round(light.clipped, 4),
        dark=round(light.dark, 3),
    )
    if light.highlights < limits.dark_hard:
        problems.append(PhotoProblem(f"{prefix}-too-dark", True))
    elif light.highlights < limits.dark_soft:
        problems.append(PhotoProblem(f"{prefix}-dark", False))
    if light.clipped >= limits.glare_hard:
        problems.append(PhotoProblem(f"{prefix}-too-bright", True))
    elif light.clipped >= glare_soft:
        problems.append(PhotoProblem(f"{prefix}-glare", False))


# --------------------------------------------------------------------------- OCR


def _check_ocr(
    gray: np.ndarray,
    card_box: Region | None,
    typed_nik: str | None,
    limits: PhotoLimits,
    problems: list[PhotoProblem],
    flags: dict[str, object],
) -> None:
    """Read the NIK, compare it with the typed one, and warn if the card looks unreadable."""
    # Only the card (with a margin) when we found all of it: less to read, no table texture.
    if card_box is not None:
        box, m = card_box, round(0.03 * card_box.w)
        patch = gray[max(0, box.y - m) : box.y + box.h + m, max(0, box.x - m) : box.x + box.w + m]
    else:
        patch = gray
    patch = _resize_long(patch, limits.ocr_side) if max(patch.shape) > limits.ocr_side else patch
    result = read_nik(patch, timeout=limits.ocr_timeout)
    flags.update(ocr=str(result.status), ocr_lang=result.lang, ocr_nik=result.nik)
    flags["ocr_keywords"] = result.keywords
    typed = _digits(typed_nik)
    flags["nik_mismatch"] = False
    if result.nik is not None and typed is not None and result.nik != typed:
        flags["nik_mismatch"] = True
        # One or two differing digits is more likely an OCR slip than another person's card.
        flags["nik_digits_differ"] = sum(a != b for a, b in zip(result.nik, typed, strict=True))
        problems.append(PhotoProblem("ktp-nik-mismatch", False))
    if result.status is OcrStatus.NO_NIK:
        key = "ktp-nik-unreadable" if result.keywords >= 2 else "ktp-not-recognized"
        problems.append(PhotoProblem(key, False))
    if result.nik is not None:
        flags["ocr_nik_plausible"] = plausible_nik(result.nik)


def _digits(nik: str | None) -> str | None:
    """Return ``nik`` without spaces/dots/dashes if it is 16 digits, else None."""
    if not nik:
        return None
    compact = "".join(ch for ch in nik if ch not in " .-")
    return compact if len(compact) == 16 and compact.isdigit() else None
