"""Synthetic KTPs with varied names, NIKs and birth dates, and the damage phones do to them.

For the KTP reading's tests and ``bench/ktp_ocr.py``. Nothing here is a real person: names are
drawn from common Indonesian given names and family names, NIKs are built from the birth date
(women: day + 40) with Kota Tangerang's code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from tests.photos.factory import ktp_card, ktp_photo, to_jpeg

GIVEN = ("SITI", "AMINAH", "DEWI", "RINA", "BUDI", "AHMAD", "SRI", "NUR", "AGUS", "HENDRA",
         "YULIANTI", "MUHAMMAD", "WAHYU", "FITRIANI", "JOKO", "RATNA", "IWAN")  # fmt: skip
FAMILY = ("SANTOSO", "HIDAYAT", "RAHAYU", "PURNAMA", "SETIAWAN", "KURNIAWAN", "WIJAYA",
          "SUSANTI", "HASANAH", "SAPUTRA", "NURHAYATI", "GUNAWAN")  # fmt: skip
PLACES = ("TANGERANG", "JAKARTA", "BOGOR", "SERANG", "BANDUNG", "LEBAK", "CIREBON")
KECAMATAN_CODES = ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13")
DAMAGE = ("clean", "blur", "rotate", "jpeg40", "glare")


@dataclass(frozen=True, slots=True)
class Sample:
    """One synthetic card: what is printed on it, and its photo as JPEG bytes."""

    nik: str
    name: str
    place: str
    born: date
    damage: str
    jpeg: bytes


def person(seed: int) -> tuple[str, str, str, date]:
    """Return a made-up (NIK, name, place, birth date), the NIK consistent with the date."""
    rng = random.Random(seed)
    name = " ".join(
        [rng.choice(GIVEN), rng.choice(GIVEN), rng.choice(FAMILY)][: rng.choice((2, 3))]
    )
    born = date(1945, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
    female = rng.random() < 0.5
    day = born.day + (40 if female else 0)
    serial = f"{rng.randrange(1, 9999):04d}"
    nik = f"3671{rng.choice(KECAMATAN_CODES)}{day:02d}{born.month:02d}{born.year % 100:02d}{serial}"
    return nik, name, rng.choice(PLACES), born


def damaged(im: Image.Image, damage: str, seed: int = 0) -> bytes:
    """Return ``im`` as a JPEG after ``damage``: clean, blur, rotate (7°), jpeg40, glare."""
    if damage == "blur":
        return to_jpeg(im.filter(ImageFilter.GaussianBlur(1.6)))
    if damage == "rotate":
        return to_jpeg(im.rotate(7, resample=Image.Resampling.BICUBIC, fillcolor=(110, 85, 60)))
    if damage == "jpeg40":
        return to_jpeg(im, quality=40)
    if damage == "glare":
        return to_jpeg(_glare(im, seed))
    return to_jpeg(im)


def _glare(im: Image.Image, seed: int) -> Image.Image:
    """Add a soft white reflection on the card's right half (a lamp's spot, not on the NIK)."""
    rng = random.Random(seed)
    w, h = im.size
    mask = Image.new("L", im.size, 0)
    cx, cy = int(w * rng.uniform(0.55, 0.75)), int(h * rng.uniform(0.35, 0.65))
    r = int(min(w, h) * 0.12)
    ImageDraw.Draw(mask).ellipse((cx - r, cy - r, cx + r, cy + r), fill=235)
    mask = mask.filter(ImageFilter.GaussianBlur(r / 3))
    white = Image.new("RGB", im.size, (255, 255, 255))
    return Image.composite(white, im, mask)


def sample(seed: int, damage: str = "clean") -> Sample:
    """Return synthetic card number ``seed`` photographed with ``damage``."""
    nik, name, place, born = person(seed)
    card = ktp_card(nik, name=name, birth=f"{place}, {born:%d-%m-%Y}")
    photo = ktp_photo(nik, card=card, seed=seed % 7 + 1)
    return Sample(nik, name, place, born, damage, damaged(photo, damage, seed))


def gray_noise(shape: tuple[int, int], seed: int = 0) -> np.ndarray:
    """Return a grey picture with no text at all (for "nothing read")."""
    return np.random.default_rng(seed).integers(0, 255, shape, dtype=np.uint8)
