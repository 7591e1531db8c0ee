"""Checks for what citizens type: names, birth dates, phone numbers."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from bot.domain.language.dates import read_date
from bot.domain.language.names import looks_like_sentence, strip_name_intro
from bot.domain.language.numbers import find_phone

_NAME = re.compile(r"^[A-Za-z][A-Za-z .,'\-]*$")
_PHONE_JUNK = re.compile(r"[\s\-().]")


class InputError(StrEnum):
    """Why a typed answer was refused; each value is a message id in the catalog."""

    NAME = "name-error"
    DATE_FORMAT = "birthdate-error-format"
    DATE_RANGE = "birthdate-error-range"
    PHONE = "phone-error"


def parse_name(raw: str) -> str | InputError:
    """Return the name as on the KTP (upper case, single spaces), or why it is refused.

    "Nama saya …" in front is dropped; a sentence ("saya tidak punya ktp") is refused.
    """
    name = strip_name_intro(raw)
    if looks_like_sentence(name):
        return InputError.NAME
    if not 3 <= len(name) <= 100 or not _NAME.match(name) or sum(c.isalpha() for c in name) < 3:
        return InputError.NAME
    return name.upper()


def parse_birth_date(raw: str, *, today: date | None = None) -> date | InputError:
    """Read a birth date typed as 17-08-1975, 17/8/75, 17081975 or "tgl 17 agustus 1975"."""
    today = today or date.today()
    value = read_date(raw, today=today)
    if value is None:
        return InputError.DATE_FORMAT
    if not date(today.year - 120, 1, 1) <= value <= today:
        return InputError.DATE_RANGE
    return value


def parse_phone(raw: str) -> str | InputError:
    """Normalise an Indonesian mobile number to +62…, or say why it is refused.

    The number may be inside a sentence ("no hp sy 0812-3456-7890").
    """
    digits = _PHONE_JUNK.sub("", raw)
    if not digits.lstrip("+").isdigit():
        digits = find_phone(raw) or digits
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
