"""Messages waiting to be sent on push channels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from bot.crypto import Keyring, json_bytes
from bot.engine.messages import Reply
from bot.storage.models import (
    Conversation,
    OutboxItem,
)
from bot.storage.repositories.conversations import chat_address
from bot.storage.repositories.encrypted import bound, seal_after_flush
from bot.storage.repositories.sql import for_update
from bot.storage.types import utcnow


class Outbox:
    """Messages waiting to be sent on push channels."""

    def __init__(self, session: AsyncSession, keys: Keyring) -> None:
        self._s = session
        self._keys = keys

    async def enqueue(
        self, conv: Conversation, reply: Reply, *, message_seq: int | None = None
    ) -> OutboxItem:
        """Queue a reply for the conversation's channel (``message_seq``: its history entry)."""
        address = chat_address(self._keys, conv)
        return await self._add(conv.id, conv.channel, address, reply, message_seq)

    async def _add(
        self,
        conversation_id: int | None,
        channel: str,
        address: str,
        reply: Reply,
        message_seq: int | None,
    ) -> OutboxItem:
        item = OutboxItem(
            conversation_id=conversation_id, channel=channel, chat_id_enc=b"", payload_enc=b"",
            status="pending", attempts=0, next_attempt_at=utcnow(), created_at=utcnow(),
            message_seq=message_seq,
        )  # fmt: skip
        self._s.add(item)
        # The row id binds the ciphertexts: made once the turn's rows are flushed together.
        fields, payload = self._keys.fields, json_bytes(reply.to_dict())
        seal_after_flush(
            self._s, item, "chat_id_enc",
            lambda: fields.encrypt(address.encode(), context=bound(item, "chat_id_enc")),
        )  # fmt: skip
        seal_after_flush(
            self._s, item, "payload_enc",
            lambda: fields.encrypt(payload, context=bound(item, "payload_enc")),
        )  # fmt: skip
        return item

    def payload(self, item: OutboxItem) -> Reply:
        """Decrypt an outbox item back into a reply."""
        body = self._keys.fields.decrypt_json(item.payload_enc, context=bound(item, "payload_enc"))
        return Reply.from_dict(body)

    def address(self, item: OutboxItem) -> str:
        """Decrypt the chat id an outbox item is sent to."""
        return self._keys.fields.decrypt(
            item.chat_id_enc, context=bound(item, "chat_id_enc")
        ).decode()

    async def claim(
        self, channels: Sequence[str], now: datetime, limit: int, until: datetime
    ) -> list[tuple[OutboxItem, datetime | None]]:
        """Lease the oldest due item of each chat until ``until``; return each with when its
        citizen last wrote.

        Two statements whatever the batch: one SELECT … FOR UPDATE SKIP LOCKED (joined to the
        conversation for the 24-hour window) and one UPDATE. The items returned carry the
        attempt count of the send about to be made.
        """
        oldest = (
            select(func.min(OutboxItem.id))
            .where(OutboxItem.status == "pending", OutboxItem.channel.in_(channels))
            .group_by(OutboxItem.channel, OutboxItem.conversation_id)
        )
        stmt = (
            select(OutboxItem, Conversation.last_inbound_at)
            .outerjoin(Conversation, Conversation.id == OutboxItem.conversation_id)
            .where(OutboxItem.id.in_(oldest), OutboxItem.next_attempt_at <= now)
            .order_by(OutboxItem.id)
            .limit(limit)
        )
        stmt = for_update(self._s, stmt, skip_locked=True, of=OutboxItem)
        rows = [(item, seen) for item, seen in (await self._s.execute(stmt)).all()]
        if not rows:
            return []
        await self._s.execute(
            update(OutboxItem)
            .where(OutboxItem.id.in_([item.id for item, _ in rows]))
            .values(next_attempt_at=until, attempts=OutboxItem.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        for item, _ in rows:
            # Set as stored, without marking the row changed (it was updated above).
            set_committed_value(item, "attempts", item.attempts + 1)
            set_committed_value(item, "next_attempt_at", until)
        return rows

    async def mark_all_sent(self, sent: Sequence[tuple[int, str, str | None]]) -> None:
        """Record several items handed to their channels (id, channel, message id): one
        statement, sent as one batch."""
        if not sent:
            return
        now = utcnow()
        rows = [
            {"id": item_id, "status": "sent", "sent_at": now, "last_error": None,
             "external_key": self._keys.id_hash("message", channel, external_id)
             if external_id else None}
            for item_id, channel, external_id in sent
        ]  # fmt: skip
        await self._s.execute(update(OutboxItem), rows)

    async def mark_failed(self, item_id: int, error: str) -> None:
        """Give an item up for good."""
        await self._set(item_id, status="failed", last_error=error[:255])

    async def retry_at(self, item_id: int, when: datetime, error: str) -> None:
        """Schedule another attempt of an item that failed for now."""
        await self._set(item_id, next_attempt_at=when, last_error=error[:255])

    async def _set(self, item_id: int, **values: object) -> None:
        await self._s.execute(update(OutboxItem).where(OutboxItem.id == item_id).values(**values))

    def _by_external_id(self, channel: str, external_id: str) -> Any:
        keys = self._keys.id_hashes("message", channel, external_id)
        return (OutboxItem.channel == channel) & OutboxItem.external_key.in_(keys)

    async def mark_delivery(
        self, channel: str, external_id: str, status: str, error: str | None = None
    ) -> bool:
        """Record a delivery callback for a sent message; return whether it was ours."""
        values: dict[str, Any] = {"delivery_status": status[:16]}
        if error:
            values["last_error"] = error[:255]
        result = await self._s.execute(
            update(OutboxItem).where(self._by_external_id(channel, external_id)).values(**values)
        )
        return bool(result.rowcount)

    async def requeue_as_template(self, channel: str, external_id: str, error: str) -> bool:
        """Queue the template of a message that failed because the 24-hour window had closed."""
        if not error.startswith("131047"):
            return False
        stmt = select(OutboxItem).where(self._by_external_id(channel, external_id))
        item = (await self._s.execute(stmt)).scalars().first()
        if item is None:
            return False
        reply = self.payload(item)
        if reply.template is None or reply.extra.get("template_only"):
            return False
        retry = Reply(text=reply.text, template=reply.template, extra={"template_only": True})
        await self._add(
            item.conversation_id, item.channel, self.address(item), retry, item.message_seq
        )
        return True

    async def purge_finished(self, cutoff: datetime) -> int:
        """Delete the items sent, or given up, before ``cutoff``; return how many.

        Pending items stay whatever their age: they are still to be sent.
        """
        result = await self._s.execute(
            delete(OutboxItem).where(
                or_(
                    (OutboxItem.status == "sent") & (OutboxItem.sent_at < cutoff),
                    (OutboxItem.status == "failed") & (OutboxItem.created_at < cutoff),
                )
            )
        )
        return int(result.rowcount or 0)
