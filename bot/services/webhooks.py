"""Record events for the city's systems inside the transaction of the change that causes them.

Called by the registration and helpdesk services with the caller's unit of work: the delivery
rows commit or roll back with the change (a crash can neither lose nor invent an event), and
``WebhooksQueued`` wakes the dispatcher only after the commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.events import WebhooksQueued
from bot.domain.webhooks import EventType, utc_text
from bot.storage.models import Conversation, Registration
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork

_BY_STATUS = {
    "submitted": EventType.REGISTRATION_SUBMITTED,
    "approved": EventType.REGISTRATION_APPROVED,
    "rejected": EventType.REGISTRATION_REJECTED,
}


def _iso(value: datetime | None) -> str | None:
    return utc_text(value) if value else None


def _identity(uow: UnitOfWork, reg: Registration) -> dict[str, Any]:
    """Return the request's NIK and name (kept only for ``identity`` endpoints)."""
    personal = uow.registrations.read_data(reg)
    return {"nik": personal.get("nik"), "name": personal.get("full_name")}


def registration_data(uow: UnitOfWork, reg: Registration) -> dict[str, Any]:
    """Return an event's data about a request (NIK and name only for ``identity`` endpoints)."""
    return {
        "registration_id": reg.id,
        "reference": reg.reference,
        "status": str(reg.status),
        "channel": reg.channel,
        "submitted_at": _iso(reg.submitted_at),
        "decided_at": _iso(reg.decided_at),
        "reject_reason": reg.reject_reason,
        "resubmission": reg.resubmission_of is not None,
    } | _identity(uow, reg)


async def registration_changed(uow: UnitOfWork, reg: Registration) -> None:
    """Record ``registration.<status>`` for the endpoints subscribed to it."""
    kind = _BY_STATUS.get(str(reg.status))
    if kind is None:
        return
    targets = await uow.webhooks.subscribers(kind)
    if not targets:
        return  # nobody subscribed: nothing decrypted, nothing stored
    at = reg.decided_at if kind is not EventType.REGISTRATION_SUBMITTED else reg.submitted_at
    data = registration_data(uow, reg)
    await uow.webhooks.record(kind, targets, reg.reference, data, at or utcnow())
    uow.publish(WebhooksQueued())


async def handoff_requested(uow: UnitOfWork, conv: Conversation, reason: str, at: datetime) -> None:
    """Record ``handoff.requested`` with the chat's newest request, if it has one."""
    targets = await uow.webhooks.subscribers(EventType.HANDOFF_REQUESTED)
    if not targets:
        return
    reg = (
        await uow.registrations.latest_for_citizen(conv.citizen_id)
        if conv.citizen_id is not None
        else None
    )
    data: dict[str, Any] = {
        "conversation_id": conv.id, "channel": conv.channel, "reason": reason,
        "requested_at": _iso(at), "reference": reg.reference if reg else None,
        "status": str(reg.status) if reg else None,
    }  # fmt: skip
    if reg is not None:
        data |= _identity(uow, reg)
    subject = reg.reference if reg else None
    await uow.webhooks.record(EventType.HANDOFF_REQUESTED, targets, subject, data, at)
    uow.publish(WebhooksQueued())
