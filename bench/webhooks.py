"""Benchmark: events to the city's systems, from the commit to a signature-checking receiver.

Records ``--events`` events (each in its own transaction, as the use cases do) for one endpoint
on a local receiver (``tests/integrations/citysystems/receiver.py``, every signature verified),
then drains them with ``--dispatchers`` dispatchers and reports events/s and duplicates. Runs
on SQLite and, when ``TLIVE_TEST_POSTGRES_URL`` is reachable, on a throw-away PostgreSQL database.

    .venv/bin/python bench/webhooks.py [--events 500] [--dispatchers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


async def _run(url: str, events: int, dispatchers: int, data_dir: Path) -> tuple[float, float, int]:
    from bot.config import load_settings
    from bot.core import build_core
    from bot.domain.webhooks import EventType
    from bot.storage.migrate import upgrade
    from bot.storage.types import utcnow
    from integrations.citysystems.dispatcher import Policy, WebhookDispatcher
    from tests.integrations.citysystems.receiver import Receiver, receiving
    from tests.integrations.citysystems.support import ADMIN, drain_until_settled

    settings = load_settings(database_url=url, data_dir=data_dir, secret_key="b" * 40,
                             face_comparison=False)  # fmt: skip
    cores = [build_core(settings, ocr=False) for _ in range(dispatchers)]
    await upgrade(cores[0].db.engine)
    try:
        async with receiving(Receiver()) as receiver:
            _endpoint, receiver.secret = await cores[0].webhook_cases.create(
                ADMIN, receiver.url, "identity", ["all"]
            )
            started = time.perf_counter()
            for n in range(events):
                async with cores[0].uow() as uow:
                    kind = EventType.REGISTRATION_APPROVED
                    targets = await uow.webhooks.subscribers(kind)
                    data = {"reference": f"TL-{n:06d}", "nik": "3671014501900001", "name": "X"}
                    await uow.webhooks.record(kind, targets, f"TL-{n:06d}", data, utcnow())
                    await uow.commit()
            recorded = time.perf_counter() - started
            policy = Policy(timeout=5, base_delay=0.01, max_delay=0.05, batch=50)
            workers = [WebhookDispatcher(c.uow, policy) for c in cores]
            started = time.perf_counter()
            await asyncio.gather(
                *(drain_until_settled(w, c) for w, c in zip(workers, cores, strict=True))
            )
            sent = time.perf_counter() - started
            for w in workers:
                await w._sender.close()
            assert len(receiver.accepted) == events and receiver.bad_signatures == 0
            return events / recorded, events / sent, receiver.duplicates
    finally:
        for c in cores:
            await c.db.dispose()


def main() -> int:
    """Run the benchmark and print one line per database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--dispatchers", type=int, default=2)
    args = parser.parse_args()
    from tests.support.postgres import temporary_database

    with tempfile.TemporaryDirectory() as tmp:
        sqlite = f"sqlite+aiosqlite:///{tmp}/bench.db"
        rec, snd, dup = asyncio.run(_run(sqlite, args.events, 1, Path(tmp)))
        print(f"sqlite   1 dispatcher : record {rec:7.0f} events/s  deliver {snd:6.0f} events/s"
              f"  duplicates {dup}")  # fmt: skip
        try:
            with temporary_database() as pg:
                rec, snd, dup = asyncio.run(_run(pg, args.events, args.dispatchers, Path(tmp)))
                print(f"postgres {args.dispatchers} dispatchers: record {rec:7.0f} events/s  "
                      f"deliver {snd:6.0f} events/s  duplicates {dup}")  # fmt: skip
        except Exception as exc:  # skipped: no PostgreSQL here
            print(f"postgres skipped: {type(exc).__name__}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
