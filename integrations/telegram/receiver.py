"""Receive updates by webhook or long polling and hand each one to the core, in order per chat.

Ordering: one chat's updates run one at a time, in ``update_id`` order; different chats run
concurrently. In webhook mode Telegram itself delivers one update per chat at a time (its
webhook queues are per chat) and a per-chat lock here covers overlapping redeliveries; in
polling mode a batch is sorted and split per chat. Across worker processes the core's
conversation lock in ``handle_inbound`` serialises the rest.

Failure: an update that was not stored is retried — by Telegram after a 500 from the webhook,
by the poller by not confirming it (its offset stops there; updates already handled after it
are skipped when they come again, and the core drops true duplicates). After failing for
:data:`GIVE_UP_AFTER` seconds a photo that still cannot be downloaded is passed on as unusable,
and an update whose storing still fails is skipped and logged, so one poisoned update cannot
stall a chat (or, when polling, the bot) for longer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.exceptions import ClientDecodeError, TelegramAPIError, TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.utils.backoff import Backoff, BackoffConfig
from aiohttp import web
from pydantic import ValidationError

from bot.domain.compare import same_secret
from bot.engine.messages import Inbound
from bot.engine.ports import HandleResult
from integrations.telegram.adapter import ALLOWED_UPDATES, acknowledge, chat_key, to_inbound

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
POLL_TIMEOUT = 25
POLL_CONCURRENCY = 8
# How long an update may keep failing (database down, file server down) before it is given up:
# a photo is then passed on as unusable, an update whose storing still fails is skipped.
GIVE_UP_AFTER = 600.0
RETRY_BACKOFF = BackoffConfig(min_delay=1.0, max_delay=30.0, factor=2.0, jitter=0.1)

HandleInbound = Callable[[Inbound], Awaitable[HandleResult]]


class KeyedLocks:
    """One FIFO lock per key, forgotten when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, list[int]]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold the lock of ``key`` for the duration of the block."""
        lock, users = self._locks.setdefault(key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._locks[key]


class FailureClock:
    """Remember since when each update keeps failing (a bounded number of update ids)."""

    def __init__(self, give_up_after: float, limit: int = 10_000) -> None:
        self._since: OrderedDict[int, float] = OrderedDict()
        self._give_up_after = give_up_after
        self._limit = limit

    def last_chance(self, update_id: int) -> bool:
        """Tell whether ``update_id`` has been failing for long enough to give up after this try."""
        since = self._since.get(update_id)
        return since is not None and time.monotonic() - since >= self._give_up_after

    def failed(self, update_id: int) -> None:
        """Record a failure (the first one starts the clock)."""
        self._since.setdefault(update_id, time.monotonic())
        while len(self._since) > self._limit:
            self._since.popitem(last=False)

    def forget(self, update_id: int) -> None:
        """Drop a finished update."""
        self._since.pop(update_id, None)


class UpdateHandler:
    """Translate one update, store it through the core, then acknowledge a button tap."""

    def __init__(self, bot: Bot, handle_inbound: HandleInbound) -> None:
        self.bot = bot
        self._handle_inbound = handle_inbound
        self._locks = KeyedLocks()

    async def __call__(self, update: Update, *, give_up: bool = False) -> None:
        """Handle ``update``; raise if it was not stored, so that it is delivered again."""
        async with self._locks.hold(chat_key(update)):
            inbound = await to_inbound(update, self.bot, give_up=give_up)
            if inbound is not None:
                await self._handle_inbound(inbound)
        await acknowledge(update, self.bot)


def webhook_view(
    handler: UpdateHandler, secret: str | None, *, give_up_after: float = GIVE_UP_AFTER
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Build the POST handler for ``/webhooks/telegram``; it never replies in the body."""
    expected = secret or ""
    failures = FailureClock(give_up_after)

    async def receive(request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER, "")
        if not expected or not same_secret(given, expected):
            return web.Response(status=401)
        update = await _parse_update(request, handler.bot)
        if update is None:
            return web.Response(status=200)  # a Telegram update this bot cannot read: drop it
        last = failures.last_chance(update.update_id)
        try:
            await handler(update, give_up=last)
        except Exception:
            failures.failed(update.update_id)
            if last:
                log.exception("telegram update %s kept failing; dropped", update.update_id)
                return web.Response(status=200)
            log.exception("telegram update %s not stored; Telegram will retry", update.update_id)
            return web.Response(status=500)
        failures.forget(update.update_id)
        return web.Response(status=200)

    return receive


async def _parse_update(request: web.Request, bot: Bot) -> Update | None:
    try:
        data = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        raise web.HTTPBadRequest(text="body is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise web.HTTPBadRequest(text="not a Telegram update")
    try:
        return Update.model_validate(data, context={"bot": bot})
    except ValidationError:
        log.warning("telegram update %s does not parse; ignored", data["update_id"])
        return None


class RawGetUpdates(TelegramMethod[list[dict[str, Any]]]):
    """``getUpdates`` returning plain JSON, so one update aiogram cannot parse stalls nothing."""

    __returning__ = list[dict[str, Any]]
    __api_method__ = "getUpdates"

    offset: int | None = None
    limit: int | None = None
    timeout: int | None = None
    allowed_updates: list[str] | None = None


class Poller:
    """Long-poll ``getUpdates`` and process each batch per chat, in order."""

    def __init__(
        self,
        handler: UpdateHandler,
        *,
        timeout: int = POLL_TIMEOUT,
        concurrency: int = POLL_CONCURRENCY,
        give_up_after: float = GIVE_UP_AFTER,
        backoff: BackoffConfig = RETRY_BACKOFF,
    ) -> None:
        self._handler = handler
        self._bot = handler.bot
        self._timeout = timeout
        self._slots = asyncio.Semaphore(concurrency)
        self._fetch_backoff = Backoff(backoff)
        self._retry_backoff = Backoff(backoff)
        self._failures = FailureClock(give_up_after)
        self._done: set[int] = set()
        self.offset: int | None = None
        self._confirmed: int | None = None

    async def run(self) -> None:
        """Poll until cancelled; on the way out confirm what was handled."""
        try:
            while True:
                updates = await self._fetch()
                try:
                    complete = not updates or await self._process(updates)
                except Exception:
                    log.exception("telegram: a batch of updates could not be processed")
                    complete = False
                if complete:
                    self._retry_backoff.reset()
                else:
                    await self._retry_backoff.asleep()
        finally:
            await self._confirm()

    async def _fetch(self) -> list[dict[str, Any]]:
        method = RawGetUpdates(
            offset=self.offset, timeout=self._timeout, allowed_updates=list(ALLOWED_UPDATES)
        )
        while True:
            try:
                updates = await self._bot(method, request_timeout=self._timeout + 15)
            except TelegramRetryAfter as exc:
                await asyncio.sleep(exc.retry_after)
                continue
            except (TelegramAPIError, ClientDecodeError, aiohttp.ClientError, TimeoutError) as exc:
                log.warning("telegram getUpdates failed (%s); retrying", type(exc).__name__)
                await self._fetch_backoff.asleep()
                continue
            self._fetch_backoff.reset()
            self._confirmed = self.offset
            return updates

    async def _process(self, raw: list[dict[str, Any]]) -> bool:
        """Handle a batch; return False if some update must be fetched again."""
        chats: dict[str, list[Update]] = {}
        for update in sorted(self._parse(raw), key=lambda u: u.update_id):
            chats.setdefault(chat_key(update), []).append(update)
        done = frozenset(self._done)
        results = await asyncio.gather(*(self._run_chat(items, done) for items in chats.values()))
        failed = [update_id for update_id in results if update_id is not None]
        newest = max(int(item.get("update_id", 0)) for item in raw) + 1
        self.offset = min(failed) if failed else max(newest, self.offset or 0)
        self._done = {update_id for update_id in self._done if update_id >= self.offset}
        return not failed

    def _parse(self, raw: list[dict[str, Any]]) -> list[Update]:
        updates = []
        for item in raw:
            try:
                updates.append(Update.model_validate(item, context={"bot": self._bot}))
            except ValidationError:
                log.warning("telegram update %s does not parse; skipped", item.get("update_id"))
        return updates

    async def _run_chat(self, updates: list[Update], done: frozenset[int]) -> int | None:
        """Handle one chat's updates in order; return the first that failed, if any."""
        async with self._slots:
            for update in updates:
                if update.update_id in done:
                    continue  # handled before an earlier failure made Telegram resend it
                if not await self._attempt(update):
                    return update.update_id
                self._done.add(update.update_id)
        return None

    async def _attempt(self, update: Update) -> bool:
        last = self._failures.last_chance(update.update_id)
        try:
            await self._handler(update, give_up=last)
        except Exception:
            if last:
                log.exception("telegram update %s kept failing; skipped", update.update_id)
                self._failures.forget(update.update_id)
                return True
            self._failures.failed(update.update_id)
            log.exception("telegram update %s not stored; will retry", update.update_id)
            return False
        self._failures.forget(update.update_id)
        return True

    async def _confirm(self) -> None:
        """Tell Telegram which updates are done, so a restart does not fetch them again."""
        if self.offset is None or self.offset == self._confirmed:
            return
        try:
            await self._bot(
                RawGetUpdates(offset=self.offset, timeout=0, limit=1), request_timeout=5
            )
        except (TelegramAPIError, ClientDecodeError, aiohttp.ClientError, TimeoutError):
            log.info("telegram: could not confirm offset on shutdown; duplicates will be dropped")
