"""Pick one of a list from what was typed: a label, its number, or a close misspelling of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.language.distance import allowed_typos, edit_distance
from bot.domain.language.text import plain

# Words people put around a place name ("kec. cipondoh", "kelurahan petir", "di desa ...").
_AROUND = frozenset({
    "kec", "kecamatan", "kecamatannya", "kel", "kelurahan", "kelurahannya", "desa", "kampung",
    "kp", "di", "daerah", "wilayah", "saya", "sy", "aku", "tinggal", "rumah", "alamat", "pak",
    "bu", "kak", "yang", "yg", "itu", "dong", "ya", "nya", "kota", "masuk", "ikut", "tempat",
    "domisili",
})  # fmt: skip
# "no 5", "nomor 5", "pilihan 5": the number of an option.
_NUMBER_WORDS = frozenset({"no", "nomor", "nmr", "nomer", "pilihan", "pilih", "angka", "yang"})
# How place names are shortened on signs and in chats.
_PLACE_WORDS = {
    "utr": "utara", "ut": "utara", "brt": "barat", "bar": "barat", "tmr": "timur",
    "tim": "timur", "sel": "selatan", "slt": "selatan", "sltn": "selatan", "jy": "jaya",
    "br": "baru", "ind": "indah", "pd": "pondok", "pdk": "pondok", "krg": "karang",
    "kr": "karang", "sdm": "sudimara", "ps": "pasar", "psr": "pasar",
}  # fmt: skip
_MAX_CANDIDATES = 3


@dataclass(frozen=True, slots=True)
class ChoiceMatch:
    """What a typed choice most likely means.

    ``value`` is set when one option fits; ``sure`` tells whether to take it without asking
    ("Maksud Bapak/Ibu Cipondoh?" otherwise); ``candidates`` are the options worth offering.
    """

    value: str | None = None
    sure: bool = False
    candidates: tuple[str, ...] = ()


def match_choice(text: str, options: Sequence[str]) -> ChoiceMatch:
    """Return which of ``options`` the text names, allowing numbers and typos."""
    words = [_PLACE_WORDS.get(w, w) for w in plain(text).split() if w not in _AROUND]
    if not words or not options:
        return ChoiceMatch()
    numbered = [w for w in words if w not in _NUMBER_WORDS]
    if len(numbered) == 1 and numbered[0].isdigit():
        words = numbered
    if len(words) == 1 and words[0].isdigit():
        number = int(words[0])
        in_range = 1 <= number <= len(options)
        return ChoiceMatch(options[number - 1], True) if in_range else ChoiceMatch()
    typed = " ".join(words)
    keys = {option: " ".join(plain(option).split()) for option in options}
    exact = [o for o, key in keys.items() if _squash(key) == _squash(typed)]
    if exact:
        return ChoiceMatch(exact[0], True)
    closest = _closest(typed, keys)
    if closest.sure:
        return closest
    named = _named_inside(typed, keys)
    if named is None:
        return closest
    if closest.value is not None and keys[closest.value].startswith(keys[named] + " "):
        # "paninggilan utr": the longer name fits better than the shorter one it contains.
        return closest
    return ChoiceMatch(named, True)


def _squash(value: str) -> str:
    return value.replace(" ", "")


def _named_inside(typed: str, keys: dict[str, str]) -> str | None:
    """Return the longest option whose whole name appears among the typed words."""
    padded = f" {typed} "
    inside = [o for o, key in keys.items() if f" {key} " in padded]
    if not inside:
        return None
    longest = max(len(keys[o]) for o in inside)
    best = [o for o in inside if len(keys[o]) == longest]
    return best[0] if len(best) == 1 else None


def _closest(typed: str, keys: dict[str, str]) -> ChoiceMatch:
    flat = _squash(typed)
    scored: list[tuple[int, str]] = []
    beginnings: list[str] = []
    for option, key in keys.items():
        target = _squash(key)
        limit = allowed_typos(target)
        distance = edit_distance(flat, target, limit=limit)
        if distance <= limit:
            scored.append((distance, option))
        elif len(flat) >= 4 and target.startswith(flat):
            beginnings.append(option)  # the beginning of a long name ("karang teng")
    if not scored:
        if len(beginnings) == 1:
            return ChoiceMatch(beginnings[0], False, tuple(beginnings))
        return ChoiceMatch(None, False, tuple(beginnings[:_MAX_CANDIDATES]))
    scored.sort()
    best_distance, best = scored[0]
    rivals = [o for d, o in scored[1:] if d <= best_distance + 1]
    candidates = tuple(o for _, o in scored[:_MAX_CANDIDATES])
    if not rivals and best_distance <= 1 and len(flat) >= 4:
        return ChoiceMatch(best, True, candidates)
    return ChoiceMatch(best if not rivals else None, False, candidates)
