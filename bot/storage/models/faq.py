"""The FAQ: entries, their versions, the questions it could not answer, stored text vectors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, BigId
from bot.storage.types import UTCDateTime, utcnow


class FaqEntryRow(Base):
    """A published or draft FAQ entry."""

    __tablename__ = "faq_entries"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)
    paraphrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))


class FaqVersion(Base):
    """One saved version of an FAQ entry, for history and rollback."""

    __tablename__ = "faq_versions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    faq_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by: Mapped[str | None] = mapped_column(String(64))


class FaqUnanswered(Base):
    """A question the bot refused or a citizen marked unhelpful (digits masked)."""

    __tablename__ = "faq_unanswered"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(16))  # refused | unsure | not_helpful
    faq_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FaqTextVector(Base):
    """The sentence-encoder vector of one FAQ text, kept so a rebuild encodes only new texts."""

    __tablename__ = "faq_text_vectors"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256(model, text)
    model: Mapped[str] = mapped_column(String(48))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
