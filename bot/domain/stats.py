"""Summary statistics the recaps share."""

from __future__ import annotations

import math


def percentile(values: list[float], q: float) -> float | None:
    """Return the ``q`` quantile with linear interpolation (like numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low, high = math.floor(k), math.ceil(k)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)
