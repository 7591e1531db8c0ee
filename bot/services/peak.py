"""Peak mode, measured: the waiting queue against the decision pace of the last hours.

The forecast itself is the pure ``bot.domain.peak.forecast``; this reads what it needs (the
waiting requests' sending times, one indexed column, and a count of recent decisions) and
keeps the answer for a minute per worker, so a job fair's thousand "cek status" messages cost
one query a minute, not a thousand.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config import Settings
from bot.domain.peak import Forecast, forecast
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

CACHE = timedelta(seconds=60)


class PeakWatch:
    """Forecast whether the waiting queue will miss its deadlines at the measured pace."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._cached: Forecast | None = None
        self._until: datetime | None = None

    @property
    def sla(self) -> timedelta:
        """Return the SOP's deadline as a duration."""
        return timedelta(hours=self._settings.verification_sla_hours)

    async def read(self, uow: UnitOfWork, now: datetime | None = None) -> Forecast:
        """Return the forecast, from a caller's unit of work (cached for a minute)."""
        now = now or utcnow()
        if (cached := self._fresh(now)) is not None:
            return cached
        measured = timedelta(hours=self._settings.peak_rate_hours)
        submitted = await uow.desk.waiting_deadlines()
        decisions = await uow.desk.decisions_between(now - measured, now)
        found = forecast(submitted, decisions, measured, self.sla, now)
        self._cached, self._until = found, now + CACHE
        return found

    async def current(
        self, uow_factory: UnitOfWorkFactory, now: datetime | None = None
    ) -> Forecast:
        """Return the forecast in a unit of work of its own (none opened while cached)."""
        now = now or utcnow()
        if (cached := self._fresh(now)) is not None:
            return cached
        async with uow_factory() as uow:
            return await self.read(uow, now)

    def _fresh(self, now: datetime) -> Forecast | None:
        """Return the cached forecast while it is fresh."""
        if self._cached is not None and self._until is not None and now < self._until:
            return self._cached
        return None

    def forget(self) -> None:
        """Drop the cached forecast (tests, or after a bulk change)."""
        self._cached = self._until = None
