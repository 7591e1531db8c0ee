"""Benchmark: how fast several workers sweep reminders, and that each goes out exactly once.

Makes many chats that stopped halfway through registration, then lets ``--workers`` cores
(each its own engine and pool, like worker processes) sweep the same moment at once, twice:
when the first reminders are due and when the second are.

    .venv/bin/python bench/reminders.py [--chats 1000] [--workers 2] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from bench._support import scratch_database
from bot.config import load_settings
from bot.core import Core, build_core
from bot.domain.chat_mode import ChatMode
from bot.i18n import WIB
from bot.storage.migrate import upgrade
from bot.storage.models import Message, OutboxItem
from bot.usecases.reminders import ReminderCases

CHANNEL = "push"  # a push channel: every reminder is also an outbox row
STOPPED = datetime(2026, 12, 1, 9, 0, tzinfo=WIB).astimezone(UTC)


async def stopped_chats(core: Core, count: int) -> None:
    """Store ``count`` chats at the NIK step whose citizen last wrote at ``STOPPED``."""
    async with core.uow() as uow:
        for number in range(count):
            conv = await uow.conversations.lock(CHANNEL, f"bench-{number}")
            conv.flow, conv.step, conv.mode = "registration", "nik", ChatMode.BOT
            conv.last_inbound_at = STOPPED
        await uow.commit()


async def sweep(workers: list[ReminderCases], moment: datetime) -> tuple[list[int], float]:
    """Let every worker sweep ``moment`` at once; return each one's count and the seconds."""
    started = time.perf_counter()
    counts = await asyncio.gather(*(w.sweep(moment) for w in workers))
    return list(counts), time.perf_counter() - started


async def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="use a throw-away database on TLIVE_TEST_POSTGRES_URL",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.postgres, tmp) as url:
        await run(url, tmp, args)


async def run(url: str, tmp: str, args: argparse.Namespace) -> None:
    """Sweep the first and the second reminders of ``args.chats`` chats."""
    settings = load_settings(secret_key="b" * 40, database_url=url, data_dir=Path(tmp))
    cores = [build_core(settings, ocr=False) for _ in range(args.workers)]
    try:
        await upgrade(cores[0].db.engine)
        await stopped_chats(cores[0], args.chats)
        workers = []
        for core in cores:
            core.services.delivery.push_channels.add(CHANNEL)
            workers.append(ReminderCases(core.uow, settings, core.catalog, core.services.delivery))
        delays = workers[0].schedule.delays
        print(f"database      {url.split(':')[0]}, {args.workers} workers, {args.chats} chats")
        for number, delay in enumerate(delays, start=1):
            counts, seconds = await sweep(workers, STOPPED + timedelta(minutes=delay))
            rate = sum(counts) / seconds if seconds else 0.0
            print(f"reminder {number}    {sum(counts)} sent {counts} in {seconds:.2f} s "
                  f"({rate:.0f}/s)")  # fmt: skip
        async with cores[0].uow() as uow:
            messages = await uow.session.scalar(select(func.count(Message.id)))
            outbox = await uow.session.scalar(select(func.count(OutboxItem.id)))
        expected = args.chats * len(delays)
        print(f"exactly once  {messages} messages, {outbox} outbox rows, expected {expected}")
        if messages != expected or outbox != expected:
            raise SystemExit("a reminder was lost or sent twice")
    finally:
        for core in cores:
            await core.db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
