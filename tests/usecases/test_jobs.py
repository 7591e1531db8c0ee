"""Periodic jobs run once per period across workers, survive a dead holder and retry failures."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.core import Core
from bot.usecases.jobs import JobScheduler, PeriodicJob, next_due

DAY = timedelta(days=1)
START = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand, shared by the "workers"."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Counted:
    """A job body that counts its runs and can be told to fail or to take a while."""

    def __init__(self) -> None:
        self.runs = 0
        self.fail_next = False
        self.delay = 0.0
        self.started = asyncio.Event()

    async def __call__(self) -> None:
        self.runs += 1
        self.started.set()
        await asyncio.sleep(self.delay)
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("the purge met a bad row")


def worker(core: Core, job: Counted, clock: Clock, name: str) -> JobScheduler:
    """Return one worker's scheduler with the daily job."""
    daily = PeriodicJob("retention", DAY, job, lease=timedelta(minutes=10))
    return JobScheduler(core.uow, [daily], owner=name, clock=clock)


async def test_two_workers_run_a_daily_job_once_per_day(any_core: Core) -> None:
    clock, job = Clock(), Counted()
    job.delay = 0.05  # both workers look while it runs
    first, second = worker(any_core, job, clock, "w1"), worker(any_core, job, clock, "w2")

    ran = await asyncio.gather(first.run_due(), second.run_due())
    assert job.runs == 1 and sorted(ran) == [[], ["retention"]]

    for hours in (1, 12, 23):
        clock.now = START + timedelta(hours=hours)
        await asyncio.gather(first.run_due(), second.run_due())
    assert job.runs == 1

    clock.now = START + DAY + timedelta(seconds=1)
    await asyncio.gather(first.run_due(), second.run_due(), first.run_due())
    assert job.runs == 2
    async with any_core.uow() as uow:
        row = await uow.jobs.get("retention")
    assert row is not None and row.runs == 2 and row.lease_owner is None
    assert row.due_at == START + 2 * DAY  # the cadence holds, however late a run started


async def test_a_dead_workers_lease_lapses_and_another_runs_the_job(any_core: Core) -> None:
    clock, job = Clock(), Counted()
    survivor = worker(any_core, job, clock, "survivor")
    async with any_core.uow() as uow:
        await uow.jobs.ensure({"retention": START})
        # What a worker killed with SIGKILL mid-run leaves behind: a lease nobody renews.
        assert await uow.jobs.claim(
            "retention", START, "killed", START, START + timedelta(minutes=10)
        )
        await uow.commit()

    clock.now = START + timedelta(minutes=9)
    assert await survivor.run_due() == []
    clock.now = START + timedelta(minutes=10, seconds=1)
    assert await survivor.run_due() == ["retention"]
    assert job.runs == 1
    async with any_core.uow() as uow:
        row = await uow.jobs.get("retention")
    assert row is not None and row.lease_owner is None and row.due_at == START + DAY


async def test_a_failed_run_is_logged_and_tried_again_next_period(
    any_core: Core, caplog: pytest.LogCaptureFixture
) -> None:
    clock, job = Clock(), Counted()
    job.fail_next = True
    first, second = worker(any_core, job, clock, "w1"), worker(any_core, job, clock, "w2")

    with caplog.at_level(logging.ERROR, logger="bot.usecases.jobs"):
        assert await first.run_due() == ["retention"]
    assert "scheduled job retention failed" in caplog.text
    async with any_core.uow() as uow:
        row = await uow.jobs.get("retention")
    assert row is not None and row.last_error == "RuntimeError" and row.failures == 1
    assert row.lease_owner is None  # the failure frees the job for the next period

    clock.now = START + timedelta(hours=2)
    assert await second.run_due() == []
    clock.now = START + DAY
    assert await second.run_due() == ["retention"]
    async with any_core.uow() as uow:
        row = await uow.jobs.get("retention")
    assert job.runs == 2 and row is not None and row.last_error is None and row.runs == 2


async def test_a_long_run_keeps_its_lease_while_it_runs(core: Core) -> None:
    job = Counted()
    job.delay = 0.5
    lease = timedelta(seconds=0.3)
    holder = JobScheduler(core.uow, [PeriodicJob("slow", DAY, job, lease=lease)], owner="w1")
    other = JobScheduler(core.uow, [PeriodicJob("slow", DAY, job, lease=lease)], owner="w2")
    running = asyncio.create_task(holder.run_due())
    await asyncio.sleep(0.4)  # past the first lease: renewed meanwhile
    assert await other.run_due() == []
    assert await running == ["slow"] and job.runs == 1


async def test_a_stopped_worker_frees_its_job_for_the_others(core: Core) -> None:
    job = Counted()
    job.delay = 10
    holder = JobScheduler(core.uow, [PeriodicJob("slow", DAY, job)], owner="w1", tick=0.01)
    running = asyncio.create_task(holder.run_forever())
    await asyncio.wait_for(job.started.wait(), 10)
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    job.delay = 0
    other = JobScheduler(core.uow, [PeriodicJob("slow", DAY, job)], owner="w2")
    assert await other.run_due() == ["slow"]


def test_next_due_skips_the_periods_missed_while_down() -> None:
    assert next_due(START, DAY, START + timedelta(minutes=1)) == START + DAY
    assert next_due(START, DAY, START + 3 * DAY + timedelta(hours=5)) == START + 4 * DAY
    assert next_due(START, DAY, START + DAY) == START + 2 * DAY
