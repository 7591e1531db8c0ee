"""Sign-in attempt counts per account and per client address, locked row by row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import LoginThrottle
from bot.storage.repositories.sql import for_update, upsert

# A row deleted by a concurrent prune between our insert and our lock is simply made again.
_LOCK_TRIES = 3
_PRUNE_BATCH = 500


class LoginThrottles:
    """Sign-in attempt counts; every worker counts in the same rows."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def lock(self, keys: Sequence[str], now: datetime) -> list[LoginThrottle]:
        """Return the rows of ``keys`` in the order given, made when missing, locked."""
        # Sorted, so two transactions locking the same keys take them in the same order.
        ordered = sorted(set(keys))
        for _ in range(_LOCK_TRIES):
            await self._s.execute(
                upsert(self._s, LoginThrottle)
                .values([{"key": k, "window_start": now, "failures": 0, "checking": 0,
                          "refused": 0} for k in ordered])
                .on_conflict_do_nothing(index_elements=["key"])
            )  # fmt: skip
            stmt = select(LoginThrottle).where(LoginThrottle.key.in_(ordered))
            stmt = for_update(self._s, stmt.order_by(LoginThrottle.key))
            found = await self._s.execute(stmt.execution_options(populate_existing=True))
            rows = {row.key: row for row in found.scalars()}
            if len(rows) == len(ordered):
                return [rows[k] for k in keys]
        raise RuntimeError("login throttle rows vanished while being locked")

    async def prune(self, before: datetime, now: datetime, *, keep: Sequence[str]) -> None:
        """Delete rows whose window began before ``before`` and no check holds (not ``keep``)."""
        stale = select(LoginThrottle.key).where(
            LoginThrottle.window_start < before,
            or_(LoginThrottle.checking_until.is_(None), LoginThrottle.checking_until <= now),
            LoginThrottle.key.not_in(list(keep)),
        )
        # Skip rows another login holds: a prune never waits, so it never deadlocks.
        stale = for_update(self._s, stale.limit(_PRUNE_BATCH), skip_locked=True)
        await self._s.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(stale)))
