"""A city system stand-in: a real HTTP server on 127.0.0.1 that checks every event's signature.

It answers by a script (``"ok"``, ``"500"``, ``"slow"`` past the sender's timeout), counts each
event id it accepted with a 2xx, and counts duplicates and bad signatures, so a test can assert
that every event arrived exactly once, signed.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from integrations.citysystems.verify import verify_signature

Script = Callable[[int], str]  # request number (from 0) -> "ok" | "500" | "slow"


def always_ok(_n: int) -> str:
    """Accept every request."""
    return "ok"


@dataclass
class Receiver:
    """What the stand-in saw."""

    secret: str = ""
    script: Script = always_ok
    slow_seconds: float = 2.0
    requests: int = 0
    accepted: Counter[str] = field(default_factory=Counter)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    bad_signatures: int = 0
    refused: int = 0
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    @property
    def duplicates(self) -> int:
        """Return how many accepted requests repeated an event already accepted."""
        return sum(n - 1 for n in self.accepted.values() if n > 1)

    def of_type(self, suffix: str) -> list[dict[str, Any]]:
        """Return the accepted events whose type ends with ``suffix``."""
        return [e for e in self.events.values() if e["type"].endswith(suffix)]

    async def handle(self, request: web.Request) -> web.Response:
        """Check the signature, then answer as the script says."""
        n, self.requests = self.requests, self.requests + 1
        body = await request.read()
        header = request.headers.get("X-Tlive-Signature", "")
        if not verify_signature(self.secret, body, header):
            self.bad_signatures += 1
            return web.Response(status=400, text="bad signature")
        self.headers.append(dict(request.headers))
        action = self.script(n)
        if action == "slow":
            await asyncio.sleep(self.slow_seconds)  # the sender has given up by now
            self.refused += 1
            return web.Response(status=503)
        if action != "ok":
            self.refused += 1
            return web.Response(status=int(action))
        event = json.loads(body)
        self.accepted[event["id"]] += 1
        self.events[event["id"]] = event
        return web.Response(status=204)


@asynccontextmanager
async def receiving(receiver: Receiver) -> AsyncIterator[Receiver]:
    """Serve ``receiver`` on a free port of 127.0.0.1 at ``/events``."""
    app = web.Application()
    app.router.add_post("/events", receiver.handle)
    runner = web.AppRunner(app, handler_cancellation=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    receiver.url = f"http://127.0.0.1:{port}/events"
    try:
        yield receiver
    finally:
        await runner.cleanup()
