"""Endpoints of the city's systems and the deliveries of events to them (a transactional outbox)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from bot.crypto import Keyring
from bot.domain.webhooks import DUE_STATES, DeliveryState, EventType, Scope, scoped
from bot.storage.models import WebhookDelivery, WebhookEndpoint
from bot.storage.repositories.encrypted import bound
from bot.storage.repositories.sql import for_update
from bot.storage.types import utcnow


class Webhooks:
    """Endpoints (secrets encrypted) and one delivery row per event and subscribed endpoint."""

    def __init__(self, session: AsyncSession, keys: Keyring) -> None:
        self._s = session
        self._keys = keys

    # --- endpoints -------------------------------------------------------------------------

    async def add_endpoint(
        self, url: str, scope: Scope, events: Sequence[EventType], secret: str
    ) -> WebhookEndpoint:
        """Store a new endpoint with its signing secret encrypted."""
        endpoint = WebhookEndpoint(
            url=url, scope=scope.value, events=[e.value for e in events], active=True,
            secret_enc=b"", created_at=utcnow(),
        )  # fmt: skip
        self._s.add(endpoint)
        await self._s.flush()  # the row id binds the ciphertext
        endpoint.secret_enc = self._keys.fields.encrypt(
            secret.encode(), context=bound(endpoint, "secret_enc")
        )
        return endpoint

    def secret(self, endpoint: WebhookEndpoint) -> str:
        """Decrypt an endpoint's signing secret."""
        context = bound(endpoint, "secret_enc")
        return self._keys.fields.decrypt(endpoint.secret_enc, context=context).decode()

    async def endpoint(self, endpoint_id: int) -> WebhookEndpoint | None:
        """Return one endpoint."""
        return await self._s.get(WebhookEndpoint, endpoint_id)

    async def endpoints(self) -> list[WebhookEndpoint]:
        """Return every endpoint, oldest first."""
        stmt = select(WebhookEndpoint).order_by(WebhookEndpoint.id)
        return list((await self._s.execute(stmt)).scalars())

    # --- recording events (inside the transaction that makes the change) -------------------

    async def subscribers(self, kind: EventType) -> list[WebhookEndpoint]:
        """Return the active endpoints subscribed to ``kind``."""
        return [e for e in await self.endpoints() if e.active and kind.value in e.events]

    async def record(
        self,
        kind: EventType,
        targets: Sequence[WebhookEndpoint],
        subject: str | None,
        data: Mapping[str, Any],
        at: datetime,
    ) -> int:
        """Queue ``kind`` once for each of ``targets``; return how many deliveries were added.

        Each delivery keeps only what its endpoint's scope allows, encrypted. All deliveries
        of one event share its id, so a receiver can de-duplicate.
        """
        if not targets:
            return 0
        uid = str(uuid.uuid4())
        rows = [
            WebhookDelivery(
                event_uid=uid, event_type=kind.value, subject=subject, data_enc=b"",
                occurred_at=at, endpoint_id=endpoint.id, state=DeliveryState.PENDING.value,
                attempts=0, next_attempt_at=at,
            )
            for endpoint in targets
        ]  # fmt: skip
        self._s.add_all(rows)
        await self._s.flush()  # the row ids bind the ciphertexts
        for row, endpoint in zip(rows, targets, strict=True):
            row.data_enc = self._keys.fields.encrypt_json(
                scoped(data, Scope(endpoint.scope)), context=bound(row, "data_enc")
            )
        return len(rows)

    def data(self, delivery: WebhookDelivery) -> dict[str, Any]:
        """Decrypt the event data a delivery carries."""
        context = bound(delivery, "data_enc")
        return self._keys.fields.decrypt_json(delivery.data_enc, context=context) or {}

    # --- the dispatcher's side -------------------------------------------------------------

    async def claim(
        self, now: datetime, limit: int, until: datetime
    ) -> list[tuple[WebhookDelivery, WebhookEndpoint]]:
        """Lease the due deliveries of active endpoints until ``until``; return those taken,
        each with its endpoint.

        Two statements whatever the batch: one SELECT … FOR UPDATE SKIP LOCKED (of the
        deliveries only: the endpoint rows stay free for other workers and for admins) and one
        UPDATE, conditional on each row still being due, so it holds without row locks (SQLite
        shared by several processes) as well as with them. The deliveries returned carry the
        attempt count of the send about to be made, as the UPDATE stored it.
        """
        due_now = (
            WebhookDelivery.state.in_([s.value for s in DUE_STATES]),
            WebhookDelivery.next_attempt_at <= now,
        )
        stmt = (
            select(WebhookDelivery, WebhookEndpoint)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(*due_now, WebhookEndpoint.active.is_(True))
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
        )
        stmt = for_update(self._s, stmt, skip_locked=True, of=WebhookDelivery)
        due = [(delivery, endpoint) for delivery, endpoint in (await self._s.execute(stmt)).all()]
        if not due:
            return []
        taken = await self._s.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_([d.id for d, _ in due]), *due_now)
            .values(attempts=WebhookDelivery.attempts + 1, next_attempt_at=until)
            .returning(WebhookDelivery.id, WebhookDelivery.attempts)
            .execution_options(synchronize_session=False)
        )
        attempts = {row.id: row.attempts for row in taken}
        claimed = [row for row in due if row[0].id in attempts]  # the rest: another worker's
        for delivery, _ in claimed:
            # Set as stored, without marking the row changed (it was updated above).
            set_committed_value(delivery, "attempts", attempts[delivery.id])
            set_committed_value(delivery, "next_attempt_at", until)
        return claimed

    async def delivered(self, delivery_id: int, attempt: int) -> None:
        """Record that the endpoint accepted attempt ``attempt``."""
        await self._settle(delivery_id, attempt, state=DeliveryState.DELIVERED.value,
                           delivered_at=utcnow(), last_error=None)  # fmt: skip

    async def failed(
        self, delivery_id: int, attempt: int, error: str, *, retry_at: datetime | None
    ) -> None:
        """Record a failed attempt: tried again at ``retry_at``, or dead when that is None."""
        state = DeliveryState.FAILING if retry_at is not None else DeliveryState.DEAD
        values: dict[str, Any] = {"state": state.value, "last_error": error[:255]}
        if retry_at is not None:
            values["next_attempt_at"] = retry_at
        await self._settle(delivery_id, attempt, **values)

    async def _settle(self, delivery_id: int, attempt: int, **values: Any) -> None:
        # Only the attempt that holds the lease writes its outcome: a retry by hand meanwhile
        # (attempts reset) is not overwritten by a late answer of the old attempt.
        await self._s.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.attempts == attempt)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    # --- what admins see and do ------------------------------------------------------------

    async def delivery(self, delivery_id: int, *, lock: bool = False) -> WebhookDelivery | None:
        """Return one delivery."""
        stmt = select(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
        if lock:
            stmt = for_update(self._s, stmt)
        return (await self._s.execute(stmt)).scalar_one_or_none()

    async def deliveries(
        self, endpoint_id: int | None = None, *, state: DeliveryState | None = None,
        limit: int = 100,
    ) -> list[WebhookDelivery]:  # fmt: skip
        """Return the newest deliveries, of one endpoint and in one state when given."""
        stmt = select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit)
        if endpoint_id is not None:
            stmt = stmt.where(WebhookDelivery.endpoint_id == endpoint_id)
        if state is not None:
            stmt = stmt.where(WebhookDelivery.state == state.value)
        return list((await self._s.execute(stmt)).scalars())

    def retry_now(self, delivery: WebhookDelivery) -> None:
        """Send a delivery again at once with a fresh count of attempts (retry by hand)."""
        delivery.state = DeliveryState.PENDING.value
        delivery.attempts = 0
        delivery.next_attempt_at = utcnow()
        delivery.delivered_at = None

    async def counts(self) -> dict[int, dict[str, int]]:
        """Count deliveries per endpoint and state."""
        stmt = select(WebhookDelivery.endpoint_id, WebhookDelivery.state, func.count()).group_by(
            WebhookDelivery.endpoint_id, WebhookDelivery.state
        )
        found: dict[int, dict[str, int]] = {}
        for endpoint_id, state, count in (await self._s.execute(stmt)).all():
            found.setdefault(endpoint_id, {})[state] = count
        return found

    # --- what the privacy rules delete ------------------------------------------------------

    async def purge_finished(self, cutoff: datetime) -> int:
        """Delete deliveries delivered, or given up, before ``cutoff``; return how many.

        Due ones stay whatever their age: they are still to be sent.
        """
        done = (WebhookDelivery.state == DeliveryState.DELIVERED.value) & (
            WebhookDelivery.delivered_at < cutoff
        )
        dead = (WebhookDelivery.state == DeliveryState.DEAD.value) & (
            WebhookDelivery.occurred_at < cutoff
        )
        result = await self._s.execute(delete(WebhookDelivery).where(or_(done, dead)))
        return int(result.rowcount or 0)

    async def forget(self, references: Iterable[str]) -> int:
        """Delete every delivery about these requests (a citizen erased her data)."""
        refs = set(references)
        if not refs:
            return 0
        result = await self._s.execute(
            delete(WebhookDelivery).where(WebhookDelivery.subject.in_(refs))
        )
        return int(result.rowcount or 0)
