"""The verifier's desk at scale: queue search and filters, the report, the peak forecast and
the same-photo lookup, timed on a database filled with many requests.

    .venv/bin/python bench/desk.py                       # PostgreSQL (TLIVE_TEST_POSTGRES_URL)
    .venv/bin/python bench/desk.py --sqlite --requests 50000

Requests are inserted directly (no photos are decoded): statuses, kecamatan, channels, flags
and keyed hashes spread like a busy month, one photo hash (four bands) per KTP and selfie.
Each query runs five times; the median is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text

from bot.config import load_settings
from bot.core import Core, build_core
from bot.domain.days import today_wib
from bot.domain.wilayah import KECAMATAN
from bot.photos.fingerprint import bands, probes, to_signed
from bot.services.decisions import QueueFilter
from bot.storage.migrate import upgrade
from bot.storage.models import PhotoHash, Registration
from bot.storage.repositories.registrations import normal_name
from bot.storage.types import utcnow

BATCH = 2000
CHANNELS = ("web", "telegram", "whatsapp")
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
FLAGS = ("shared_phone", "same_selfie_photo", "same_ktp_photo", "ktp_screen_photo")


async def fill(core: Core, count: int, seed: int = 5) -> dict[str, str]:
    """Insert ``count`` requests and their photo hashes; return values to search for."""
    rng = random.Random(seed)
    keys = core.keys
    now = utcnow()
    kecamatan = sorted(KECAMATAN)
    known: dict[str, str] = {}
    used: set[str] = set()
    async with core.db.engine.begin() as conn:
        for start in range(0, count, BATCH):
            regs = []
            for i in range(start, min(start + BATCH, count)):
                waiting = rng.random() < 0.1
                sent = now - (timedelta(hours=rng.uniform(0, 30)) if waiting
                              else timedelta(days=rng.uniform(0, 60)))  # fmt: skip
                status = "submitted" if waiting else rng.choice(("approved", "rejected"))
                nik = f"3671{rng.randrange(10**11, 10**12)}"
                phone = f"+62812{rng.randrange(10**7, 10**8)}"
                given = "".join(rng.choice("ABDEGHIKLMNRSTUWY") for _ in range(7))
                name = f"{given} {rng.choice(('AMINAH', 'SANTOSO', 'WATI', 'FAUZI'))}"
                reference = ""
                while not reference or reference in used:
                    reference = "TL-" + "".join(rng.choice(ALPHABET) for _ in range(6))
                used.add(reference)
                flags = {f: True for f in FLAGS if rng.random() < 0.01}
                regs.append({
                    "id": i + 1, "reference": reference, "citizen_id": 1,
                    "channel": rng.choice(CHANNELS), "status": status,
                    "nik_hash": keys.lookup_hash(nik),
                    "phone_hash": keys.lookup_hash(f"phone:{phone}"),
                    "name_hash": keys.lookup_hash(f"name:{normal_name(name)}"),
                    "kecamatan": rng.choice(kecamatan), "flags": flags,
                    "created_at": sent, "updated_at": sent, "submitted_at": sent,
                    "decided_at": None if waiting else sent + timedelta(hours=rng.uniform(1, 30)),
                    "decided_by": None if waiting else f"user:{rng.randint(1, 6)}",
                    "reject_reason": "ktp_blurry" if status == "rejected" else None,
                })  # fmt: skip
                if i == count // 2:
                    known = {"nik": nik, "phone": phone, "name": name.lower(),
                             "reference": reference}  # fmt: skip
            await conn.execute(insert(Registration), regs)
            hashes = [
                {"registration_id": r["id"], "kind": kind, "band": band,
                 "phash": to_signed(value), "created_at": now}
                for r in regs for kind in ("ktp", "selfie")
                for value in (rng.getrandbits(64),) for band in bands(value)
            ]  # fmt: skip
            await conn.execute(insert(PhotoHash), hashes)
        await conn.execute(text("ANALYZE"))
    return known


async def timed(label: str, run: Callable[[], Awaitable[object]], rows: list[str]) -> None:
    """Run ``run`` five times and record its median time."""
    times = []
    result: object = None
    for _ in range(5):
        started = time.perf_counter()
        result = await run()
        times.append((time.perf_counter() - started) * 1000)
    found = getattr(result, "total", None) if hasattr(result, "pages") else None
    rows.append(f"{label:<46} {statistics.median(times):8.1f} ms"
                + (f"   ({found} found)" if found is not None else ""))  # fmt: skip


async def bench(url: str, count: int) -> None:
    """Fill a database and time the desk's queries."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp), database_url=url,
                                 secret_key="bench-" + "x" * 40, face_comparison=False)  # fmt: skip
        core = build_core(settings, ocr=False)
        await upgrade(core.db.engine)
        async with core.db.engine.begin() as conn:
            await conn.execute(text("INSERT INTO citizens (id, created_at) VALUES (1, :t)"),
                               {"t": utcnow()})  # fmt: skip
        started = time.perf_counter()
        known = await fill(core, count)
        print(f"{core.db.engine.dialect.name}: {count} requests, {count * 8} photo hash rows "
              f"inserted in {time.perf_counter() - started:.0f} s")  # fmt: skip
        cases = core.review_cases
        rows: list[str] = []
        for label, flt in (
            ("waiting queue, oldest first", QueueFilter()),
            ("search: reference (any status)", QueueFilter(status="all", q=known["reference"])),
            ("search: NIK (keyed hash)", QueueFilter(status="all", q=known["nik"])),
            ("search: phone (keyed hash)", QueueFilter(status="all", q=known["phone"])),
            ("search: whole name (keyed hash)", QueueFilter(status="all", q=known["name"])),
            ("filter: any fraud flag, waiting", QueueFilter(flag="fraud")),
            ("filter: due within 4 h", QueueFilter(due="soon")),
            ("filter: overdue", QueueFilter(due="overdue")),
            ("filter: kecamatan + channel, all statuses",
             QueueFilter(status="all", kecamatan="Cipondoh", channel="whatsapp")),
        ):  # fmt: skip
            await timed(label, lambda flt=flt: cases.queue(flt), rows)
        today = today_wib(utcnow())
        await timed("Rekapitulasi, 30 days (with per-verifier)",
                    lambda: cases.report(today - timedelta(days=29), today), rows)  # fmt: skip
        await timed("home counts", cases.counts, rows)
        watch = core.services.peak
        assert watch is not None

        async def forecast() -> object:
            watch.forget()
            return await watch.current(core.uow)

        await timed("peak forecast (uncached)", forecast, rows)
        value = random.Random(9).getrandbits(64)

        async def lookup() -> object:
            async with core.uow() as uow:
                return await uow.desk.similar_photos("selfie", probes(value), exclude=0)

        await timed("same-photo lookup (68 band keys)", lookup, rows)
        print("\n".join(rows))
        await core.db.dispose()


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    args = parser.parse_args()
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        if args.sqlite:
            url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        else:
            from tests.support.postgres import temporary_database

            url = stack.enter_context(temporary_database())
        asyncio.run(bench(url, args.requests))


if __name__ == "__main__":
    main()
