"""Citizens' rights from the chat (data saya, hapus data) and the retention purge."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.core import Core
from bot.storage.models import (
    AuditEntry,
    Consent,
    Document,
    Message,
    Registration,
    VaultBlob,
)
from bot.storage.types import utcnow
from bot.usecases.privacy import purge_expired
from tests.support.chat import ChatDriver
from tests.support.registration import NIK, register_until_summary


async def _count(core: Core, model: type) -> int:
    async with core.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def test_data_saya_shows_what_is_held_with_masked_nik(core: Core) -> None:
    chat = ChatDriver(core)
    await register_until_summary(chat)
    await chat.say("data saya")
    assert "SITI AMINAH" in chat.text and "3671••••••••0001" in chat.text
    assert NIK not in chat.text
    assert "privacy:erase" in chat.buttons


async def test_hapus_data_after_confirmation_removes_personal_data(any_core: Core) -> None:
    chat = ChatDriver(any_core)
    await register_until_summary(chat)
    await chat.tap("summary:send")
    await chat.say("hapus data")
    assert await _count(any_core, Registration) == 1  # nothing happens before confirmation
    await chat.tap("privacy:erase-yes")
    assert "sudah dihapus" in chat.text
    assert await _count(any_core, Registration) == 0
    assert await _count(any_core, VaultBlob) == 0
    assert await _count(any_core, Document) == 0
    assert await _count(any_core, Message) == 1  # only the "data deleted" reply remains
    async with any_core.uow() as uow:
        consent = (await uow.session.execute(select(Consent))).scalar_one()
        actions = set((await uow.session.execute(select(AuditEntry.action))).scalars())
    assert consent.withdrawn_at is not None
    assert "citizen.erased" in actions


async def test_decided_request_keeps_its_record_but_loses_personal_fields(core: Core) -> None:
    chat = ChatDriver(core)
    await register_until_summary(chat)
    await chat.tap("summary:send")
    async with core.uow() as uow:
        reg = (await uow.session.execute(select(Registration))).scalar_one()
        await core.services.registrations.decide(
            uow, reg.id, approve=True, reason=None, note=None, actor="tester"
        )
        await uow.commit()
    await chat.say("hapus data")
    await chat.tap("privacy:erase-yes")
    async with core.uow() as uow:
        reg = (await uow.session.execute(select(Registration))).scalar_one()
    assert reg.status == "approved" and reg.data_enc is None and reg.nik_hash is None
    assert await _count(core, VaultBlob) == 0


async def test_purge_destroys_images_after_retention_and_abandoned_drafts(core: Core) -> None:
    decided, abandoned, fresh = ChatDriver(core), ChatDriver(core), ChatDriver(core)
    await register_until_summary(decided)
    await decided.tap("summary:send")
    await register_until_summary(abandoned)
    await register_until_summary(fresh)
    long_ago = utcnow() - timedelta(days=core.settings.retention_days + 1)
    async with core.uow() as uow:
        regs = (
            (await uow.session.execute(select(Registration).order_by(Registration.id)))
            .scalars()
            .all()
        )
        regs[0].status, regs[0].decided_at = "approved", long_ago
        regs[1].updated_at = long_ago
        await uow.commit()
    result = await purge_expired(core.uow, core.settings.retention_days)
    assert (result.documents, result.drafts) == (2, 1)
    assert await _count(core, Registration) == 2
    assert await _count(core, VaultBlob) == 2  # only the fresh draft's photos remain
    again = await purge_expired(core.uow, core.settings.retention_days)
    assert (again.documents, again.drafts) == (0, 0)
