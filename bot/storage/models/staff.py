"""The console's people: accounts, tokens, sessions, the audit log and the helpdesk's tools."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, BigId
from bot.storage.types import UTCDateTime, utcnow


class User(Base):
    """A console account (verifier, agent or admin)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A bearer token for the city's systems; only its hash is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ConsoleSession(Base):
    """A signed-in console session; only a hash of the cookie value is stored."""

    __tablename__ = "console_sessions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ip: Mapped[str | None] = mapped_column(String(64))


class LoginThrottle(Base):
    """Sign-in attempts counted against one account or one client address in the window."""

    __tablename__ = "login_throttles"
    # "account:<name>", "address:<ip or IPv6 /64>", "token-address:<…>"
    key: Mapped[str] = mapped_column(String(96), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Attempts reserved (each counts as failed until its password proves right) in the window.
    failures: Mapped[int] = mapped_column(Integer, default=0)
    # Password checks running now, and when they are presumed dead (a worker that crashed).
    checking: Mapped[int] = mapped_column(Integer, default=0)
    checking_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Attempts refused in the window, and the audit entry that reports them as one burst.
    refused: Mapped[int] = mapped_column(Integer, default=0)
    audit_id: Mapped[int | None] = mapped_column(BigInteger)


class AuditEntry(Base):
    """Who did what, when (the SOP's Log pada Aplikasi Helpdesk); append-only."""

    __tablename__ = "audit_log"
    # The audit page filters by the request's reference (target) and by who acted.
    __table_args__ = (
        Index("ix_audit_log_target", "target_id", "at"),
        Index("ix_audit_log_actor_name", "actor_name", "at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_type: Mapped[str] = mapped_column(String(16))  # user | token | citizen | system
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_name: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))


class Rating(Base):
    """A citizen's 1–5 rating of a helpdesk chat."""

    __tablename__ = "ratings"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    score: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CannedAnswer(Base):
    """A ready-made reply helpdesk agents can send."""

    __tablename__ = "canned_answers"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    title: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
