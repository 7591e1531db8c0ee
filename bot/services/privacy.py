"""Citizens' rights under UU PDP: see and erase, inside the dialog turn's unit of work.

The retention rule's purge, which runs on its own, is the use case
``bot.usecases.privacy.purge_expired``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.web_sessions import SESSION_CHANNELS, new_session_id
from bot.storage.models import Conversation, Document, Registration
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class HeldData:
    """What the service holds about one citizen."""

    registrations: list[tuple[Registration, dict[str, object]]]
    documents: list[Document]
    consent_given_at: datetime | None
    messages: int


async def held_data(uow: UnitOfWork, conv: Conversation) -> HeldData:
    """Collect what is stored about the conversation's citizen."""
    registrations: list[tuple[Registration, dict[str, object]]] = []
    documents: list[Document] = []
    consent_at = None
    if conv.citizen_id is not None:
        for reg in await uow.registrations.for_citizen(conv.citizen_id):
            registrations.append((reg, uow.registrations.read_data(reg)))
            documents += [d for d in await uow.documents.list_for(reg.id) if d.purged_at is None]
        consent_at = await uow.citizens.consent_given_at(conv.citizen_id)
    return HeldData(registrations, documents, consent_at, conv.last_seq or 0)


async def erase_citizen(uow: UnitOfWork, conv: Conversation) -> None:
    """Delete a citizen's personal data; keep only decision records without personal fields."""
    now = utcnow()
    citizen_id = conv.citizen_id
    if citizen_id is not None:
        requests = await uow.registrations.for_citizen(citizen_id)
        # Events about her requests not sent yet (or kept since) may hold her NIK: gone too.
        await uow.webhooks.forget(r.reference for r in requests)
        for reg in requests:
            for document in await uow.documents.list_for(reg.id):
                await uow.documents.purge(document)
            if reg.status in ("draft", "submitted"):
                # Nothing was decided yet, so nothing needs to be kept.
                await uow.personal_data.remove_registration(reg)
            else:
                reg.data_enc, reg.nik_hash, reg.purged_at = None, None, now
                # The phone and name lookup hashes and the staff's notes may point at her too.
                reg.phone_hash = reg.name_hash = None
                await uow.desk.forget_notes(reg.id)
        await uow.citizens.withdraw_consents(citizen_id, now)
        citizen = await uow.citizens.get(citizen_id)
        if citizen is not None:
            citizen.deleted_at = now
    await uow.personal_data.erase_history(conv.id)
    conv.citizen_id, conv.flow, conv.step, conv.state_enc = None, None, None, None
    if conv.channel in SESSION_CHANNELS:
        uow.conversations.rebind(conv, new_session_id())
    uow.audit.record(
        "citizen.erased", actor_type="citizen", actor_id=str(citizen_id) if citizen_id else None,
        target_type="citizen", target_id=str(citizen_id) if citizen_id else None,
        details={"channel": conv.channel},
    )  # fmt: skip
