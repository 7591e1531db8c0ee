"""Benchmark: the whole pipeline against a bare aiogram echo bot, on one Bot API stand-in.

Telegram webhook in → dialog → database → reply out over HTTP to the local Bot API stand-in
(``tests/standins/telegram_api.py``), each service a real subprocess (``tlive-bot serve
[--workers N]``). In the same run, on the same stand-in, a bare aiogram 3 echo bot (a
``Dispatcher`` behind aiogram's aiohttp webhook handler, answering every update with one
``sendMessage``) gives the floor. Variants: ``echo``, ``sqlite-1`` (SQLite, one worker),
``pg-1`` and ``pg-2`` (a throw-away PostgreSQL database on ``TLIVE_TEST_POSTGRES_URL``, one or
two workers). The echo bot is measured first and last and its mean is the ratio's reference.

Each simulated citizen walks the start of a registration, one input at a time, waiting for the
bot's answer before the next: ``/start daftar``, a tap on "Saya sendiri", her name, her NIK, a
tap confirming the birth date, her shared contact, taps on kecamatan and kelurahan, then a KTP
photo too small to read (downloaded, decoded and refused with its fix picture) — 6 typed or
shared, 4 taps … in all 9 inputs, then a new citizen takes her place. A photo whose checks run
OCR costs ~1.6 s of CPU (``bench/photo_checks.py``), which would make the ratio a measure of
OCR, so the full registration with good photos is ``bench/job_fair.py``'s job.

Closed loop: ``--citizens`` chats at once for ``--seconds`` (after ``--warmup`` seconds not
counted); latency runs from the webhook POST to the expected reply reaching the stand-in.
Then open loop: ``--rate`` updates/s for ``--rate-seconds`` on ``pg-2`` (and on the echo bot),
each input sent on schedule to an idle chat, reporting p50/p95/p99 (``--rate 0``: skip).

The service's Telegram send limits (30/s per bot, 1/s per chat: Telegram's, not the
pipeline's) are lifted for the run with ``TLIVE_TELEGRAM_SEND_RATE`` and
``TLIVE_TELEGRAM_CHAT_INTERVAL``.

    .venv/bin/python bench/pipeline.py [--citizens 16] [--seconds 20] [--rate 100]
        [--variants echo,sqlite-1,pg-1,pg-2] [--profile DIR]

``--profile DIR`` runs each service worker under cProfile and writes ``DIR/<variant>-<pid>.prof``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

HERE = Path(__file__).resolve()
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from bench._support import nik_of  # noqa: E402
from tests.conftest import SECRET  # noqa: E402
from tests.standins.telegram_api import TelegramStandin  # noqa: E402
from tests.support.postgres import temporary_database  # noqa: E402
from tests.support.prompts import label, opening  # noqa: E402
from tests.support.service import Service, free_port  # noqa: E402

WEBHOOK_SECRET = "bench-webhook-secret_1"
WEBHOOK_PATH = "/webhooks/telegram"
FIRST_CHAT = 5_000_000
ECHO = "echo"
VARIANTS = ("echo", "sqlite-1", "pg-1", "pg-2")
# Chat ids, new for every citizen of the whole run.
CHATS = itertools.count(FIRST_CHAT)


# -- the Bot API side ------------------------------------------------------------------------


class BenchTelegram(TelegramStandin):
    """The tests' Bot API stand-in, waking the one chat a message was sent to."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.arrived: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)

    def forget(self, chat_id: str) -> None:
        """Drop what was recorded for a finished chat (keeps the stand-in small)."""
        self.sent.pop(chat_id, None)
        self.arrived.pop(chat_id, None)

    def trim(self) -> None:
        """Drop the call log (the bench reads messages only)."""
        self.calls.clear()

    async def _m_sendmessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        result = await super()._m_sendmessage(params, files)
        self.arrived[str(params.get("chat_id"))].set()
        return result

    async def _m_sendphoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        result = await super()._m_sendphoto(params, files)
        self.arrived[str(params.get("chat_id"))].set()
        return result

    async def _m_sendvoice(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        result = await super()._m_sendvoice(params, files)
        self.arrived[str(params.get("chat_id"))].set()
        return result


# -- the citizens --------------------------------------------------------------------------


@dataclass
class Step:
    """One input: how to build its update, what answer ends it, and its kind."""

    kind: str  # "text", "tap" or "photo"
    build: Callable[[BenchTelegram, int], dict[str, Any]]
    expect: str


def _text(text: str) -> Callable[[BenchTelegram, int], dict[str, Any]]:
    return lambda tg, chat: tg.text_update(chat, text)


def _tap(text: str) -> Callable[[BenchTelegram, int], dict[str, Any]]:
    def build(tg: BenchTelegram, chat: int) -> dict[str, Any]:
        for message in reversed(tg.sent[str(chat)]):
            if message.keyboard_kind not in ("inline", "reply"):
                continue
            for button in message.buttons:
                if button["text"] == text:
                    if message.keyboard_kind == "reply":
                        return tg.text_update(chat, text)
                    return tg.callback_update(
                        chat, button["callback_data"], message_id=message.message_id
                    )
            break
        # The echo bot sends no keyboards: a tap it gets is an ordinary callback query.
        return tg.callback_update(chat, f"tap:{text[:40]}")

    return build


def _contact(tg: BenchTelegram, chat: int) -> dict[str, Any]:
    return tg.contact_update(chat, f"62812{chat % 100_000_000:08d}")


def small_photo() -> bytes:
    """Return a KTP photo too small to read (refused before any OCR)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (240, 150), (180, 190, 200)).save(out, format="JPEG", quality=85)
    return out.getvalue()


def _nik(tg: BenchTelegram, chat: int) -> dict[str, Any]:
    return tg.text_update(chat, nik_of(chat - FIRST_CHAT))


def script(photo: bytes) -> list[Step]:
    """Return the inputs of one citizen."""
    return [
        Step("text", _text("/start daftar"), opening("consent-ask-whom")),
        Step("tap", _tap(label("btn-whom-self")), opening("reg-ask-name")),
        Step("text", _text("Siti Aminah"), opening("reg-ask-nik")),
        Step("text", _nik, opening("reg-confirm-birthdate")),
        Step("tap", _tap(label("btn-correct")), opening("reg-ask-phone")),
        Step("text", _contact, opening("reg-ask-kecamatan")),
        Step("tap", _tap("Cipondoh"), opening("reg-ask-kelurahan")),
        Step("tap", _tap("Petir"), opening("reg-ask-ktp-photo")),
        Step("photo", lambda tg, chat: tg.photo_update(chat, photo), ""),
    ]


@dataclass
class Sample:
    """One input's latency."""

    kind: str
    seconds: float


@dataclass
class Target:
    """Where updates are posted, and how an answer is recognised."""

    name: str
    url: str
    echo: bool
    pid: int = 0


class Driver:
    """Post updates as Telegram does and time each until its answer reaches the stand-in."""

    def __init__(self, tg: BenchTelegram, target: Target, steps: list[Step]) -> None:
        self.tg = tg
        self.target = target
        self.steps = steps
        self.chats = CHATS
        self.http: aiohttp.ClientSession | None = None
        self.retries = 0

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[None]:
        """Hold the HTTP client (keep-alive connections, as Telegram's)."""
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        async with aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=60)
        ) as http:
            self.http = http
            yield
            self.http = None

    async def send(self, chat: int, step: Step) -> Sample:
        """Post one update (retrying on non-2xx, as Telegram does) and wait for its answer."""
        assert self.http is not None
        key = str(chat)
        seen = len(self.tg.sent[key])
        update = step.build(self.tg, chat)
        body = json.dumps(update)
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token":
                   WEBHOOK_SECRET}  # fmt: skip
        started = time.perf_counter()
        for attempt in range(50):
            async with self.http.post(self.target.url, data=body, headers=headers) as resp:
                await resp.read()
                if 200 <= resp.status < 300:
                    break
            self.retries += 1
            await asyncio.sleep(min(0.05 * 2**attempt, 1.0))
        expect = "" if self.target.echo else step.expect
        await self._answer(key, seen, expect)
        return Sample(step.kind, time.perf_counter() - started)

    async def _answer(self, key: str, seen: int, expect: str) -> None:
        deadline = time.monotonic() + 60
        while True:
            sent = self.tg.sent[key]
            for message in sent[seen:]:
                if expect in (message.text or "") or any(expect in x for x in message.labels):
                    return
            seen = len(sent)
            event = self.tg.arrived[key]
            event.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                texts = [(m.text, m.keyboard_kind, m.labels) for m in sent]
                raise TimeoutError(f"{self.target.name}: no answer {expect!r} in chat {key}: "
                                   f"{texts}")  # fmt: skip
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), left)

    async def citizen(self, until: float, samples: list[Sample]) -> None:
        """Play citizens one after another until ``until`` (finishing the input under way)."""
        while time.perf_counter() < until:
            chat = next(self.chats)
            for step in self.steps:
                if time.perf_counter() >= until:
                    break
                samples.append(await self.send(chat, step))
            self.tg.forget(str(chat))

    async def closed_loop(self, citizens: int, seconds: float) -> tuple[list[Sample], float]:
        """Run ``citizens`` at once for ``seconds``; return the samples and the elapsed time."""
        samples: list[Sample] = []
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(*(self.citizen(until, samples) for _ in range(citizens)))
        return samples, time.perf_counter() - started

    async def open_loop(self, rate: float, seconds: float) -> tuple[list[Sample], float, int]:
        """Send ``rate`` inputs per second to idle chats; return samples, elapsed, late sends."""
        samples: list[Sample] = []
        idle: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
        for _ in range(max(50, int(rate * 2))):
            idle.put_nowait((next(self.chats), 0))
        tasks: set[asyncio.Task[None]] = set()
        late = 0

        async def one(chat: int, index: int) -> None:
            samples.append(await self.send(chat, self.steps[index]))
            if index + 1 < len(self.steps):
                idle.put_nowait((chat, index + 1))
            else:
                self.tg.forget(str(chat))
                idle.put_nowait((next(self.chats), 0))

        started = time.perf_counter()
        for n in range(int(rate * seconds)):
            due = started + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if idle.empty():
                late += 1
            chat, index = await idle.get()
            task = asyncio.create_task(one(chat, index))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.gather(*tasks)
        return samples, time.perf_counter() - started, late


# -- the services --------------------------------------------------------------------------


class Workers(Service):
    """``tlive-bot serve --workers N`` (or the echo bot), started and stopped as a deployer."""

    # As Ctrl-C: the parent of ``--workers N`` stops its workers on an interrupt.
    stop_signal = signal.SIGINT


@contextlib.asynccontextmanager
async def running(
    variant: str, tg: BenchTelegram, root: Path, profile: Path | None
) -> AsyncIterator[Target]:
    """Start one variant; yield where its webhook is."""
    port = free_port()
    env = {
        "TLIVE_SECRET_KEY": SECRET,
        "TLIVE_TELEGRAM_TOKEN": tg.token,
        "TLIVE_TELEGRAM_API_BASE": tg.api_base,
        "TLIVE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TLIVE_TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "TLIVE_TELEGRAM_SEND_RATE": "100000",
        "TLIVE_TELEGRAM_CHAT_INTERVAL": "0",
        "TLIVE_LOG_LEVEL": "WARNING",
        "TLIVE_VOICE": "false",
    }
    if profile is not None:
        env["TLIVE_BENCH_PROFILE"] = str(profile / variant)
    with contextlib.ExitStack() as stack:
        if variant == ECHO:
            command = [str(HERE), "--serve-echo"]
        else:
            database, _, workers = variant.partition("-")
            if database == "pg":
                env["TLIVE_DATABASE_URL"] = stack.enter_context(temporary_database())
            command = ["-m", "bot.cli", "serve", "--workers", workers]
            if profile is not None:
                command = [str(HERE), "--serve-profiled", workers]
        service = Workers(env, root / variant, command)
        service.port = port
        service.env["TLIVE_PORT"] = str(port)
        await service.start(migrate=variant != ECHO)
        try:
            if variant != ECHO:
                await tg.wait_until(lambda: tg.webhook_url == env["TLIVE_PUBLIC_URL"] +
                                    WEBHOOK_PATH, 60)  # fmt: skip
            assert service.process is not None
            url = f"{service.url}{WEBHOOK_PATH}"
            yield Target(variant, url, variant == ECHO, service.process.pid)
        except Exception:
            print(service.log()[-3000:], file=sys.stderr)
            raise
        finally:
            await service.stop()


# -- the echo bot --------------------------------------------------------------------------


def serve_echo() -> None:
    """Serve the bare aiogram echo bot (the floor) until interrupted."""
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import CallbackQuery, Message
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
    from aiohttp import web

    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TLIVE_TELEGRAM_API_BASE"]))
    bot = Bot(os.environ["TLIVE_TELEGRAM_TOKEN"], session=session)
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "diterima")

    @dispatcher.callback_query()
    async def tapped(query: CallbackQuery) -> None:
        await query.answer()
        await bot.send_message(query.from_user.id, query.data or "ok")

    async def ready(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/readyz", ready)  # answered as the service's, so one readiness check
    SimpleRequestHandler(dispatcher=dispatcher, bot=bot, secret_token=WEBHOOK_SECRET).register(
        app, path=WEBHOOK_PATH
    )
    setup_application(app, dispatcher, bot=bot)
    web.run_app(app, host="127.0.0.1", port=int(os.environ["TLIVE_PORT"]), print=None,
                access_log=None)  # fmt: skip


def serve_profiled(workers: int) -> None:
    """Serve like ``tlive-bot serve`` with each worker under cProfile (``--profile``)."""
    import bot.serve
    from bot.config import load_settings

    original = bot.serve._run

    def profiled(settings: Any, *, share_port: bool) -> None:
        import cProfile

        profiler = cProfile.Profile()
        try:
            profiler.runcall(original, settings, share_port=share_port)
        finally:
            out = Path(f"{os.environ['TLIVE_BENCH_PROFILE']}-{os.getpid()}.prof")
            out.parent.mkdir(parents=True, exist_ok=True)
            profiler.dump_stats(out)

    bot.serve._run = profiled  # type: ignore[assignment]
    sys.exit(bot.serve.serve(load_settings(), workers=workers))


# -- the report ----------------------------------------------------------------------------


@dataclass
class Result:
    """One variant's figures."""

    name: str
    samples: list[Sample]
    elapsed: float
    retries: int = 0
    late: int = 0

    @property
    def rate(self) -> float:
        """Return inputs answered per second."""
        return len(self.samples) / self.elapsed

    def pct(self, q: float, kind: str | None = None) -> float:
        """Return the ``q`` quantile in ms (of ``kind`` inputs only, if given)."""
        values = sorted(s.seconds for s in self.samples if kind in (None, s.kind))
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(q * len(values)))] * 1000


def table(results: list[Result], floor: float) -> None:
    """Print the closed-loop figures."""
    print(f"{'variant':<10} {'updates/s':>9} {'× echo':>7} {'p50':>7} {'p95':>7} {'p99':>7}"
          f" {'photo p50':>9} {'n':>6} {'retries':>7}")  # fmt: skip
    for r in results:
        print(f"{r.name:<10} {r.rate:9.1f} {r.rate / floor:7.2f} {r.pct(0.5):5.1f}ms "
              f"{r.pct(0.95):5.1f}ms {r.pct(0.99):5.1f}ms {r.pct(0.5, 'photo'):7.1f}ms "
              f"{len(r.samples):6d} {r.retries:7d}")  # fmt: skip


async def measure(
    variant: str, tg: BenchTelegram, root: Path, args: argparse.Namespace, steps: list[Step]
) -> tuple[Result, Result | None]:
    """Start ``variant``, warm it up, run the closed loop and (``pg-2``, echo) the open loop."""
    async with running(variant, tg, root, args.profile) as target:
        driver = Driver(tg, target, steps)
        async with driver.session():
            await driver.closed_loop(args.citizens, args.warmup)
            driver.retries = 0
            samples, elapsed = await driver.closed_loop(args.citizens, args.seconds)
            closed = Result(variant, samples, elapsed, driver.retries)
            tg.trim()
            opened = None
            if args.rate and variant in args.rate_variants:
                samples, elapsed, late = await driver.open_loop(args.rate, args.rate_seconds)
                opened = Result(variant, samples, elapsed, driver.retries, late)
                tg.trim()
    print(f"  {variant}: {closed.rate:.1f} updates/s, p99 {closed.pct(0.99):.1f} ms", flush=True)
    return closed, opened


async def run(args: argparse.Namespace) -> None:
    """Run every variant in turn and print the tables."""
    steps = script(small_photo())
    print(f"load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"({os.cpu_count()} cores)", flush=True)  # fmt: skip
    closed: list[Result] = []
    opened: list[Result] = []
    echoes: list[Result] = []
    order = list(args.variants)
    if ECHO in order and len(order) > 1:
        order.append(ECHO)  # the floor again at the end: the machine's load drifts
    with tempfile.TemporaryDirectory(prefix="tlive-pipeline-") as tmp:
        async with BenchTelegram() as tg:
            for n, variant in enumerate(order):
                root = Path(tmp) / str(n)
                c, o = await measure(variant, tg, root, args, steps)
                (echoes if variant == ECHO else closed).append(c)
                if o is not None and not (variant == ECHO and n > 0):
                    opened.append(o)
    floor = statistics.fmean(e.rate for e in echoes) if echoes else float("nan")
    if echoes:
        echo = Result(ECHO, [s for e in echoes for s in e.samples], sum(e.elapsed for e in echoes))
        closed.insert(0, echo)
    print()
    print(f"closed loop: {args.citizens} citizens at once, {args.seconds:.0f} s per variant; "
          f"mix per citizen: 4 texts/contact, 4 taps, 1 photo (refused: too small)")  # fmt: skip
    table(closed, floor)
    for r in opened:
        print(f"open loop on {r.name}: {args.rate:.0f} updates/s asked, {r.rate:.1f} answered/s, "
              f"p50 {r.pct(0.5):.1f} ms, p95 {r.pct(0.95):.1f} ms, p99 {r.pct(0.99):.1f} ms, "
              f"max {r.pct(1.0):.1f} ms (texts and taps p99 {r.pct(0.99, 'text'):.1f}/"
              f"{r.pct(0.99, 'tap'):.1f} ms, photo p99 {r.pct(0.99, 'photo'):.1f} ms), "
              f"{r.late} sends late")  # fmt: skip
    print(f"load average after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--rate-seconds", type=float, default=20.0)
    parser.add_argument("--rate-variants", default="echo,pg-2")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--serve-echo", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-profiled", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_echo:
        serve_echo()
        return
    if args.serve_profiled:
        serve_profiled(args.serve_profiled)
        return
    args.variants = [v for v in args.variants.split(",") if v]
    unknown = set(args.variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants {sorted(unknown)}; choose from {', '.join(VARIANTS)}")
    args.rate_variants = set(args.rate_variants.split(","))
    if args.profile is not None:
        args.profile = args.profile.resolve()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
