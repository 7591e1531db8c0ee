"""The loop both dispatchers (outbox, webhooks) run: rounds back to back while there is work."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable


async def drain_forever(
    drain_once: Callable[[], Awaitable[int]],
    wake: asyncio.Event,
    poll: float,
    *,
    log: logging.Logger,
    what: str,
) -> None:
    """Run ``drain_once`` forever: again at once after a busy round, else on ``wake`` or poll.

    A failing round is logged and tried again, so a database away for a while stops nothing.
    """
    while True:
        wake.clear()
        try:
            busy = await drain_once()
        except Exception:
            log.exception("%s drain failed", what)
            busy = 0
        if not busy:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), poll)
