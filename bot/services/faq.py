"""The FAQ the bot answers from: entries in the database, an index rebuilt when they change."""

from __future__ import annotations

import asyncio
import logging
import re

from bot.domain.events import FaqPublished
from bot.faq.matcher import FaqIndex, FaqMatch
from bot.faq.model import FaqEntry, load_default_faq
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
_LONG_NUMBER = re.compile(r"\d[\d\s.\-]{5,}\d")


def mask_numbers(text: str) -> str:
    """Hide long numbers (NIK, phone) before a citizen's question is kept for editors."""
    return _LONG_NUMBER.sub("[angka]", text)


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

    async def record_unanswered(
        self, uow: UnitOfWork, text: str, reason: str, faq_id: str | None
    ) -> None:
        """Keep a refused or unhelpful question for the FAQ editors."""
        if text.strip():
            uow.faq.record_unanswered(mask_numbers(text)[:500], reason, faq_id)

    async def reload(self) -> None:
        """Rebuild the index from the database if the published FAQ changed."""
        async with self._uow() as uow:
            generation = await uow.faq.generation()
            if generation == self._generation and self._generation is not None:
                return
            entries = await uow.faq.published()
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


async def seed_default(uow_factory: UnitOfWorkFactory) -> int:
    """Load the project's default FAQ into an empty FAQ table; return how many were added."""
    async with uow_factory() as uow:
        if not await uow.faq.is_empty():
            return 0
        result = await uow.faq.import_entries(load_default_faq(), by="system")
        if result.created:
            await uow.faq.bump_generation()
            uow.publish(FaqPublished())
        await uow.commit()
    return result.created
