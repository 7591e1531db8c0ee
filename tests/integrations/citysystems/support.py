"""Helpers for webhook tests: an admin actor, endpoints on a stand-in, draining until settled."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import select

from bot.core import Core
from bot.domain.webhooks import DeliveryState
from bot.services.accounts import Actor, Role
from bot.storage.models import WebhookDelivery
from integrations.citysystems.dispatcher import Policy, WebhookDispatcher
from tests.integrations.citysystems.receiver import Receiver

ADMIN = Actor(type="user", id="1", name="admin", role=Role.ADMIN)
# Quick retries for tests: an attempt may take 0.4 s, a retry waits at most 0.05 s.
FAST = Policy(max_attempts=10, timeout=0.4, base_delay=0.01, max_delay=0.05, batch=20)


async def subscribe(
    core: Core, receiver: Receiver, scope: str = "status", events: tuple[str, ...] = ("all",)
) -> int:
    """Add an endpoint for ``receiver`` and give the receiver its secret; return its id."""
    endpoint, secret = await core.webhook_cases.create(ADMIN, receiver.url, scope, list(events))
    receiver.secret = secret
    return endpoint.id


async def states(core: Core) -> dict[str, int]:
    """Count deliveries per state."""
    async with core.uow() as uow:
        rows = (await uow.session.execute(select(WebhookDelivery.state))).scalars().all()
    found: dict[str, int] = {}
    for state in rows:
        found[state] = found.get(state, 0) + 1
    return found


async def drain_until_settled(
    dispatcher: WebhookDispatcher, core: Core, *, seconds: float = 30.0
) -> dict[str, int]:
    """Drain until no delivery is pending or failing (or time runs out); return the counts."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await dispatcher.drain_once()
        counts = await states(core)
        if not counts.get(DeliveryState.PENDING, 0) and not counts.get(DeliveryState.FAILING, 0):
            return counts
        await asyncio.sleep(0.02)
    return await states(core)
