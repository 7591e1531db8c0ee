"""Remind a citizen who stopped halfway through registration: at most twice, never at night.

A sweep runs once a minute on whichever worker holds the job (``bot.usecases.jobs``). Each
reminder is claimed with one conditional UPDATE in the transaction that queues it
(``Conversations.claim_reminder``), so however many workers sweep at once it goes out once,
and never to a citizen who wrote, left the form ("batal", "hapus data", a submission) or waits
for a person meanwhile. Her next message starts the count again (the engine resets it). The
message goes through ``Delivery``: into the history (the web chat shows it) and, on push
channels, onto the outbox, whose ``MessagesQueued`` wakes the dispatcher. On WhatsApp past the
24-hour window the sender uses the approved template.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime

from bot.config import Settings
from bot.domain.reminders import ReminderSchedule
from bot.engine.messages import Button, Reply, Template
from bot.i18n import Catalog
from bot.services.delivery import Delivery
from bot.storage.uow import UnitOfWorkFactory
from dialogs.base import RESUME
from dialogs.flow import FlowName

log = logging.getLogger(__name__)
FLOW = str(FlowName.REGISTRATION)  # as stored in conversations.flow
SWEEP_BATCH = 100
# Batches one sweep goes through at most; the rest waits for the next sweep a minute later.
MAX_BATCHES = 20


def schedule_of(settings: Settings) -> ReminderSchedule:
    """Return the reminder schedule the settings ask for."""
    return ReminderSchedule.of(settings.reminder_delays_minutes, settings.quiet_window)


class ReminderCases:
    """Send the reminders that are due; safe on any number of workers at once."""

    def __init__(
        self, uow: UnitOfWorkFactory, settings: Settings, catalog: Catalog, delivery: Delivery
    ) -> None:
        self._uow = uow
        self._catalog = catalog
        self._delivery = delivery
        self.schedule = schedule_of(settings)
        self._template = Template(settings.whatsapp_template_reminder)

    async def sweep(self, now: datetime) -> int:
        """Queue every reminder due at ``now``; return how many this worker queued."""
        if not self.schedule.delays or self.schedule.is_quiet(now):
            return 0
        queued = 0
        seen: set[int] = set()
        for _ in range(MAX_BATCHES):
            async with self._uow() as uow:
                found = await uow.conversations.awaiting_reminder(
                    FLOW, self.schedule.cutoffs(now), SWEEP_BATCH
                )
            fresh = [row for row in found if row[0] not in seen]
            # Each worker takes them in its own order: workers sweeping at once then mostly
            # claim different chats instead of queueing on the same row locks (twice the rate).
            random.shuffle(fresh)
            for conv_id, sent, last_inbound_at in fresh:
                seen.add(conv_id)
                index = self.schedule.due(last_inbound_at, sent, now)
                if index is None:
                    continue
                try:
                    if await self._remind(conv_id, sent, last_inbound_at, index, now):
                        queued += 1
                except Exception:
                    # One chat that cannot be reminded must not hold up the others.
                    log.exception("reminder for conversation %s failed", conv_id)
            if len(found) < SWEEP_BATCH or not fresh:
                break
        if queued:
            log.info("reminders: %d queued", queued)
        return queued

    async def _remind(
        self, conv_id: int, sent: int, last_inbound_at: datetime, index: int, now: datetime
    ) -> bool:
        """Claim reminder ``index`` of one chat and queue it, in one transaction."""
        async with self._uow() as uow:
            # The claim comes first: on SQLite it takes the write lock before anything is read.
            if not await uow.conversations.claim_reminder(
                conv_id, flow=FLOW, sent=sent, seen=last_inbound_at,
                to=index + 1, now=now,
            ):  # fmt: skip
                return False
            conv = await uow.conversations.get(conv_id, lock=True)
            if conv is None:
                return False
            await self._delivery.deliver(uow, conv, self._reply(index))
            await uow.commit()
        return True

    def _reply(self, index: int) -> Reply:
        """Return reminder ``index``: a short, warm text with one "Lanjutkan" button."""
        key = "reminder-first" if index == 0 else "reminder-second"
        return Reply(
            text=self._catalog.text(key),
            buttons=(Button(RESUME, self._catalog.text("btn-resume")),),
            template=self._template,
        )
