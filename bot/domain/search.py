"""What staff type in the queue's search box: a reference, a NIK, a phone number or a name.

Personal values are never searched in clear: the NIK, the phone number and the name are
compared by their keyed hashes, so a NIK or a phone must be typed whole and a name whole
(spelling as on the request; capitals, spaces and punctuation do not matter). A text that
could be two things (six letters may be a reference or a name) is searched as both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.references import read_reference
from bot.domain.validators import InputError, parse_phone

MAX_QUERY = 80
_DIGITS = re.compile(r"[\s.\-()/+]")


@dataclass(frozen=True, slots=True)
class SearchTerms:
    """The ways one query may name a request (each None when it cannot be that)."""

    text: str
    reference: str | None = None
    nik: str | None = None
    phone: str | None = None
    name: str | None = None

    @property
    def empty(self) -> bool:
        """Tell whether the query can name nothing."""
        return not (self.reference or self.nik or self.phone or self.name)


def parse_query(raw: str) -> SearchTerms:
    """Read a search query; every interpretation it allows is kept."""
    text = " ".join(raw.split())[:MAX_QUERY]
    if not text:
        return SearchTerms(text="")
    upper = text.upper()
    reference = read_reference(text)  # as the chat reads one: "tl-7kq4m9", "7KQ4M9"
    digits = _DIGITS.sub("", text)
    nik = digits if digits.isdigit() and len(digits) == 16 else None
    phone = None
    if digits.isdigit() and nik is None:
        parsed = parse_phone(text)
        phone = None if isinstance(parsed, InputError) else parsed
    # A name has letters and no digits (a reference has both).
    is_name = any(ch.isalpha() for ch in text) and not any(ch.isdigit() for ch in text)
    name = text if is_name and not upper.startswith("TL-") else None
    return SearchTerms(text=text, reference=reference, nik=nik, phone=phone, name=name)
