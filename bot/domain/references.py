"""Request references as people type them: "tl-7kq4m9", "TL 7KQ4M9", "7KQ4M9"."""

from __future__ import annotations

import re

# A reference is "TL-" and six characters of an alphabet without 0/O, 1/I/L.
_TYPED = re.compile(r"^(?:TL)?[\s\-_.]*([2-9A-HJKMNP-Z]{6})$")


def read_reference(text: str) -> str | None:
    """Return the reference ``text`` names, written as stored ("TL-7KQ4M9"), or None."""
    match = _TYPED.fullmatch(text.strip().upper())
    return f"TL-{match.group(1)}" if match else None
