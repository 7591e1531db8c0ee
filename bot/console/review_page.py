"""What the review page puts side by side: the typed data and what the KTP photo says.

Pure functions over the decrypted registration data; the detail view passes their results to
``detail.html``. Nothing here decides anything: it only shows where the two disagree.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

# The fields read from the KTP photo, in the order they are shown.
READ_FIELDS = ("full_name", "nik", "birth_date")
# A NIK is shown in its three parts: region (6), birth date (6), serial number (4).
NIK_GROUPS = (6, 12)


@dataclass(frozen=True, slots=True)
class Digit:
    """One character of a NIK as shown, and whether it differs from the other NIK."""

    char: str
    differs: bool
    # Starts a new group (after the region code and after the birth date), for spacing only.
    group_start: bool


@dataclass(frozen=True, slots=True)
class NikComparison:
    """The typed NIK and the NIK read from the photo, digit by digit."""

    typed: tuple[Digit, ...]
    read: tuple[Digit, ...]
    # 1-based positions in the read NIK whose digit differs (or is extra / missing).
    positions: tuple[int, ...]
    length_differs: bool

    @property
    def same(self) -> bool:
        """Tell whether both NIKs are identical."""
        return not self.positions and not self.length_differs


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One row of the typed-versus-read table."""

    field: str
    typed: str | None
    read: str | None

    @property
    def agreement(self) -> str:
        """Return ``same``, ``different`` or ``unread`` (nothing was read from the photo)."""
        if not self.read or not self.typed:
            return "unread"
        return (
            "same"
            if _normal(self.field, self.typed) == _normal(self.field, self.read)
            else ("different")
        )


def photo_reading(data: dict[str, Any]) -> dict[str, str | None]:
    """Return what the KTP photo says (name, NIK, birth date), None where nothing was read.

    The OCR's reading is personal data and lives in the encrypted registration data: under
    ``ocr`` as a mapping, or as flat ``ocr_<field>`` keys.
    """
    nested = data.get("ocr")
    source: dict[str, Any] = nested if isinstance(nested, dict) else {}
    read: dict[str, str | None] = {}
    for name in READ_FIELDS:
        value = source.get(name, data.get(f"ocr_{name}"))
        if name == "full_name" and value is None:
            value = source.get("name", data.get("ocr_name"))
        text = (value.strip() or None) if isinstance(value, str) else None
        # A date read as on the card (DD-MM-YYYY) is shown like the typed one.
        read[name] = (iso_day(text) or text) if text and name == "birth_date" else text
    return read


def field_rows(data: dict[str, Any], read: dict[str, str | None]) -> list[FieldRow]:
    """Return the typed and read values of the fields the photo can confirm."""
    rows = []
    for name in READ_FIELDS:
        typed = data.get(name)
        rows.append(FieldRow(name, typed if isinstance(typed, str) else None, read.get(name)))
    return rows


def compare_nik(typed: str | None, read: str | None) -> NikComparison | None:
    """Compare two NIKs digit by digit; None when either is missing.

    Equal lengths are compared position by position (a misread digit stays in place); otherwise
    the two are aligned so that a dropped or doubled digit marks only itself.
    """
    if not typed or not read:
        return None
    typed, read = _digits(typed), _digits(read)
    typed_diff = [False] * len(typed)
    read_diff = [False] * len(read)
    if len(typed) == len(read):
        for i, (a, b) in enumerate(zip(typed, read, strict=True)):
            typed_diff[i] = read_diff[i] = a != b
    else:
        matcher = difflib.SequenceMatcher(a=typed, b=read, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            for i in range(i1, i2):
                typed_diff[i] = True
            for j in range(j1, j2):
                read_diff[j] = True
    return NikComparison(
        typed=_marked(typed, typed_diff),
        read=_marked(read, read_diff),
        positions=tuple(i + 1 for i, differs in enumerate(read_diff) if differs),
        length_differs=len(typed) != len(read),
    )


def iso_day(value: str) -> str | None:
    """Return a date written ``YYYY-MM-DD`` or ``DD-MM-YYYY`` (as on a KTP) as ISO, else None."""
    found = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})\s*", value)
    if found:
        return "-".join(found.groups())
    found = re.fullmatch(r"\s*(\d{2})[-/.](\d{2})[-/.](\d{4})\s*", value)
    return f"{found[3]}-{found[2]}-{found[1]}" if found else None


def _digits(value: str) -> str:
    # Spaces and dots people (and OCR) put between the groups are not digits to compare.
    return re.sub(r"[\s.\-]", "", value)


def _marked(value: str, differs: list[bool]) -> tuple[Digit, ...]:
    return tuple(
        Digit(char, flag, i in NIK_GROUPS)
        for i, (char, flag) in enumerate(zip(value, differs, strict=True))
    )


def _normal(field: str, value: str) -> str:
    """Return ``value`` as compared: names by their letters, NIKs by their digits."""
    if field == "nik":
        return _digits(value)
    if field == "birth_date":
        return iso_day(value) or value.strip()
    text = unicodedata.normalize("NFKC", value).upper()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())
