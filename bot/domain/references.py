"""Request references as people type them: "tl-7kq4m9", "TL 7KQ4M9", "7KQ4M9"."""

from __future__ import annotations

import re

# A reference is "TL-" and six characters of an alphabet without 0/O, 1/I/L.
_TYPED = re.compile(r"^(?:TL)?[\s\-_.]*([2-9A-HJKMNP-Z]{6})$")


def read_reference(text: str) -> str | None:
    """Return the reference ``text`` names, written as stored ("TL-7KQ4M9"), or None."""
    match = _TYPED.fullmatch(text.strip().upper())
    return f"TL-{match.group(1)}" if match else None


def find_reference(text: str) -> str | None:
    """Return the first reference written inside a sentence ("cek status tl-7kq4m9 dong")."""
    words = text.replace(",", " ").replace(".", " ").split()
    for i, word in enumerate(words):
        # "TL 7KQ4M9" is two words; "TL-7KQ4M9" and "7KQ4M9" are one.
        pair = f"{word}{words[i + 1]}" if word.upper() == "TL" and i + 1 < len(words) else ""
        for candidate in (pair, word):
            # Six letters alone may be a word ("status"); a digit or a written "TL-" says not.
            marked = (bool(pair) and candidate == pair) or word.upper().startswith("TL-")
            if candidate and (marked or any(c.isdigit() for c in candidate)):
                found = read_reference(candidate)
                if found:
                    return found
    return None
