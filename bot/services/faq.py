"""The FAQ the bot answers from: entries in the database, an index rebuilt when they change."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from bot.faq.matcher import FaqIndex, FaqMatch
from bot.faq.model import FaqEntry, load_default_faq
from bot.storage.models import AppState, FaqEntryRow, FaqUnanswered, FaqVersion
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from dialogs.base import Turn

log = logging.getLogger(__name__)
GENERATION_KEY = "faq_generation"
_LONG_NUMBER = re.compile(r"\d[\d\s.\-]{5,}\d")


def mask_numbers(text: str) -> str:
    """Hide long numbers (NIK, phone) before a citizen's question is kept for editors."""
    return _LONG_NUMBER.sub("[angka]", text)


def row_to_entry(row: FaqEntryRow) -> FaqEntry:
    """Convert a stored row into a matcher entry."""
    return FaqEntry(
        id=row.id, category=row.category, question=row.question,
        paraphrases=tuple(row.paraphrases or ()), answer=row.answer, published=row.published,
    )  # fmt: skip


class FaqService:
    """Answer questions from the published FAQ; every worker follows the shared generation."""

    # Below this best score the alternatives are too weak to offer as "did you mean".
    suggest_floor = 0.2

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory
        self._index = FaqIndex.build([])
        self._generation: str | None = None

    @property
    def index(self) -> FaqIndex:
        """Return the index currently used for answers."""
        return self._index

    def ask(self, text: str) -> FaqMatch:
        """Match a question against the published entries."""
        return self._index.ask(text)

    def entry(self, faq_id: str) -> FaqEntry | None:
        """Return a published entry by id."""
        return self._index.entry(faq_id) if faq_id in self._index else None

    async def answer_if_confident(self, turn: Turn) -> bool:
        """Answer a question typed in the middle of a flow, only when the match is confident."""
        if len(turn.text.split()) < 2:
            return False
        match = self.ask(turn.text)
        entry = self.entry(match.faq_id) if match.faq_id else None
        if entry is None:
            return False
        turn.say_text(entry.answer)
        turn.say("faq-back-to-flow")
        return True

    async def record_unanswered(
        self, uow: UnitOfWork, text: str, reason: str, faq_id: str | None
    ) -> None:
        """Keep a refused or unhelpful question for the FAQ editors."""
        if text.strip():
            uow.session.add(
                FaqUnanswered(text=mask_numbers(text)[:500], reason=reason, faq_id=faq_id,
                              created_at=utcnow())
            )  # fmt: skip

    async def reload(self) -> None:
        """Rebuild the index from the database if the published FAQ changed."""
        async with self._uow() as uow:
            generation = await uow.session.scalar(
                select(AppState.value).where(AppState.key == GENERATION_KEY)
            )
            if generation == self._generation and self._generation is not None:
                return
            rows = (
                await uow.session.execute(
                    select(FaqEntryRow).where(FaqEntryRow.published.is_(True))
                )
            ).scalars()
            entries = [row_to_entry(row) for row in rows]
        # Building takes a while for large FAQs; keep the event loop answering meanwhile.
        self._index = await asyncio.to_thread(FaqIndex.build, entries)
        self._generation = generation
        log.info("faq index built: %d entries, generation %s", len(entries), generation)

    async def follow(self, interval: float = 2.0) -> None:
        """Keep reloading when another worker (or the console) publishes a change."""
        while True:
            await asyncio.sleep(interval)
            try:
                await self.reload()
            except Exception:
                log.exception("faq reload failed")


async def bump_generation(uow: UnitOfWork) -> None:
    """Tell every worker that the published FAQ changed."""
    row = await uow.session.get(AppState, GENERATION_KEY)
    if row is None:
        uow.session.add(AppState(key=GENERATION_KEY, value="1", updated_at=utcnow()))
    else:
        row.value = str(int(row.value) + 1)


async def upsert_entries(
    uow: UnitOfWork, entries: list[FaqEntry], *, actor: str, replace: bool = False
) -> tuple[int, int, int]:
    """Import entries by id (versioned); with ``replace`` delete those not in the list."""
    created = updated = deleted = 0
    existing = {row.id: row for row in (await uow.session.execute(select(FaqEntryRow))).scalars()}
    # A deleted entry keeps its history: a re-created one continues its version numbers.
    stmt = select(FaqVersion.faq_id, func.max(FaqVersion.version)).group_by(FaqVersion.faq_id)
    latest = {faq_id: version for faq_id, version in await uow.session.execute(stmt)}
    for entry in entries:
        row = existing.get(entry.id)
        if row is None:
            row = FaqEntryRow(id=entry.id, version=latest.get(entry.id) or 0)
            uow.session.add(row)
            created += 1
        elif row_to_entry(row) == entry:
            continue
        else:
            updated += 1
        row.category, row.question, row.answer = entry.category, entry.question, entry.answer
        row.paraphrases, row.published = list(entry.paraphrases), entry.published
        row.version = (row.version or 0) + 1
        row.updated_at, row.updated_by = utcnow(), actor
        uow.session.add(
            FaqVersion(faq_id=entry.id, version=row.version, action="import",
                       snapshot=entry.to_dict(), at=utcnow(), by=actor)
        )  # fmt: skip
    if replace:
        wanted = {entry.id for entry in entries}
        for faq_id, row in existing.items():
            if faq_id not in wanted:
                await uow.session.delete(row)
                uow.session.add(
                    FaqVersion(faq_id=faq_id, version=(row.version or 0) + 1, action="delete",
                               snapshot=None, at=utcnow(), by=actor)
                )  # fmt: skip
                deleted += 1
    if created or updated or deleted:
        await bump_generation(uow)
    return created, updated, deleted


async def seed_default(uow_factory: UnitOfWorkFactory) -> int:
    """Load the project's default FAQ into an empty FAQ table; return how many were added."""
    async with uow_factory() as uow:
        if await uow.session.scalar(select(FaqEntryRow.id).limit(1)) is not None:
            return 0
        created, _, _ = await upsert_entries(uow, load_default_faq(), actor="system")
        await uow.commit()
    return created
