"""Indonesian NIK (Nomor Induk Kependudukan): structure, embedded birth date, city code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.language.dates import latest_century

KOTA_TANGERANG = "3671"
_NON_DIGITS = re.compile(r"[\s.\-]")


class NikError(StrEnum):
    """Why a typed NIK was refused; each value is a message id in the catalog."""

    LENGTH = "nik-error-length"
    NOT_DIGITS = "nik-error-digits"
    REGION = "nik-error-region"
    BIRTH_DATE = "nik-error-date"
    SERIAL = "nik-error-serial"


@dataclass(frozen=True, slots=True)
class Nik:
    """A structurally valid NIK and what it encodes."""

    value: str
    birth_date: date
    female: bool

    @property
    def region(self) -> str:
        """Return the province + regency/city code (4 digits)."""
        return self.value[:4]

    @property
    def in_kota_tangerang(self) -> bool:
        """Tell whether the NIK was issued by Kota Tangerang (36.71)."""
        return self.region == KOTA_TANGERANG

    @property
    def masked(self) -> str:
        """Return the NIK with the middle hidden, e.g. ``3671••••••••0001``."""
        return mask_nik(self.value)


def mask_nik(value: str) -> str:
    """Hide all but the first four and last four digits of a NIK."""
    return value[:4] + "•" * (len(value) - 8) + value[-4:] if len(value) > 8 else "•" * len(value)


def parse_nik(raw: str, *, today: date | None = None) -> Nik | NikError:
    """Check a typed NIK and return what it encodes, or why it is wrong."""
    value = _NON_DIGITS.sub("", raw)
    if not value.isdigit():
        return NikError.NOT_DIGITS
    if len(value) != 16:
        return NikError.LENGTH
    if value[:2] == "00" or value[2:4] == "00" or value[4:6] == "00":
        return NikError.REGION
    if value[12:] == "0000":
        return NikError.SERIAL
    day, month, yy = int(value[6:8]), int(value[8:10]), int(value[10:12])
    female = day > 40
    if female:
        day -= 40
    # The NIK holds only two year digits: take the latest century that is not in the future.
    birth = latest_century(day, month, yy, today or date.today())
    if birth is None:
        return NikError.BIRTH_DATE
    return Nik(value=value, birth_date=birth, female=female)
