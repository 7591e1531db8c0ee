"""Benchmark: how many citizen messages per second the engine answers, and how fast.

Runs whole registrations (text answers and button taps; photo checks excluded, they have
their own benchmark) for many simulated citizens at once against SQLite or PostgreSQL.

    .venv/bin/python bench/conversation.py [--citizens 200] [--concurrency 20] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._support import scratch_database, scripted
from bot.config import load_settings
from bot.core import build_core
from bot.engine.messages import InboundKind
from bot.services.faq import seed_default
from bot.storage.migrate import upgrade

SCRIPT: list[tuple[InboundKind, str]] = [
    (InboundKind.TEXT, "halo"),
    (InboundKind.BUTTON, "menu:register"),
    (InboundKind.BUTTON, "consent:yes"),
    (InboundKind.TEXT, "Siti Aminah"),
    (InboundKind.TEXT, "3671014501900001"),
    (InboundKind.BUTTON, "birth:yes"),
    (InboundKind.TEXT, "0812 3456 7890"),
    (InboundKind.BUTTON, "kec:cipondoh"),
    (InboundKind.BUTTON, "kel:petir"),
    (InboundKind.BUTTON, "doc:resi"),
    (InboundKind.TEXT, "gimana cara foto ktp yang bagus"),
    (InboundKind.TEXT, "status"),
]


async def citizen(core: object, number: int, latencies: list[float]) -> None:
    """Play one citizen's script."""
    for step, (kind, value) in enumerate(SCRIPT):
        inbound = scripted("web", f"bench-{number}", f"bench-{number}-{step}", kind, value)
        started = time.perf_counter()
        await core.handle(inbound)  # type: ignore[attr-defined]
        latencies.append(time.perf_counter() - started)


async def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="use a throw-away database on TLIVE_TEST_POSTGRES_URL",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.postgres, tmp) as url:
        settings = load_settings(secret_key="b" * 40, database_url=url, data_dir=Path(tmp))
        core = build_core(settings, ocr=False)
        await upgrade(core.db.engine)
        await seed_default(core.uow)
        await core.services.faq.reload()
        latencies: list[float] = []
        semaphore = asyncio.Semaphore(args.concurrency)

        async def limited(number: int) -> None:
            async with semaphore:
                await citizen(core, number, latencies)

        tracemalloc.start()
        started = time.perf_counter()
        await asyncio.gather(*(limited(n) for n in range(args.citizens)))
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        await core.db.dispose()
    latencies.sort()
    print(f"database      {url.split(':')[0]}")
    print(
        f"messages      {len(latencies)} from {args.citizens} citizens, {args.concurrency} at once"
    )
    print(f"throughput    {len(latencies) / elapsed:.0f} messages/s")
    print(f"latency p50   {statistics.median(latencies) * 1000:.1f} ms")
    print(f"latency p95   {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms")
    print(f"latency p99   {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms")
    print(f"peak traced   {peak / 1e6:.1f} MB (Python allocations)")


if __name__ == "__main__":
    asyncio.run(main())
