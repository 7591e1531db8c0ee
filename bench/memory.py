"""Benchmark: resident memory of an idle worker, and memory per conversation open mid-registration.

1. An idle worker: a real ``tlive-bot serve`` (Telegram in webhook mode on the Bot API
   stand-in) — its resident set (VmRSS) once ready, and again after a few citizens walked the
   start of a registration through the webhook (the code paths a turn needs are then loaded).
2. Conversations open at once: in one process, the core answers citizens on the Telegram
   channel (replies go through the outbox to a sender paced per chat, like Telegram's) until
   ``--conversations`` of them (1,000 and 10,000 by default) are each in the middle of a
   registration (consent given, the form open, asked for her name). Prints the
   resident set before and after, the growth per conversation, and tracemalloc's top
   allocations still held at the end (conversations live in the database, not in memory, so
   what grows is caches: the per-chat pacing schedule, SQLAlchemy's statement cache).

    .venv/bin/python bench/memory.py [--conversations 1000,10000] [--postgres] [--top 12]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._support import CountingSender, counting_core, scratch_database, scripted
from bench.pipeline import BenchTelegram, Driver, running, script, small_photo
from bot.engine.channels import Recipient
from bot.engine.messages import InboundKind, Reply
from bot.engine.ratelimit import RateLimiter

CHANNEL = "telegram"


def rss_mb(pid: int | str = "self") -> float:
    """Return the resident set size of a process in MB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def tree_rss_mb(pid: int) -> float:
    """Return the resident sets of a process and its children, summed (a parent forks workers)."""
    total = rss_mb(pid)
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        for child in children.read_text().split():
            total += tree_rss_mb(int(child))
    return total


async def idle_worker(postgres: bool) -> None:
    """Print a real worker's resident memory when idle, and after some traffic."""
    variant = "pg-1" if postgres else "sqlite-1"
    with tempfile.TemporaryDirectory(prefix="tlive-memory-") as tmp:
        async with BenchTelegram() as tg, running(variant, tg, Path(tmp), None) as target:
            pid = target.pid
            await asyncio.sleep(3)  # start-up work (webhook, commands, FAQ) settles
            idle = tree_rss_mb(pid)
            driver = Driver(tg, target, script(small_photo()))
            async with driver.session():
                await driver.closed_loop(8, 10)
            await asyncio.sleep(2)
            warm = tree_rss_mb(pid)
    print(f"idle worker ({variant}): {idle:.0f} MB resident once ready, {warm:.0f} MB after "
          f"10 s of registrations (8 at once)")  # fmt: skip


class PacedSender(CountingSender):
    """A push channel that sends nowhere, paced per chat as the Telegram sender is."""

    def __init__(self) -> None:
        super().__init__(CHANNEL)
        # Telegram's per-chat gap is kept per chat id; the overall rate is lifted here.
        self.limiter = RateLimiter(1_000_000.0, 0.001)

    async def send(self, recipient: Recipient, reply: Reply) -> str | None:
        """Take a slot, count the message; return a fresh message id."""
        async with self.limiter.slot(recipient.chat_id):
            return await super().send(recipient, reply)


def halfway(number: int) -> list[tuple[InboundKind, str]]:
    """Return the inputs that leave citizen ``number`` in a registration, asked her name.

    Consent given: her citizen, draft registration and consent rows exist, the chat's state
    holds the open form.
    """
    return [(InboundKind.TEXT, "daftar"), (InboundKind.BUTTON, "consent:yes")]


async def conversations(sizes: list[int], url: str, tmp: str, top: int) -> None:
    """Open conversations up to each size in turn; print memory at each."""
    sender = PacedSender()
    core = await counting_core(url, tmp, sender)
    drain = asyncio.create_task(core.outbox.run(poll=0.2))

    async def citizen(number: int) -> None:
        for step, (kind, value) in enumerate(halfway(number)):
            await core.handle(
                scripted(CHANNEL, str(9_000_000 + number), f"m{number}-{step}", kind, value)
            )

    async def open_until(start: int, end: int) -> None:
        slots = asyncio.Semaphore(32)

        async def one(n: int) -> None:
            async with slots:
                await citizen(n)

        await asyncio.gather(*(one(n) for n in range(start, end)))
        while sender.sent < expected(end):  # noqa: ASYNC110 - the outbox drains on its own
            await asyncio.sleep(0.2)

    per_citizen = 0

    def expected(n: int) -> int:
        return per_citizen * n

    await citizen(0)
    await asyncio.sleep(1)
    per_citizen = sender.sent
    tracemalloc.start(8)
    gc.collect()
    before, baseline = rss_mb(), tracemalloc.take_snapshot()
    print(f"conversations on {url.split(':')[0]}: {before:.0f} MB resident with 1 open")
    opened, started = 1, time.perf_counter()
    for size in sizes:
        await open_until(opened, size)
        opened = size
        gc.collect()
        now = rss_mb()
        traced, _ = tracemalloc.get_traced_memory()
        grown = now - before
        each = grown * 1024 * 1024 / (size - 1)
        elapsed = time.perf_counter() - started
        print(f"  {size:>6} open mid-registration: {now:.0f} MB resident (+{grown:.1f} MB, "
              f"{each:.0f} bytes each); Python objects held {traced / 1e6:.1f} MB; "
              f"{elapsed:.0f} s so far")  # fmt: skip
    snapshot = tracemalloc.take_snapshot()
    print(f"  top allocations still held, grown since 1 conversation (top {top}):")
    for stat in snapshot.compare_to(baseline, "lineno")[:top]:
        frame = stat.traceback[0]
        where = f"{Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno}"
        print(f"    {stat.size_diff / 1024:9.1f} KiB in {stat.count_diff:7d} blocks  {where}")
    drain.cancel()
    await core.db.dispose()


def main() -> None:
    """Parse the arguments and run both parts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", default="1000,10000")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--skip-idle", action="store_true")
    args = parser.parse_args()
    sizes = sorted(int(n) for n in args.conversations.split(",") if n)
    print(f"load average {os.getloadavg()[0]:.2f}")
    if not args.skip_idle:
        asyncio.run(idle_worker(args.postgres))
    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.postgres, tmp) as url:
        asyncio.run(conversations(sizes, url, tmp, args.top))


if __name__ == "__main__":
    main()
