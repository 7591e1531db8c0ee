"""The FAQ: entries, their versions, the shared generation every worker follows, the inbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.faq.admin.records import (
    ImportResult,
    ListedEntry,
    StoredVersion,
    Unanswered,
    from_snapshot,
)
from bot.faq.model import FaqEntry
from bot.storage.models import AppState, FaqEntryRow, FaqUnanswered, FaqVersion
from bot.storage.repositories.sql import for_update
from bot.storage.types import utcnow

GENERATION_KEY = "faq_generation"


def _entry(row: FaqEntryRow) -> FaqEntry:
    return FaqEntry(
        id=row.id, category=row.category, question=row.question,
        paraphrases=tuple(row.paraphrases or ()), answer=row.answer, published=row.published,
    )  # fmt: skip


def _listed(row: FaqEntryRow) -> ListedEntry:
    return ListedEntry(_entry(row), row.version, row.updated_at, row.updated_by)


def _fill(row: FaqEntryRow, entry: FaqEntry, version: int, by: str | None) -> None:
    row.category, row.question, row.answer = entry.category, entry.question, entry.answer
    row.paraphrases, row.published = list(entry.paraphrases), entry.published
    row.version, row.updated_at, row.updated_by = version, utcnow(), by


class FaqEntries:
    """FAQ entries with their version history, the FAQ generation and unanswered questions."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    # --- entries ---------------------------------------------------------------------------

    async def listed(self, published: bool | None = None) -> list[ListedEntry]:
        """Return the saved entries, optionally only the published or unpublished ones."""
        stmt = select(FaqEntryRow)
        if published is not None:
            stmt = stmt.where(FaqEntryRow.published.is_(published))
        return [_listed(row) for row in (await self._s.execute(stmt)).scalars()]

    async def all(self) -> list[FaqEntry]:
        """Return every saved entry, published or not, by id."""
        rows = await self._s.execute(select(FaqEntryRow).order_by(FaqEntryRow.id))
        return [_entry(row) for row in rows.scalars()]

    async def published(self) -> list[FaqEntry]:
        """Return the entries the bot answers from."""
        rows = await self._s.execute(select(FaqEntryRow).where(FaqEntryRow.published.is_(True)))
        return [_entry(row) for row in rows.scalars()]

    async def get(self, faq_id: str) -> ListedEntry | None:
        """Return one saved entry."""
        row = await self._s.get(FaqEntryRow, faq_id)
        return None if row is None else _listed(row)

    async def lock(self, faq_id: str) -> ListedEntry | None:
        """Return one saved entry, locked until the end of the transaction."""
        stmt = for_update(self._s, select(FaqEntryRow).where(FaqEntryRow.id == faq_id))
        row = (await self._s.execute(stmt)).scalar_one_or_none()
        return None if row is None else _listed(row)

    async def ids(self) -> set[str]:
        """Return the ids of the saved entries."""
        return set((await self._s.execute(select(FaqEntryRow.id))).scalars())

    async def is_empty(self) -> bool:
        """Tell whether no entry is saved at all."""
        return await self._s.scalar(select(FaqEntryRow.id).limit(1)) is None

    async def categories(self) -> list[str]:
        """Return the categories in use."""
        stmt = select(FaqEntryRow.category).distinct().order_by(FaqEntryRow.category)
        return list((await self._s.execute(stmt)).scalars())

    async def store(self, entry: FaqEntry, version: int, by: str | None) -> None:
        """Create or replace an entry's row as ``version``."""
        row = await self._s.get(FaqEntryRow, entry.id)
        if row is None:
            row = FaqEntryRow(id=entry.id)
            self._s.add(row)
        _fill(row, entry, version, by)

    async def remove(self, faq_id: str) -> None:
        """Delete an entry's row (its versions stay)."""
        row = await self._s.get(FaqEntryRow, faq_id)
        if row is not None:
            await self._s.delete(row)

    # --- versions --------------------------------------------------------------------------

    async def next_version(self, faq_id: str, current: int) -> int:
        """Return the number of an entry's next version (a re-created entry continues)."""
        latest = await self._s.scalar(
            select(func.max(FaqVersion.version)).where(FaqVersion.faq_id == faq_id)
        )
        return max(latest or 0, current) + 1

    def add_version(self, faq_id: str, version: int, action: str,
                    snapshot: dict[str, Any] | None, by: str | None) -> None:  # fmt: skip
        """Keep an entry as it is after a change (``None`` after a delete)."""
        self._s.add(
            FaqVersion(faq_id=faq_id, version=version, action=action, snapshot=snapshot,
                       at=utcnow(), by=by)
        )  # fmt: skip

    async def versions(self, faq_id: str) -> list[StoredVersion]:
        """Return an entry's versions, oldest first."""
        rows = await self._s.execute(
            select(FaqVersion).where(FaqVersion.faq_id == faq_id).order_by(FaqVersion.id)
        )
        return [_stored(row) for row in rows.scalars()]

    async def version(self, faq_id: str, version: int) -> StoredVersion | None:
        """Return one version of an entry (the latest row with that number)."""
        row = await self._s.scalar(
            select(FaqVersion)
            .where(FaqVersion.faq_id == faq_id, FaqVersion.version == version)
            .order_by(FaqVersion.id.desc())
            .limit(1)
        )
        return None if row is None else _stored(row)

    async def deleted(self) -> list[ListedEntry]:
        """Return deleted entries (their last saved content), so they can be restored."""
        last = (
            select(FaqVersion.faq_id, func.max(FaqVersion.id).label("last"))
            .group_by(FaqVersion.faq_id)
            .subquery()
        )
        stmt = (
            select(FaqVersion)
            .join(last, FaqVersion.id == last.c.last)
            .where(FaqVersion.action == "delete")
            .where(FaqVersion.faq_id.not_in(select(FaqEntryRow.id)))
        )
        gone = list((await self._s.execute(stmt)).scalars())
        if not gone:
            return []
        history = await self._s.execute(
            select(FaqVersion)
            .where(FaqVersion.faq_id.in_([v.faq_id for v in gone]))
            .order_by(FaqVersion.id)
        )
        saved: dict[str, FaqEntry] = {}
        for version in history.scalars():
            if version.snapshot:
                saved[version.faq_id] = from_snapshot(version.snapshot)
        return [
            ListedEntry(saved[v.faq_id], v.version, v.at, v.by, deleted=True)
            for v in gone
            if v.faq_id in saved
        ]

    async def import_entries(
        self, entries: Sequence[FaqEntry], *, by: str, replace: bool = False
    ) -> ImportResult:
        """Upsert entries by id, each change a version; with ``replace`` delete the others."""
        created = updated = deleted = 0
        existing = {row.id: row for row in (await self._s.execute(select(FaqEntryRow))).scalars()}
        # A deleted entry keeps its history: a re-created one continues its version numbers.
        stmt = select(FaqVersion.faq_id, func.max(FaqVersion.version)).group_by(FaqVersion.faq_id)
        latest = {faq_id: version for faq_id, version in await self._s.execute(stmt)}
        for entry in entries:
            row = existing.get(entry.id)
            if row is None:
                row = FaqEntryRow(id=entry.id, version=latest.get(entry.id) or 0)
                self._s.add(row)
                created += 1
            elif _entry(row) == entry:
                continue
            else:
                updated += 1
            _fill(row, entry, (row.version or 0) + 1, by)
            self.add_version(entry.id, row.version, "import", entry.to_dict(), by)
        if replace:
            wanted = {entry.id for entry in entries}
            for faq_id, row in existing.items():
                if faq_id not in wanted:
                    await self._s.delete(row)
                    self.add_version(faq_id, (row.version or 0) + 1, "delete", None, by)
                    deleted += 1
        return ImportResult(created, updated, deleted)

    # --- the generation every worker follows -----------------------------------------------

    async def generation(self) -> str | None:
        """Return the current FAQ generation (changes whenever the published FAQ does)."""
        return await self._s.scalar(select(AppState.value).where(AppState.key == GENERATION_KEY))

    async def bump_generation(self) -> None:
        """Tell every worker that the published FAQ changed."""
        row = await self._s.get(AppState, GENERATION_KEY)
        if row is None:
            self._s.add(AppState(key=GENERATION_KEY, value="1", updated_at=utcnow()))
        else:
            row.value = str(int(row.value) + 1)

    # --- unanswered questions --------------------------------------------------------------

    def record_unanswered(self, text: str, reason: str, faq_id: str | None) -> None:
        """Keep a refused or unhelpful question (already masked) for the editors."""
        self._s.add(FaqUnanswered(text=text, reason=reason, faq_id=faq_id, created_at=utcnow()))

    async def count_unanswered(self) -> int:
        """Return how many unanswered questions wait in the inbox."""
        stmt = select(func.count(FaqUnanswered.id)).where(FaqUnanswered.resolved_at.is_(None))
        return await self._s.scalar(stmt) or 0

    async def open_unanswered(self, limit: int, since: datetime | None = None) -> list[Unanswered]:
        """Return the newest open unanswered questions (asked at or after ``since``)."""
        rows = await self._s.execute(
            select(FaqUnanswered)
            .where(*_open(since))
            .order_by(FaqUnanswered.created_at.desc(), FaqUnanswered.id.desc())
            .limit(limit)
        )
        return [Unanswered(r.id, r.text, r.reason, r.faq_id, r.created_at) for r in rows.scalars()]

    async def unanswered_state(self, since: datetime) -> tuple[int, int | None]:
        """Return how many questions asked since ``since`` are open, and the newest one's id.

        Rows are only added (with growing ids) and resolved, never reopened, so the pair
        changes whenever the set of open questions in the window does.
        """
        stmt = select(func.count(FaqUnanswered.id), func.max(FaqUnanswered.id)).where(*_open(since))
        count, newest = (await self._s.execute(stmt)).one()
        return int(count or 0), newest

    async def unanswered_texts(self, ids: Sequence[int]) -> list[str]:
        """Return the texts of the open unanswered questions among ``ids``."""
        if not ids:
            return []
        rows = await self._s.execute(
            select(FaqUnanswered.text).where(
                FaqUnanswered.id.in_(ids), FaqUnanswered.resolved_at.is_(None)
            )
        )
        return list(rows.scalars())

    async def resolve_unanswered(self, ids: Sequence[int]) -> int:
        """Mark open unanswered questions as dealt with; return how many were open."""
        if not ids:
            return 0
        rows = await self._s.execute(
            select(FaqUnanswered).where(
                FaqUnanswered.id.in_(ids), FaqUnanswered.resolved_at.is_(None)
            )
        )
        now = utcnow()
        count = 0
        for row in rows.scalars():
            row.resolved_at = now
            count += 1
        return count


def _open(since: datetime | None) -> list[ColumnElement[bool]]:
    """Return the conditions of open unanswered questions, optionally asked since a moment."""
    conditions = [FaqUnanswered.resolved_at.is_(None)]
    if since is not None:
        conditions.append(FaqUnanswered.created_at >= since)
    return conditions


def _stored(row: FaqVersion) -> StoredVersion:
    entry = from_snapshot(row.snapshot) if row.snapshot else None
    return StoredVersion(row.version, row.action, row.at, row.by, entry)
