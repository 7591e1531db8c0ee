"""Benchmark: a job-fair morning in small — many citizens register at once across real workers.

Starts ``--workers`` real services (``tlive-bot serve``) on one throw-away PostgreSQL database
behind a round-robin balancer, Telegram in webhook mode against the Bot API stand-in. Each
simulated citizen walks the whole registration (consent, name, NIK, birth date, phone,
kecamatan, kelurahan, KTP photo and selfie with every check on, send), ``--concurrency`` of
them at a time. At the end it checks that every citizen ended ``submitted`` exactly once and
that no message was sent twice, and prints throughput and per-step latency.

A pass of a citizen's pictures costs ~2 s of CPU (OCR, face and blur checks), so 10,000
citizens on 2 cores take hours; each citizen's pictures are dropped from the stand-in once she
is done (what was sent to her is kept for the checks), so memory stays flat, and a progress
line is printed every 500 citizens. Run a long one niced, on PostgreSQL:

    .venv/bin/python bench/job_fair.py [--citizens 500] [--workers 2] [--concurrency 20]
    nice .venv/bin/python bench/job_fair.py --citizens 10000 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._support import nik_of
from tests.e2e.test_telegram_e2e import Citizen
from tests.photos.factory import good_ktp_jpeg, good_selfie_jpeg
from tests.reliability.cluster import Cluster, HoldingTelegram, cluster
from tests.support.prompts import label, opening

FIRST_CHAT = 7_000_000
PHOTO_STEPS = (8, 9)  # the KTP and the selfie, among a registration's eleven inputs
PROGRESS = 500  # a line every this many citizens done (a 10,000-citizen run takes hours)


class Timed(Citizen):
    """A citizen who notes how long each of her inputs waited for its answer."""

    latencies: list[float]
    file_ids: list[str]

    async def photo(self, data: bytes, expect: str, *, as_document: bool = False) -> object:
        """Send a picture and note its file ids (dropped from the stand-in once she is done)."""
        update = self.tg.photo_update(self.chat_id, data, as_document=as_document)
        message = update["message"]
        sizes = [message["document"], message["document"]["thumbnail"]] if as_document else (
            message["photo"])  # fmt: skip
        self.file_ids.extend(size["file_id"] for size in sizes)
        return await self.push(update, expect=expect)

    def forget_media(self) -> None:
        """Drop her pictures from the stand-in's memory: 10,000 citizens would hold gigabytes.

        What was sent to her stays (text, keyboard, method), so the checks still see it.
        """
        for file_id in self.file_ids:
            self.tg.files.pop(file_id, None)
        for message in self.messages:
            message.photo = message.voice = None

    async def push(self, *updates: dict[str, object], expect: str) -> object:
        """Push and time until the expected reply."""
        started = time.perf_counter()
        try:
            return await super().push(*updates, expect=expect)  # type: ignore[arg-type]
        finally:
            self.latencies.append(time.perf_counter() - started)

    async def tap(self, text: str, expect: str) -> object:
        """Tap and time until the expected reply."""
        started = time.perf_counter()
        try:
            return await super().tap(text, expect)
        finally:
            self.latencies.append(time.perf_counter() - started)


async def register(citizen: Timed, number: int, selfie: bytes) -> None:
    """Walk one whole registration."""
    nik = nik_of(number)
    ktp = await asyncio.to_thread(good_ktp_jpeg, nik)
    await citizen.say("/start daftar", expect=opening("consent-ask-whom"))
    await citizen.tap(label("btn-whom-self"), expect=opening("reg-ask-name"))
    await citizen.say("Siti Aminah", expect=opening("reg-ask-nik"))
    await citizen.say(nik, expect=opening("reg-confirm-birthdate"))
    await citizen.tap(label("btn-correct"), expect=opening("reg-ask-phone"))
    await citizen.share_phone(f"62812{number:08d}", expect=opening("reg-ask-kecamatan"))
    await citizen.tap("Cipondoh", expect=opening("reg-ask-kelurahan"))
    await citizen.tap("Petir", expect=opening("reg-ask-ktp-photo"))
    await citizen.photo(ktp, expect=opening("reg-ask-selfie"))
    await citizen.photo(selfie, expect=opening("reg-summary"), as_document=True)
    await citizen.tap(label("btn-send"), expect="Nomor pendaftaran")


async def check(fleet: Cluster, citizens: list[Timed]) -> list[str]:
    """Return what went wrong: a registration not submitted once, a message sent twice."""
    problems = []
    submitted = "SELECT count(*) FROM registrations WHERE status = 'submitted'"
    distinct = "SELECT count(DISTINCT nik_hash) FROM registrations WHERE status = 'submitted'"
    if (count := await fleet.count(submitted)) != len(citizens):
        problems.append(f"{count} registrations submitted for {len(citizens)} citizens")
    if (count := await fleet.count(distinct)) != len(citizens):
        problems.append(f"{count} distinct NIKs submitted for {len(citizens)} citizens")
    for citizen in citizens:
        if (count := citizen.count("Nomor pendaftaran")) != 1:
            problems.append(f"chat {citizen.chat_id} got {count} reference messages")
        texts = Counter((m.method, m.text) for m in citizen.messages)
        twice = [text for text, n in texts.items() if n > 1]
        if twice:
            problems.append(f"chat {citizen.chat_id} got a message twice: {twice[0]!r:.80}")
    sent = sum(len(c.messages) for c in citizens)
    rows = await fleet.count("SELECT count(*) FROM outbox")
    unsent = await fleet.count("SELECT count(*) FROM outbox WHERE status <> 'sent'")
    if rows != sent or unsent:
        problems.append(f"{sent} messages received for {rows} outbox rows ({unsent} not sent)")
    return problems


async def run(citizens: int, workers: int, concurrency: int) -> int:
    """Run the job fair and print its figures; return the exit status."""
    selfie = good_selfie_jpeg()
    with tempfile.TemporaryDirectory(prefix="tlive-jobfair-") as tmp:
        async with (
            HoldingTelegram(webhook_max_attempts=1000, webhook_retry_delay=0.05) as tg,
            cluster(Path(tmp), tg) as fleet,
        ):
            services = [fleet.add_worker() for _ in range(workers)]
            await fleet.start(*services)
            people = [Timed(tg, FIRST_CHAT + n) for n in range(citizens)]
            for person in people:
                person.latencies, person.file_ids = [], []
            slots = asyncio.Semaphore(concurrency)
            done = 0

            async def one(number: int) -> None:
                nonlocal done
                async with slots:
                    await register(people[number], number, selfie)
                people[number].forget_media()
                tg.calls.clear()  # the call log holds every upload; nothing here reads it
                done += 1
                if done % PROGRESS == 0:
                    rate = done / (time.perf_counter() - started) * 60
                    print(f"  {done} submitted, {rate:.0f}/min", flush=True)

            started = time.perf_counter()
            await asyncio.gather(*(one(n) for n in range(citizens)))
            await tg.wait_for_idle(60)
            elapsed = time.perf_counter() - started
            await asyncio.sleep(2)  # a message sent twice would arrive now
            problems = await check(fleet, people)
            statuses = Counter(f.status for f in fleet.balancer.log)
            report(people, elapsed, workers, concurrency, statuses)
    for problem in problems[:20]:
        print("PROBLEM:", problem)
    print("OK: every citizen submitted exactly once, no message sent twice" if not problems
          else f"FAILED: {len(problems)} problems")  # fmt: skip
    return 1 if problems else 0


def report(
    people: list[Timed], elapsed: float, workers: int, concurrency: int, statuses: Counter[int]
) -> None:
    """Print the figures."""
    latencies = sorted(x for p in people for x in p.latencies)
    photos = sorted(x for p in people for i, x in enumerate(p.latencies) if i in PHOTO_STEPS)
    others = sorted(x for p in people for i, x in enumerate(p.latencies) if i not in PHOTO_STEPS)
    inputs = len(latencies)
    messages = sum(len(p.messages) for p in people)

    def pct(q: float, values: list[float] = latencies) -> float:
        return values[min(len(values) - 1, int(q * len(values)))] * 1000

    print(f"citizens {len(people)}, workers {workers}, concurrency {concurrency}, PostgreSQL")
    rate = len(people) / elapsed * 60
    print(
        f"wall {elapsed:.1f} s: {rate:.0f} registrations/min, "
        f"{inputs / elapsed:.1f} updates/s, {messages / elapsed:.1f} messages sent/s"
    )
    print(f"per input until its answer: p50 {pct(0.5):.0f} ms, p90 {pct(0.9):.0f} ms, "
          f"p99 {pct(0.99):.0f} ms, max {latencies[-1] * 1000:.0f} ms, "
          f"mean {statistics.fmean(latencies) * 1000:.0f} ms")  # fmt: skip
    print(f"  texts and taps: p50 {pct(0.5, others):.0f} ms, p99 {pct(0.99, others):.0f} ms")
    print(f"  photos (checks on): p50 {pct(0.5, photos):.0f} ms, p99 {pct(0.99, photos):.0f} ms")
    print(f"inputs {inputs}, messages sent {messages}, webhook answers {dict(statuses)}")


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument(
        "--postgres",
        action="store_true",
        default=True,
        help="on PostgreSQL (the only choice: workers share a database)",
    )
    args = parser.parse_args()
    sys.exit(asyncio.run(run(args.citizens, args.workers, args.concurrency)))


if __name__ == "__main__":
    main()
