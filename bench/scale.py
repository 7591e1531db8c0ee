"""Benchmark: do the busy queries stay flat from 1,000 to 1,000,000 stored registrations?

Seeds a throw-away PostgreSQL database (``TLIVE_TEST_POSTGRES_URL``) in bulk with
``INSERT … SELECT generate_series`` — citizens, one conversation each (one in a thousand
waiting for a helpdesk agent), registrations in a realistic mix of statuses (5 % waiting for
verification, the rest decided or still drafts) over the last 60 days, two documents per
submitted request, and ``--messages`` history messages per conversation — growing it to each
size in turn. At each size it times, ``--repeat`` times each (median and worst):

- the verification queue: its first page, page 20, one kecamatan, and the decided list;
- status look-ups: a citizen's requests and a reference number;
- the helpdesk chat queue and a waiting chat's position in it;
- a conversation's history (the console's chat view);
- over HTTP, signed in: the console's queue page and the report page (must stay < 200 ms).

Every statement those run is then EXPLAINed (ANALYZE) and a sequential scan on a big table is
reported. ``--messages`` defaults to 10 per conversation (10 million at 1,000,000
registrations); lower it when the disk or the time is short, the figures say what was seeded.

    .venv/bin/python bench/scale.py [--sizes 1000,100000,1000000] [--messages 10] [--repeat 15]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, select, text

from bot.config import load_settings
from bot.core import Core, build_core
from bot.crypto import row_context
from bot.storage.migrate import upgrade
from bot.storage.models import Message
from bot.storage.uow import UnitOfWork
from tests.console.support import add_user, client_for, login
from tests.support.postgres import temporary_database

BIG_TABLES = ("registrations", "messages", "conversations", "citizens", "documents", "outbox")
KECAMATAN = (
    "Cipondoh", "Ciledug", "Karawaci", "Tangerang", "Pinang", "Cibodas", "Benda",
    "Batuceper", "Neglasari", "Periuk", "Jatiuwung", "Karang Tengah", "Larangan",
)  # fmt: skip

SEED = [
    """INSERT INTO citizens (id, created_at)
       SELECT i, now() - (i % 60) * interval '1 day'
       FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) i""",
    """INSERT INTO conversations (id, channel, chat_key, citizen_id, flow, step, mode,
                                 queued_at, last_inbound_at, last_seq, reminders_sent,
                                 created_at, updated_at)
       SELECT i, 'telegram', md5('chat' || i), i,
              CASE WHEN i % 100 >= 95 THEN 'registration' END,
              CASE WHEN i % 100 >= 95 THEN 'ask_ktp_photo' END,
              CASE WHEN i % 1000 = 7 THEN 'queued' ELSE 'bot' END,
              CASE WHEN i % 1000 = 7 THEN now() - (i % 600) * interval '1 second' END,
              now() - (i % 60) * interval '1 day', CAST(:messages AS int), 0,
              now() - (i % 60) * interval '1 day', now()
       FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) i""",
    """INSERT INTO registrations (id, reference, citizen_id, conversation_id, channel, status,
                                 data_enc, nik_hash, phone_hash, name_hash, kecamatan,
                                 kelurahan, document_type, age_group, flags, created_at,
                                 updated_at, submitted_at, decided_at, decided_by)
       SELECT i, 'TL-' || upper(lpad(to_hex(i), 6, '0')), i, i,
              CASE WHEN i % 3 = 0 THEN 'whatsapp' ELSE 'telegram' END,
              CASE WHEN i % 100 < 5 THEN 'submitted' WHEN i % 100 < 85 THEN 'approved'
                   WHEN i % 100 < 95 THEN 'rejected' ELSE 'draft' END,
              decode(md5('data' || i) || md5('more' || i), 'hex'),
              encode(sha256(('nik' || i)::bytea), 'hex'),
              encode(sha256(('phone' || i)::bytea), 'hex'),
              encode(sha256(('name' || i)::bytea), 'hex'),
              (ARRAY[:kecamatan])[1 + i % CAST(:n_kecamatan AS int)], 'Petir', 'ktp', '25-34',
              CASE WHEN i % 17 = 0 THEN '{"ocr_nik_mismatch": true}' ELSE '{}' END::json,
              now() - (i % 60) * interval '1 day' - (i % 86400) * interval '1 second',
              now(),
              CASE WHEN i % 100 < 95
                   THEN now() - (i % 60) * interval '1 day' - (i % 86400) * interval '1 second'
              END,
              CASE WHEN i % 100 >= 5 AND i % 100 < 95
                   THEN now() - (i % 59) * interval '1 day' END,
              CASE WHEN i % 100 >= 5 AND i % 100 < 95 THEN 'user:1' END
       FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) i""",
    """INSERT INTO documents (registration_id, kind, mime, size, width, height, checks,
                             created_at)
       SELECT i, kind, 'image/jpeg', 180000, 1280, 960, '{}'::json, now()
       FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) i,
            (VALUES ('ktp'), ('selfie')) AS k(kind)
       WHERE i % 100 < 5""",
    """INSERT INTO messages (conversation_id, seq, direction, author, kind, body_enc,
                            created_at)
       SELECT i, s, CASE WHEN s % 2 = 1 THEN 'in' ELSE 'out' END,
              CASE WHEN s % 2 = 1 THEN 'citizen' ELSE 'bot' END, 'text',
              decode(md5('body' || i || '.' || s) || md5('tail' || s), 'hex'),
              now() - (i % 60) * interval '1 day' + s * interval '1 minute'
       FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) i,
            generate_series(1, CAST(:messages AS int)) s""",
]
SEQUENCES = ("citizens", "conversations", "registrations")


async def seed(core: Core, lo: int, hi: int, messages: int) -> float:
    """Add rows ``lo``..``hi`` of every table; return the seconds it took."""
    started = time.perf_counter()
    params: dict[str, Any] = {"lo": lo, "hi": hi, "messages": messages,
                              "n_kecamatan": len(KECAMATAN)}  # fmt: skip
    async with core.db.engine.begin() as conn:
        for sql in SEED:
            sql = sql.replace(":kecamatan", ", ".join(f"'{k}'" for k in KECAMATAN))
            await conn.execute(text(sql), params)
        for table in SEQUENCES:
            await conn.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), :hi)"), {"hi": hi}
            )
    await encrypt_waiting(core, lo, hi)
    async with core.db.engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


async def encrypt_waiting(core: Core, lo: int, hi: int, chunk: int = 5000) -> None:
    """Give the waiting requests real encrypted personal data (the queue page decrypts it)."""
    fields = core.keys.fields
    waiting = [i for i in range(lo, hi + 1) if i % 100 < 5]
    for start in range(0, len(waiting), chunk):
        rows = [
            {"id": i, "data": fields.encrypt_json(
                {"nik": f"367101450190{i % 10000:04d}", "full_name": "SITI AMINAH",
                 "birth_date": "1990-01-05", "phone": "6281234567890"},
                context=row_context("registrations", i, "data_enc"))}
            for i in waiting[start : start + chunk]
        ]  # fmt: skip
        async with core.db.engine.begin() as conn:
            await conn.execute(
                text("UPDATE registrations SET data_enc = :data WHERE id = :id"), rows
            )


def history(conversation_id: int) -> Any:
    """Return the query ``Conversations.history`` runs for a conversation's messages."""
    return (
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.seq > 0,
               Message.direction.in_(("in", "out")))
        .order_by(Message.seq)
    )  # fmt: skip


class Captured:
    """The statements run while a check runs (to EXPLAIN them afterwards)."""

    def __init__(self, core: Core) -> None:
        self.on = False
        self.statements: list[tuple[str, Any]] = []
        event.listen(core.db.engine.sync_engine, "before_cursor_execute", self._add)

    def _add(self, _conn: object, _cursor: object, sql: str, params: Any, *_: object) -> None:
        if self.on and sql.lstrip().upper().startswith("SELECT"):
            self.statements.append((sql, params))


async def timed(check: Callable[[], Awaitable[object]], repeat: int) -> tuple[float, float]:
    """Return the median and the worst time of ``check`` in ms (after one warm-up run)."""
    await check()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        await check()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


async def seq_scans(core: Core, statements: list[tuple[str, Any]]) -> list[str]:
    """EXPLAIN ANALYZE each statement; return the big tables it scans sequentially."""
    found: list[str] = []
    async with core.db.engine.connect() as conn:
        for sql, params in statements:
            result = await conn.exec_driver_sql(f"EXPLAIN ANALYZE {sql}", params)
            plan = "\n".join(row[0] for row in result)
            for table in BIG_TABLES:
                if f"Seq Scan on {table}" in plan and table not in found:
                    found.append(table)
    return found


def checks_at(
    core: Core, client: Any, middle: int
) -> list[tuple[str, Callable[[], Awaitable[object]]]]:
    """Return the timed checks, named; ``middle`` is a conversation and citizen id in use."""

    async def with_uow(call: Callable[[UnitOfWork], Awaitable[object]]) -> object:
        async with core.uow() as uow:
            return await call(uow)

    async def http(path: str) -> None:
        resp = await client.get(path)
        assert resp.status == 200, (path, resp.status)
        await resp.read()

    return [
        ("queue: first page (oldest waiting)",
         lambda: with_uow(lambda u: u.review_queue.page(status="submitted"))),
        ("queue: page 20",
         lambda: with_uow(lambda u: u.review_queue.page(status="submitted", page=20))),
        ("queue: one kecamatan",
         lambda: with_uow(lambda u: u.review_queue.page(status="submitted",
                                                        kecamatan="Karawaci"))),
        ("queue: decided, newest first",
         lambda: with_uow(lambda u: u.review_queue.page(status="approved"))),
        ("queue: count waiting",
         lambda: with_uow(lambda u: u.review_queue.waiting())),
        ("status: a citizen's requests",
         lambda: with_uow(lambda u: u.registrations.for_citizen(middle))),
        ("status: by reference number",
         lambda: with_uow(lambda u: u.registrations.by_reference("TL-ABCDEF"))),
        ("chat queue: waiting chats",
         lambda: with_uow(lambda u: u.helpdesk.queue(None, 50))),
        # The history's query (its bodies are seeded as noise, so not decrypted here).
        ("chat: a conversation's history",
         lambda: with_uow(lambda u: u.session.execute(history(middle)))),
        ("HTTP GET /console/queue", lambda: http("/console/queue")),
        ("HTTP GET /console/reports", lambda: http("/console/reports")),
    ]  # fmt: skip


async def run(args: argparse.Namespace, url: str, tmp: str) -> None:
    """Grow the database to each size and print the figures there."""
    settings = load_settings(secret_key="b" * 40, database_url=url, data_dir=Path(tmp))
    core = build_core(settings, ocr=False)
    await upgrade(core.db.engine)
    await add_user(core, "admin", "admin")
    captured = Captured(core)
    async with client_for(core) as client:
        await login(client, "admin")
        seeded = 0
        for size in args.sizes:
            took = await seed(core, seeded + 1, size, args.messages)
            seeded = size
            middle = size // 2 // 100 * 100 + 7  # a queued chat (i % 1000 = 7 when size allows)
            print(f"\n{size:,} registrations, {size * args.messages:,} messages "
                  f"(seeded in {took:.0f} s)", flush=True)  # fmt: skip

            checks = checks_at(core, client, middle)
            for name, check in checks:
                median, worst = await timed(check, args.repeat)
                captured.statements, captured.on = [], True
                await check()
                captured.on = False
                scans = await seq_scans(core, captured.statements)
                note = f"  seq scan on {', '.join(scans)}" if scans else ""
                print(f"  {name:<38} median {median:7.1f} ms  worst {worst:7.1f} ms{note}",
                      flush=True)  # fmt: skip
    await core.db.dispose()


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    args.sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    print(f"load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp, temporary_database() as url:
        asyncio.run(run(args, url, tmp))


if __name__ == "__main__":
    main()
