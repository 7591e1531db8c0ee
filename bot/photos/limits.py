"""Every limit and threshold of the photo checks, in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PhotoLimits:
    """Every limit and threshold of the checks (defaults calibrated, see the README)."""

    # --- the file
    max_bytes: int = 20 * 1024 * 1024  # Telegram's getFile limit; WhatsApp images are ≤ 5 MB
    # Declared pixels, checked on the header before decoding. Below Pillow's own
    # MAX_IMAGE_PIXELS (89.5 M), so Pillow never warns, and a 64-MP phone photo still fits.
    max_pixels: int = 80_000_000
    # Pixels held whole in memory while decoding: a PNG's or WebP's (they cannot be decoded at
    # a reduced scale like JPEG), a progressive JPEG's (libjpeg keeps all its coefficients) and
    # a JPEG's after DCT scaling. 16 MP is a real phone photo (12–16 MP) and ~110 MB at worst
    # (RGBA); a screenshot is ~3 MP. A 5000×4990 RGBA PNG (25 MP, 106 KB) took 480 MB.
    max_pixels_full_decode: int = 16_000_000
    # Seconds a decode may wait for its share of the process's decode memory
    # (TLIVE_DECODE_MEMORY_MB) before the citizen is asked to send the photo again.
    decode_wait: float = 20.0
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
