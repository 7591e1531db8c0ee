"""The database schema (Alembic migrations under ``bot/storage/migrations`` own it)."""

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
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.domain.chat_mode import ChatMode
from bot.storage.types import ChatModeType, UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets BIGINT identities.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Base class of every table."""

    metadata = MetaData(naming_convention=NAMING)


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


class Registration(Base):
    """A verification request (the SOP's Daftar Verifikasi User)."""

    __tablename__ = "registrations"
    # A resubmission keeps its request's reference: unique only among first requests.
    __table_args__ = (
        Index(
            "uq_registrations_reference_first", "reference", unique=True,
            sqlite_where=text("resubmission_of IS NULL"),
            postgresql_where=text("resubmission_of IS NULL"),
        ),
        # The verifier's desk filters the queue by these and sorts by submission time.
        Index("ix_registrations_status_submitted", "status", "submitted_at"),
        Index("ix_registrations_kecamatan_status", "kecamatan", "status", "submitted_at"),
        Index("ix_registrations_channel_status", "channel", "status", "submitted_at"),
        Index("ix_registrations_decided_at", "decided_at"),
    )  # fmt: skip
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    # Name, NIK, birth date and phone, encrypted together.
    data_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    nik_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # Keyed hashes of the phone number and of the normalised full name, for search and the
    # "one phone, many NIKs" signal (never the values in clear).
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    name_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    kecamatan: Mapped[str | None] = mapped_column(String(32))
    kelurahan: Mapped[str | None] = mapped_column(String(48))
    document_type: Mapped[str | None] = mapped_column(String(8))
    age_group: Mapped[str | None] = mapped_column(String(8))
    flags: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    reject_reason: Mapped[str | None] = mapped_column(String(32))
    decision_note: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resubmission_of: Mapped[int | None] = mapped_column(ForeignKey("registrations.id"))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class VaultBlob(Base):
    """An encrypted document image; readable only through the document vault."""

    __tablename__ = "vault_blobs"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Document(Base):
    """A KTP/resi photo or a selfie attached to a registration."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("registration_id", "kind"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"))
    kind: Mapped[str] = mapped_column(String(8))  # ktp | selfie
    blob_id: Mapped[int | None] = mapped_column(ForeignKey("vault_blobs.id", ondelete="SET NULL"))
    mime: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    checks: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReviewPark(Base):
    """A request a verifier skipped: "next" offers it to her again only when nothing else waits."""

    __tablename__ = "review_parks"
    __table_args__ = (UniqueConstraint("registration_id", "reviewer"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    reviewer: Mapped[str] = mapped_column(String(64))  # the verifier's key, "user:<id>"
    parked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PhotoHash(Base):
    """One 16-bit band of a submitted photo's 64-bit perceptual hash (four rows a photo).

    Two photos within a Hamming distance of 7 share a band up to one bit, so a lookup probes
    the index with each band and its 16 one-bit neighbours (see ``bot.services.fraud``).
    """

    __tablename__ = "photo_hashes"
    __table_args__ = (Index("ix_photo_hashes_lookup", "kind", "band"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8))  # ktp | selfie
    band: Mapped[int] = mapped_column(Integer)  # band number × 65536 + the band's 16 bits
    phash: Mapped[int] = mapped_column(BigInteger)  # the whole hash, as a signed 64-bit number
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewNote(Base):
    """An internal case note on a request, for the staff only (never sent to the citizen)."""

    __tablename__ = "review_notes"
    __table_args__ = (Index("ix_review_notes_registration", "registration_id", "created_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(64))  # "user:<id>" or "token:<id>"
    author_name: Mapped[str | None] = mapped_column(String(64))
    # A note may name the citizen or quote her data: encrypted, bound to its row.
    body_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Consent(Base):
    """A citizen's consent to data collection, with the text version they agreed to."""

    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    channel: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(32))
    text_version: Mapped[str] = mapped_column(String(32))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


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


class AppState(Base):
    """Small shared counters, e.g. the FAQ generation every worker watches."""

    __tablename__ = "app_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ScheduledJob(Base):
    """A periodic job: when it is next due, and which worker holds it until when."""

    __tablename__ = "scheduled_jobs"
    name: Mapped[str] = mapped_column(String(48), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The worker running it now, and when its lease lapses if that worker died meanwhile.
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The exception's type only: a message could carry personal data.
    last_error: Mapped[str | None] = mapped_column(String(120))
    runs: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)


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


class WebhookEndpoint(Base):
    """A city system that receives signed events; its secret is encrypted (shown once)."""

    __tablename__ = "webhook_endpoints"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    scope: Mapped[str] = mapped_column(String(16))  # bot.domain.webhooks.Scope
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    secret_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookDelivery(Base):
    """One event for one endpoint, written with the change that caused it, retried until sent."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("event_uid", "endpoint_id"),
                      Index("ix_webhook_deliveries_due", "state", "next_attempt_at"))  # fmt: skip
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_uid: Mapped[str] = mapped_column(String(36))  # the CloudEvents id, same per endpoint
    event_type: Mapped[str] = mapped_column(String(48))
    subject: Mapped[str | None] = mapped_column(String(32))
    # The event's data as this endpoint's scope allows it, encrypted (it may hold a NIK).
    data_enc: Mapped[bytes] = mapped_column(LargeBinary)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id"), index=True)
    state: Mapped[str] = mapped_column(String(16))  # bot.domain.webhooks.DeliveryState
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(255))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
