"""What the operator's probes ask: is this worker ready to serve, and what is waiting."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from bot.config import Settings
from bot.storage.migrate import current_revisions, head_revisions
from bot.storage.repositories.operations import Backlog
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from redis.asyncio import Redis

# A probe that hangs is a failed probe: the load balancer must hear back quickly.
CHECK_TIMEOUT = 5.0
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Readiness:
    """Each dependency's state in a few words; ready when none has a problem."""

    checks: dict[str, str]
    problems: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        """Tell whether this worker may take traffic."""
        return not self.problems


@dataclass(frozen=True, slots=True)
class OperationalGauges:
    """What waits, measured at one moment: outbox per channel, the queues, overdue requests."""

    at: datetime
    outbox: dict[str, Backlog]
    verification: Backlog
    overdue: int
    helpdesk: Backlog


class OperationsCases:
    """Answer the readiness probe and the metrics scrape; read-only, one short unit each."""

    def __init__(
        self, uow: UnitOfWorkFactory, settings: Settings, redis: Redis | None = None
    ) -> None:
        self._uow = uow
        self._settings = settings
        self._redis = redis

    async def readiness(self) -> Readiness:
        """Check the database, its schema against this code's migrations, and Redis if set."""
        checks: dict[str, str] = {}
        problems: list[str] = []
        if await _within(self._uow.db.ping(), default=False):
            checks["database"] = "ok"
            checks["schema"] = await self._schema()
            if checks["schema"] != "ok":
                problems.append("schema")
        else:
            checks["database"] = "unreachable"
            checks["schema"] = "unknown"
            problems.append("database")
        if self._redis is not None:
            ok = await _within(self._ping_redis(), default=False)
            checks["redis"] = "ok" if ok else "unreachable"
            if not ok:
                problems.append("redis")
        return Readiness(checks, tuple(problems))

    async def gauges(self) -> OperationalGauges:
        """Measure the outbox and the queues now."""
        now = utcnow()
        deadline = now - timedelta(hours=self._settings.verification_sla_hours)
        async with self._uow() as uow:
            verification, overdue = await uow.operations.verification_waiting(deadline)
            return OperationalGauges(
                at=now,
                outbox=await uow.operations.outbox_pending(),
                verification=verification,
                overdue=overdue,
                helpdesk=await uow.operations.helpdesk_queued(),
            )

    async def _schema(self) -> str:
        try:
            current = await asyncio.wait_for(current_revisions(self._uow.db.engine), CHECK_TIMEOUT)
        except Exception:
            return "unknown"
        expected = head_revisions()
        if current == expected:
            return "ok"
        if not current:
            return f"not migrated: run `tlive-bot migrate` (expected {_names(expected)})"
        return (
            f"at {_names(current)}, this code expects {_names(expected)}: "
            "run `tlive-bot migrate` with this release"
        )

    async def _ping_redis(self) -> bool:
        assert self._redis is not None
        return bool(await self._redis.ping())


async def _within(probe: Awaitable[_T], *, default: _T) -> _T:
    """Return the probe's answer, or ``default`` when it fails or takes too long."""
    try:
        return await asyncio.wait_for(probe, CHECK_TIMEOUT)
    except Exception:
        return default


def _names(revisions: frozenset[str]) -> str:
    return ", ".join(sorted(revisions))
