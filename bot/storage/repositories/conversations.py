"""Conversations and their encrypted message history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.crypto import Keyring
from bot.domain.chat_mode import ChatMode
from bot.storage.models import (
    Conversation,
    Message,
)
from bot.storage.repositories.sql import for_update, upsert
from bot.storage.types import utcnow


class Conversations:
    """Conversations and their message history."""

    def __init__(self, session: AsyncSession, keys: Keyring) -> None:
        self._s = session
        self._keys = keys

    async def lock(self, channel: str, chat_id: str) -> Conversation:
        """Return the conversation for a chat, created if new, locked for this transaction."""
        stmt = select(Conversation).where(
            Conversation.channel == channel, Conversation.chat_id == chat_id
        )
        existing = (await self._s.execute(for_update(self._s, stmt))).scalar_one_or_none()
        if existing is not None:
            return existing
        # New chat: two first messages may race; ON CONFLICT lets exactly one insert.
        await self._s.execute(
            upsert(self._s, Conversation)
            .values(channel=channel, chat_id=chat_id, mode=ChatMode.BOT, last_seq=0,
                    created_at=utcnow(), updated_at=utcnow())
            .on_conflict_do_nothing(index_elements=["channel", "chat_id"])
        )  # fmt: skip
        return (await self._s.execute(for_update(self._s, stmt))).scalar_one()

    async def get(self, conversation_id: int, *, lock: bool = False) -> Conversation | None:
        """Return a conversation by id, optionally locked."""
        stmt = select(Conversation).where(Conversation.id == conversation_id)
        if lock:
            stmt = for_update(self._s, stmt)
        return (await self._s.execute(stmt)).scalar_one_or_none()

    async def find(self, channel: str, chat_id: str) -> Conversation | None:
        """Return the conversation for a chat without locking it."""
        stmt = select(Conversation).where(
            Conversation.channel == channel, Conversation.chat_id == chat_id
        )
        return (await self._s.execute(stmt)).scalar_one_or_none()

    def read_state(self, conv: Conversation) -> dict[str, Any]:
        """Decrypt the dialog state of a conversation."""
        return self._keys.fields.decrypt_json(conv.state_enc, context=b"conv") or {}

    def write_state(self, conv: Conversation, state: dict[str, Any]) -> None:
        """Encrypt and set the dialog state of a conversation."""
        conv.state_enc = self._keys.fields.encrypt_json(state, context=b"conv")

    def append(
        self,
        conv: Conversation,
        *,
        direction: str,
        author: str,
        kind: str,
        body: dict[str, Any],
        author_user_id: int | None = None,
    ) -> Message:
        """Add a message to the history with the next sequence number."""
        conv.last_seq = (conv.last_seq or 0) + 1
        message = Message(
            conversation_id=conv.id,
            seq=conv.last_seq,
            direction=direction,
            author=author,
            author_user_id=author_user_id,
            kind=kind,
            body_enc=self._keys.fields.encrypt_json(body, context=b"msg"),
            created_at=utcnow(),
        )
        self._s.add(message)
        return message

    async def history(
        self, conversation_id: int, *, after: int = 0, directions: Sequence[str] = ("in", "out")
    ) -> list[tuple[Message, dict[str, Any]]]:
        """Return messages after sequence ``after`` with their decrypted bodies."""
        stmt = (
            select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.seq > after,
                Message.direction.in_(directions),
            )
            .order_by(Message.seq)
        )
        rows = (await self._s.execute(stmt)).scalars().all()
        return [(m, self._keys.fields.decrypt_json(m.body_enc, context=b"msg")) for m in rows]
