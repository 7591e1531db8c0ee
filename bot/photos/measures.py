"""Measures both checks share: where the card is, scaling, and the light on the subject."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from bot.photos.card import CardRegion, find_card
from bot.photos.limits import PhotoLimits
from bot.photos.quality import Region, exposure, shrink
from bot.photos.verdict import PhotoProblem


@dataclass(frozen=True, slots=True)
class CardSighting:
    """The card found at the 500-px search scale, with a factor back to working pixels."""

    region: CardRegion
    to_work: float  # multiply search-scale coordinates by this for working-picture pixels

    def box(self, scale: float = 1.0) -> Region:
        """Return the card's box in working pixels, times ``scale``."""
        f = self.to_work * scale
        r = self.region
        return Region(int(r.x * f), int(r.y * f), max(1, int(r.w * f)), max(1, int(r.h * f)))


def locate_card(work: np.ndarray) -> CardSighting | None:
    """Look for the card on a 500-px copy of ``work``."""
    search = shrink(work, 500)  # the outline of a card needs no detail; 500 px is plenty
    region = find_card(search)
    if region is None:
        return None
    # ``work`` and ``search`` are both shrunk from the stored picture; go via the long side.
    return CardSighting(region, 1.0 / (max(search.shape) / max(work.shape)))


def resize_long(gray: np.ndarray, width: int) -> np.ndarray:
    """Scale ``gray`` so its long side is ``width`` (shrink by area, enlarge bilinearly)."""
    h, w = gray.shape
    scale = width / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(gray, size, interpolation=interpolation)


def check_exposure(
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
