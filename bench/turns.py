"""Benchmark: what one citizen message costs inside the service — SQL statements and CPU.

In one process, without HTTP: the core handles a registration's inputs on the Telegram
channel (its replies go onto the outbox, as in production) and the outbox dispatcher sends
them to a sender that only counts. Prints, per input and per outbound message, the SQL
statements and transactions issued and the CPU time, on SQLite or PostgreSQL; ``--profile``
prints the top functions by CPU time (cProfile with a CPU clock, so other processes on a
shared machine do not inflate it).

    .venv/bin/python bench/turns.py [--citizens 50] [--postgres] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event

from bench._support import CountingSender, counting_core, nik_of, scratch_database, scripted
from bot.core import Core
from bot.engine.messages import InboundKind

CHANNEL = "telegram"


def script(number: int) -> list[tuple[InboundKind, str]]:
    """Return one citizen's inputs up to the KTP photo."""
    return [
        (InboundKind.TEXT, "daftar"),
        (InboundKind.BUTTON, "consent:yes"),
        (InboundKind.TEXT, "Siti Aminah"),
        (InboundKind.TEXT, nik_of(number)),
        (InboundKind.BUTTON, "birth:yes"),
        (InboundKind.CONTACT, f"62812{number:08d}"),
        (InboundKind.BUTTON, "kec:cipondoh"),
        (InboundKind.BUTTON, "kel:petir"),
        (InboundKind.TEXT, "status"),
    ]


class Statements:
    """Count SQL statements and transactions on an engine."""

    def __init__(self, core: Core) -> None:
        self.kinds: Counter[str] = Counter()
        engine = core.db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "begin", lambda _conn: self.kinds.update(["BEGIN"]))

    def _statement(self, _conn: object, _cursor: object, sql: str, *_args: object) -> None:
        words = sql.lstrip().split(None, 3)
        verb = words[0].upper() if words else "?"
        if verb in ("INSERT", "UPDATE", "DELETE") and len(words) > 2:
            table = words[2] if verb != "UPDATE" else words[1]
            verb = f"{verb} {table}"
        elif verb == "SELECT" and (found := re.search(r"\sFROM\s+(\w+)", sql)):
            verb = f"SELECT {found.group(1)}" + (" FOR UPDATE" if "FOR UPDATE" in sql else "")
        self.kinds[verb] += 1

    @property
    def total(self) -> int:
        """Return the statements counted (transactions not included)."""
        return sum(n for k, n in self.kinds.items() if k != "BEGIN")


async def run(args: argparse.Namespace, url: str, tmp: str) -> None:
    """Run the citizens one input at a time each, ``--concurrency`` citizens at once."""
    sender = CountingSender(CHANNEL)
    core = await counting_core(url, tmp, sender)

    async def citizen(number: int) -> None:
        for step, (kind, value) in enumerate(script(number)):
            await core.handle(
                scripted(CHANNEL, str(8_000_000 + number), f"u{number}-{step}", kind, value)
            )
            while await core.outbox.drain_once():
                pass

    await citizen(0)  # warm caches and code paths
    counter = Statements(core)
    inbound_before = sender.sent
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for first in range(1, args.citizens + 1, args.concurrency):
        last = min(first + args.concurrency, args.citizens + 1)
        await asyncio.gather(*(citizen(n) for n in range(first, last)))
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    inputs = args.citizens * len(script(0))
    sent = sender.sent - inbound_before
    await core.db.dispose()
    print(f"database {url.split(':')[0]}; {inputs} inputs, {sent} messages sent "
          f"({sent / inputs:.2f} per input)")  # fmt: skip
    print(
        f"per input (its turn and the sending of its replies): "
        f"{counter.total / inputs:.1f} statements, {counter.kinds['BEGIN'] / inputs:.1f} "
        f"transactions, {cpu / inputs * 1000:.2f} ms CPU, {wall / inputs * 1000:.2f} ms wall"
    )
    for kind, n in counter.kinds.most_common():
        print(f"  {n / inputs:6.2f}  {kind}")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile_lines)


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-lines", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.postgres, tmp) as url:
        asyncio.run(run(args, url, tmp))


if __name__ == "__main__":
    main()
