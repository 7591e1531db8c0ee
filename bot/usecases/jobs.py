"""Periodic jobs run once per period across every worker and machine, not once per worker.

Each job has a row in ``scheduled_jobs``. A worker's scheduler looks every few seconds for jobs
that are due and whose lease is free, takes a lease with one conditional UPDATE (only one
worker's succeeds), runs the job, then records the run and the next due time and frees the
lease. While a job runs its lease is renewed; a worker killed meanwhile stops renewing it, the
lease lapses and another worker runs the job. A failing job is logged, recorded (its exception
type only) and tried again next period. Lease times come from the workers' clocks: machines
sharing a database keep their clocks in sync (NTP), which they need for TLS anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)
TICK_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    """A job to run once every ``period``; ``lease`` is how long a silent holder keeps it."""

    name: str
    period: timedelta
    run: Callable[[], Awaitable[object]]
    lease: timedelta = timedelta(minutes=5)


def next_due(due_at: datetime, period: timedelta, now: datetime) -> datetime:
    """Return the first time after ``now`` on the job's cadence (periods missed are skipped)."""
    if due_at > now:
        return due_at
    missed = (now - due_at) // period + 1
    return due_at + missed * period


def worker_name() -> str:
    """Return a name for this worker, unique across machines and restarts."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(3)}"


class JobScheduler:
    """Run this worker's share of the periodic jobs; any number of workers share one database."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        jobs: list[PeriodicJob],
        *,
        owner: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        tick: float = TICK_SECONDS,
    ) -> None:
        self._uow = uow
        self._jobs = {job.name: job for job in jobs}
        self.owner = owner or worker_name()
        self._clock = clock
        self._tick = tick
        self._known = False
        self._running: dict[str, asyncio.Task[None]] = {}

    async def run_due(self) -> list[str]:
        """Run, to the end, every job that is due and free; return the names this worker ran."""
        claimed = await self._claim_due()
        await asyncio.gather(*(self._run(self._jobs[name], due) for name, due in claimed))
        return [name for name, _ in claimed]

    async def run_forever(self) -> None:
        """Claim and start due jobs every tick until cancelled; a slow job holds up no other."""
        try:
            while True:
                try:
                    for name, due in await self._claim_due():
                        task = asyncio.create_task(self._run(self._jobs[name], due), name=name)
                        self._running[name] = task
                        task.add_done_callback(lambda _t, n=name: self._running.pop(n, None))
                except Exception as exc:
                    # The database is away: try again next tick, nothing is lost meanwhile.
                    log.warning("scheduler: could not read the schedule (%s)", type(exc).__name__)
                await asyncio.sleep(self._tick)
        finally:
            for task in list(self._running.values()):
                task.cancel()
            for task in list(self._running.values()):
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _claim_due(self) -> list[tuple[str, datetime]]:
        now = self._clock()
        if not self._known:
            async with self._uow() as uow:
                # A job never seen before is due at once (e.g. the retention purge at first start).
                await uow.jobs.ensure(dict.fromkeys(self._jobs, now))
                await uow.commit()
            self._known = True
        names = [name for name in self._jobs if name not in self._running]
        if not names:
            return []
        claimed: list[tuple[str, datetime]] = []
        async with self._uow() as uow:
            due = await uow.jobs.due(names, now)
        for name, due_at in due:
            until = now + self._jobs[name].lease
            async with self._uow() as uow:
                if await uow.jobs.claim(name, due_at, self.owner, now, until):
                    await uow.commit()
                    claimed.append((name, due_at))
        return claimed

    async def _run(self, job: PeriodicJob, due_at: datetime) -> None:
        renewing = asyncio.create_task(self._renew(job), name=f"{job.name}-lease")
        error: str | None = None
        try:
            await job.run()
        except asyncio.CancelledError:
            # Shutting down: free the lease for another worker, due as it was.
            renewing.cancel()
            await asyncio.shield(self._release(job, due_at, "cancelled", keep_due=True))
            raise
        except Exception as exc:
            log.exception("scheduled job %s failed; next try next period", job.name)
            error = type(exc).__name__
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
        await self._release(job, due_at, error)

    async def _renew(self, job: PeriodicJob) -> None:
        while True:
            await asyncio.sleep(job.lease.total_seconds() / 3)
            try:
                async with self._uow() as uow:
                    held = await uow.jobs.extend(job.name, self.owner, self._clock() + job.lease)
                    await uow.commit()
            except Exception as exc:
                log.warning("scheduler: could not renew %s (%s)", job.name, type(exc).__name__)
                continue
            if not held:
                log.warning("scheduler: %s ran past its lease; another worker may run it", job.name)
                return

    async def _release(
        self, job: PeriodicJob, due_at: datetime, error: str | None, *, keep_due: bool = False
    ) -> None:
        now = self._clock()
        following = due_at if keep_due else next_due(due_at, job.period, now)
        try:
            async with self._uow() as uow:
                released = await uow.jobs.release(job.name, self.owner, now, following, error)
                await uow.commit()
        except Exception as exc:
            # The lease lapses by itself; the job runs again then, at worst once more.
            log.warning("scheduler: could not record %s (%s)", job.name, type(exc).__name__)
            return
        if not released:
            log.warning("scheduler: %s finished after another worker took its lease", job.name)
