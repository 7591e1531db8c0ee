"""Selfie-like pictures of real people from public-domain portraits that ship in packages.

Two portraits, both public domain as works of the United States government:

* ``astronaut``: NASA's portrait of astronaut Eileen Collins, shipped in scikit-image's wheel
  (``skimage/data/astronaut.png``, read from disk: ``skimage.data`` imports slowly).
* ``hopper``: the U.S. Navy's 1984 portrait of Commodore Grace M. Hopper (then 77), shipped in
  matplotlib's wheel as ``mpl-data/sample_data/grace_hopper.jpg``; copied unchanged to
  ``tests/photos/data/grace_hopper.jpg`` so the tests need no matplotlib.

Only two people: no package we can reach ships public-domain photos of more (no hijab, no
Asian face). The variants turn, tilt, shrink, darken and recompress them the way a phone
selfie does; ``bench/faces.py`` measures the detectors on all of them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from tests.photos.factory import astronaut

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True, slots=True)
class Portrait:
    """A public-domain portrait and where its face is (x, y, w in its own pixels)."""

    name: str
    image: Image.Image
    face: tuple[int, int, int]


@lru_cache(maxsize=1)
def _hopper() -> Image.Image:
    with Image.open(DATA / "grace_hopper.jpg") as im:
        return im.convert("RGB")


def portraits() -> dict[str, Portrait]:
    """Return the real people we have, by name."""
    return {
        # Face boxes from dlib's HOG detector on the originals (brow to chin, ear to ear).
        "astronaut": Portrait("astronaut", astronaut(), (175, 76, 90)),
        "hopper": Portrait("hopper", _hopper().copy(), (180, 139, 186)),
    }


def turn(im: Image.Image, amount: float) -> Image.Image:
    """Return ``im`` warped as if the head turned sideways: one side nearer, one farther.

    ``amount`` is the fraction by which the far edge shrinks (0.15 ≈ a head turned ~20°);
    negative turns the other way.
    """
    w, h = im.size
    a = abs(amount) * h / 2
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    if amount >= 0:  # right edge farther
        dst = np.float32(
            [[0, 0], [w * (1 - abs(amount) / 2), a], [w * (1 - abs(amount) / 2), h - a], [0, h]]
        )
    else:
        dst = np.float32([[w * abs(amount) / 2, a], [w, 0], [w, h], [w * abs(amount) / 2, h - a]])
    m = cv2.getPerspectiveTransform(src, dst)
    arr = cv2.warpPerspective(
        np.asarray(im), m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return Image.fromarray(arr)


def portrait_selfie(
    who: str,
    *,
    face_px: int = 500,
    size: tuple[int, int] = (1200, 1600),
    angle: float = 0.0,
    turned: float = 0.0,
    light: float = 1.0,
) -> Image.Image:
    """Return a selfie-like picture of ``who`` with the face ``face_px`` wide.

    The portrait is scaled, centred with the face a little above the middle on a plain wall,
    tilted ``angle`` degrees in the picture's plane, turned (``turn``) and darkened (``light``
    multiplies every pixel).
    """
    p = portraits()[who]
    fx, fy, fw = p.face
    scale = face_px / fw
    person = p.image.resize(
        (round(p.image.width * scale), round(p.image.height * scale)), Image.Resampling.LANCZOS
    )
    if turned:
        person = turn(person, turned)
    w, h = size
    canvas = Image.new("RGB", size, (150, 158, 150))
    cx, cy = (fx + fw / 2) * scale, (fy + fw / 2) * scale
    canvas.paste(person, (round(w / 2 - cx), round(h * 0.42 - cy)))
    if angle:
        canvas = canvas.rotate(
            angle,
            resample=Image.Resampling.BICUBIC,
            center=(w / 2, h * 0.42),
            fillcolor=(150, 158, 150),
        )
    if light != 1.0:
        arr = np.asarray(canvas, dtype=np.float32) * light
        canvas = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return canvas


def jpeg(im: Image.Image, quality: int = 90) -> bytes:
    """Encode ``im`` as JPEG."""
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


VARIANTS: dict[str, dict[str, float]] = {
    "plain": {},
    "face 250 px": {"face_px": 250},
    "face 700 px": {"face_px": 700},
    "tilted 10°": {"angle": 10},
    "tilted -15°": {"angle": -15},
    "tilted 25°": {"angle": 25},
    "tilted -25°": {"angle": -25},
    "turned right": {"turned": 0.18},
    "turned left": {"turned": -0.18},
    "turned and tilted": {"turned": 0.15, "angle": 12},
    "dim": {"light": 0.45},
    "dim and turned": {"light": 0.5, "turned": -0.15},
    "jpeg q25": {"quality": 25},
    "jpeg q25 tilted": {"quality": 25, "angle": -20},
}


@lru_cache(maxsize=64)
def variant_jpeg(who: str, name: str) -> bytes:
    """Return the JPEG of ``who`` in the variant ``name`` of ``VARIANTS``."""
    kw = dict(VARIANTS[name])
    quality = int(kw.pop("quality", 90))
    face_px = int(kw.pop("face_px", 500))
    return jpeg(portrait_selfie(who, face_px=face_px, **kw), quality)


def variants() -> Iterator[tuple[str, str, bytes]]:
    """Yield (person, variant, JPEG bytes) for every portrait and variant."""
    for who in portraits():
        for name in VARIANTS:
            yield who, name, variant_jpeg(who, name)
