"""Periodic jobs' rows: made once, leased by one conditional UPDATE, released with the next due."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import ScheduledJob
from bot.storage.repositories.sql import upsert


class ScheduledJobs:
    """The shared schedule every worker reads; a lease is the one way to run a job."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def ensure(self, first_due: Mapping[str, datetime]) -> None:
        """Make the rows of jobs not seen before, due at the time given; keep existing ones."""
        if not first_due:
            return
        rows = [{"name": name, "due_at": due, "runs": 0, "failures": 0}
                for name, due in first_due.items()]  # fmt: skip
        stmt = upsert(self._s, ScheduledJob).values(rows)
        await self._s.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))

    async def due(self, names: list[str], now: datetime) -> list[tuple[str, datetime]]:
        """Return the named jobs due at ``now`` that no live lease holds, with their due time."""
        stmt = select(ScheduledJob.name, ScheduledJob.due_at).where(
            ScheduledJob.name.in_(names), ScheduledJob.due_at <= now, _free(now)
        )
        return [(name, due) for name, due in (await self._s.execute(stmt)).all()]

    async def claim(
        self, name: str, due_at: datetime, owner: str, now: datetime, until: datetime
    ) -> bool:
        """Take the lease of a due job, unless another worker took it first; say whether."""
        # The due time seen must still be there: a job another worker ran meanwhile moved on.
        stmt = (
            update(ScheduledJob)
            .where(ScheduledJob.name == name, ScheduledJob.due_at == due_at, _free(now))
            .values(lease_owner=owner, lease_until=until, last_started_at=now)
        )
        return (await self._s.execute(stmt)).rowcount == 1  # type: ignore[attr-defined]

    async def extend(self, name: str, owner: str, until: datetime) -> bool:
        """Push a held lease out to ``until``; False when ``owner`` no longer holds it."""
        stmt = (
            update(ScheduledJob)
            .where(ScheduledJob.name == name, ScheduledJob.lease_owner == owner)
            .values(lease_until=until)
        )
        return (await self._s.execute(stmt)).rowcount == 1  # type: ignore[attr-defined]

    async def release(
        self, name: str, owner: str, now: datetime, next_due: datetime, error: str | None
    ) -> bool:
        """Record a finished run and when the job is next due; False if the lease was lost."""
        values: dict[str, object] = {
            "lease_owner": None, "lease_until": None, "due_at": next_due,
            "last_finished_at": now, "last_error": error, "runs": ScheduledJob.runs + 1,
        }  # fmt: skip
        if error is not None:
            values["failures"] = ScheduledJob.failures + 1
        stmt = (
            update(ScheduledJob)
            .where(ScheduledJob.name == name, ScheduledJob.lease_owner == owner)
            .values(values)
        )
        return (await self._s.execute(stmt)).rowcount == 1  # type: ignore[attr-defined]

    async def get(self, name: str) -> ScheduledJob | None:
        """Return one job's row."""
        return await self._s.get(ScheduledJob, name, populate_existing=True)


def _free(now: datetime) -> object:
    # A lease past its time belongs to a worker that died (or stalled): anyone may take it.
    return or_(ScheduledJob.lease_until.is_(None), ScheduledJob.lease_until <= now)
