"""The composition root: build the whole service from settings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

from aiohttp import web

from bot import api, console
from bot.config import Settings
from bot.core import CORE, Core, build_core
from bot.domain.events import MessagesQueued
from bot.engine.channels import ChannelSender
from bot.engine.ports import ChannelContext
from bot.engine.ratelimit import limiter_factory
from bot.storage.types import utcnow
from bot.usecases.jobs import JobScheduler, PeriodicJob
from bot.usecases.privacy import purge_expired
from bot.usecases.reminders import ReminderCases, schedule_of
from bot.web import headers, health, helpdesk, webchat

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent / "web" / "static"
REMINDER_SWEEP_SECONDS = 60.0
HELPDESK_SWEEP_SECONDS = 30.0


def build_app(settings: Settings, *, core: Core | None = None) -> web.Application:
    """Build the aiohttp application with every enabled channel."""
    core = core or build_core(settings)
    app = web.Application(client_max_size=2 * 1024 * 1024)
    app[CORE] = core
    app.cleanup_ctx.append(_core_lifetime)
    app.on_response_prepare.append(headers.security_headers)
    health.setup(app)
    webchat.setup(app)
    helpdesk.setup(app)
    console.setup(app)
    api.setup(app)
    app.router.add_static("/static", STATIC_DIR)
    app.router.add_get("/", _to_chat)
    channels = channel_context(core)
    if settings.telegram_enabled:
        from integrations.telegram import install as install_telegram

        install_telegram(app, channels)
    if settings.whatsapp_enabled:
        from integrations.whatsapp import install as install_whatsapp

        install_whatsapp(app, channels)
    return app


def channel_context(core: Core) -> ChannelContext:
    """Return what channel integrations may use from the core."""

    def add_sender(sender: ChannelSender) -> None:
        core.outbox.add_sender(sender)
        core.services.delivery.push_channels.add(sender.channel)

    async def record_delivery(
        channel: str, external_id: str, status: str, error: str | None
    ) -> None:
        async with core.uow() as uow:
            await uow.outbox.mark_delivery(channel, external_id, status, error)
            if status == "failed" and await uow.outbox.requeue_as_template(
                channel, external_id, error or ""
            ):
                uow.publish(MessagesQueued(channel))
            await uow.commit()

    async def load_media(url: str) -> bytes | None:
        return await core.helpdesk_cases.load_sent_photo(url)

    return ChannelContext(
        settings=core.settings, catalog=core.catalog, handle_inbound=core.handle,
        add_sender=add_sender, record_delivery=record_delivery, load_media=load_media,
        make_voice=core.services.speech.voice_note if core.services.speech.enabled else None,
        rate_limiter=limiter_factory(
            core.redis, on_pause=core.metrics.count_pause,
            # Redis keys never hold a chat id, only its keyed hash (the same on every worker).
            hash_key=lambda chat: core.keys.id_hash("ratelimit", chat)[:32],
        ),
    )  # fmt: skip


async def _core_lifetime(app: web.Application) -> AsyncIterator[None]:
    core = app[CORE]
    try:
        await core.services.faq.reload()
    except Exception as exc:
        # Up without the database (down, or not migrated yet): /readyz answers 503 and says
        # why, and the FAQ loads as soon as it can (faq.follow retries).
        log.error("FAQ not loaded at start-up, the database is not ready (%s)", type(exc).__name__)
    tasks = [
        asyncio.create_task(core.outbox.run(), name="outbox"),
        # Every worker drains; a delivery is claimed by one of them at a time.
        asyncio.create_task(core.webhooks.run(), name="webhooks"),
        asyncio.create_task(core.services.faq.follow(), name="faq-follow"),
        # One loop per worker; each periodic job runs once per period across all of them.
        asyncio.create_task(
            JobScheduler(core.uow, periodic_jobs(core)).run_forever(), name="scheduler"
        ),
    ]
    yield
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    if core.services.intents is not None:
        await core.services.intents.close()
    if core.faces is not None:
        await core.faces.drain()  # a comparison under way still stores its result
    if core.ktp_readings is not None:
        await core.ktp_readings.drain()  # a reading under way still stores its result
        core.ktp_readings.reader.close()
    await core.db.dispose()
    if core.redis is not None:
        await core.redis.aclose()


def periodic_jobs(core: Core) -> list[PeriodicJob]:
    """Return the jobs the workers share: each runs once per period, on whichever is free."""
    reminders = ReminderCases(core.uow, core.settings, core.catalog, core.services.delivery)
    return [
        PeriodicJob("retention", timedelta(days=1), lambda: _purge(core), lease=timedelta(hours=1)),
        PeriodicJob("reminders", timedelta(seconds=REMINDER_SWEEP_SECONDS),
                    lambda: reminders.sweep(utcnow())),
        PeriodicJob("helpdesk-idle", timedelta(seconds=HELPDESK_SWEEP_SECONDS),
                    lambda: _sweep(core)),
    ]  # fmt: skip


async def _purge(core: Core) -> None:
    """Apply the retention rule (at first start-up, then once a day)."""
    result = await purge_expired(
        core.uow, core.settings.retention_days,
        outbox_days=core.settings.outbox_retention_days,
        reminder_horizon=schedule_of(core.settings).horizon,
    )  # fmt: skip
    log.info(
        "retention: purged %d documents, %d drafts, %d sent messages",
        result.documents, result.drafts, result.outbox,
    )  # fmt: skip


async def _sweep(core: Core) -> None:
    """Return abandoned helpdesk holds (no agent activity for the idle time) to the queue."""
    returned = await core.helpdesk_cases.sweep_idle()
    if returned:
        log.info("helpdesk: %d abandoned chats returned to the queue", returned)


async def _to_chat(request: web.Request) -> web.Response:
    raise web.HTTPFound("/chat")
