"""Prepare a bot message for speech: what a listener needs to hear, nothing a reader only sees.

espeak-ng reads "3671010101800001" as one huge number and "TL-7KQ4M9" as a word; a citizen
must hear a NIK, a phone number or a registration reference one character at a time, with a
short pause every four, so she can write it down. Emoji, markdown marks and links are dropped
or shortened: read aloud they are noise.
"""

from __future__ import annotations

import re
import unicodedata

# Digit groups joined by spaces or dashes ("3671 0101 …", "0812-3456-7890") count as one
# number; dots do not join, since "1.000.000" is an amount read as a number.
_DIGIT_RUN = re.compile(r"(?<!\w)(?<!\d\.)\d+(?:[ \-]\d+)*(?!\w|\.\d)")
# A word mixing letters and digits ("TL-7KQ4M9", "B1234XYZ"): a code, spelled.
_CODE = re.compile(
    r"\b(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b"
)
_URL = re.compile(r"\bhttps?://([^/\s]+)\S*", re.IGNORECASE)
_MARKS = re.compile(r"[*_`~#>|\[\]{}]+")
_BULLET = re.compile(r"^\s*(?:[•·▪◦‣-]|\d+[.)])\s+", re.MULTILINE)
# Shorter runs are quantities ("2026", "24 jam") and read as numbers.
SPELL_FROM_DIGITS = 5
GROUP = 4


def speakable(text: str) -> str:
    """Return ``text`` as it should be read aloud: codes spelled, emoji and marks dropped."""
    text = _URL.sub(lambda m: m.group(1), text)
    text = _BULLET.sub("", text)
    text = _CODE.sub(lambda m: _spell(m.group(0)), text)
    text = _DIGIT_RUN.sub(_digits, text)
    text = _MARKS.sub(" ", text)
    text = "".join(" " if _silent(ch) else ch for ch in text)
    # A line break is a pause: end it like a sentence when it does not end in a stop already.
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line if line[-1] in ".,!?:;" else f"{line}." for line in lines if line]
    return " ".join(lines)


def _digits(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if len(digits) < SPELL_FROM_DIGITS:
        return match.group(0)
    return _grouped(digits)


def _spell(code: str) -> str:
    chars = [c for c in code if c.isalnum()]
    return _grouped("".join(chars).upper())


def _grouped(chars: str) -> str:
    """Return characters spaced out, with a comma (a short pause) after every group of four."""
    groups = [" ".join(chars[i : i + GROUP]) for i in range(0, len(chars), GROUP)]
    return ", ".join(groups)


def _silent(ch: str) -> bool:
    """Tell whether a character is only seen: an emoji, a symbol, a joiner or a selector."""
    if ch in "\u200d\ufe0e\ufe0f\u20e3":
        return True
    category = unicodedata.category(ch)
    return category in ("So", "Sk", "Cs", "Co") or (category == "Cf" and ch != "\u00ad")
