"""Cut one printed row of a KTP photo (Nama, NIK, birth date) out, level and readable."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

ROW_HEIGHT = 64  # px the crop's row is scaled to: large print in the console
MAX_WIDTH = 960


def parse_quad(value: str | None) -> list[float] | None:
    """Return eight coordinates "x1,y1,…,x4,y4" (0–10000 each), or None if malformed."""
    if not value:
        return None
    parts = value.split(",")
    if len(parts) != 8:
        return None
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None
    if not all(0 <= n <= 10_000 for n in numbers):
        return None
    return numbers


def crop_row(jpeg: bytes, quad: list[float]) -> bytes:
    """Return the row inside ``quad`` (four corners, clockwise from top-left) as a level JPEG."""
    with Image.open(io.BytesIO(jpeg), formats=["JPEG"]) as im:
        rgb = np.asarray(im.convert("RGB"))
    pts = np.array(quad, dtype=np.float32).reshape(4, 2)
    width = float(max(np.linalg.norm(pts[1] - pts[0]), np.linalg.norm(pts[2] - pts[3]), 1.0))
    height = float(max(np.linalg.norm(pts[3] - pts[0]), np.linalg.norm(pts[2] - pts[1]), 1.0))
    # A margin of a third of the row's height all round: nothing of the print is cut.
    m = height / 3
    across = (pts[1] - pts[0]) / max(np.linalg.norm(pts[1] - pts[0]), 1.0)
    down = (pts[3] - pts[0]) / max(np.linalg.norm(pts[3] - pts[0]), 1.0)
    grown = np.array(
        [pts[0] - m * across - m * down, pts[1] + m * across - m * down,
         pts[2] + m * across + m * down, pts[3] - m * across + m * down],
        dtype=np.float32,
    )  # fmt: skip
    scale = ROW_HEIGHT / height
    out_w = int(min(MAX_WIDTH, (width + 2 * m) * scale))
    out_h = int((height + 2 * m) * min(scale, out_w / (width + 2 * m)))
    target = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], dtype=np.float32)
    warp = cv2.getPerspectiveTransform(grown, target)
    row = cv2.warpPerspective(rgb, warp, (out_w, out_h), flags=cv2.INTER_CUBIC,
                              borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    out = io.BytesIO()
    Image.fromarray(row).save(out, "JPEG", quality=90)
    return out.getvalue()
