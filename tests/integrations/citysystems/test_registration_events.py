"""End to end: a citizen's registration and a call for help reach the city's system, signed, once.

The real conversation engine and use cases record the events; the running dispatcher (woken by
the commit) sends them to a stand-in on 127.0.0.1 that checks every signature.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from sqlalchemy import select

from bot.core import Core
from bot.services.accounts import Actor, Role
from bot.storage.models import Registration
from tests.integrations.citysystems.receiver import Receiver, receiving
from tests.integrations.citysystems.support import FAST, subscribe
from tests.support.chat import ChatDriver
from tests.support.registration import NIK, register_until_summary

VERIFIER = Actor(type="user", id="5", name="siti", role=Role.VERIFIER)


async def _until(check: Callable[[], object], seconds: float = 20.0) -> None:
    """Wait until ``check()`` is true (the stand-in counts from another task) or time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        await asyncio.sleep(0.05)


async def test_a_submitted_then_approved_registration_arrives_signed_and_once(
    any_core: Core,
) -> None:
    any_core.webhooks.policy = FAST  # type: ignore[misc]
    async with receiving(Receiver()) as city:
        await subscribe(any_core, city, "identity")
        runner = asyncio.create_task(any_core.webhooks.run(poll=30))  # only a wake-up sends soon
        try:
            chat = ChatDriver(any_core)
            await register_until_summary(chat)
            await chat.tap("summary:send")
            await _until(lambda: city.of_type(".registration.submitted"))
            async with any_core.uow() as uow:
                reg = (await uow.session.execute(select(Registration))).scalar_one()
            await any_core.review_cases.decide(
                VERIFIER, reg.id, approve=True, reason=None, note=None, ip=None
            )
            await _until(lambda: city.of_type(".registration.approved"))
        finally:
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
    (submitted,) = city.of_type(".registration.submitted")
    (approved,) = city.of_type(".registration.approved")
    assert city.bad_signatures == 0 and city.duplicates == 0 and len(city.accepted) == 2
    assert submitted["subject"] == approved["subject"] == reg.reference
    assert submitted["data"]["status"] == "submitted" and approved["data"]["status"] == "approved"
    assert approved["data"]["nik"] == NIK and approved["data"]["name"] == "SITI AMINAH"
    assert approved["data"]["channel"] == "web" and approved["data"]["decided_at"]
    assert submitted["id"] != approved["id"]
    assert any_core.metrics.webhooks.labels("delivered")._value.get() == 2  # at /metrics


async def test_asking_for_a_person_sends_handoff_requested_once(any_core: Core) -> None:
    any_core.webhooks.policy = FAST  # type: ignore[misc]
    async with receiving(Receiver()) as city:
        await subscribe(any_core, city, "status", ("handoff.requested",))
        chat = ChatDriver(any_core)
        await chat.say("halo")
        await chat.say("bicara dengan petugas")
        await chat.say("petugas")  # already waiting: no second event
        await any_core.webhooks.drain_once()
        await any_core.webhooks._sender.close()
    (event,) = city.events.values()
    assert event["type"] == "id.go.tangerangkota.live.handoff.requested"
    assert event["data"]["channel"] == "web" and event["data"]["reason"] == "asked"
    assert "nik" not in event["data"] and city.duplicates == 0
