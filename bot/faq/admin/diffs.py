"""What changed between two versions of an FAQ entry, field by field and word by word."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.faq.admin.records import StoredVersion, snapshot
from bot.faq.model import FaqEntry


@dataclass(frozen=True, slots=True)
class Change:
    """How one field differs between two versions.

    ``segments`` (for text) is a word diff: ``("=", text)``, ``("-", removed)``, ``("+", added)``.
    """

    field: str
    before: str = ""
    after: str = ""
    segments: tuple[tuple[str, str], ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VersionView:
    """One version of an entry with what changed since the one before."""

    version: int
    action: str
    at: datetime
    by: str | None
    entry: FaqEntry | None
    changes: tuple[Change, ...]
    current: bool = False


def word_diff(before: str, after: str) -> tuple[tuple[str, str], ...]:
    """Return a word-level diff of two texts as (op, text) segments.

    Neighbouring changes separated only by a space are shown as one removal and one
    addition ("1x24 jam." → "2x24 jam kerja."), which reads better than word by word.
    """
    a, b = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    segments: list[tuple[str, str]] = []
    removed = added = ""
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        glue = tag == "equal" and old.isspace() and 0 < n < len(ops) - 1
        if tag != "equal" or glue:
            removed, added = removed + old, added + new
            continue
        segments.extend((op, text) for op, text in (("-", removed), ("+", added)) if text)
        removed = added = ""
        if old:
            segments.append(("=", old))
    segments.extend((op, text) for op, text in (("-", removed), ("+", added)) if text)
    return tuple(segments)


def diff(before: FaqEntry | None, after: FaqEntry | None) -> tuple[Change, ...]:
    """Return the field changes from one entry state to another (None: absent)."""
    if before == after:
        return ()
    old = snapshot(before) if before else {}
    new = snapshot(after) if after else {}
    changes: list[Change] = []
    for name in ("category", "question", "answer"):
        a, b = str(old.get(name, "")), str(new.get(name, ""))
        if a != b:
            segments = word_diff(a, b) if name != "category" else ()
            changes.append(Change(name, before=a, after=b, segments=segments))
    a_list, b_list = list(old.get("paraphrases", [])), list(new.get("paraphrases", []))
    if a_list != b_list:
        added = tuple(p for p in b_list if p not in a_list)
        removed = tuple(p for p in a_list if p not in b_list)
        changes.append(Change("paraphrases", added=added, removed=removed,
                              before=str(len(a_list)), after=str(len(b_list))))  # fmt: skip
    if old.get("published") != new.get("published") and before and after:
        changes.append(Change("published", before=str(old["published"]).lower(),
                              after=str(new["published"]).lower()))  # fmt: skip
    return tuple(changes)


def version_views(versions: Sequence[StoredVersion], current: int | None) -> list[VersionView]:
    """Return an entry's versions (given oldest first) newest first, each with its diff."""
    views: list[VersionView] = []
    previous: FaqEntry | None = None
    for stored in versions:
        entry = stored.entry
        views.append(
            VersionView(stored.version, stored.action, stored.at, stored.by, entry,
                        diff(previous, entry) if entry else (),
                        current=current is not None and stored.version == current)
        )  # fmt: skip
        previous = entry
    return views[::-1]
