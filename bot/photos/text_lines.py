"""A piece of text an OCR engine found: its words, its four-point box, how sure it is."""

from __future__ import annotations

import math
from dataclasses import dataclass

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left


@dataclass(frozen=True, slots=True)
class TextLine:
    """One piece of text the OCR found, where, and how sure it is (0–1)."""

    text: str
    quad: Quad
    score: float = 1.0

    @property
    def height(self) -> float:
        """Return the line's height (its left edge)."""
        (_, _), (_, _), (_, _), (x3, y3) = self.quad
        x0, y0 = self.quad[0]
        return max(1.0, math.hypot(x3 - x0, y3 - y0))

    @property
    def angle(self) -> float:
        """Return the slope of its top edge, in radians."""
        (x0, y0), (x1, y1) = self.quad[0], self.quad[1]
        return math.atan2(y1 - y0, x1 - x0)

    @property
    def width(self) -> float:
        """Return the length of its top edge."""
        (x0, y0), (x1, y1) = self.quad[0], self.quad[1]
        return math.hypot(x1 - x0, y1 - y0)
