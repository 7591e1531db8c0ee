"""What the FAQ editors see and get back: listed entries, filters, results of a change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.faq.model import FaqEntry, entry_from_dict
from bot.faq.normalize import normalize

STATUSES = ("all", "published", "unpublished", "deleted")


@dataclass(frozen=True, slots=True)
class FaqFilter:
    """Which entries the list shows."""

    text: str = ""
    category: str | None = None
    status: str = "all"


@dataclass(frozen=True, slots=True)
class ListedEntry:
    """An entry as the list shows it (a deleted one carries its last saved content)."""

    entry: FaqEntry
    version: int
    updated_at: datetime | None
    updated_by: str | None
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What a change did: the entry now, its version, and whether anything changed."""

    entry: FaqEntry
    version: int
    created: bool = False
    changed: bool = True


@dataclass(frozen=True, slots=True)
class ImportResult:
    """How many entries an import created, changed and deleted."""

    created: int
    updated: int
    deleted: int


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """One saved version of an entry (``entry`` is None after a delete)."""

    version: int
    action: str
    at: datetime
    by: str | None
    entry: FaqEntry | None


def snapshot(entry: FaqEntry) -> dict[str, Any]:
    """Return an entry as stored in a version row (``published`` always present)."""
    return {**entry.to_dict(), "published": entry.published}


def from_snapshot(data: Mapping[str, Any]) -> FaqEntry:
    """Rebuild an entry from a version row's snapshot."""
    return entry_from_dict(dict(data))


def matches(entry: FaqEntry, needle: str) -> bool:
    """Tell whether an entry contains a searched text, literally or as normalised words."""
    if not needle:
        return True
    haystack = " ".join((entry.id, entry.category, *entry.documents(), entry.answer)).lower()
    if needle.lower() in haystack:
        return True
    wanted = set(normalize(needle))
    return bool(wanted) and wanted <= set(normalize(haystack))


def filtered(found: list[ListedEntry], flt: FaqFilter) -> list[ListedEntry]:
    """Return the listed entries matching a filter's category and text, by category then id."""
    needle = flt.text.strip()
    return sorted(
        (
            item for item in found
            if (not flt.category or item.entry.category == flt.category)
            and matches(item.entry, needle)
        ),
        key=lambda item: (item.entry.category, item.entry.id),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Unanswered:
    """A refused or unhelpful question (digits already masked)."""

    id: int
    text: str
    reason: str
    faq_id: str | None
    created_at: datetime
