"""Birth dates as people type them: 05-06-1966, 5/6/66, 05061966, "tgl 5 juni 66", "5 jun 1966"."""

from __future__ import annotations

import re
from datetime import date

from bot.domain.language.distance import edit_distance

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3,
    "mar": 3, "mart": 3, "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7,
    "jul": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agst": 8, "agus": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "november": 11,
    "nopember": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12, "dec": 12,
}  # fmt: skip
# Words around a date that carry nothing ("tgl lahir saya 5 juni 66").
_NOISE = frozenset({
    "tgl", "tanggal", "tggl", "lahir", "lhr", "ttl", "tl", "saya", "sy", "aku", "pada", "tahun",
    "thn", "th", "bulan", "bln", "hari", "di", "ke", "yaitu", "adalah", "lahirnya", "kelahiran",
    "pak", "bu", "nya", "dong", "ya", "tahunnya",
})  # fmt: skip
_SEPARATORS = re.compile(r"[-/.,_\\]+")
_GLUED = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_LONG_MONTHS = tuple(name for name in MONTHS if len(name) >= 4)


def read_date(text: str, *, today: date) -> date | None:
    """Return the calendar date in ``text`` (day first, as in Indonesia), or None.

    Two-digit years take the latest century that is not in the future, as the NIK does.
    """
    cleaned = _GLUED.sub(" ", _SEPARATORS.sub(" ", text.casefold()))
    tokens = [t for t in re.split(r"[^0-9a-z]+", cleaned) if t and t not in _NOISE]
    parts = _date_parts(tokens)
    if parts is None:
        return None
    day, month, year = parts
    if year < 100:
        return latest_century(day, month, year, today)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_parts(tokens: list[str]) -> tuple[int, int, int] | None:
    if len(tokens) == 1 and tokens[0].isdigit():
        return _packed(tokens[0])
    if len(tokens) != 3:
        return None
    first, middle, last = tokens
    if not (first.isdigit() and last.isdigit()):
        return None
    month = int(middle) if middle.isdigit() else month_number(middle)
    if month is None:
        return None
    if len(first) == 4 and len(last) <= 2:
        return int(last), month, int(first)  # 1966-06-05
    if len(first) > 2 or len(last) not in (2, 4):
        return None
    return int(first), month, int(last)


def _packed(digits: str) -> tuple[int, int, int] | None:
    """Read 05061966 (DDMMYYYY) or 050666 (DDMMYY)."""
    if len(digits) == 8:
        return int(digits[:2]), int(digits[2:4]), int(digits[4:])
    if len(digits) == 6:
        return int(digits[:2]), int(digits[2:4]), int(digits[4:])
    return None


def month_number(word: str) -> int | None:
    """Return the month a name, an abbreviation or a slightly misspelt name stands for."""
    if word in MONTHS:
        return MONTHS[word]
    if len(word) < 4:
        return None
    close = [name for name in _LONG_MONTHS if edit_distance(word, name, limit=1) <= 1]
    months = {MONTHS[name] for name in close}
    return months.pop() if len(months) == 1 else None


def latest_century(day: int, month: int, yy: int, today: date) -> date | None:
    """Return the date with a two-digit year in the latest century not in the future."""
    for century in (2000, 1900):
        try:
            candidate = date(century + yy, month, day)
        except ValueError:
            return None
        if candidate <= today:
            return candidate
    return None
