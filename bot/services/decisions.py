"""The verification queue and decisions, shared by the console and the API.

A decision is recorded once: the conversation and the registration are locked (in that order,
the same order the conversation engine uses), the decision is written, the citizen's message is
stored and queued, and the audit entry is added — all in one unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, func, or_, select

from bot.config import Settings
from bot.domain.nik import mask_nik
from bot.i18n import WIB
from bot.services.accounts import Actor
from bot.services.notifications import decision_reply
from bot.services.registration import DecisionError, RejectReason, Status
from bot.storage.models import Conversation, Document, Registration
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.core import Core

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
class QueuePage:
    """A page of the queue."""

    items: list[QueueItem]
    total: int
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class Claim:
    """The outcome of opening a request: who holds it and until when."""

    holder: str | None
    until: datetime | None
    mine: bool


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


def day_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Turn inclusive WIB dates into a half-open UTC interval."""
    low = datetime.combine(start, time(), WIB).astimezone(UTC) if start else None
    high = datetime.combine(end + timedelta(days=1), time(), WIB).astimezone(UTC) if end else None
    return low, high


def _filtered(stmt: Select[Any], flt: QueueFilter) -> Select[Any]:
    if flt.status == "all":
        stmt = stmt.where(Registration.status.in_(("submitted", "approved", "rejected")))
    else:
        stmt = stmt.where(Registration.status == flt.status)
    if flt.kecamatan:
        stmt = stmt.where(Registration.kecamatan == flt.kecamatan)
    if flt.channel:
        stmt = stmt.where(Registration.channel == flt.channel)
    low, high = day_bounds(flt.date_from, flt.date_to)
    if low:
        stmt = stmt.where(Registration.submitted_at >= low)
    if high:
        stmt = stmt.where(Registration.submitted_at < high)
    return stmt


async def list_queue(
    uow: UnitOfWork,
    settings: Settings,
    flt: QueueFilter,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
) -> QueuePage:
    """Return a page of registrations: waiting ones oldest first, decided ones newest first."""
    now = now or utcnow()
    total = await uow.session.scalar(_filtered(select(func.count(Registration.id)), flt)) or 0
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    stmt = _filtered(select(Registration), flt)
    if flt.status == "submitted":
        stmt = stmt.order_by(Registration.submitted_at, Registration.id)
    else:
        stmt = stmt.order_by(Registration.submitted_at.desc(), Registration.id.desc())
    rows = (await uow.session.execute(stmt.offset((page - 1) * per_page).limit(per_page))).scalars()
    items = [
        QueueItem(
            registration=reg,
            nik_masked=mask_nik(uow.registrations.read_data(reg).get("nik", "")),
            sla=sla_of(settings, reg, now),
            claimed_by=active_claim(reg, now),
        )
        for reg in rows
    ]
    return QueuePage(items=items, total=total, page=page, pages=pages)


async def queue_counts(uow: UnitOfWork, settings: Settings, now: datetime) -> dict[str, int]:
    """Count waiting, overdue and today's decided requests for the home page."""
    overdue_before = now - timedelta(hours=settings.verification_sla_hours)
    waiting = select(func.count(Registration.id)).where(Registration.status == Status.SUBMITTED)
    low, _ = day_bounds(now.astimezone(WIB).date(), None)
    decided_today = select(Registration.status, func.count(Registration.id)).where(
        Registration.decided_at >= low
    )
    by_status = dict((await uow.session.execute(decided_today.group_by(Registration.status))).all())
    return {
        "waiting": await uow.session.scalar(waiting) or 0,
        "overdue": await uow.session.scalar(
            waiting.where(Registration.submitted_at < overdue_before)
        )
        or 0,
        "approved_today": by_status.get(Status.APPROVED, 0),
        "rejected_today": by_status.get(Status.REJECTED, 0),
    }


async def claim(uow: UnitOfWork, registration_id: int, actor: str, now: datetime) -> Claim:
    """Claim a waiting request for a few minutes unless someone else holds it."""
    reg = await uow.registrations.get(registration_id, lock=True)
    if reg is None:
        raise DecisionError("not_found")
    if reg.status != Status.SUBMITTED:
        return Claim(holder=None, until=None, mine=False)
    holder = active_claim(reg, now)
    if holder is not None and holder != actor:
        return Claim(holder=holder, until=reg.claimed_until, mine=False)
    reg.claimed_by = actor
    reg.claimed_until = now + timedelta(minutes=CLAIM_MINUTES)
    return Claim(holder=actor, until=reg.claimed_until, mine=True)


async def release(uow: UnitOfWork, registration_id: int, actor: str) -> None:
    """Give up one's claim on a request."""
    reg = await uow.registrations.get(registration_id, lock=True)
    if reg is not None and reg.claimed_by == actor:
        reg.claimed_by = None
        reg.claimed_until = None


async def next_waiting(
    uow: UnitOfWork, actor: str, now: datetime, *, after: int | None = None
) -> int | None:
    """Return the oldest waiting request nobody else holds (after ``after`` when given)."""
    stmt = (
        select(Registration.id)
        .where(
            Registration.status == Status.SUBMITTED,
            or_(
                Registration.claimed_by.is_(None),
                Registration.claimed_by == actor,
                Registration.claimed_until.is_(None),
                Registration.claimed_until <= now,
            ),
        )
        .order_by(Registration.submitted_at, Registration.id)
        .limit(1)
    )
    if after is not None:
        current = await uow.registrations.get(after)
        if current is not None and current.submitted_at is not None:
            stmt = stmt.where(
                or_(
                    Registration.submitted_at > current.submitted_at,
                    and_(
                        Registration.submitted_at == current.submitted_at,
                        Registration.id > current.id,
                    ),
                )
            )
    return await uow.session.scalar(stmt)


async def earlier_requests(uow: UnitOfWork, reg: Registration) -> list[Registration]:
    """Return the citizen's other requests, newest first (drafts left out)."""
    return [
        other
        for other in await uow.registrations.for_citizen(reg.citizen_id)
        if other.id != reg.id and other.status != Status.DRAFT
    ]


async def document_image(
    uow: UnitOfWork, registration_id: int, kind: str
) -> tuple[Document, bytes] | None:
    """Return a registration's document and its decrypted image, if still stored."""
    if kind not in DOCUMENT_KINDS:
        return None
    document = await uow.documents.get(registration_id, kind)
    if document is None:
        return None
    image = await uow.documents.read(document)
    return None if image is None else (document, image)


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


async def open_review(
    uow: UnitOfWork,
    settings: Settings,
    registration_id: int,
    *,
    actor: Actor,
    ip: str | None,
    claim_it: bool,
    now: datetime | None = None,
) -> Review | None:
    """Load a request for review, claim it if asked, and audit the view.

    A request someone else holds is returned as ``taken`` without its personal data.
    """
    now = now or utcnow()
    reg = await uow.registrations.get(registration_id, lock=claim_it)
    if reg is None or reg.status == Status.DRAFT:
        return None
    held = await claim(uow, reg.id, actor.name, now) if claim_it else None
    if held is not None and held.holder is not None and not held.mine:
        return Review(reg, {}, {}, [], held, sla_of(settings, reg, now))
    documents = {d.kind: d for d in await uow.documents.list_for(reg.id)}
    uow.audit.record(
        "registration.viewed", actor_type=actor.type, actor_id=actor.id, actor_name=actor.name,
        target_type="registration", target_id=reg.reference, ip=ip,
        details={"registration_id": reg.id},
    )  # fmt: skip
    return Review(
        registration=reg, data=uow.registrations.read_data(reg), documents=documents,
        earlier=await earlier_requests(uow, reg), claim=held, sla=sla_of(settings, reg, now),
    )  # fmt: skip


async def view_document(
    uow: UnitOfWork, registration_id: int, kind: str, *, actor: Actor, ip: str | None
) -> bytes | None:
    """Return a document image and audit that it was seen."""
    found = await document_image(uow, registration_id, kind)
    if found is None:
        return None
    reg = await uow.registrations.get(registration_id)
    uow.audit.record(
        "document.viewed", actor_type=actor.type, actor_id=actor.id, actor_name=actor.name,
        target_type="registration", target_id=reg.reference if reg else str(registration_id),
        ip=ip, details={"registration_id": registration_id, "kind": kind},
    )  # fmt: skip
    return found[1]


def parse_reason(reason: str | None) -> str | None:
    """Return a known rejection reason code, or None."""
    try:
        return RejectReason(reason or "").value
    except ValueError:
        return None


async def decide_and_notify(
    core: Core,
    registration_id: int,
    *,
    approve: bool,
    reason: str | None,
    note: str | None,
    actor_type: str,
    actor_name: str,
    ip: str | None,
    actor_id: str | None = None,
) -> Registration:
    """Record a decision once, tell the citizen on their channel and audit it, atomically.

    Raises ``DecisionError``: not_found, already_decided, not_submitted, claimed,
    invalid_reason, note_required. A second (or retried) decision changes nothing and
    notifies nobody.
    """
    now = utcnow()
    async with core.uow() as uow:
        conv_id = await uow.session.scalar(
            select(Registration.conversation_id).where(Registration.id == registration_id)
        )
        conv = await _lock_conversation(uow, conv_id) if conv_id is not None else None
        reg = await uow.registrations.get(registration_id, lock=True)
        if reg is None:
            raise DecisionError("not_found")
        holder = active_claim(reg, now)
        if reg.status == Status.SUBMITTED and holder is not None and holder != actor_name:
            raise DecisionError("claimed")
        decided_by = actor_name if actor_type == "user" else f"{actor_type}:{actor_name}"
        decision = await core.services.registrations.decide(
            uow, registration_id, approve=approve, reason=reason, note=note,
            actor=decided_by[:64],
        )  # fmt: skip
        reg = decision.registration
        conv = conv or decision.conversation
        if conv is not None:
            reply = decision_reply(core.catalog, core.settings, reg)
            core.services.delivery.deliver(uow, conv, reply)
        uow.audit.record(
            f"registration.{reg.status}", actor_type=actor_type, actor_id=actor_id,
            actor_name=actor_name, target_type="registration", target_id=reg.reference, ip=ip,
            details={
                "registration_id": reg.id, "reason": reg.reject_reason,
                "has_note": bool(reg.decision_note), "notified": conv is not None,
                "sla_overdue": bool((sla := sla_of(core.settings, reg, now)) and sla.overdue),
            },
        )  # fmt: skip
        await uow.commit()
    return reg


async def _lock_conversation(uow: UnitOfWork, conversation_id: int) -> Conversation | None:
    stmt = (
        select(Conversation)
        .where(Conversation.id == conversation_id)
        .execution_options(populate_existing=True)
    )
    if uow.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return (await uow.session.execute(stmt)).scalar_one_or_none()
