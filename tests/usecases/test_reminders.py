"""Reminders through the real engine and outbox, with a clock the test controls.

A citizen "stops" by having her last message moved to a chosen moment; each sweep is given the
moment it runs at. Two cores on one database play two worker processes.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from bot.core import Core, build_core
from bot.domain.chat_mode import ChatMode
from bot.domain.events import MessagesQueued
from bot.engine.channels import Recipient
from bot.engine.messages import Reply
from bot.i18n import WIB
from bot.storage.models import Conversation, OutboxItem, Registration
from bot.usecases.privacy import purge_expired
from bot.usecases.reminders import ReminderCases
from dialogs.base import RESUME
from tests.support.chat import ChatDriver
from tests.support.helpdesk import conversation
from tests.support.registration import register_until_summary


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a moment in December 2026, Jakarta time."""
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB).astimezone(UTC)


STOPPED = wib(1, 9)  # a Tuesday morning
FIRST = wib(1, 10)  # 60 minutes later
SECOND = wib(2, 9)  # 1440 minutes later


class PushSender:
    """A push channel that records what the outbox hands it."""

    channel = "push"

    def __init__(self) -> None:
        self.sent: list[tuple[Recipient, Reply]] = []

    async def send(self, recipient: Recipient, reply: Reply) -> str | None:
        self.sent.append((recipient, reply))
        return f"ext-{len(self.sent)}"


def reminders(core: Core) -> ReminderCases:
    """Return the reminder use cases the composition root builds."""
    return ReminderCases(core.uow, core.settings, core.catalog, core.services.delivery)


async def stop_halfway(chat: ChatDriver, at: datetime = STOPPED) -> Reply:
    """Start registering, answer a little, then go quiet at ``at``; return the open question."""
    await chat.say("daftar")
    # Agree and register for herself, whichever of the two the form asks first.
    for _ in range(2):
        agree = [b for b in ("consent:yes", "whom:self") if b in chat.buttons]
        if agree:
            await chat.tap(agree[0])
    await chat.say("Siti Aminah")
    await last_message_at(chat, at)
    return chat.replies[-1]


async def last_message_at(chat: ChatDriver, at: datetime) -> None:
    """Move the citizen's last message to ``at`` (the clock of her side of the chat)."""
    conv_id = (await conversation(chat.core, chat)).id
    async with chat.core.uow() as uow:
        await uow.session.execute(
            update(Conversation).where(Conversation.id == conv_id).values(last_inbound_at=at)
        )
        await uow.commit()


async def reminders_in(chat: ChatDriver) -> list[dict[str, Any]]:
    """Return the reminders in the chat's history, oldest first."""
    texts = {chat.core.catalog.text(k) for k in ("reminder-first", "reminder-second")}
    async with chat.core.uow() as uow:
        conv = await uow.conversations.find(chat.channel, chat.chat_id)
        assert conv is not None
        history = await uow.conversations.history(conv.id, directions=("out",))
    return [body for _, body in history if body["text"] in texts]


async def see_reminder(chat: ChatDriver) -> None:
    """Let the citizen see her last reminder, as her phone shows it."""
    chat.replies = (Reply.from_dict((await reminders_in(chat))[-1]),)


# --- exactly once, at most twice, never at night ----------------------------------------------


async def test_two_workers_sweeping_at_once_send_each_reminder_once(any_core: Core) -> None:
    sender = PushSender()
    chats = [ChatDriver(any_core, channel="push") for _ in range(3)]
    for chat in chats:
        await stop_halfway(chat)
    other = build_core(any_core.settings, ocr=False)  # a second worker process
    try:
        for core in (any_core, other):
            core.services.delivery.push_channels.add("push")
        any_core.outbox.add_sender(sender)
        workers = (reminders(any_core), reminders(other))
        for moment in (FIRST, FIRST + timedelta(minutes=1), SECOND, SECOND + timedelta(days=3)):
            counts = await asyncio.gather(*(w.sweep(moment) for w in workers))
            assert sum(counts) == (3 if moment in (FIRST, SECOND) else 0), (moment, counts)
    finally:
        await other.db.dispose()
    for chat in chats:
        texts = [body["text"] for body in await reminders_in(chat)]
        assert texts == [any_core.catalog.text(k) for k in ("reminder-first", "reminder-second")]
        stored = await conversation(any_core, chat)
        assert (stored.reminders_sent, stored.reminded_at) == (2, SECOND)
    while await any_core.outbox.drain_once():
        pass
    assert len(sender.sent) == 6  # two per chat, each once
    assert all(r.buttons[0].id == RESUME and r.buttons[0].label.endswith("Lanjutkan")
               for _, r in sender.sent)  # fmt: skip


async def test_a_reminder_due_at_night_waits_until_seven_wib(any_core: Core) -> None:
    chat = ChatDriver(any_core)
    await stop_halfway(chat, at=wib(1, 22))  # the first is due at 23:00
    sweeps = reminders(any_core)
    for moment in (wib(1, 23), wib(2, 0), wib(2, 3), wib(2, 6, 59)):
        assert await sweeps.sweep(moment) == 0
    assert await reminders_in(chat) == []
    assert await sweeps.sweep(wib(2, 7)) == 1
    assert len(await reminders_in(chat)) == 1
    assert await sweeps.sweep(wib(2, 21, 59)) == 0
    # The second is due at 22:00 the next evening: it too waits for the morning.
    assert await sweeps.sweep(wib(2, 22)) == 0 and await sweeps.sweep(wib(3, 6)) == 0
    assert await sweeps.sweep(wib(3, 7)) == 1
    assert len(await reminders_in(chat)) == 2


async def test_two_overdue_reminders_are_sent_as_one(core: Core) -> None:
    chat = ChatDriver(core)
    await stop_halfway(chat)
    assert await reminders(core).sweep(SECOND + timedelta(hours=3)) == 1
    assert [b["text"] for b in await reminders_in(chat)] == [core.catalog.text("reminder-second")]
    assert await reminders(core).sweep(SECOND + timedelta(days=9)) == 0


async def test_a_chat_that_cannot_be_reminded_holds_up_no_other(core: Core) -> None:
    core.services.delivery.push_channels.add("push")
    broken, fine = ChatDriver(core, channel="push"), ChatDriver(core, channel="push")
    await stop_halfway(broken)
    await stop_halfway(fine)
    broken_id = (await conversation(core, broken)).id
    async with core.uow() as uow:  # its chat id can no longer be read
        await uow.session.execute(
            update(Conversation).where(Conversation.id == broken_id).values(chat_id_enc=None)
        )
        await uow.commit()
    assert await reminders(core).sweep(FIRST) == 1
    assert len(await reminders_in(fine)) == 1
    async with core.uow() as uow:
        stored = await uow.conversations.get(broken_id)
        assert stored is not None and stored.reminders_sent == 0  # rolled back: tried again


# --- who gets none ------------------------------------------------------------------------------


async def test_none_after_batal(any_core: Core) -> None:
    chat = ChatDriver(any_core)
    await stop_halfway(chat)
    await chat.say("batal")
    await last_message_at(chat, STOPPED)
    assert await reminders(any_core).sweep(FIRST) == 0
    assert await reminders(any_core).sweep(SECOND) == 0
    assert await reminders_in(chat) == []


async def test_none_after_hapus_data(any_core: Core) -> None:
    chat = ChatDriver(any_core)
    await stop_halfway(chat)
    await chat.say("hapus data")
    await last_message_at(chat, STOPPED)
    assert await reminders(any_core).sweep(FIRST) == 0  # asked, not yet confirmed
    await chat.tap("privacy:erase-yes")
    await last_message_at(chat, STOPPED)
    assert await reminders(any_core).sweep(SECOND) == 0
    assert await reminders_in(chat) == []


async def test_none_after_a_submission(any_core: Core) -> None:
    chat = ChatDriver(any_core)
    await register_until_summary(chat)
    await chat.tap("summary:send")
    await last_message_at(chat, STOPPED)
    assert await reminders(any_core).sweep(FIRST) == 0
    assert await reminders(any_core).sweep(SECOND) == 0
    assert await reminders_in(chat) == []


async def test_none_while_waiting_for_or_talking_to_a_person(any_core: Core) -> None:
    chat = ChatDriver(any_core)
    await stop_halfway(chat)
    await chat.say("petugas")
    await last_message_at(chat, STOPPED)
    assert (await conversation(any_core, chat)).mode == ChatMode.QUEUED
    assert await reminders(any_core).sweep(FIRST) == 0
    conv_id = (await conversation(any_core, chat)).id
    async with any_core.uow() as uow:  # an agent takes the chat
        await uow.session.execute(
            update(Conversation).where(Conversation.id == conv_id).values(mode=ChatMode.AGENT)
        )
        await uow.commit()
    assert await reminders(any_core).sweep(SECOND) == 0
    assert await reminders_in(chat) == []


async def test_a_citizen_outside_any_form_gets_none(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("halo")
    await last_message_at(chat, STOPPED)
    assert await reminders(core).sweep(SECOND) == 0


async def test_no_reminders_configured_sends_none(core: Core, settings_factory: Any) -> None:
    chat = ChatDriver(core)
    await stop_halfway(chat)
    silent = settings_factory(database_url=core.settings.database_url, reminder_minutes="")
    cases = ReminderCases(core.uow, silent, core.catalog, core.services.delivery)
    assert await cases.sweep(SECOND) == 0


# --- writing again, and "Lanjutkan" -------------------------------------------------------------


async def test_a_reply_starts_the_count_again(any_core: Core) -> None:
    chat = ChatDriver(any_core)
    await stop_halfway(chat)
    sweeps = reminders(any_core)
    assert await sweeps.sweep(FIRST) == 1
    await chat.say("apa itu NIK?")
    assert (await conversation(any_core, chat)).reminders_sent == 0
    await last_message_at(chat, wib(1, 10, 30))  # she wrote half an hour after the reminder
    # Counted from her new last message: the first again an hour later, then the second.
    assert await sweeps.sweep(wib(1, 11, 29)) == 0
    assert await sweeps.sweep(wib(1, 11, 30)) == 1
    assert await sweeps.sweep(SECOND) == 0  # the old silence's second is gone
    assert await sweeps.sweep(wib(2, 10, 30)) == 1
    assert await sweeps.sweep(wib(4, 12)) == 0
    assert len(await reminders_in(chat)) == 3


async def test_a_message_while_a_sweep_looks_cancels_its_claim(core: Core) -> None:
    chat = ChatDriver(core)
    await stop_halfway(chat)
    conv = await conversation(core, chat)
    await chat.say("Siti Aminah")  # arrives after the sweep read the chat, before it claims
    async with core.uow() as uow:
        assert not await uow.conversations.claim_reminder(
            conv.id, flow="registration", sent=0, seen=STOPPED, to=1, now=FIRST
        )
    assert await reminders_in(chat) == []


async def test_tapping_lanjutkan_asks_the_step_she_stopped_at(any_core: Core) -> None:
    chat = ChatDriver(any_core)
    question = await stop_halfway(chat)
    await reminders(any_core).sweep(FIRST)
    await see_reminder(chat)
    assert chat.buttons == [RESUME]
    await chat.tap(RESUME)
    assert chat.replies[-1].text == question.text
    assert (await conversation(any_core, chat)).reminders_sent == 0


async def test_typing_lanjut_after_a_reminder_asks_the_step_again(core: Core) -> None:
    chat = ChatDriver(core)
    question = await stop_halfway(chat)
    await reminders(core).sweep(FIRST)
    await chat.say("lanjut")
    assert chat.replies[-1].text == question.text


# --- channels -----------------------------------------------------------------------------------


async def test_reminders_wake_the_outbox_only_for_push_channels(core: Core) -> None:
    woken: list[str] = []
    core.uow.bus.subscribe(MessagesQueued, lambda event: woken.append(event.channel))
    web, push = ChatDriver(core), ChatDriver(core, channel="push")
    await stop_halfway(web)
    await stop_halfway(push)
    core.services.delivery.push_channels.add("push")
    assert await reminders(core).sweep(FIRST) == 2
    assert woken == ["push"]
    push_id = (await conversation(core, push)).id
    async with core.uow() as uow:
        queued = await uow.session.scalar(
            select(func.count(OutboxItem.id)).where(OutboxItem.conversation_id == push_id)
        )
    assert queued == 1
    assert len(await reminders_in(web)) == 1  # in the history, where the web chat reads it


# --- drafts wait for the reminders ------------------------------------------------------------


async def test_a_draft_is_kept_until_its_reminders_had_their_chance(core: Core) -> None:
    chat = ChatDriver(core)
    await register_until_summary(chat)
    await last_message_at(chat, datetime.now(UTC) - timedelta(hours=30))
    async with core.uow() as uow:  # untouched for longer than the retention period
        await uow.session.execute(
            update(Registration).values(updated_at=datetime.now(UTC) - timedelta(days=40))
        )
        await uow.commit()
    horizon = reminders(core).schedule.horizon
    kept = await purge_expired(core.uow, core.settings.retention_days, reminder_horizon=horizon)
    assert kept.drafts == 0  # her second reminder is still to come
    await last_message_at(chat, datetime.now(UTC) - horizon - timedelta(minutes=1))
    gone = await purge_expired(core.uow, core.settings.retention_days, reminder_horizon=horizon)
    assert gone.drafts == 1
