"""The FAQ the bot answers from: entries in the database, an index rebuilt when they change."""

from __future__ import annotations

import asyncio
import logging
import re

from sqlalchemy.exc import IntegrityError

from bot.domain.events import FaqPublished
from bot.faq.matcher import FaqIndex, FaqMatch, MatcherConfig
from bot.faq.model import FaqEntry, load_default_faq, load_off_topic_examples
from bot.faq.semantic import SentenceEncoder, TextVectors, packaged_encoder, text_key
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

    def __init__(
        self, uow_factory: UnitOfWorkFactory, encoder: SentenceEncoder | None = None
    ) -> None:
        self._uow = uow_factory
        self._encoder = encoder or packaged_encoder()
        # Empty until the first reload; built without the encoder so nothing loads before then.
        self._index = FaqIndex.build([], MatcherConfig(semantic_weight=0.0))
        self._generation: str | None = None

    @property
    def index(self) -> FaqIndex:
        """Return the index currently used for answers."""
        return self._index

    def ask(self, text: str) -> FaqMatch:
        """Match a question against the published entries."""
        return self._index.ask(text)

    def ask_all(self, text: str) -> tuple[FaqMatch, ...]:
        """Match each question of a message (at most two) against the published entries."""
        return self._index.ask_all(text)

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
        """Rebuild the index from the database if the published FAQ changed.

        Texts' vectors come from the database; texts new to it are encoded here, once, and
        stored for the other workers and the next rebuild.
        """
        model = self._encoder.model
        async with self._uow() as uow:
            generation = await uow.faq.generation()
            if generation == self._generation and self._generation is not None:
                return
            entries = await uow.faq.published()
            texts = [*(t for e in entries for t in e.documents()), *load_off_topic_examples()]
            keys = {text_key(model, t) for t in texts}
            stored = await uow.faq_vectors.known(keys)
        vectors = TextVectors(self._encoder, stored)
        # Building takes a while for large FAQs; keep the event loop answering meanwhile.
        self._index = await asyncio.to_thread(FaqIndex.build, entries, None, vectors)
        self._generation = generation
        if vectors.computed:
            await self._store(model, vectors.computed)
        log.info(
            "faq index built: %d entries, %d texts encoded, generation %s",
            len(entries), len(vectors.computed), generation,
        )  # fmt: skip

    async def _store(self, model: str, computed: dict[str, bytes]) -> None:
        """Keep newly encoded vectors; another worker storing them first is fine."""
        try:
            async with self._uow() as uow:
                await uow.faq_vectors.add(model, computed)
                await uow.commit()
        except IntegrityError:
            log.info("faq vectors already stored by another worker")

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
