"""/metrics after real traffic: inbound outcomes, latency, outbox, rate limits, queues, deadline."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update

from bot.app import build_app, channel_context
from bot.core import Core
from bot.engine.channels import Recipient, SendError
from bot.engine.messages import Inbound, InboundKind, Reply
from bot.metrics import MULTIPROCESS_ENV, share_between_workers, stop_sharing
from bot.storage.models import Citizen, OutboxItem, Registration
from bot.storage.types import utcnow
from tests.support.chat import ChatDriver

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


class FlakySender:
    """A push channel whose first send fails for now (the platform asked to retry)."""

    channel = "push"

    def __init__(self) -> None:
        self.sent = 0
        self.failures = [SendError("try again", retry_after=0.0)]

    async def send(self, recipient: Recipient, reply: Reply) -> str | None:
        """Fail once, then accept."""
        if self.failures:
            raise self.failures.pop()
        self.sent += 1
        return f"ext-{self.sent}"


@pytest.fixture
async def client(any_core: Core) -> AsyncIterator[TestClient]:
    """Yield a client of the whole app (SQLite, then PostgreSQL)."""
    async with TestClient(TestServer(build_app(any_core.settings, core=any_core))) as test_client:
        yield test_client


async def _scrape(client: TestClient) -> tuple[str, Samples]:
    resp = await client.get("/metrics")
    assert resp.status == 200
    text = await resp.text()
    samples = {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    return text, samples


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def _submitted(core: Core, hours_ago: float) -> None:
    async with core.uow() as uow:
        citizen = Citizen()
        uow.session.add(citizen)
        await uow.session.flush()
        uow.session.add(
            Registration(
                reference=f"TL-{secrets.token_hex(3)}",
                citizen_id=citizen.id,
                channel="push",
                status="submitted",
                submitted_at=utcnow() - timedelta(hours=hours_ago),
            )
        )
        await uow.commit()


async def test_metrics_count_what_happened_and_measure_what_waits(
    any_core: Core, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = any_core
    # Replies to the push channel are queued; its sender joins after the first scrape, so the
    # app's own dispatcher cannot send them before they are counted as waiting.
    core.services.delivery.push_channels.add("push")
    citizen = ChatDriver(core, channel="push")
    await citizen.say("menu")
    repeated = Inbound("push", citizen.chat_id, "same-update", InboundKind.TEXT, text="bantuan")
    assert not (await core.handle(repeated)).duplicate
    assert (await core.handle(repeated)).duplicate  # the platform delivered it twice

    async def broken(inbound: Inbound) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(core.engine, "handle", broken)
    with pytest.raises(RuntimeError):
        await citizen.say("halo")
    monkeypatch.undo()
    waiting = ChatDriver(core, channel="push")
    await waiting.say("petugas")  # asks for a person: the helpdesk queue
    await _submitted(core, hours_ago=2)
    await _submitted(core, hours_ago=30)  # past the 24-hour deadline

    text, before = await _scrape(client)
    assert _value(before, "tlive_inbound_received_total", channel="push") == 5
    assert _value(before, "tlive_inbound_messages_total", channel="push", outcome="processed") == 3
    assert _value(before, "tlive_inbound_messages_total", channel="push", outcome="duplicate") == 1
    assert _value(before, "tlive_inbound_messages_total", channel="push", outcome="failed") == 1
    assert _value(before, "tlive_handle_seconds_count", channel="push") == 4
    pending = _value(before, "tlive_outbox_pending", channel="push")
    assert pending >= 3
    assert _value(before, "tlive_outbox_oldest_pending_seconds", channel="push") >= 0
    assert _value(before, "tlive_verification_waiting") == 2
    assert _value(before, "tlive_verification_overdue") == 1
    assert 30 * 3600 <= _value(before, "tlive_verification_oldest_waiting_seconds") < 31 * 3600
    assert _value(before, "tlive_helpdesk_queued") == 1
    assert _value(before, "tlive_helpdesk_oldest_queued_seconds") >= 0
    # Labels name channels and outcomes, never a chat.
    assert citizen.chat_id not in text and waiting.chat_id not in text

    sender = FlakySender()
    channel_context(core).add_sender(sender)
    for _ in range(100):
        while await core.outbox.drain_once():
            pass
        if sender.sent == pending:
            break
        async with core.uow() as uow:  # the retried message's back-off is over
            await uow.session.execute(update(OutboxItem).values(next_attempt_at=utcnow()))
            await uow.commit()
        await asyncio.sleep(0.05)
    limiter = channel_context(core).rate_limiter("telegram", "1", 30, 1.0)
    limiter.pause(0.01)  # what the Telegram sender does on a 429
    _, after = await _scrape(client)
    assert _value(after, "tlive_outbox_sends_total", channel="push", result="retry") == 1
    assert _value(after, "tlive_outbox_sends_total", channel="push", result="sent") == sender.sent
    assert sender.sent == pending
    assert _value(after, "tlive_outbox_pending", channel="push") == 0
    assert _value(after, "tlive_outbox_oldest_pending_seconds", channel="push") == 0
    assert _value(after, "tlive_rate_limited_total", channel="telegram") == 1


@pytest.mark.parametrize("forwarded_for", ["8.8.8.8", "2001:4860:4860::8888"])
async def test_metrics_are_refused_to_the_internet(
    any_core: Core, client: TestClient, forwarded_for: str
) -> None:
    # Through the (trusted, loopback) proxy from a public address: a proxy passing /metrics on
    # by mistake does not expose it.
    resp = await client.get("/metrics", headers={"X-Forwarded-For": forwarded_for})
    assert resp.status == 403
    inside = await client.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"})
    assert inside.status == 200


def test_workers_sharing_a_port_each_report_all_workers_counts() -> None:
    # `serve --workers N`: a scrape reaches any one worker, which must answer for all of them.
    directory = share_between_workers()
    env = dict(os.environ)
    os.environ.pop(MULTIPROCESS_ENV)  # this test process keeps counting on its own
    try:
        count = (
            "from bot.metrics import Metrics; m = Metrics(); "
            "m.received.labels('telegram').inc(); m.handle_seconds.labels('telegram').observe(0.02)"
        )
        for _worker in range(2):
            subprocess.run([sys.executable, "-c", count], env=env, check=True, timeout=120)
        render = "import sys; from bot.metrics import Metrics; print(Metrics().render().decode())"
        done = subprocess.run(
            [sys.executable, "-c", render], env=env, check=True, timeout=120,
            capture_output=True, text=True,
        )  # fmt: skip
    finally:
        stop_sharing(directory)
    samples = {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(done.stdout)
        for s in family.samples
    }
    assert _value(samples, "tlive_inbound_received_total", channel="telegram") == 2
    assert _value(samples, "tlive_handle_seconds_count", channel="telegram") == 2
