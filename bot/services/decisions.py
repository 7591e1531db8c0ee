"""The verification queue's rules: claims, the SLA clock and what a reviewer sees.

These are pure rules over loaded rows; the use cases in ``bot.usecases.review`` load, lock and
store them, and record the decision itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.services.registration import Status
from bot.storage.models import Document, Registration

CLAIM_MINUTES = 5
PER_PAGE = 50
DOCUMENT_KINDS = ("ktp", "selfie")
STATUS_FILTERS = ("submitted", "approved", "rejected", "all")


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Which registrations a queue page shows."""

    status: str = "submitted"
    kecamatan: str | None = None
    channel: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class Sla:
    """Where a request stands against the SOP's deadline."""

    age: timedelta
    deadline: datetime
    remaining: timedelta
    overdue: bool


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One row of the queue: the registration, its masked NIK, SLA and claim."""

    registration: Registration
    nik_masked: str
    sla: Sla | None
    claimed_by: str | None


@dataclass(frozen=True, slots=True)
class Claim:
    """The outcome of opening a request: who holds it and until when."""

    holder: str | None
    until: datetime | None
    mine: bool


@dataclass(frozen=True, slots=True)
class Review:
    """What a reviewer sees of one request."""

    registration: Registration
    data: dict[str, Any]
    documents: dict[str, Document]
    earlier: list[Registration]
    claim: Claim | None
    sla: Sla | None

    @property
    def taken(self) -> bool:
        """Tell whether someone else is reviewing this request right now."""
        return self.claim is not None and not self.claim.mine and self.claim.holder is not None


def sla_of(settings: Settings, reg: Registration, now: datetime) -> Sla | None:
    """Return the SLA clock of a submitted request (stopped at the decision)."""
    if reg.submitted_at is None:
        return None
    deadline = reg.submitted_at + timedelta(hours=settings.verification_sla_hours)
    end = reg.decided_at or now
    return Sla(
        age=end - reg.submitted_at, deadline=deadline, remaining=deadline - end,
        overdue=end > deadline,
    )  # fmt: skip


def active_claim(reg: Registration, now: datetime) -> str | None:
    """Return who holds an unexpired claim on a request."""
    if reg.claimed_by and reg.claimed_until and reg.claimed_until > now:
        return reg.claimed_by
    return None


def take_claim(reg: Registration, reviewer: str, now: datetime) -> Claim:
    """Claim a waiting (locked) request for a few minutes unless someone else holds it."""
    if reg.status != Status.SUBMITTED:
        return Claim(holder=None, until=None, mine=False)
    holder = active_claim(reg, now)
    if holder is not None and holder != reviewer:
        return Claim(holder=holder, until=reg.claimed_until, mine=False)
    reg.claimed_by = reviewer
    reg.claimed_until = now + timedelta(minutes=CLAIM_MINUTES)
    return Claim(holder=reviewer, until=reg.claimed_until, mine=True)


def release_claim(reg: Registration, reviewer: str) -> None:
    """Give up one's claim on a (locked) request."""
    if reg.claimed_by == reviewer:
        reg.claimed_by = None
        reg.claimed_until = None


def decided_by(actor_type: str, actor_name: str) -> str:
    """Return how the record names who decided: a user by name, a token as ``token:<name>``."""
    name = actor_name if actor_type == "user" else f"{actor_type}:{actor_name}"
    return name[:64]
