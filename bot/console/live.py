"""Server-sent events for live console pages (the helpdesk queue and open chats).

A stream polls the database about once a second — so it sees what other workers changed — and
wakes at once on changes made in this worker. It ends when the client goes away, when the service
shuts down, or after a few minutes; the browser's EventSource then reconnects by itself, sending
``Last-Event-ID`` so nothing is missed (the history is the source of truth, the stream only points
at it). Before every tick the stream checks its session again: once the user signed out, was
deactivated or timed out, it sends ``signed_out`` and closes, so nothing more reaches them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.console.sessions import VIEWER
from bot.core import CORE

STOP = web.AppKey("console_live_stop", asyncio.Event)
POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 15.0
LIFETIME_SECONDS = 300.0
RETRY_MS = 2000
LOGIN_PATH = "/console/login"


class EventStream:
    """One ``text/event-stream`` response that notices when its client has gone."""

    def __init__(self, request: web.Request) -> None:
        self._request = request
        self.response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",  # nginx: pass events through at once
            }
        )
        self._last_write = time.monotonic()

    async def open(self) -> None:
        """Send the headers and tell the browser how soon to reconnect."""
        await self.response.prepare(self._request)
        await self._write(f"retry: {RETRY_MS}\n\n")

    @property
    def gone(self) -> bool:
        """Tell whether the client has disconnected."""
        transport = self._request.transport
        return transport is None or transport.is_closing()

    async def send(self, event: str, data: Any, *, event_id: int | None = None) -> None:
        """Send one event with a JSON payload (and an id the browser resumes from)."""
        lines = [f"event: {event}"]
        if event_id is not None:
            lines.append(f"id: {event_id}")
        lines.append("data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        await self._write("\n".join(lines) + "\n\n")

    async def beat(self) -> None:
        """Send a comment now and then, so proxies keep the connection open."""
        if time.monotonic() - self._last_write >= HEARTBEAT_SECONDS:
            await self._write(": keep-alive\n\n")

    async def _write(self, text: str) -> None:
        await self.response.write(text.encode())
        self._last_write = time.monotonic()


Tick = Callable[[EventStream], Awaitable[None]]


async def run(
    request: web.Request, tick: Tick, *, poll: float = POLL_SECONDS
) -> web.StreamResponse:
    """Stream events: call ``tick`` after every change or poll until the stream should end."""
    stream = EventStream(request)
    await stream.open()
    stop = request.app[STOP]
    changes = request.app[CORE].services.helpdesk.changes
    ends = time.monotonic() + LIFETIME_SECONDS
    with contextlib.suppress(ConnectionResetError):
        while not (stop.is_set() or stream.gone or time.monotonic() > ends):
            # Checked on every tick, not only when the stream opened: a stream may last minutes.
            if not await still_signed_in(request):
                await stream.send("signed_out", {"location": LOGIN_PATH})
                break
            await tick(stream)
            await stream.beat()
            await changes.wait(poll)
    return stream.response


async def still_signed_in(request: web.Request) -> bool:
    """Tell whether the session that opened this stream is still alive, for the same role."""
    opened = request[VIEWER]
    now = await request.app[CORE].account_cases.signed_in(opened.token)
    return now is not None and now.session_id == opened.session_id and now.role == opened.role


def setup(console: web.Application) -> None:
    """Give the console the shutdown signal that ends open streams."""
    console[STOP] = asyncio.Event()

    async def stop_streams(app: web.Application) -> None:
        app[STOP].set()
        app[CORE].services.helpdesk.changes.notify()

    console.on_shutdown.append(stop_streams)
