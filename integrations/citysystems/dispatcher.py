"""The webhook dispatcher: deliver recorded events to the city's systems, with retries.

Deliveries are rows written with the change that caused them (``bot.services.webhooks``). Each
worker drains the due ones: it claims a batch (row locks skipping those another worker holds,
and a conditional update, so one delivery is never sent by two workers at once), POSTs each
signed body, and records the outcome: delivered on 2xx, otherwise tried again after an
exponential, jittered backoff until the last attempt, then dead. A worker that dies mid-send
leaves its lease to run out; the delivery is then sent again with the same event id.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.webhooks import EventType, Scope, backoff, body_of, cloud_event, scoped
from bot.drain import drain_forever
from bot.storage.models import WebhookDelivery, WebhookEndpoint
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory
from integrations.citysystems.sender import Outcome, WebhookSender

log = logging.getLogger(__name__)
RECORD_RETRY_DELAYS = (0.05, 0.2, 0.5, 1.0, 2.0)


@dataclass(frozen=True, slots=True)
class Policy:
    """How deliveries are retried."""

    max_attempts: int = 16
    timeout: float = 10.0
    base_delay: float = 5.0  # seconds after the first failure; doubles each time
    max_delay: float = 3600.0
    batch: int = 50

    @property
    def lease(self) -> timedelta:
        """Return how long a claimed delivery is reserved: longer than any attempt can take."""
        return timedelta(seconds=self.timeout * 2 + 30)


@dataclass(frozen=True, slots=True)
class _Claimed:
    delivery_id: int
    attempt: int
    url: str
    secret: str
    body: bytes
    event_id: str
    event_type: str


def _build(uow: UnitOfWork, delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> _Claimed:
    """Return the signed request's parts for one leased delivery."""
    # The scope as it is now: narrowed since, the NIK is no longer sent.
    data = scoped(uow.webhooks.data(delivery), Scope(endpoint.scope))
    kind = EventType(delivery.event_type)
    envelope = cloud_event(delivery.event_uid, kind, delivery.subject, delivery.occurred_at, data)
    return _Claimed(
        delivery.id, delivery.attempts, endpoint.url, uow.webhooks.secret(endpoint),
        body_of(envelope), delivery.event_uid, kind.cloud_type,
    )  # fmt: skip


class WebhookDispatcher:
    """Drain due webhook deliveries; wake on :meth:`wake` or every poll."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        policy: Policy | None = None,
        *,
        sender: WebhookSender | None = None,
        rng: random.Random | None = None,
        count: Callable[[str], None] = lambda _result: None,
    ) -> None:
        self._uow = uow_factory
        self.policy = policy or Policy()
        self._sender = sender or WebhookSender(self.policy.timeout)
        self._rng = rng or random.Random()
        self._count = count
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Start a drain now instead of at the next poll."""
        self._wake.set()

    async def run(self, poll: float = 2.0) -> None:
        """Drain forever; a failing round is logged and tried again."""
        try:
            await drain_forever(self.drain_once, self._wake, poll, log=log, what="webhook")
        finally:
            await self._sender.close()

    async def drain_once(self, now: datetime | None = None) -> int:
        """Send one round of due deliveries; return how many were tried."""
        claimed = await self._claim(now or utcnow())
        if claimed:
            await asyncio.gather(*(self._send(c) for c in claimed))
        return len(claimed)

    async def _claim(self, now: datetime) -> list[_Claimed]:
        async with self._uow() as uow:
            leased = await uow.webhooks.claim(now, self.policy.batch, now + self.policy.lease)
            if not leased:
                return []
            claimed = []
            for delivery, endpoint in leased:
                try:
                    claimed.append(_build(uow, delivery, endpoint))
                except Exception as exc:
                    # Unreadable (a key no longer configured, say): give it up, not the batch.
                    error = f"cannot build: {type(exc).__name__}"
                    log.error("webhook delivery %s %s; given up", delivery.id, error)
                    await uow.webhooks.failed(delivery.id, delivery.attempts, error, retry_at=None)
            await uow.commit()
        return claimed

    async def _send(self, claimed: _Claimed) -> None:
        try:
            outcome = await asyncio.wait_for(
                self._sender.post(
                    claimed.url, claimed.secret, claimed.body, event_id=claimed.event_id,
                    event_type=claimed.event_type, delivery_id=claimed.delivery_id,
                    attempt=claimed.attempt,
                ),
                self.policy.timeout + 5,
            )  # fmt: skip
        except TimeoutError:
            outcome = Outcome(False, "timed out")
        except Exception as exc:
            log.exception("unexpected error sending webhook delivery %s", claimed.delivery_id)
            outcome = Outcome(False, type(exc).__name__)
        if outcome.ok:
            self._count("delivered")
            await self._record(claimed, lambda uow: uow.webhooks.delivered(
                claimed.delivery_id, claimed.attempt))  # fmt: skip
            return
        error = outcome.error or "failed"
        retry_at: datetime | None = None
        if claimed.attempt < self.policy.max_attempts:
            delay = backoff(claimed.attempt, base=self.policy.base_delay,
                            cap=self.policy.max_delay, rng=self._rng)  # fmt: skip
            retry_at = utcnow() + timedelta(seconds=delay)
            self._count("retry")
            log.info("webhook delivery %s attempt %s failed (%s); retry in %.1fs",
                     claimed.delivery_id, claimed.attempt, error, delay)  # fmt: skip
        else:
            self._count("dead")
            log.warning("webhook delivery %s dead after %s attempts (%s)",
                        claimed.delivery_id, claimed.attempt, error)  # fmt: skip
        await self._record(claimed, lambda uow: uow.webhooks.failed(
            claimed.delivery_id, claimed.attempt, error, retry_at=retry_at))  # fmt: skip

    async def _record(
        self, claimed: _Claimed, change: Callable[[UnitOfWork], Awaitable[None]]
    ) -> None:
        """Store an attempt's outcome, retrying a while if the database is briefly away.

        Not stored, the lease runs out and the delivery is sent again (same event id).
        """
        for delay in (*RECORD_RETRY_DELAYS, None):
            try:
                async with self._uow() as uow:
                    await change(uow)
                    await uow.commit()
                return
            except Exception as exc:
                if delay is None:
                    log.error("webhook delivery %s: outcome not recorded (%s); it will be "
                              "sent again", claimed.delivery_id, type(exc).__name__)  # fmt: skip
                    return
                await asyncio.sleep(delay)
