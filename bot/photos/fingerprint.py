"""Perceptual fingerprints of a stored photo: a 64-bit difference hash and a screen-grid score.

Both feed fraud *hints* for the verifier, never a refusal:

* :func:`dhash64` finds the same picture sent again (recompressed, resized, lightly cropped) for
  another NIK. Measured on the real public-domain portraits under ``tests/photos`` (28
  variants of two people): the same picture recompressed at JPEG q40 or halved moves ≤ 1 bit,
  cut 1 % at each edge ≤ 6 bits (2 %: ≤ 10, 3 %: ≤ 11, so a re-cropped picture is often
  missed); two different people are ≥ 17 bits apart. ``MATCH_BITS`` (7) sits between. A
  perceptual hash ignores small details by design: two KTP photos framed the same way on the
  same desk that differ only in their printed text (the synthetic test cards) are 0–3 bits
  apart, so for KTPs the hint means "the same photo, or a card shot exactly alike".
* :func:`screen_score` tells a photo of a screen (a KTP shown on another phone or a monitor) by
  the pixel grid it leaves: sharp isolated peaks in the Fourier spectrum of a full-resolution
  crop, measured as how far the strongest peak rises above its neighbourhood (log units).
  Measured: real photos and synthetic KTPs/selfies (49 images, JPEG q25–q92, blur, glare)
  score ≤ 1.7; a screen grid of 3–7 px at 0–11° (JPEG q80) scores ≥ 3.3, except a grid whose
  pitch divides JPEG's 8-pixel blocks exactly and lies square to the picture (its peaks
  coincide with the block frequencies, which are ignored). ``SCREEN_SCORE`` is 2.5.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError

MATCH_BITS = 7
SCREEN_SCORE = 2.5
BANDS = 4  # 16-bit bands of the 64-bit hash
_CROP = 512  # side of the centre crop the screen check looks at, in original pixels


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A photo's perceptual hash (unsigned 64-bit; None for a flat picture) and screen score."""

    dhash: int | None
    screen: float

    @property
    def looks_like_screen(self) -> bool:
        """Tell whether the photo seems to be a picture of a screen."""
        return self.screen >= SCREEN_SCORE


def fingerprint(data: bytes) -> Fingerprint | None:
    """Return a stored photo's fingerprint, or None when it cannot be decoded."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            gray = im.convert("L")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return Fingerprint(dhash64(gray), screen_score(gray))


def dhash64(image: Image.Image) -> int | None:
    """Return the 64-bit difference hash: is each of 8×8 cells brighter than its left one.

    None for a picture with no contrast at that scale (a flat colour): its hash would say
    nothing, and every such picture would "match".
    """
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    cells = np.asarray(small, dtype=np.int16)
    if int(cells.max()) - int(cells.min()) < 4:
        return None
    bits = (cells[:, 1:] > cells[:, :-1]).flatten()
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return value


def hamming(a: int, b: int) -> int:
    """Return how many bits two 64-bit hashes differ in."""
    return ((a ^ b) & 0xFFFF_FFFF_FFFF_FFFF).bit_count()


def bands(value: int) -> list[int]:
    """Return the hash's four 16-bit bands, each tagged with its number (band × 65536 + bits)."""
    return [(i << 16) | ((value >> (16 * i)) & 0xFFFF) for i in range(BANDS)]


def probes(value: int) -> list[int]:
    """Return the band keys a photo within ``MATCH_BITS`` bits must share at least one of.

    Seven differing bits spread over four bands leave one band with at most one of them
    (pigeonhole), so each band and its 16 one-bit neighbours (68 keys) find every such photo.
    """
    keys: list[int] = []
    for key in bands(value):
        keys.append(key)
        keys.extend(key ^ (1 << bit) for bit in range(16))
    return keys


def to_signed(value: int) -> int:
    """Return an unsigned 64-bit hash as the signed number a BIGINT column holds."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    """Return the unsigned 64-bit hash of a stored signed number."""
    return value + (1 << 64) if value < 0 else value


def screen_score(image: Image.Image) -> float:
    """Return how strongly a full-resolution centre crop shows a periodic (screen) grid."""
    gray = image.convert("L")
    width, height = gray.size
    side = min(_CROP, width, height)
    if side < 64:
        return 0.0
    left, top = (width - side) // 2, (height - side) // 2
    pixels = np.asarray(gray.crop((left, top, left + side, top + side)), dtype=np.float32)
    pixels -= pixels.mean()
    window = np.hanning(side)[:, None] * np.hanning(side)[None, :]
    spectrum = np.log1p(np.abs(np.fft.fftshift(np.fft.fft2(pixels * window)))).astype(np.float32)
    # A peak counts by how far it rises above its own neighbourhood: natural pictures have a
    # smooth spectrum, a grid a few needles.
    residual = spectrum - cv2.blur(spectrum, (17, 17))
    centre = side // 2
    yy, xx = np.mgrid[-centre : side - centre, -centre : side - centre]
    radius = np.hypot(yy, xx)
    block = max(side // 8, 1)

    def on_block_grid(v: np.ndarray) -> np.ndarray:
        rest = np.abs(v) % block
        return (rest <= 1) | (block - rest <= 1)

    # Low frequencies are the picture itself (text lines, edges); the axes carry the crop's
    # borders; JPEG's 8×8 blocks put peaks at multiples of side/8.
    mask = (
        (radius > side / 12)
        & (radius < side / 2 - 8)
        & (np.abs(yy) > 3)
        & (np.abs(xx) > 3)
        & ~(on_block_grid(yy) & on_block_grid(xx))
    )
    return float(residual[mask].max()) if mask.any() else 0.0
