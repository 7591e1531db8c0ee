"""Inbound message ids already processed: the dedup of redelivered webhooks.

Only a keyed hash of each id is kept: a WhatsApp message id carries the sender's number, a web
chat one the session secret.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.crypto import Keyring
from bot.storage.models import (
    InboundReceipt,
)
from bot.storage.repositories.sql import upsert
from bot.storage.types import utcnow


class Receipts:
    """Inbound message ids already processed."""

    def __init__(self, session: AsyncSession, keys: Keyring) -> None:
        self._s = session
        self._keys = keys

    async def add(self, channel: str, external_id: str, conversation_id: int, seq: int) -> bool:
        """Record an inbound id at history position ``seq``; False when seen before."""
        keys = self._keys.id_hashes("receipt", channel, external_id)
        if len(keys) > 1 and await self.get(channel, external_id) is not None:
            return False  # recorded under a key since rotated
        stmt = (
            upsert(self._s, InboundReceipt)
            .values(
                channel=channel,
                external_key=keys[0],
                conversation_id=conversation_id,
                seq=seq,
                received_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["channel", "external_key"])
            .returning(InboundReceipt.id)
        )
        return (await self._s.execute(stmt)).scalar_one_or_none() is not None

    async def get(self, channel: str, external_id: str) -> InboundReceipt | None:
        """Return the receipt of an inbound id."""
        keys = self._keys.id_hashes("receipt", channel, external_id)
        stmt = select(InboundReceipt).where(
            InboundReceipt.channel == channel, InboundReceipt.external_key.in_(keys)
        )
        return (await self._s.execute(stmt.order_by(InboundReceipt.id))).scalars().first()
