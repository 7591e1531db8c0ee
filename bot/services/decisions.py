"""The verification queue's rules: claims, the SLA clock and what a reviewer sees.

These are pure rules over loaded rows; the use cases in ``bot.usecases.review`` load, lock and
store them, and record the decision itself. Claims and decisions record who acted by
:attr:`Actor.key` (``user:<id>``, ``token:<id>``); :func:`actor_names` turns keys into names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.services.accounts import Actor
from bot.services.registration import Status
from bot.storage.models import Document, Registration
from bot.storage.repositories.desk import Note
from bot.storage.uow import UnitOfWork

CLAIM_MINUTES = 5
PER_PAGE = 50
DOCUMENT_KINDS = ("ktp", "selfie")
STATUS_FILTERS = ("submitted", "approved", "rejected", "all")
# The queue's filters by flag (a raised flag) and by deadline; "soon": due within DUE_SOON_HOURS.
# Duplicates and fraud hints ("fraud" filters by any of them).
FRAUD_FLAGS = (
    "duplicate_nik", "shared_phone", "same_selfie_photo", "same_ktp_photo", "ktp_screen_photo",
)  # fmt: skip
FLAG_FILTERS = (
    "fraud", "duplicate_nik", "shared_phone", "same_selfie_photo", "same_ktp_photo",
    "ktp_screen_photo", "face_mismatch", "ocr_nik_mismatch", "birth_date_mismatch",
    "nik_outside_city", "helper",
)  # fmt: skip
DUE_FILTERS = ("overdue", "soon")
DUE_SOON_HOURS = 4


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Which registrations a queue page shows."""

    status: str = "submitted"
    kecamatan: str | None = None
    channel: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None  # a reference, NIK, phone number or name (bot.domain.search)
    flag: str | None = None  # one of FLAG_FILTERS
    due: str | None = None  # one of DUE_FILTERS (waiting requests only)


@dataclass(frozen=True, slots=True)
class Sla:
    """Where a request stands against the SOP's deadline."""

    age: timedelta
    deadline: datetime
    remaining: timedelta
    overdue: bool

    @property
    def due_soon(self) -> bool:
        """Tell whether the deadline is less than DUE_SOON_HOURS away (and not passed)."""
        return not self.overdue and self.remaining <= timedelta(hours=DUE_SOON_HOURS)


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One row of the queue: the registration, its masked NIK, SLA and claim."""

    registration: Registration
    nik_masked: str
    sla: Sla | None
    claimed_by: str | None  # the holder's key
    claimed_by_name: str | None = None
    decided_by_name: str | None = None
    parked: bool = False  # the viewer skipped it: "next" offers it to her last


@dataclass(frozen=True, slots=True)
class Claim:
    """The outcome of opening a request: who holds it and until when."""

    holder: str | None  # the holder's key
    until: datetime | None
    mine: bool
    holder_name: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """What a reviewer sees of one request."""

    registration: Registration
    data: dict[str, Any]
    documents: dict[str, Document]
    earlier: list[Registration]
    claim: Claim | None
    sla: Sla | None
    decided_by_name: str | None = None
    # Other requests (of anyone) with the same NIK: a duplicate or a fraud signal.
    same_nik: list[Registration] = field(default_factory=list)
    # The staff's internal case notes, oldest first (bot.usecases.desk).
    notes: list[Note] = field(default_factory=list)
    # Until when a supervisor may reopen this decision (None: not decided, or too late).
    reopenable_until: datetime | None = None

    @property
    def open_duplicates(self) -> list[Registration]:
        """Return the other waiting or approved requests with this NIK when it is flagged.

        Approving such a request needs an explicit override with a note.
        """
        if not (self.registration.flags or {}).get("duplicate_nik"):
            return []
        return [r for r in self.same_nik if r.status in (Status.SUBMITTED, Status.APPROVED)]

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
    """Claim a waiting (locked) request for a few minutes unless someone else holds it.

    ``reviewer`` is the reviewer's key (:attr:`Actor.key`).
    """
    if reg.status != Status.SUBMITTED:
        return Claim(holder=None, until=None, mine=False)
    holder = active_claim(reg, now)
    if holder is not None and holder != reviewer:
        return Claim(holder=holder, until=reg.claimed_until, mine=False)
    reg.claimed_by = reviewer
    reg.claimed_until = now + timedelta(minutes=CLAIM_MINUTES)
    return Claim(holder=reviewer, until=reg.claimed_until, mine=True)


def release_claim(reg: Registration, reviewer: str) -> None:
    """Give up one's claim (``reviewer`` is a key) on a (locked) request."""
    if reg.claimed_by == reviewer:
        reg.claimed_by = None
        reg.claimed_until = None


def decided_by(actor: Actor) -> str:
    """Return how the record names who decided: ``user:<id>`` or ``token:<id>``."""
    return actor.key[:64]


def audit_registration(
    uow: UnitOfWork, actor: Actor, action: str, reg: Registration, ip: str | None,
    details: dict[str, object],
) -> None:  # fmt: skip
    """Record in the audit log what a verifier (or a token) did to a request."""
    uow.audit.record(
        action, actor_type=actor.type, actor_id=actor.id, actor_name=actor.name,
        target_type="registration", target_id=reg.reference, ip=ip, details=details,
    )  # fmt: skip


async def actor_names(uow: UnitOfWork, keys: Iterable[str | None]) -> dict[str, str]:
    """Return the current name of each ``user:<id>`` or ``token:<id>`` key.

    Any other value (records written before keys, e.g. a bare username) names itself.
    """
    names: dict[str, str] = {}
    for key in {k for k in keys if k}:
        kind, _, number = key.partition(":")
        found: str | None = None
        if kind == "user" and number.isdecimal():
            user = await uow.users.get(int(number))
            found = user.username if user is not None else None
        elif kind == "token" and number.isdecimal():
            token = await uow.tokens.get(int(number))
            found = token.name if token is not None else None
        names[key] = found or key
    return names
