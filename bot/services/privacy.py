"""Citizens' rights under UU PDP and the retention rule: see, erase, purge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from bot.storage.models import (
    Citizen,
    Consent,
    Conversation,
    Document,
    Message,
    OutboxItem,
    Registration,
    VaultBlob,
)
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory


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
        consent_at = await uow.session.scalar(
            select(Consent.given_at)
            .where(Consent.citizen_id == conv.citizen_id, Consent.withdrawn_at.is_(None))
            .order_by(Consent.id.desc())
            .limit(1)
        )
    return HeldData(registrations, documents, consent_at, conv.last_seq or 0)


async def erase_citizen(uow: UnitOfWork, conv: Conversation) -> None:
    """Delete a citizen's personal data; keep only decision records without personal fields."""
    now = utcnow()
    citizen_id = conv.citizen_id
    if citizen_id is not None:
        for reg in await uow.registrations.for_citizen(citizen_id):
            for document in await uow.documents.list_for(reg.id):
                await uow.documents.purge(document)
            if reg.status in ("draft", "submitted"):
                # Nothing was decided yet, so nothing needs to be kept.
                await uow.session.execute(
                    delete(Document).where(Document.registration_id == reg.id)
                )
                await uow.session.execute(
                    update(Registration)
                    .where(Registration.resubmission_of == reg.id)
                    .values(resubmission_of=None)
                )
                await uow.session.delete(reg)
            else:
                reg.data_enc, reg.nik_hash, reg.purged_at = None, None, now
        await uow.session.execute(
            update(Consent)
            .where(Consent.citizen_id == citizen_id, Consent.withdrawn_at.is_(None))
            .values(withdrawn_at=now)
        )
        citizen = await uow.session.get(Citizen, citizen_id)
        if citizen is not None:
            citizen.deleted_at = now
    photos = select(Message.blob_id).where(
        Message.conversation_id == conv.id, Message.blob_id.is_not(None)
    )
    blob_ids = list((await uow.session.execute(photos)).scalars())
    await uow.session.execute(delete(Message).where(Message.conversation_id == conv.id))
    if blob_ids:  # photos exchanged with a helpdesk agent
        await uow.session.execute(delete(VaultBlob).where(VaultBlob.id.in_(blob_ids)))
    # Sent messages too: their rows hold the chat id (a WhatsApp number) and the text.
    await uow.session.execute(delete(OutboxItem).where(OutboxItem.conversation_id == conv.id))
    conv.citizen_id, conv.flow, conv.step, conv.state_enc = None, None, None, None
    uow.audit.record(
        "citizen.erased", actor_type="citizen", actor_id=str(citizen_id) if citizen_id else None,
        target_type="citizen", target_id=str(citizen_id) if citizen_id else None,
        details={"channel": conv.channel},
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """What one retention run destroyed."""

    documents: int
    drafts: int
    chat_photos: int = 0


async def purge_expired(uow_factory: UnitOfWorkFactory, retention_days: int) -> PurgeResult:
    """Destroy images decided more than ``retention_days`` ago and drafts abandoned as long."""
    cutoff = utcnow() - timedelta(days=retention_days)
    async with uow_factory() as uow:
        decided = select(Registration.id).where(
            Registration.status.in_(("approved", "rejected")), Registration.decided_at < cutoff
        )
        documents = (
            (
                await uow.session.execute(
                    select(Document).where(
                        Document.registration_id.in_(decided), Document.purged_at.is_(None)
                    )
                )
            )
            .scalars()
            .all()
        )
        for document in documents:
            await uow.documents.purge(document)
        drafts = (
            (
                await uow.session.execute(
                    select(Registration).where(
                        Registration.status == "draft", Registration.updated_at < cutoff
                    )
                )
            )
            .scalars()
            .all()
        )
        for draft in drafts:
            for document in await uow.documents.list_for(draft.id):
                await uow.documents.delete(draft.id, document.kind)
            await uow.session.delete(draft)
        chat_photos = await _purge_chat_photos(uow, cutoff)
        uow.audit.record(
            "retention.purge", actor_type="system", actor_name="retention",
            details={"documents": len(documents), "drafts": len(drafts), "days": retention_days,
                     "chat_photos": chat_photos},
        )  # fmt: skip
        await uow.commit()
    return PurgeResult(len(documents), len(drafts), chat_photos)


async def _purge_chat_photos(uow: UnitOfWork, cutoff: datetime) -> int:
    """Destroy photos exchanged with helpdesk agents before ``cutoff`` (the messages stay)."""
    old = select(Message.id, Message.blob_id).where(
        Message.blob_id.is_not(None), Message.created_at < cutoff
    )
    rows = list((await uow.session.execute(old)).all())
    if not rows:
        return 0
    await uow.session.execute(
        update(Message).where(Message.id.in_([m for m, _ in rows])).values(blob_id=None)
    )
    await uow.session.execute(delete(VaultBlob).where(VaultBlob.id.in_([b for _, b in rows])))
    return len(rows)
