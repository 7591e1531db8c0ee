"""The checks of a KTP-el (or receipt) photo: the card, its resolution, blur, light, the NIK."""

from __future__ import annotations

import numpy as np

from bot.photos.decode import DecodedPhoto
from bot.photos.faces import detect_faces
from bot.photos.ktp_fields import parse_fields
from bot.photos.limits import PhotoLimits
from bot.photos.measures import CardSighting, check_exposure, resize_long
from bot.photos.ocr import OcrStatus, plausible_nik, read_nik
from bot.photos.quality import Region, sharpness
from bot.photos.read_ktp import level
from bot.photos.verdict import PhotoProblem


def check_ktp(
    photo: DecodedPhoto,
    gray: np.ndarray,
    work: np.ndarray,
    card: CardSighting | None,
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
    patch = resize_long(patch, limits.card_width)
    sharp = sharpness(patch)
    flags.update(blur=round(sharp.score, 1), blur_laplacian=round(sharp.laplacian, 1))
    flags["blur_basis"] = basis
    if sharp.score < limits.ktp_blur_hard:
        problems.append(PhotoProblem("ktp-blurry", True))
    elif sharp.score < limits.ktp_blur_soft:
        problems.append(PhotoProblem("ktp-slightly-blurry", False))

    region = card.box() if card is not None and inside else None  # work pixels
    check_exposure("ktp", work, region, limits.glare_soft_ktp, limits, problems, flags)

    # The pas foto on the card: reported for the verifier, never a problem (a receipt may
    # have none, and Haar misses some printed photos). Searched on the card only, scaled so
    # the photo (~19 % of the card's width) is ~75 px: a few milliseconds instead of ~100.
    if card is not None and inside:
        box = card.box()
        patch = resize_long(work[box.y : box.y + box.h, box.x : box.x + box.w], 400)
        faces = detect_faces(patch, min_size=32, min_neighbors=4)
        flags.update(faces=len(faces), card_photo_visible=bool(faces))
    else:
        flags.update(faces=None, card_photo_visible=None)
    return card_box


# --------------------------------------------------------------------------- OCR


def check_ocr(
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
    patch = resize_long(patch, limits.ocr_side) if max(patch.shape) > limits.ocr_side else patch
    # A card held a few degrees off level loses Tesseract's lines (0 of 12 NIKs read at 7°,
    # bench/ktp_ocr.py): level its text rows first (~30 ms).
    patch, _ = level(patch, least=1.0)
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
    if result.lines:
        # The name and birth date from the same pass, for the citizen to confirm instead of
        # typing (personal data: ``PhotoService`` takes them out of the flags).
        fields = parse_fields(list(result.lines))
        flags["ocr_name"] = fields.full_name
        flags["ocr_birth_date"] = fields.birth_date.isoformat() if fields.birth_date else None
        flags["ocr_fields_confident"] = fields.confident and fields.nik == result.nik


def _digits(nik: str | None) -> str | None:
    """Return ``nik`` without spaces/dots/dashes if it is 16 digits, else None."""
    if not nik:
        return None
    compact = "".join(ch for ch in nik if ch not in " .-")
    return compact if len(compact) == 16 and compact.isdigit() else None
