"""Hide personal numbers in chat text that staff read: NIKs, phone numbers and dates.

A helpdesk agent needs what the citizen asks, not their numbers: a NIK keeps its first and last
four digits (like everywhere in the console), a mobile number its first four and last two, and
a date (a birth date is the one citizens type) only its separators and month name. Numbers that
are not personal (times, steps, postcodes, office numbers, references) are left alone.
"""

from __future__ import annotations

import re
from datetime import date

from bot.domain.language.dates import MONTHS
from bot.domain.nik import mask_nik

MASK = "•"
# Sixteen digits, maybe grouped with spaces, dots or dashes: a NIK.
_NIK = re.compile(r"(?<!\d)\d(?:[ .-]?\d){15}(?!\d)")
# An Indonesian mobile number: 08…, 628… or +62 8…, 10–13 digits in all, maybe grouped.
_MOBILE = re.compile(r"(?<![\d+])(?:\+?62|0)[ .-]?8(?:[ .-]?\d){7,10}(?!\d)")
# Day, month and year as numbers (5-1-90, 05/01/1990, 5.1.1990), or the year first (ISO).
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})([-/. ])(\d{1,2})\2(\d{4}|\d{2})(?![\d.])")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
# A date written in one piece: 05011990 or 050190.
_PACKED_DATE = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{4}|\d{2})(?!\d)")
# A day, a month's name (or its usual shortening) and a year: 5 Januari 1990, 17 agt 75.
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_WORDED_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(\s*)({_MONTH_NAMES})\.?(\s*)(\d{{4}}|\d{{2}})(?!\d)", re.IGNORECASE
)


def mask_personal(text: str) -> str:
    """Return ``text`` with NIKs, mobile numbers and dates masked."""
    text = _NIK.sub(lambda m: mask_nik(_digits(m.group())), text)
    text = _MOBILE.sub(lambda m: _keep_ends(m.group(), head=4, tail=2), text)
    text = _NUMERIC_DATE.sub(
        lambda m: _hidden(m) if _is_date(m.group(1), m.group(3), m.group(4)) else m.group(), text
    )
    text = _ISO_DATE.sub(
        lambda m: _hidden(m) if _is_date(m.group(3), m.group(2), m.group(1)) else m.group(), text
    )
    text = _PACKED_DATE.sub(
        lambda m: _hidden(m) if _is_date(m.group(1), m.group(2), m.group(3)) else m.group(), text
    )
    return _WORDED_DATE.sub(
        lambda m: f"{_digits_hidden(m.group(1))}{m.group(2)}{m.group(3)}{m.group(4)}"
        f"{_digits_hidden(m.group(5))}",
        text,
    )


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _digits_hidden(text: str) -> str:
    return re.sub(r"\d", MASK, text)


def _hidden(match: re.Match[str]) -> str:
    return _digits_hidden(match.group())


def _keep_ends(text: str, *, head: int, tail: int) -> str:
    """Hide the digits of ``text`` but its first ``head`` and last ``tail``, keeping the layout."""
    total = sum(c.isdigit() for c in text)
    seen, out = 0, []
    for char in text:
        if char.isdigit():
            seen += 1
            out.append(char if seen <= head or seen > total - tail else MASK)
        else:
            out.append(char)
    return "".join(out)


def _is_date(day: str, month: str, year: str) -> bool:
    """Tell whether the parts make a calendar date (two-digit years in 1900–2099 both)."""
    full = int(year) if len(year) == 4 else 1900 + int(year)
    if not 1900 <= full <= 2099:
        return False
    try:
        date(full, int(month), int(day))
    except ValueError:
        return False
    return True
