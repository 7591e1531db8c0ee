"""Find the ID card in a picture: the largest bright, rectangular patch."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# ID-1 cards are 85.6 × 54 mm (1.59). Allow for a tilted camera (perspective) and for a
# KTP-el receipt, an A4/A5-like paper (1.41).
_MIN_ASPECT, _MAX_ASPECT = 1.25, 2.0
_MIN_FILL = 0.88  # convex hull ÷ its rotated bounding box: a rectangle, not a blob
_MIN_SOLIDITY = 0.75  # outline ÷ its convex hull: one piece, not a card glued to a strap
_MIN_AREA = 0.06  # of the picture; smaller bright patches are paper scraps, windows, …
_MAX_AREA = 0.97
_BORDER = 2  # px at working size: "touches the edge of the photo"


@dataclass(frozen=True, slots=True)
class CardRegion:
    """Where the card is, in the coordinates of the grey picture it was found in."""

    x: int
    y: int
    w: int
    h: int
    area_fraction: float  # of the whole picture
    edges_touched: int  # how many sides of the photo the card runs into (0 = fully inside)


def find_card(gray: np.ndarray) -> CardRegion | None:
    """Return the card-like region in ``gray`` (uint8), or None if there is no clear one.

    The KTP (light blue) and the receipt (white paper) are brighter than almost any table,
    hand or clothing they are photographed on, so Otsu's threshold separates them; holes left
    by the printed text are closed, and the outline must be a filled, card-shaped rectangle.
    When the background is bright too (a pale wall behind a selfie), the first threshold
    lumps card and wall together, so Otsu is applied again to the bright part (twice).
    """
    h, w = gray.shape
    smooth = cv2.GaussianBlur(gray, (5, 5), 0)
    k = max(3, (min(h, w) // 60) | 1)
    close = np.ones((k, k), np.uint8)  # joins the printed letters' surroundings
    # Opening with a kernel ~1/40 of the picture cuts thin bright bridges (a strap, a
    # reflection) that would join the card to something else, without eating the card.
    k = max(3, (min(h, w) // 40) | 1)
    open_ = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    best: CardRegion | None = None
    bright = smooth.ravel()
    for _ in range(3):
        if bright.size < 0.05 * h * w or int(bright.max()) - int(bright.min()) < 16:
            break
        level, _ = cv2.threshold(bright.reshape(1, -1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        mask = np.where(smooth > level, np.uint8(255), np.uint8(0))
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, close)
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, open_)
        region = _best_region(mask)
        if region is not None and (best is None or region.area_fraction > best.area_fraction):
            best = region
        bright = bright[bright > level]
    return best


def _best_region(mask: np.ndarray) -> CardRegion | None:
    """Return the largest card-shaped outline in the binary ``mask``."""
    h, w = mask.shape
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    best: CardRegion | None = None
    total = float(h * w)
    for contour in contours:
        area = cv2.contourArea(contour)
        if not _MIN_AREA * total <= area <= _MAX_AREA * total:
            continue
        hull = cv2.convexHull(contour)
        hull_area = cv2.contourArea(hull)
        (_, _), (rw, rh), _ = cv2.minAreaRect(hull)
        if rw < 1 or rh < 1 or hull_area < 1:
            continue
        # The hull ignores notches (the pas foto near the edge, fingers over the card); it
        # must fill its rotated box like a rectangle, and the outline must fill most of it.
        fill = hull_area / (rw * rh)
        solidity = area / hull_area
        aspect = max(rw, rh) / min(rw, rh)
        bx, by, bw, bh = cv2.boundingRect(contour)
        touched = (
            int(bx <= _BORDER)
            + int(by <= _BORDER)
            + int(bx + bw >= w - _BORDER)
            + int(by + bh >= h - _BORDER)
        )
        # A card cut by the frame loses its true proportions, so only a card fully inside
        # the photo must be card-shaped; a cut one must still be a clean rectangle. A bright
        # patch running into three or four sides is a wall, a sheet or the sky, not a card.
        if touched > 2 or fill < _MIN_FILL or solidity < _MIN_SOLIDITY:
            continue
        if touched == 0 and not _MIN_ASPECT <= aspect <= _MAX_ASPECT:
            continue
        region = CardRegion(bx, by, bw, bh, area / total, touched)
        if best is None or region.area_fraction > best.area_fraction:
            best = region
    return best
