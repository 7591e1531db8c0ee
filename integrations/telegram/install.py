"""Wire the Telegram channel into the service: bot, sender, webhook route or poller, lifetime."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import aiohttp
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import BotCommand
from aiogram.utils.backoff import Backoff
from aiogram.utils.token import TokenValidationError
from aiohttp import web

from bot.config import ConfigError, Settings
from bot.engine.ports import ChannelContext
from bot.i18n import Catalog
from integrations.telegram.adapter import ALLOWED_UPDATES, CHANNEL, COMMANDS
from integrations.telegram.receiver import RETRY_BACKOFF, Poller, UpdateHandler, webhook_view
from integrations.telegram.sender import TelegramSender

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
TELEGRAM_BOT = web.AppKey("telegram_bot", Bot)
TOKEN_RETRY_DELAY = 60.0

_T = TypeVar("_T")


def install(app: web.Application, ctx: ChannelContext, *, static_dir: Path | None = None) -> None:
    """Add the Telegram channel to ``app``: sender, webhook route or poller, and their lifetime."""
    settings = ctx.settings
    bot = make_bot(settings)
    app[TELEGRAM_BOT] = bot
    images = StaticImages(app, static_dir=static_dir, public_url=settings.public_url)
    sender = TelegramSender(
        bot, ctx.catalog, resolve_image=images, load_image=ctx.load_media,
        make_voice=ctx.make_voice,
        # Per bot: every worker of this bot shares one schedule when Redis is configured.
        limiter=ctx.rate_limiter(
            CHANNEL, str(bot.id), settings.telegram_send_rate, settings.telegram_chat_interval
        ),
    )  # fmt: skip
    ctx.add_sender(sender)
    handler = UpdateHandler(bot, ctx.handle_inbound)
    if settings.telegram_webhook_mode:
        app.router.add_post(WEBHOOK_PATH, webhook_view(handler, settings.telegram_webhook_secret))
        poller = None
    else:
        poller = Poller(handler)

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(_run(bot, settings, ctx.catalog, poller), name="telegram")
        task.add_done_callback(_log_crash)
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await bot.session.close()

    app.cleanup_ctx.append(lifetime)


def make_bot(settings: Settings) -> Bot:
    """Create the bot for the configured API base; file URLs follow the same base."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    try:
        return Bot(settings.telegram_token or "", session=session)
    except TokenValidationError:
        raise ConfigError(
            "TLIVE_TELEGRAM_TOKEN: not a bot token (expected 123456789:ABC… from @BotFather)"
        ) from None


def bot_commands(catalog: Catalog) -> list[BotCommand]:
    """List the bot's commands with their Indonesian descriptions."""
    return [
        BotCommand(command=name, description=catalog.text(f"telegram-command-{name}"))
        for name in COMMANDS
    ]


async def _run(bot: Bot, settings: Settings, catalog: Catalog, poller: Poller | None) -> None:
    """Connect to the Bot API, retrying until it answers, then poll if not in webhook mode."""
    me = await _retrying("getMe", bot.get_me)
    if me is not None:
        log.info("telegram: connected as @%s", me.username)
    if settings.telegram_webhook_mode:
        await _retrying(
            "setWebhook",
            lambda: bot.set_webhook(
                f"{settings.public_url}{WEBHOOK_PATH}",
                secret_token=settings.telegram_webhook_secret,
                allowed_updates=list(ALLOWED_UPDATES),
                drop_pending_updates=False,
            ),
        )
    else:
        await _retrying("deleteWebhook", lambda: bot.delete_webhook(drop_pending_updates=False))
    await _retrying("setMyCommands", lambda: bot.set_my_commands(bot_commands(catalog)))
    if poller is not None:
        await poller.run()


async def _retrying(name: str, call: Callable[[], Awaitable[_T]]) -> _T | None:
    """Call until it succeeds; give up (None) on a request Telegram calls bad."""
    backoff = Backoff(RETRY_BACKOFF)
    while True:
        try:
            return await call()
        except TelegramBadRequest as exc:
            log.error("telegram %s refused: %s", name, exc)
            return None
        except TelegramUnauthorizedError:
            log.error("telegram %s: TLIVE_TELEGRAM_TOKEN was rejected by the Bot API", name)
            await asyncio.sleep(TOKEN_RETRY_DELAY)
        except TelegramRetryAfter as exc:
            await asyncio.sleep(exc.retry_after)
        except (TelegramAPIError, ClientDecodeError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("telegram %s failed (%s); retrying", name, type(exc).__name__)
            await backoff.asleep()


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("telegram channel stopped", exc_info=task.exception())


class StaticImages:
    """Find the local file behind an image URL of the public site (``/static/…``)."""

    def __init__(
        self, app: web.Application, *, static_dir: Path | None, public_url: str | None
    ) -> None:
        self._app = app
        self._static_dir = static_dir
        self._public_url = public_url

    def __call__(self, url: str) -> Path | None:
        """Return the file for ``url``, or None if it is not a local static file."""
        if "://" in url:
            if not self._public_url or not url.startswith(self._public_url + "/"):
                return None
            url = url[len(self._public_url) :]
        path = url.split("?", 1)[0].split("#", 1)[0]
        for prefix, directory in self._roots():
            if path.startswith(prefix + "/"):
                found = _inside(directory, path[len(prefix) + 1 :])
                if found is not None:
                    return found
        return None

    def _roots(self) -> list[tuple[str, Path]]:
        roots = [("/static", self._static_dir)] if self._static_dir else []
        for resource in self._app.router.resources():
            if isinstance(resource, web.StaticResource):
                info = resource.get_info()
                roots.append((str(info["prefix"]).rstrip("/"), Path(str(info["directory"]))))
        return roots


def _inside(directory: Path, relative: str) -> Path | None:
    root = directory.resolve()
    candidate = (root / relative).resolve()
    if candidate.is_relative_to(root) and candidate.is_file():
        return candidate
    return None
