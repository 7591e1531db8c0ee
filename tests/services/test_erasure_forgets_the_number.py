"""A WhatsApp number is never stored in clear, and sent messages do not outlive their retention.

Issue 15, finding 4: after "hapus data" the number stayed in ``conversations.chat_id`` and in
outbox rows. The whole database (every column, message ids decoded, and SQLite's files with
their free pages) is searched for the number's digits.
"""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta

from sqlalchemy import func, select

from bot.core import Core
from bot.engine.channels import Recipient, SendError
from bot.engine.messages import Inbound, InboundKind, Reply
from bot.storage.models import OutboxItem
from bot.storage.types import utcnow
from bot.usecases.privacy import purge_expired
from tests.support.chat import ChatDriver
from tests.support.registration import register_until_summary
from tests.support.scan import columns_containing, sqlite_files_contain

NUMBER = "6281298765432"
DIGITS = NUMBER[2:]  # also matches 0812…, +62 812…


def wamid(number: str) -> str:
    """Return a message id like Meta's, which carries the number (base64 of a protobuf)."""
    inner = b"\x18\r" + number.encode() + b"\x15\x02\x00\x12\x18\x14" + secrets.token_bytes(10)
    return "wamid." + base64.b64encode(inner).decode()


class WhatsAppStandIn:
    """A push channel named whatsapp that answers like Meta, with ids carrying the number."""

    channel = "whatsapp"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.paused = False

    async def send(self, recipient: Recipient, reply: Reply) -> str | None:
        if self.paused:
            raise SendError("paused", retry_after=3600.0)
        self.sent.append((recipient.chat_id, reply.text))
        return wamid(recipient.chat_id)


def on_whatsapp(core: Core) -> WhatsAppStandIn:
    """Make whatsapp a push channel of ``core`` with a stand-in sender."""
    sender = WhatsAppStandIn()
    core.outbox.add_sender(sender)
    core.services.delivery.push_channels.add("whatsapp")
    return sender


class WhatsAppCitizen(ChatDriver):
    """A citizen on WhatsApp: message ids carry her number, replies go through the outbox."""

    def _inbound(self, kind: InboundKind, **values: object) -> Inbound:
        return Inbound(
            self.channel, self.chat_id, wamid(self.chat_id), kind,
            channel_phone=self.channel_phone, **values,  # type: ignore[arg-type]
        )  # fmt: skip

    async def send(self, inbound: Inbound) -> object:
        result = await super().send(inbound)
        while await self.core.outbox.drain_once():
            pass
        return result


async def test_after_hapus_data_on_whatsapp_no_column_holds_the_number(any_core: Core) -> None:
    sender = on_whatsapp(any_core)
    siti = WhatsAppCitizen(any_core, channel="whatsapp", chat_id=NUMBER, channel_phone="+" + NUMBER)
    await register_until_summary(siti)
    await siti.tap("summary:send")
    await siti.say("hapus data")
    await siti.tap("privacy:erase-yes")
    assert "sudah dihapus" in siti.text
    assert sender.sent[-1] == (NUMBER, siti.text)  # the outbox still reaches her
    assert await columns_containing(any_core, DIGITS) == []
    if any_core.db.is_sqlite:
        assert not await sqlite_files_contain(any_core.db, DIGITS)


async def test_a_whatsapp_chat_is_found_again_by_its_number(any_core: Core) -> None:
    sender = on_whatsapp(any_core)
    siti = WhatsAppCitizen(any_core, channel="whatsapp", chat_id=NUMBER)
    await siti.say("halo")
    await siti.say("menu")
    async with any_core.uow() as uow:
        conv = await uow.conversations.find("whatsapp", NUMBER)
        assert conv is not None and conv.last_seq == 4  # one chat, two turns
    assert {to for to, _ in sender.sent} == {NUMBER}
    assert await columns_containing(any_core, DIGITS) == []


async def test_erasure_deletes_the_chats_outbox_rows(any_core: Core) -> None:
    on_whatsapp(any_core)
    siti = WhatsAppCitizen(any_core, channel="whatsapp", chat_id=NUMBER)
    await siti.say("halo")
    await siti.say("hapus data")
    before = await _outbox_count(any_core)
    await siti.tap("privacy:erase-yes")
    assert before >= 2 and await _outbox_count(any_core) == 1  # only "data deleted" remains


async def test_delivered_outbox_rows_are_deleted_after_the_retention(any_core: Core) -> None:
    sender = on_whatsapp(any_core)
    siti = WhatsAppCitizen(any_core, channel="whatsapp", chat_id=NUMBER)
    await siti.say("halo")
    await siti.say("menu")
    days = any_core.settings.outbox_retention_days
    assert days == 7  # the documented default
    async with any_core.uow() as uow:
        query = select(OutboxItem).order_by(OutboxItem.id)
        rows = list((await uow.session.execute(query)).scalars())
        assert [r.status for r in rows] == ["sent", "sent"]
        rows[0].sent_at = utcnow() - timedelta(days=days, hours=1)  # past the retention
        rows[1].sent_at = utcnow() - timedelta(days=days - 1)
        old_id, fresh_id = rows[0].id, rows[1].id
        await uow.commit()
    sender.paused = True  # the next replies stay pending
    await siti.say("bantuan")
    async with any_core.uow() as uow:
        query = select(OutboxItem).where(OutboxItem.status == "pending")
        pending = list((await uow.session.execute(query)).scalars())
        for item in pending:
            item.created_at = utcnow() - timedelta(days=days + 30)  # never sent: kept to send
        await uow.commit()

    result = await purge_expired(any_core.uow, any_core.settings.retention_days, outbox_days=days)

    assert result.outbox == 1
    async with any_core.uow() as uow:
        left = list((await uow.session.execute(select(OutboxItem.id, OutboxItem.status))).all())
    assert old_id not in {i for i, _ in left} and fresh_id in {i for i, _ in left}
    assert sorted(s for _, s in left) == ["pending"] * len(pending) + ["sent"]


async def _outbox_count(core: Core) -> int:
    async with core.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(OutboxItem)) or 0)
