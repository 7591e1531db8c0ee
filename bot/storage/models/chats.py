"""Chats: citizens, their conversations, the message history and the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.chat_mode import ChatMode
from bot.storage.models.base import Base, BigId
from bot.storage.types import ChatModeType, UTCDateTime, utcnow


class Citizen(Base):
    """A person who talks to the bot; created when they consent to data collection."""

    __tablename__ = "citizens"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Conversation(Base):
    """One chat on one channel, with where the citizen is in the dialog."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("channel", "chat_key"),
        Index("ix_conversations_queue", "mode", "queued_at"),
        Index("ix_conversations_idle_flow", "flow", "last_inbound_at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    # The channel's chat id (a WhatsApp number, a web chat's session secret) is never stored in
    # clear: a keyed hash finds the chat, a ciphertext bound to the row is what the outbox sends to.
    chat_key: Mapped[str] = mapped_column(String(64))
    chat_id_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"))
    flow: Mapped[str | None] = mapped_column(String(32))
    step: Mapped[str | None] = mapped_column(String(32))
    # Dialog state (may hold personal data while a step is open), encrypted.
    state_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    mode: Mapped[ChatMode] = mapped_column(ChatModeType, default=ChatMode.BOT)
    handoff_reason: Mapped[str | None] = mapped_column(String(32))
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agent_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who holds the chat ("user:<id>" or "token:<id>") and their name; set only in agent mode.
    holder: Mapped[str | None] = mapped_column(String(80))
    holder_name: Mapped[str | None] = mapped_column(String(64))
    last_inbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    # None: not asked yet; True/False: the citizen's answer to "selalu kirim suara?".
    voice_replies: Mapped[bool | None] = mapped_column(Boolean)
    # Reminders sent since the citizen last wrote (a chat that stopped halfway gets at most two).
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class InboundReceipt(Base):
    """A processed inbound message id; the unique key drops redeliveries."""

    __tablename__ = "inbound_receipts"
    __table_args__ = (UniqueConstraint("channel", "external_key"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    # A keyed hash of the channel's message id: WhatsApp's carry the sender's number, the web
    # chat's the session secret.
    external_key: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    # Where the message sits in the history, so a redelivery can be answered the same way.
    seq: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Message(Base):
    """The history of a conversation, both directions; bodies are encrypted."""

    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("conversation_id", "seq"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(8))  # in | out | note
    author: Mapped[str] = mapped_column(String(16))  # citizen | bot | agent | system
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    body_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A photo sent to or by a helpdesk agent, encrypted in the vault.
    blob_id: Mapped[int | None] = mapped_column(ForeignKey("vault_blobs.id", ondelete="SET NULL"))


class OutboxItem(Base):
    """A message waiting to be sent on a push channel, retried until delivered."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_conversation", "conversation_id", "message_seq"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    channel: Mapped[str] = mapped_column(String(16))
    # Where to send, encrypted and bound to the row: the row alone says where it goes.
    chat_id_enc: Mapped[bytes] = mapped_column(LargeBinary)
    payload_enc: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(255))
    # Keyed hash of the channel's message id (a WhatsApp one carries the number), for callbacks.
    external_key: Mapped[str | None] = mapped_column(String(64), index=True)
    delivery_status: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The history message this item delivers, so the console can show its delivery status.
    message_seq: Mapped[int | None] = mapped_column(Integer)
