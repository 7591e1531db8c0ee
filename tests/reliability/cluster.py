"""Several real workers (``tlive-bot serve``) on one PostgreSQL behind a small load balancer.

The balancer does what nginx does with ``proxy_next_upstream error``: a worker that refuses the
connection is skipped, a worker that drops a request half-way answers 502 (the platform then
retries). The Telegram stand-in here can hold photo downloads, so a test knows a worker is in
the middle of an update when it kills it.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import SECRET
from tests.standins.telegram_api import TelegramStandin
from tests.support.postgres import temporary_database
from tests.support.service import Service, free_port

WEBHOOK_SECRET = "reliability-webhook-secret_7"
HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection"}


@dataclass
class Forwarded:
    """One request the balancer passed on: where to, and the status it answered."""

    path: str
    upstream: str | None
    status: int


@dataclass
class LoadBalancer:
    """Round-robin over the workers' base URLs."""

    upstreams: list[str] = field(default_factory=list)
    log: list[Forwarded] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    _turn: itertools.count[int] = field(default_factory=itertools.count)
    _runner: web.AppRunner | None = None
    _http: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        """Return the public base URL the workers are reached at."""
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Listen on the port chosen at creation."""
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
        if self._http is not None:
            await self._http.close()

    def statuses(self, path: str) -> list[int]:
        """Return the statuses answered on ``path``, in order."""
        return [f.status for f in self.log if f.path == path]

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        assert self._http is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        upstreams = list(self.upstreams)
        start = next(self._turn) % max(len(upstreams), 1)
        for upstream in upstreams[start:] + upstreams[:start]:
            try:
                async with self._http.request(
                    request.method, upstream + request.path_qs, data=body, headers=headers
                ) as resp:
                    data = await resp.read()
                    status, kind = resp.status, resp.headers.get("Content-Type")
            except aiohttp.ClientConnectorError:
                continue  # nobody listens there (a dead worker): try the next one
            except (aiohttp.ClientError, TimeoutError):
                self.log.append(Forwarded(request.path, upstream, 502))
                return web.Response(status=502)  # dropped half-way: the caller retries
            self.log.append(Forwarded(request.path, upstream, status))
            response = web.Response(status=status, body=data)
            if kind:
                response.headers["Content-Type"] = kind
            return response
        self.log.append(Forwarded(request.path, None, 502))
        return web.Response(status=502)


class HoldingTelegram(TelegramStandin):
    """The Bot API stand-in, able to hold file downloads until told to let them go."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.holding = False
        self.held = asyncio.Event()
        self._release = asyncio.Event()

    def hold_downloads(self) -> None:
        """Keep the next downloads waiting (the worker is then mid-update)."""
        self.holding, self._release = True, asyncio.Event()
        self.held.clear()

    def release_downloads(self) -> None:
        """Let held and later downloads through."""
        self.holding = False
        self._release.set()

    def clear_failures(self) -> None:
        """Forget the failures still planned with ``fail_next``."""
        self._failures.clear()

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if self.holding:
            self.held.set()
            await self._release.wait()
        return await super()._download(request)


class Cluster:
    """Workers sharing one PostgreSQL database and one public URL (the balancer's)."""

    def __init__(self, tg: TelegramStandin, database_url: str, root: Path) -> None:
        self.tg = tg
        self.database_url = database_url
        self.root = root
        self.balancer = LoadBalancer()
        self.workers: list[Service] = []

    def add_worker(self, **env: str) -> Service:
        """Configure one more worker (not started)."""
        name = f"w{len(self.workers) + 1}"
        service = Service(
            {
                "TLIVE_SECRET_KEY": SECRET,
                "TLIVE_DATABASE_URL": self.database_url,
                "TLIVE_TELEGRAM_TOKEN": self.tg.token,
                "TLIVE_TELEGRAM_API_BASE": self.tg.api_base,
                "TLIVE_PUBLIC_URL": self.balancer.url,
                "TLIVE_TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
                **env,
            },
            self.root / name,
        )  # fmt: skip
        self.workers.append(service)
        return service

    async def start(self, *services: Service) -> None:
        """Start ``services`` (migrating first, once) and put them behind the balancer."""
        migrate = await asyncio.to_thread(services[0].cli, "migrate")
        assert migrate.returncode == 0, migrate.stderr
        await asyncio.gather(*(s.start(migrate=False) for s in services))
        self.balancer.upstreams.extend(s.url for s in services)
        await self.tg.wait_for_call("setWebhook", timeout=30)

    def kill(self, service: Service) -> None:
        """Kill a worker the hard way (SIGKILL): no clean-up, no goodbye."""
        assert service.process is not None
        os.kill(service.process.pid, signal.SIGKILL)
        service.process.wait(10)
        service.process = None

    async def count(self, sql: str, **params: Any) -> int:
        """Return one number from the shared database."""
        engine = create_async_engine(self.database_url)
        try:
            async with engine.connect() as conn:
                return int((await conn.execute(text(sql), params)).scalar_one())
        finally:
            await engine.dispose()

    def logs(self, tail: int = 6000) -> str:
        """Return the end of every worker's output, for failure messages."""
        return "\n".join(f"--- {s.data_dir.name}\n{s.log()[-tail:]}" for s in self.workers)


@asynccontextmanager
async def cluster(tmp_path: Path, tg: TelegramStandin) -> AsyncIterator[Cluster]:
    """Yield a cluster on a throw-away PostgreSQL database; stop what is left at the end."""
    with temporary_database() as url:
        built = Cluster(tg, url, tmp_path)
        await built.balancer.start()
        try:
            yield built
        finally:
            await asyncio.gather(*(s.stop() for s in built.workers))
            await built.balancer.stop()
