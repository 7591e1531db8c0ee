"""The retention rule: destroy what the service no longer may keep (a daily job and the CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """What one retention run destroyed."""

    documents: int
    drafts: int
    chat_photos: int = 0
    outbox: int = 0
    webhooks: int = 0


async def purge_expired(
    uow_factory: UnitOfWorkFactory,
    retention_days: int,
    *,
    outbox_days: int = 7,
    reminder_horizon: timedelta = timedelta(0),
) -> PurgeResult:
    """Destroy images decided more than ``retention_days`` ago and drafts abandoned as long.

    A draft whose citizen wrote within ``reminder_horizon`` stays whatever its age: her
    reminders, and her answer to the last one, come first. Photos exchanged with helpdesk
    agents that old go too; the messages around them stay. Sent messages leave the outbox
    ``outbox_days`` after sending: each row holds the chat id (a WhatsApp number), encrypted.
    One unit of work, audited as ``retention.purge``.
    """
    now = utcnow()
    cutoff = now - timedelta(days=retention_days)
    silent_since = now - reminder_horizon if reminder_horizon > timedelta(0) else None
    async with uow_factory() as uow:
        documents = await uow.personal_data.documents_decided_before(cutoff)
        for document in documents:
            await uow.documents.purge(document)
        drafts = await uow.personal_data.drafts_untouched_since(cutoff, silent_since=silent_since)
        for draft in drafts:
            for document in await uow.documents.list_for(draft.id):
                await uow.documents.delete(draft.id, document.kind)
            await uow.personal_data.remove_registration(draft)
        chat_photos = await uow.personal_data.purge_chat_photos(cutoff)
        outbox = await uow.outbox.purge_finished(utcnow() - timedelta(days=outbox_days))
        # Sent or dead events to the city's systems go as long after (they may hold a NIK).
        webhooks = await uow.webhooks.purge_finished(utcnow() - timedelta(days=outbox_days))
        uow.audit.record(
            "retention.purge", actor_type="system", actor_name="retention",
            details={"documents": len(documents), "drafts": len(drafts), "days": retention_days,
                     "chat_photos": chat_photos, "outbox": outbox, "outbox_days": outbox_days,
                     "webhooks": webhooks},
        )  # fmt: skip
        await uow.commit()
    return PurgeResult(len(documents), len(drafts), chat_photos, outbox, webhooks)
