"""Correct a misspelt word to a word of the FAQ's vocabulary (symmetric-delete lookup).

Every vocabulary word of at least ``min_length`` letters is indexed under itself and each of its
one-letter deletions; a query word is looked up the same way. This finds every word within one
insertion, deletion, substitution or adjacent swap ("verifkasi", "pasword", "dafatr") in a few
dict lookups, with no per-query scan of the vocabulary and no extra dependency (rapidfuzz was
considered; a scan with it is O(vocabulary) per unknown word, this is O(word length)).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping


def _deletes(word: str) -> set[str]:
    """Return the word and all its one-letter deletions."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Return the optimal-string-alignment distance between two short words (capped)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


class TypoCorrector:
    """Map unknown words to the closest, most frequent vocabulary word within one edit."""

    def __init__(
        self,
        frequencies: Mapping[str, int],
        min_length: int = 4,
        is_valid_word: Callable[[str], bool] | None = None,
    ) -> None:
        """Index the vocabulary (word → how often it occurs).

        Words for which ``is_valid_word`` is true are real words, never typos: "tinggal" must
        not become "tanggal", nor "siap" become "siapa".
        """
        self.min_length = min_length
        self._is_valid = is_valid_word
        self._freq = dict(frequencies)
        self._index: dict[str, list[str]] = defaultdict(list)
        for word in self._freq:
            if len(word) >= min_length and word.isalpha():
                for key in _deletes(word):
                    self._index[key].append(word)

    def __contains__(self, word: object) -> bool:
        """Tell whether a word is in the vocabulary."""
        return word in self._freq

    def correct(self, word: str) -> str | None:
        """Return the vocabulary word closest to ``word`` (itself if known), or None."""
        if word in self._freq:
            return word
        if len(word) < self.min_length or not word.isalpha():
            return None
        if self._is_valid is not None and self._is_valid(word):
            return None
        candidates: set[str] = set()
        for key in _deletes(word):
            candidates.update(self._index.get(key, ()))
        best: tuple[int, int, str] | None = None
        for cand in candidates:
            dist = _edit_distance(word, cand)
            if dist > 1:
                continue
            rank = (dist, -self._freq[cand], cand)
            if best is None or rank < best:
                best = rank
        return None if best is None else best[2]

    def correct_all(self, words: Iterable[str]) -> list[str]:
        """Correct each word, keeping it unchanged when no vocabulary word is close."""
        return [self.correct(w) or w for w in words]
