"""Registrations, their consent and documents, and what verifiers keep about them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, BigId
from bot.storage.types import UTCDateTime, utcnow


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
