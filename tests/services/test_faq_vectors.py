"""FAQ text vectors: encoded once when an entry is published, shared by every worker."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.core import Core
from bot.domain.events import FaqPublished
from bot.faq.model import FaqEntry
from bot.faq.semantic import packaged_encoder, semantic_text, text_key
from bot.services.faq import FaqService


class CountingEncoder:
    """The packaged encoder, counting the texts it is asked to encode."""

    model = packaged_encoder().model

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded.extend(texts)
        return packaged_encoder().encode(texts)


async def _stored(core: Core, texts: Sequence[str]) -> dict[str, bytes]:
    async with core.uow() as uow:
        return await uow.faq_vectors.known({text_key(packaged_encoder().model, t) for t in texts})


async def test_the_published_faqs_vectors_are_stored(any_core: Core) -> None:
    index = any_core.services.faq.index
    texts = [t for e in index.entries for t in e.documents()]
    stored = await _stored(any_core, texts)
    assert len(stored) == len({text_key(packaged_encoder().model, t) for t in texts})


async def test_another_worker_builds_its_index_without_encoding_the_faq(any_core: Core) -> None:
    encoder = CountingEncoder()
    worker = FaqService(any_core.uow, encoder)
    await worker.reload()
    faq_texts = {t for e in worker.index.entries for t in e.documents()}
    assert len(worker.index) == len(any_core.services.faq.index)
    assert not faq_texts & set(encoder.encoded)
    assert worker.ask("ktp sy ilang gmn daftarnya").faq_id == "ktp-hilang"


async def test_publishing_an_entry_encodes_only_its_new_texts(any_core: Core) -> None:
    entry = FaqEntry(
        "parkir-balaikota", "layanan", "Di mana parkir di Balai Kota?",
        ("parkir motor di puspem dimana",), "Parkir ada di basement gedung.",
    )  # fmt: skip
    async with any_core.uow() as uow:
        await uow.faq.import_entries([entry], by="test")
        await uow.faq.bump_generation()
        uow.publish(FaqPublished())
        await uow.commit()
    encoder = CountingEncoder()
    worker = FaqService(any_core.uow, encoder)
    await worker.reload()
    assert "parkir-balaikota" in worker.index
    faq_texts = {semantic_text(t) for e in worker.index.entries for t in e.documents()}
    assert set(encoder.encoded) & faq_texts <= {semantic_text(t) for t in entry.documents()}
    assert await _stored(any_core, entry.documents())
    await any_core.services.faq.reload()
    assert "parkir-balaikota" in any_core.services.faq.index
