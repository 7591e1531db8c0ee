"""Conversations and their encrypted message history."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.crypto import Keyring, json_bytes
from bot.domain.chat_mode import ChatMode
from bot.storage.models import (
    Conversation,
    Message,
)
from bot.storage.repositories.encrypted import bound, seal_after_flush
from bot.storage.repositories.sql import for_update, upsert
from bot.storage.types import utcnow


def chat_address(keys: Keyring, conv: Conversation) -> str:
    """Decrypt the channel's chat id of a conversation (where its messages are sent)."""
    if conv.chat_id_enc is None:
        raise ValueError(f"conversation {conv.id} has no chat id")
    return keys.fields.decrypt(conv.chat_id_enc, context=bound(conv, "chat_id_enc")).decode()


class Conversations:
    """Conversations and their message history; chats are found by a keyed hash of their id."""

    def __init__(self, session: AsyncSession, keys: Keyring) -> None:
        self._s = session
        self._keys = keys

    async def lock(self, channel: str, chat_id: str) -> Conversation:
        """Return the conversation for a chat, created if new, locked for this transaction."""
        keys = self._chat_keys(channel, chat_id)
        stmt = self._by_chat(channel, keys)
        conv = (await self._s.execute(for_update(self._s, stmt))).scalars().first()
        if conv is None:
            # New chat: two first messages may race; ON CONFLICT lets exactly one insert.
            await self._s.execute(
                upsert(self._s, Conversation)
                .values(channel=channel, chat_key=keys[0], mode=ChatMode.BOT, last_seq=0,
                        created_at=utcnow(), updated_at=utcnow())
                .on_conflict_do_nothing(index_elements=["channel", "chat_key"])
            )  # fmt: skip
            conv = (await self._s.execute(for_update(self._s, stmt))).scalars().one()
        if conv.chat_key != keys[0] or conv.chat_id_enc is None:
            # Just created (its id binds the ciphertext), or hashed under a key since rotated.
            self.rebind(conv, chat_id)
        return conv

    async def get(self, conversation_id: int, *, lock: bool = False) -> Conversation | None:
        """Return a conversation by id, optionally locked."""
        stmt = select(Conversation).where(Conversation.id == conversation_id)
        if lock:
            stmt = for_update(self._s, stmt)
        return (await self._s.execute(stmt)).scalar_one_or_none()

    async def find(self, channel: str, chat_id: str) -> Conversation | None:
        """Return the conversation for a chat without locking it."""
        stmt = self._by_chat(channel, self._chat_keys(channel, chat_id))
        return (await self._s.execute(stmt)).scalars().first()

    def address(self, conv: Conversation) -> str:
        """Return the channel's chat id of a conversation, decrypted."""
        return chat_address(self._keys, conv)

    def rebind(self, conv: Conversation, chat_id: str) -> None:
        """Make ``chat_id`` the conversation's chat id (a new web chat session id, a new key)."""
        conv.chat_key = self._keys.id_hash("chat", conv.channel, chat_id)
        conv.chat_id_enc = self._keys.fields.encrypt(
            chat_id.encode(), context=bound(conv, "chat_id_enc")
        )

    def _chat_keys(self, channel: str, chat_id: str) -> tuple[str, ...]:
        return self._keys.id_hashes("chat", channel, chat_id)

    @staticmethod
    def _by_chat(channel: str, keys: Sequence[str]) -> Any:
        # The oldest first, should a chat ever have been stored twice under different keys.
        return (
            select(Conversation)
            .where(Conversation.channel == channel, Conversation.chat_key.in_(keys))
            .order_by(Conversation.id)
        )

    def read_state(self, conv: Conversation) -> dict[str, Any]:
        """Decrypt the dialog state of a conversation."""
        return (
            self._keys.fields.decrypt_json(conv.state_enc, context=bound(conv, "state_enc")) or {}
        )

    def write_state(self, conv: Conversation, state: dict[str, Any]) -> None:
        """Encrypt and set the dialog state of a conversation."""
        conv.state_enc = self._keys.fields.encrypt_json(state, context=bound(conv, "state_enc"))

    async def append(
        self,
        conv: Conversation,
        *,
        direction: str,
        author: str,
        kind: str,
        body: dict[str, Any],
        author_user_id: int | None = None,
    ) -> Message:
        """Add a message to the history with the next sequence number.

        Its id (and its encrypted body) comes with the next flush, at the latest on commit.
        """
        conv.last_seq = (conv.last_seq or 0) + 1
        message = Message(
            conversation_id=conv.id,
            seq=conv.last_seq,
            direction=direction,
            author=author,
            author_user_id=author_user_id,
            kind=kind,
            body_enc=b"",
            created_at=utcnow(),
        )
        self._s.add(message)
        # The row id binds the ciphertext: made once the turn's rows are flushed together. The
        # body is serialised now, so a later change to the dict does not leak into the history.
        fields, plain = self._keys.fields, json_bytes(body)
        seal_after_flush(
            self._s, message, "body_enc",
            lambda: fields.encrypt(plain, context=bound(message, "body_enc")),
        )  # fmt: skip
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
        decrypt = self._keys.fields.decrypt_json
        return [(m, decrypt(m.body_enc, context=bound(m, "body_enc"))) for m in rows]

    async def last_inbound(
        self, conversation_ids: Collection[int]
    ) -> dict[int, tuple[Message, dict[str, Any]]]:
        """Return each conversation's latest message from the citizen, decrypted."""
        if not conversation_ids:
            return {}
        latest = (
            select(Message.conversation_id, func.max(Message.seq).label("seq"))
            .where(Message.conversation_id.in_(conversation_ids), Message.direction == "in")
            .group_by(Message.conversation_id)
            .subquery()
        )
        stmt = select(Message).join(
            latest,
            and_(Message.conversation_id == latest.c.conversation_id, Message.seq == latest.c.seq),
        )
        rows = (await self._s.execute(stmt)).scalars().all()
        decrypt = self._keys.fields.decrypt_json
        return {
            m.conversation_id: (m, decrypt(m.body_enc, context=bound(m, "body_enc"))) for m in rows
        }

    # --- reminders to citizens who stopped halfway ----------------------------------------------

    async def awaiting_reminder(
        self, flow: str, cutoffs: Sequence[tuple[int, datetime]], limit: int
    ) -> list[tuple[int, int, datetime]]:
        """Return (id, reminders sent, last message) of bot chats in ``flow`` a reminder may be
        due in: ``cutoffs`` pairs a count of reminders sent with the time the last message
        must be older than."""
        if not cutoffs:
            return []
        due = or_(
            *(
                and_(Conversation.reminders_sent == sent, Conversation.last_inbound_at <= before)
                for sent, before in cutoffs
            )
        )
        found = await self._s.execute(
            select(Conversation.id, Conversation.reminders_sent, Conversation.last_inbound_at)
            .where(Conversation.flow == flow, Conversation.mode == ChatMode.BOT, due)
            .order_by(Conversation.last_inbound_at, Conversation.id)
            .limit(limit)
        )
        return [(conv_id, sent, seen) for conv_id, sent, seen in found.all()]

    async def claim_reminder(
        self, conversation_id: int, *, flow: str, sent: int, seen: datetime, to: int,
        now: datetime,
    ) -> bool:  # fmt: skip
        """Count a reminder as sent, only while the chat is as it was seen; say if so.

        One conditional UPDATE: of several workers sweeping at once exactly one changes the
        row, and a citizen who wrote, left the flow or asked for a person meanwhile gets none.
        """
        done = await self._s.execute(
            update(Conversation)
            .where(
                Conversation.id == conversation_id,
                Conversation.reminders_sent == sent,
                Conversation.last_inbound_at == seen,
                Conversation.flow == flow,
                Conversation.mode == ChatMode.BOT,
            )
            .values(reminders_sent=to, reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]
