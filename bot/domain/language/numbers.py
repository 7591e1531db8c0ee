"""Numbers inside what people type: "no hp sy 0812-3456-7890", "nik 3671 0105 6600 0001"."""

from __future__ import annotations

import re

# Digits with the separators people use between groups: spaces, dots, dashes, brackets.
_DIGIT_RUN = re.compile(r"\+?\(?\d[\d\s.\-()]*\d")


def digit_runs(text: str) -> list[str]:
    """Return each number in ``text`` with its separators removed (a leading + kept)."""
    runs = []
    for match in _DIGIT_RUN.finditer(text):
        raw = match.group()
        digits = re.sub(r"\D", "", raw)
        runs.append(("+" if raw.startswith("+") else "") + digits)
    return runs


def find_nik(text: str) -> str | None:
    """Return the one 16-digit number in ``text`` (a NIK typed in groups or in a sentence)."""
    found = [run for run in digit_runs(text) if len(run.lstrip("+")) == 16]
    return found[0] if len(found) == 1 else None


def find_phone(text: str) -> str | None:
    """Return the one number in ``text`` that may be a phone number (9–15 digits)."""
    found = [run for run in digit_runs(text) if 9 <= len(run.lstrip("+")) <= 15]
    return found[0] if len(found) == 1 else None


def group_phone(phone: str) -> str:
    """Show +6281234567890 as people write it: 0812 3456 7890."""
    local = "0" + phone[3:] if phone.startswith("+62") else phone
    head, rest = local[:4], local[4:]
    groups = [rest[i : i + 4] for i in range(0, len(rest), 4)]
    if len(groups) > 1 and len(groups[-1]) < 3:
        groups[-2:] = [groups[-2] + groups[-1]]
    return " ".join([head, *groups])
