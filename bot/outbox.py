"""The outbox dispatcher: deliver queued messages to push channels, in order, with retries."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.drain import drain_forever
from bot.engine.channels import ChannelSender, Recipient, SendError
from bot.engine.messages import Reply
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
# How long a claimed message is reserved for the worker sending it.
LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 12
MAX_BACKOFF = 600.0
# How long to keep trying to record a send's outcome while the database is away: within the
# lease, so no other worker takes (and sends again) a message this one already sent.
RECORD_FOR = LEASE.total_seconds() - 5
RECORD_RETRY_DELAYS = (0.05, 0.2, 0.5, 1.0)


@dataclass(frozen=True, slots=True)
class _Claimed:
    item_id: int
    channel: str
    recipient: Recipient
    reply: Reply
    attempts: int


class OutboxDispatcher:
    """Drain the outbox: the oldest pending message of each chat, then the next one."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        batch: int = 100,
        count: Callable[[str, str], None] = lambda _channel, _result: None,
    ) -> None:
        self._uow = uow_factory
        # Told (channel, "sent" | "retry" | "failed") after each attempt, for the metrics.
        self._count = count
        self._senders: dict[str, ChannelSender] = {}
        self._batch = batch
        self._wake = asyncio.Event()

    @property
    def channels(self) -> set[str]:
        """Return the channels that have a sender."""
        return set(self._senders)

    def add_sender(self, sender: ChannelSender) -> None:
        """Register the sender of one channel."""
        self._senders[sender.channel] = sender

    def wake(self) -> None:
        """Start a drain now instead of at the next poll."""
        self._wake.set()

    async def run(self, poll: float = 1.0) -> None:
        """Drain forever; wake on :meth:`wake` or every ``poll`` seconds."""
        await drain_forever(self.drain_once, self._wake, poll, log=log, what="outbox")

    async def drain_once(self) -> int:
        """Send one round of due messages (at most one per chat); return how many were tried."""
        if not self._senders:
            return 0
        claimed = await self._claim()
        if claimed:
            sent = [s for s in await asyncio.gather(*(self._send(c) for c in claimed)) if s]
            if sent:
                # The round's successes in one transaction (a failure was recorded on its own).
                rows = [(c.item_id, c.channel, external_id) for c, external_id in sent]
                await self._record(
                    [row[0] for row in rows], lambda uow: uow.outbox.mark_all_sent(rows)
                )
                for done, _ in sent:
                    self._count(done.channel, "sent")
        return len(claimed)

    async def _claim(self) -> list[_Claimed]:
        now = utcnow()
        async with self._uow() as uow:
            items = await uow.outbox.claim(sorted(self._senders), now, self._batch, now + LEASE)
            if not items:
                return []
            claimed = [
                _Claimed(
                    item.id,
                    item.channel,
                    Recipient(uow.outbox.address(item), seen),
                    uow.outbox.payload(item),
                    item.attempts,
                )
                for item, seen in items
            ]
            await uow.commit()
        return claimed

    async def _send(self, claimed: _Claimed) -> tuple[_Claimed, str | None] | None:
        """Send one claimed item; return it with its message id when it was handed over."""
        sender = self._senders[claimed.channel]
        try:
            # Past the lease another worker may claim the message again: give up before that.
            external_id = await asyncio.wait_for(
                sender.send(claimed.recipient, claimed.reply), LEASE.total_seconds() - 10
            )
        except SendError as exc:
            await self._failed(claimed, str(exc), exc.retry_after)
        except TimeoutError:
            await self._failed(claimed, "send timed out", 0.0)
        except Exception as exc:
            log.exception("unexpected error sending outbox item %s", claimed.item_id)
            await self._failed(claimed, type(exc).__name__, 0.0)
        else:
            return claimed, external_id
        return None

    async def _failed(self, claimed: _Claimed, error: str, retry_after: float | None) -> None:
        if retry_after is None or claimed.attempts >= MAX_ATTEMPTS:
            self._count(claimed.channel, "failed")
            log.warning("outbox item %s failed for good: %s", claimed.item_id, error[:200])
            await self._record(
                [claimed.item_id], lambda uow: uow.outbox.mark_failed(claimed.item_id, error)
            )
            return
        self._count(claimed.channel, "retry")
        backoff = min(2.0 ** (claimed.attempts - 1), MAX_BACKOFF)
        delay = max(retry_after, backoff)
        log.info("outbox item %s retry in %.1fs: %s", claimed.item_id, delay, error[:200])
        when = utcnow() + timedelta(seconds=delay)
        await self._record(
            [claimed.item_id], lambda uow: uow.outbox.retry_at(claimed.item_id, when, error)
        )

    async def _record(
        self, item_ids: list[int], change: Callable[[UnitOfWork], Awaitable[None]]
    ) -> None:
        """Store a send's outcome, retrying while the database is unreachable.

        A message already handed to the channel stays leased until this sticks: given up, it
        would be sent again when the lease ends.
        """
        deadline = time.monotonic() + RECORD_FOR
        for attempt in itertools.count():
            try:
                async with self._uow() as uow:
                    await change(uow)
                    await uow.commit()
                return
            except Exception as exc:
                if time.monotonic() >= deadline:
                    log.error("outbox items %s: outcome not recorded (%s); may be sent again",
                              item_ids, type(exc).__name__)  # fmt: skip
                    return
                log.warning("outbox items %s: recording the outcome failed (%s); retrying",
                            item_ids, type(exc).__name__)  # fmt: skip
                await asyncio.sleep(RECORD_RETRY_DELAYS[min(attempt, len(RECORD_RETRY_DELAYS) - 1)])
