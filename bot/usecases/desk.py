"""Working as a team on the verifier's desk: internal case notes and reopening a decision.

* A case note stays with the staff (never sent to the citizen), encrypted like every personal
  field; writing one is audited (without its text: the audit log is read more widely).
* A supervisor (an admin: the console has no separate supervisor role) may reopen a decision
  within ``TLIVE_REOPEN_WINDOW_HOURS`` (default 24) after it was taken, with a reason. In one
  unit of work the request waits again (``submitted``, the decision's fields cleared, flag
  ``reopened`` with what it was), the reason becomes a case note, the citizen is told on her
  channel (catalog ``decision-reopened``), the city's systems get ``registration.submitted``
  again, and ``registration.reopened`` is audited with the decision it undid.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import ClassVar

from bot.config import Settings
from bot.domain.nik import mask_nik
from bot.engine.messages import Button, Reply
from bot.i18n import Catalog
from bot.services import webhooks
from bot.services.accounts import Actor, Role
from bot.services.decisions import QueueItem, audit_registration, sla_of
from bot.services.delivery import Delivery
from bot.services.registration import Status
from bot.storage.models import Registration
from bot.storage.repositories.desk import Note
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWorkFactory
from bot.usecases.errors import Refused

MAX_NOTE = 1000
# Who reopens decisions and is warned of a peak: no supervisor role exists, so the admins
# (who manage the verifiers).
SUPERVISORS = (Role.ADMIN,)


class DeskError(Refused):
    """A note or a reopening that cannot be recorded."""

    statuses: ClassVar[Mapping[str, int]] = {
        "not_found": 404, "note_empty": 422, "note_too_long": 422, "not_decided": 409,
        "reopen_window_passed": 409, "reason_required": 422, "not_supervisor": 403,
    }  # fmt: skip


def reopenable_until(settings: Settings, reg: Registration, now: datetime) -> datetime | None:
    """Return until when a decided request may be reopened, or None when it may not (now)."""
    if reg.status not in (Status.APPROVED, Status.REJECTED) or reg.decided_at is None:
        return None
    until = reg.decided_at + timedelta(hours=settings.reopen_window_hours)
    return until if until > now else None


class DeskCases:
    """Case notes and reopening decisions."""

    def __init__(
        self, uow: UnitOfWorkFactory, settings: Settings, catalog: Catalog, delivery: Delivery
    ) -> None:
        self._uow = uow
        self._settings = settings
        self._catalog = catalog
        self._delivery = delivery

    async def add_note(
        self, actor: Actor, registration_id: int, body: str, *, ip: str | None
    ) -> Note:
        """Add an internal note to a request; audited without its text."""
        text = _note_text(body)
        async with self._uow() as uow:
            reg = await uow.registrations.get(registration_id)
            if reg is None or reg.status == Status.DRAFT:
                raise DeskError("not_found")
            note = await uow.desk.add_note(reg.id, actor.key[:64], actor.name, text)
            audit_registration(uow, actor, "registration.noted", reg, ip,
                               {"registration_id": reg.id, "length": len(text)})  # fmt: skip
            await uow.commit()
        return note

    async def read_notes(self, actor: Actor, registration_id: int, *, ip: str | None) -> list[Note]:
        """Return a request's case notes, oldest first; the read is audited."""
        async with self._uow() as uow:
            reg = await uow.registrations.get(registration_id)
            if reg is None or reg.status == Status.DRAFT:
                raise DeskError("not_found")
            notes = await uow.desk.notes(reg.id)
            audit_registration(uow, actor, "registration.notes_viewed", reg, ip,
                               {"registration_id": reg.id, "notes": len(notes)})  # fmt: skip
            await uow.commit()
        return notes

    async def reopen(
        self, actor: Actor, registration_id: int, reason: str, *, ip: str | None,
        now: datetime | None = None,
    ) -> QueueItem:  # fmt: skip
        """Undo a decision within the window: the request waits again and the citizen is told."""
        if actor.role not in SUPERVISORS:
            raise DeskError("not_supervisor")
        why = " ".join(reason.split())
        if not why:
            raise DeskError("reason_required")
        why = _note_text(why)
        now = now or utcnow()
        async with self._uow() as uow:
            # Conversation first, then the registration: the order decisions lock in.
            conv_id = await uow.review_queue.conversation_of(registration_id)
            conv = await uow.conversations.get(conv_id, lock=True) if conv_id is not None else None
            reg = await uow.registrations.get(registration_id, lock=True)
            if reg is None or reg.status == Status.DRAFT:
                raise DeskError("not_found")
            if reg.status not in (Status.APPROVED, Status.REJECTED):
                raise DeskError("not_decided", status=str(reg.status))
            if reopenable_until(self._settings, reg, now) is None:
                raise DeskError("reopen_window_passed",
                                hours=self._settings.reopen_window_hours)  # fmt: skip
            undone = {
                "from": str(reg.status), "decided_at": reg.decided_at.isoformat()
                if reg.decided_at else None, "decided_by": reg.decided_by,
                "reason": reg.reject_reason, "at": now.isoformat(), "by": actor.key[:64],
            }  # fmt: skip
            reg.status = Status.SUBMITTED
            reg.decided_at = reg.decided_by = reg.reject_reason = reg.decision_note = None
            reg.claimed_by = reg.claimed_until = None
            reg.flags = {**(reg.flags or {}), "reopened": undone}
            await uow.desk.add_note(reg.id, actor.key[:64], actor.name, why)
            if conv is not None:
                text = self._catalog.text("decision-reopened", reference=reg.reference)
                reply = Reply(
                    text=text, buttons=(Button("menu:status", self._catalog.text("btn-status")),)
                )
                await self._delivery.deliver(uow, conv, reply)
            await webhooks.registration_changed(uow, reg)
            audit_registration(uow, actor, "registration.reopened", reg, ip, {
                "registration_id": reg.id, "from": undone["from"],
                "decided_by": undone["decided_by"], "decided_at": undone["decided_at"],
                "notified": conv is not None,
            })  # fmt: skip
            nik = mask_nik(uow.registrations.read_data(reg).get("nik", ""))
            item = QueueItem(reg, nik, sla_of(self._settings, reg, now), None)
            await uow.commit()
        return item


def _note_text(body: str) -> str:
    text = body.strip()
    if not text:
        raise DeskError("note_empty")
    if len(text) > MAX_NOTE:
        raise DeskError("note_too_long", limit=MAX_NOTE)
    return text
