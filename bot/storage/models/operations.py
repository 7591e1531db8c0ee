"""Running the service: shared state, periodic jobs and events to the city's systems."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, BigId
from bot.storage.types import UTCDateTime, utcnow


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
