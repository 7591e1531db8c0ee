"""How far apart two spellings are: edit distance with swapped neighbours counted once."""

from __future__ import annotations


def edit_distance(a: str, b: str, *, limit: int = 3) -> int:
    """Return the optimal-string-alignment distance, or ``limit + 1`` once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def allowed_typos(word: str) -> int:
    """Return how many typos a word of this length may carry and still be recognised."""
    if len(word) <= 3:
        return 0
    if len(word) <= 5:
        return 1
    return 2
