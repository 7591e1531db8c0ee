"""The outbox dispatcher: deliver queued messages to push channels, in order, with retries."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.engine.channels import ChannelSender, Recipient, SendError
from bot.engine.messages import Reply
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)
# How long a claimed message is reserved for the worker sending it.
LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 12
MAX_BACKOFF = 600.0


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
        while True:
            self._wake.clear()
            try:
                sent = await self.drain_once()
            except Exception:
                log.exception("outbox drain failed")
                sent = 0
            if not sent:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), poll)

    async def drain_once(self) -> int:
        """Send one round of due messages (at most one per chat); return how many were tried."""
        if not self._senders:
            return 0
        claimed = await self._claim()
        if claimed:
            await asyncio.gather(*(self._send(c) for c in claimed))
        return len(claimed)

    async def _claim(self) -> list[_Claimed]:
        now = utcnow()
        async with self._uow() as uow:
            items = await uow.outbox.due(sorted(self._senders), now, self._batch)
            if not items:
                return []
            last_inbound = await uow.outbox.last_inbound(items)
            claimed = []
            for item in items:
                uow.outbox.lease(item, now + LEASE)
                recipient = Recipient(
                    uow.outbox.address(item), last_inbound.get(item.conversation_id or 0)
                )
                claimed.append(
                    _Claimed(
                        item.id, item.channel, recipient, uow.outbox.payload(item), item.attempts
                    )
                )
            await uow.commit()
        return claimed

    async def _send(self, claimed: _Claimed) -> None:
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
            async with self._uow() as uow:
                await uow.outbox.mark_sent(claimed.item_id, claimed.channel, external_id)
                await uow.commit()
            self._count(claimed.channel, "sent")

    async def _failed(self, claimed: _Claimed, error: str, retry_after: float | None) -> None:
        if retry_after is None or claimed.attempts >= MAX_ATTEMPTS:
            self._count(claimed.channel, "failed")
            log.warning("outbox item %s failed for good: %s", claimed.item_id, error[:200])
            async with self._uow() as uow:
                await uow.outbox.mark_failed(claimed.item_id, error)
                await uow.commit()
            return
        self._count(claimed.channel, "retry")
        backoff = min(2.0 ** (claimed.attempts - 1), MAX_BACKOFF)
        delay = max(retry_after, backoff)
        log.info("outbox item %s retry in %.1fs: %s", claimed.item_id, delay, error[:200])
        async with self._uow() as uow:
            await uow.outbox.retry_at(claimed.item_id, utcnow() + timedelta(seconds=delay), error)
            await uow.commit()
