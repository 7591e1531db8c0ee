"""Checks for what citizens type: names, birth dates, phone numbers."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

MONTHS = {
    "jan": 1, "januari": 1, "feb": 2, "februari": 2, "pebruari": 2, "mar": 3, "maret": 3,
    "apr": 4, "april": 4, "mei": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "agu": 8,
    "agt": 8, "agus": 8, "agustus": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10,
    "oktober": 10, "nov": 11, "nop": 11, "november": 11, "nopember": 11, "des": 12,
    "desember": 12,
}  # fmt: skip
_NAME = re.compile(r"^[A-Za-z][A-Za-z .,'\-]*$")
_DATE_NUMERIC = re.compile(r"^(\d{1,2})\s*[-/. ]\s*(\d{1,2})\s*[-/. ]\s*(\d{4})$")
_DATE_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\s+(\d{4})$")
_PHONE_JUNK = re.compile(r"[\s\-().]")


class InputError(StrEnum):
    """Why a typed answer was refused; each value is a message id in the catalog."""

    NAME = "name-error"
    DATE_FORMAT = "birthdate-error-format"
    DATE_RANGE = "birthdate-error-range"
    PHONE = "phone-error"


def parse_name(raw: str) -> str | InputError:
    """Return the name as on the KTP (upper case, single spaces), or why it is refused."""
    name = " ".join(raw.split())
    if not 3 <= len(name) <= 100 or not _NAME.match(name) or sum(c.isalpha() for c in name) < 3:
        return InputError.NAME
    return name.upper()


def parse_birth_date(raw: str, *, today: date | None = None) -> date | InputError:
    """Read a date typed as 17-08-1975, 17/8/1975 or 17 Agustus 1975."""
    text = " ".join(raw.lower().split())
    numeric = _DATE_NUMERIC.match(text)
    words = _DATE_WORDS.match(text)
    if numeric:
        day, month, year = (int(part) for part in numeric.groups())
    elif words and words.group(2) in MONTHS:
        day, month, year = int(words.group(1)), MONTHS[words.group(2)], int(words.group(3))
    else:
        return InputError.DATE_FORMAT
    try:
        value = date(year, month, day)
    except ValueError:
        return InputError.DATE_FORMAT
    today = today or date.today()
    if not date(today.year - 120, 1, 1) <= value <= today:
        return InputError.DATE_RANGE
    return value


def parse_phone(raw: str) -> str | InputError:
    """Normalise an Indonesian mobile number to +62…, or say why it is refused."""
    digits = _PHONE_JUNK.sub("", raw)
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isdigit():
        return InputError.PHONE
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    if not (digits.startswith("628") and 11 <= len(digits) <= 15):
        return InputError.PHONE
    return "+" + digits


def mask_phone(phone: str) -> str:
    """Hide the middle of a phone number, e.g. ``+62812••••789``."""
    return phone[:6] + "•" * max(len(phone) - 9, 0) + phone[-3:] if len(phone) > 9 else phone
