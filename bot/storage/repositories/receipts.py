"""Inbound message ids already processed: the dedup of redelivered webhooks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    InboundReceipt,
)
from bot.storage.repositories.sql import upsert
from bot.storage.types import utcnow


class Receipts:
    """Inbound message ids already processed."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, channel: str, external_id: str, conversation_id: int, seq: int) -> bool:
        """Record an inbound id at history position ``seq``; False when seen before."""
        stmt = (
            upsert(self._s, InboundReceipt)
            .values(
                channel=channel,
                external_id=external_id,
                conversation_id=conversation_id,
                seq=seq,
                received_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["channel", "external_id"])
            .returning(InboundReceipt.id)
        )
        return (await self._s.execute(stmt)).scalar_one_or_none() is not None

    async def get(self, channel: str, external_id: str) -> InboundReceipt | None:
        """Return the receipt of an inbound id."""
        stmt = select(InboundReceipt).where(
            InboundReceipt.channel == channel, InboundReceipt.external_id == external_id
        )
        return (await self._s.execute(stmt)).scalar_one_or_none()
