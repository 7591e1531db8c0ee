"""Run the HTTP service, in one process or several sharing the port."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal

from aiohttp import web

from bot.app import build_app
from bot.config import Settings
from bot.metrics import share_between_workers, stop_sharing

log = logging.getLogger(__name__)


def serve(settings: Settings, *, workers: int = 1) -> int:
    """Serve until interrupted; with ``workers`` > 1 fork processes that share the port."""
    if workers <= 1:
        _run(settings, share_port=False)
        return 0
    if settings.is_sqlite:
        log.error("TLIVE_DATABASE_URL: several workers need PostgreSQL, not SQLite")
        return 2
    if settings.telegram_enabled and not settings.telegram_webhook_mode:
        log.error("several workers need Telegram in webhook mode (set TLIVE_PUBLIC_URL)")
        return 2
    # A scrape of /metrics reaches any one worker: each must answer with all workers' counts.
    metrics_dir = share_between_workers()
    processes = [
        multiprocessing.get_context("spawn").Process(
            target=_run, args=(settings,), kwargs={"share_port": True}, daemon=False
        )
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    try:
        for process in processes:
            process.join()
    except KeyboardInterrupt:
        for process in processes:
            if process.pid:
                os.kill(process.pid, signal.SIGTERM)
        for process in processes:
            process.join()
    finally:
        stop_sharing(metrics_dir)
    return 0


def _run(settings: Settings, *, share_port: bool) -> None:
    # Only sibling workers share the port; a second, accidental instance must fail to bind.
    from bot import logs

    logs.configure(settings.log_level)
    log.info("serving on http://%s:%s (pid %s)", settings.host, settings.port, os.getpid())
    web.run_app(
        build_app(settings), host=settings.host, port=settings.port, reuse_port=share_port,
        print=None, access_log=None, loop=_event_loop(),
    )  # fmt: skip


def _event_loop() -> asyncio.AbstractEventLoop:
    """Return uvloop's event loop where installed (~10 % less CPU per turn), else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()
