"""Destroying personal data: a citizen's erasure and the retention rule's purge."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    Conversation,
    Document,
    Message,
    OutboxItem,
    Registration,
    VaultBlob,
)


class PersonalData:
    """Bulk deletions the privacy rules need."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def erase_history(self, conversation_id: int) -> None:
        """Delete a conversation's messages, the photos among them and its sent messages."""
        photos = select(Message.blob_id).where(
            Message.conversation_id == conversation_id, Message.blob_id.is_not(None)
        )
        blob_ids = list((await self._s.execute(photos)).scalars())
        await self._s.execute(delete(Message).where(Message.conversation_id == conversation_id))
        if blob_ids:  # photos exchanged with a helpdesk agent
            await self._s.execute(delete(VaultBlob).where(VaultBlob.id.in_(blob_ids)))
        # Sent messages too: their rows hold the chat id (a WhatsApp number) and the text.
        await self._s.execute(
            delete(OutboxItem).where(OutboxItem.conversation_id == conversation_id)
        )

    async def remove_registration(self, reg: Registration) -> None:
        """Delete a registration and its document records (their images must be gone)."""
        await self._s.execute(delete(Document).where(Document.registration_id == reg.id))
        await self._s.execute(
            update(Registration)
            .where(Registration.resubmission_of == reg.id)
            .values(resubmission_of=None)
        )
        await self._s.delete(reg)

    async def documents_decided_before(self, cutoff: datetime) -> list[Document]:
        """Return the still-stored documents of requests decided before ``cutoff``."""
        decided = select(Registration.id).where(
            Registration.status.in_(("approved", "rejected")), Registration.decided_at < cutoff
        )
        stmt = select(Document).where(
            Document.registration_id.in_(decided), Document.purged_at.is_(None)
        )
        return list((await self._s.execute(stmt)).scalars())

    async def drafts_untouched_since(
        self, cutoff: datetime, *, silent_since: datetime | None = None
    ) -> list[Registration]:
        """Return the drafts last changed before ``cutoff`` (and, with ``silent_since``, whose
        citizen has not written in their chat since then)."""
        stmt = select(Registration).where(
            Registration.status == "draft", Registration.updated_at < cutoff
        )
        if silent_since is not None:
            recent = select(Conversation.id).where(Conversation.last_inbound_at >= silent_since)
            stmt = stmt.where(
                or_(
                    Registration.conversation_id.is_(None),
                    Registration.conversation_id.not_in(recent),
                )
            )
        return list((await self._s.execute(stmt)).scalars())

    async def purge_chat_photos(self, cutoff: datetime) -> int:
        """Destroy photos exchanged with helpdesk agents before ``cutoff`` (the messages stay)."""
        old = select(Message.id, Message.blob_id).where(
            Message.blob_id.is_not(None), Message.created_at < cutoff
        )
        rows = list((await self._s.execute(old)).all())
        if not rows:
            return 0
        await self._s.execute(
            update(Message).where(Message.id.in_([m for m, _ in rows])).values(blob_id=None)
        )
        await self._s.execute(delete(VaultBlob).where(VaultBlob.id.in_([b for _, b in rows])))
        return len(rows)
