"""Measure how sharp and how well exposed a picture is."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# Sharpness is measured in square tiles of this many pixels. The pictures measured have a
# fixed size (the card rescaled to 1,000 px wide, or the whole photo at 1,000 px: see
# ``checks.PhotoLimits``), so a tile always covers the same share of the card or scene.
TILE = 100
# Clipped highlight: a grey level a camera only reaches when the sensor saturated.
CLIPPED_LEVEL = 250


@dataclass(frozen=True, slots=True)
class Region:
    """A rectangle in working-picture pixels."""

    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True, slots=True)
class Sharpness:
    """How much fine detail the picture keeps; higher is sharper."""

    score: float  # directional: what the checks decide on
    laplacian: float  # classic variance of the Laplacian, same tiles (reported, for comparison)


@dataclass(frozen=True, slots=True)
class Exposure:
    """Light in the picture, each value 0–1."""

    brightness: float  # mean grey level
    highlights: float  # 95th percentile: how bright the brightest parts (card, face) are
    clipped: float  # share of saturated pixels: glare from a lamp or the flash
    dark: float  # share of nearly black pixels


def shrink(gray: np.ndarray, long_side: int) -> np.ndarray:
    """Shrink ``gray`` so its long side is at most ``long_side`` (area averaging)."""
    h, w = gray.shape[:2]
    scale = long_side / max(h, w)
    if scale >= 1:
        return gray
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)


def _crop(gray: np.ndarray, region: Region | None) -> np.ndarray:
    if region is None:
        return gray
    return gray[region.y : region.y + region.h, region.x : region.x + region.w]


# Second derivative along 0°, 90°, 45° and 135°. A Laplacian is the sum of the first two,
# which is why it misses motion blur: a hand shaking sideways wipes out the horizontal
# detail, but the vertical detail (a text line's top and bottom) stays and keeps the
# Laplacian high. The score is weakest² ÷ strongest: the weakest direction, discounted by
# how lopsided the detail is. On the calibration set this puts Gaussian and motion blur that
# make small print equally unreadable (σ 2.2 px vs a 7-px shake) at the same score, which
# neither the Laplacian (×4.6 apart) nor the weakest direction alone (×1.9) does.
_DIRECTIONS = (
    np.array([[0, 0, 0], [1, -2, 1], [0, 0, 0]], np.float32),
    np.array([[0, 1, 0], [0, -2, 0], [0, 1, 0]], np.float32),
    np.array([[0, 0, 1], [0, -2, 0], [1, 0, 0]], np.float32) / 2,  # diagonal step is √2 longer
    np.array([[1, 0, 0], [0, -2, 0], [0, 0, 1]], np.float32) / 2,
)


def _tile_variance(values: np.ndarray) -> np.ndarray:
    """Return the variance of ``values`` in each full TILE×TILE tile (rows × cols array)."""
    h, w = values.shape
    rows, cols = h // TILE, w // TILE
    tiles = values[: rows * TILE, : cols * TILE].reshape(rows, TILE, cols, TILE)
    return tiles.var(axis=(1, 3))


def _stretch(gray: np.ndarray) -> np.ndarray:
    """Stretch ``gray``'s 1st–99th percentile to 0–255 (float32).

    Detail measures scale with contrast squared; without this a dim or hazy but sharp photo
    would be called blurry. A flat picture (no contrast at all) stays flat.
    """
    lo, hi = np.percentile(gray, (1, 99))
    if hi - lo < 8:
        return np.zeros(gray.shape, np.float32)
    return (gray.astype(np.float32) - np.float32(lo)) * np.float32(255.0 / (hi - lo))


def sharpness(gray: np.ndarray, *, tiled: bool = True) -> Sharpness:
    """Measure sharpness of ``gray``: lopsidedness-discounted detail, higher is sharper.

    Tiled (a card, a whole photo), the score is the 90th percentile over tiles: a
    whole-picture variance punishes a sharp card on a plain table or a face before a plain
    wall (most tiles have nothing to be sharp about), while the sharpest tenth of the tiles is
    where the text or the face is. Untiled (a face rescaled to a fixed size), the whole patch.
    """
    area = _stretch(gray)
    rows, cols = area.shape[0] // TILE, area.shape[1] // TILE
    if not tiled or rows * cols < 4:
        inner = (slice(2, -2), slice(2, -2))  # the filters' borders are made-up pixels
        lap = cv2.Laplacian(area, cv2.CV_32F, ksize=1)[inner]
        per_direction = [float(cv2.filter2D(area, -1, k)[inner].var()) for k in _DIRECTIONS]
        score = float(_combine(min(per_direction), max(per_direction)))
        return Sharpness(score, float(lap.var()))
    lap = _tile_variance(cv2.Laplacian(area, cv2.CV_32F, ksize=1))
    directional = np.stack([_tile_variance(cv2.filter2D(area, -1, k)) for k in _DIRECTIONS])
    score = _combine(directional.min(axis=0), directional.max(axis=0))
    return Sharpness(float(np.percentile(score, 90)), float(np.percentile(lap, 90)))


def _combine(weakest: np.ndarray | float, strongest: np.ndarray | float) -> np.ndarray:
    """Return weakest² ÷ strongest (0 where there is no detail at all)."""
    weak = np.asarray(weakest, dtype=np.float64)
    strong = np.asarray(strongest, dtype=np.float64)
    return np.where(strong > 0, weak * weak / np.maximum(strong, 1e-9), 0.0)


def exposure(gray: np.ndarray, region: Region | None = None) -> Exposure:
    """Measure brightness, bright parts, clipped highlights and darkness in ``gray``."""
    area = _crop(gray, region)
    if not area.size:
        area = gray
    hist = np.bincount(area.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    levels = np.arange(256, dtype=np.float64)
    cumulative = np.cumsum(hist) / total
    return Exposure(
        brightness=float((hist * levels).sum() / total / 255.0),
        highlights=float(np.searchsorted(cumulative, 0.95) / 255.0),
        clipped=float(hist[CLIPPED_LEVEL:].sum() / total),
        dark=float(hist[:20].sum() / total),
    )
