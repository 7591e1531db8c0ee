"""Webhook delivery from the database: signed, retried with backoff, each event accepted once."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.core import Core, build_core
from bot.domain.webhooks import DeliveryState, EventType
from bot.storage.models import WebhookDelivery, WebhookEndpoint
from bot.storage.types import utcnow
from integrations.citysystems.dispatcher import Policy, WebhookDispatcher
from tests.conftest import migrated_core
from tests.console.support import NIK, seed_registration
from tests.integrations.citysystems.receiver import Receiver, receiving
from tests.integrations.citysystems.support import (
    ADMIN,
    FAST,
    drain_until_settled,
    states,
    subscribe,
)
from tests.support.postgres import temporary_database


async def record(
    core: Core, count: int, kind: EventType = EventType.REGISTRATION_SUBMITTED
) -> None:
    """Record ``count`` events as a use case would, each in its own transaction."""
    for n in range(count):
        async with core.uow() as uow:
            targets = await uow.webhooks.subscribers(kind)
            data = {"reference": f"TL-{n:06d}", "status": "submitted", "nik": NIK, "name": "SITI"}
            await uow.webhooks.record(kind, targets, f"TL-{n:06d}", data, utcnow())
            await uow.commit()


def flaky(n: int) -> str:
    """Fail about two requests in five: a 500 every third, a time-out every seventh."""
    if n % 7 == 3:
        return "slow"
    return "500" if n % 3 == 1 else "ok"


async def test_every_event_is_accepted_exactly_once_despite_errors_and_timeouts(
    any_core: Core,
) -> None:
    async with receiving(Receiver(script=flaky, slow_seconds=1.0)) as receiver:
        await subscribe(any_core, receiver)
        await record(any_core, 25)
        dispatcher = WebhookDispatcher(any_core.uow, FAST)
        counts = await drain_until_settled(dispatcher, any_core)
        await dispatcher._sender.close()
    assert counts == {DeliveryState.DELIVERED: 25}
    assert len(receiver.accepted) == 25 and receiver.duplicates == 0
    assert receiver.bad_signatures == 0 and receiver.refused > 0  # it really failed sometimes
    event = next(iter(receiver.events.values()))
    assert event["specversion"] == "1.0" and event["source"] and event["time"].endswith("Z")
    assert event["type"] == "id.go.tangerangkota.live.registration.submitted"
    assert receiver.headers[0]["Content-Type"].startswith("application/cloudevents+json")


async def test_a_retry_keeps_the_event_id_and_the_failure_is_visible(any_core: Core) -> None:
    async with receiving(Receiver(script=lambda n: "500" if n == 0 else "ok")) as receiver:
        await subscribe(any_core, receiver)
        await record(any_core, 1)
        dispatcher = WebhookDispatcher(any_core.uow, Policy(base_delay=60, timeout=2))
        assert await dispatcher.drain_once() == 1
        async with any_core.uow() as uow:
            (failing,) = await uow.webhooks.deliveries(state=DeliveryState.FAILING)
        assert failing.attempts == 1 and failing.last_error == "HTTP 500"
        # Exponential backoff with jitter: the first retry waits 30–60 s.
        wait = (failing.next_attempt_at - utcnow()).total_seconds()
        assert 25 < wait <= 60
        assert await dispatcher.drain_once() == 0  # not due yet
        later = utcnow() + timedelta(seconds=61)
        assert await dispatcher.drain_once(now=later) == 1
        await dispatcher._sender.close()
    ids = {h["X-Tlive-Event-Id"] for h in receiver.headers}
    assert len(ids) == 1 and receiver.accepted[ids.pop()] == 1
    assert [h["X-Tlive-Attempt"] for h in receiver.headers] == ["1", "2"]


async def test_a_delivery_is_dead_after_the_last_attempt_and_can_be_sent_again_by_hand(
    any_core: Core,
) -> None:
    answers = {"mode": "500"}
    async with receiving(Receiver(script=lambda _n: answers["mode"])) as receiver:
        await subscribe(any_core, receiver)
        await record(any_core, 1)
        dispatcher = WebhookDispatcher(any_core.uow, Policy(
            max_attempts=3, timeout=1, base_delay=0.01, max_delay=0.02))  # fmt: skip
        assert await drain_until_settled(dispatcher, any_core) == {DeliveryState.DEAD: 1}
        assert receiver.requests == 3 and not receiver.accepted
        async with any_core.uow() as uow:
            (dead,) = await uow.webhooks.deliveries()
        assert dead.attempts == 3 and dead.last_error == "HTTP 500"
        answers["mode"] = "ok"
        await any_core.webhook_cases.retry(ADMIN, dead.id)
        assert await drain_until_settled(dispatcher, any_core) == {DeliveryState.DELIVERED: 1}
        await dispatcher._sender.close()
    assert receiver.duplicates == 0 and len(receiver.accepted) == 1


async def test_an_unreachable_endpoint_is_retried(any_core: Core) -> None:
    async with receiving(Receiver()) as receiver:
        url = receiver.url
    endpoint, _secret = await any_core.webhook_cases.create(ADMIN, url, "status", ["all"])
    await record(any_core, 1)
    dispatcher = WebhookDispatcher(any_core.uow, Policy(timeout=1, base_delay=30))
    assert await dispatcher.drain_once() == 1
    await dispatcher._sender.close()
    async with any_core.uow() as uow:
        (delivery,) = await uow.webhooks.deliveries(endpoint.id)
    assert delivery.state == DeliveryState.FAILING and delivery.last_error


async def test_a_status_endpoint_never_receives_nik_or_name(any_core: Core) -> None:
    seeded = await seed_registration(any_core, full_name="SITI AMINAH")
    async with receiving(Receiver()) as status, receiving(Receiver()) as identity:
        await subscribe(any_core, status, "status")
        await subscribe(any_core, identity, "identity")
        await any_core.review_cases.decide(
            ADMIN, seeded.id, approve=False, reason="ktp_blurry", note=None, ip=None
        )
        dispatcher = WebhookDispatcher(any_core.uow, FAST)
        await drain_until_settled(dispatcher, any_core)
        await dispatcher._sender.close()
    (sent,) = status.events.values()
    (full,) = identity.events.values()
    assert sent["id"] == full["id"]  # one event, the same id for every endpoint
    assert "nik" not in sent["data"] and "name" not in sent["data"]
    assert NIK not in json.dumps(sent) and "AMINAH" not in json.dumps(sent)
    assert sent["data"]["reference"] == seeded.reference and sent["data"]["status"] == "rejected"
    assert sent["data"]["reject_reason"] == "ktp_blurry" and sent["data"]["decided_at"]
    assert full["data"]["nik"] == NIK and full["data"]["name"] == "SITI AMINAH"


async def test_personal_data_and_secrets_are_encrypted_at_rest(any_core: Core) -> None:
    seeded = await seed_registration(any_core)
    async with receiving(Receiver()) as identity:
        await subscribe(any_core, identity, "identity")
        await any_core.review_cases.decide(
            ADMIN, seeded.id, approve=True, reason=None, note=None, ip=None
        )
    async with any_core.uow() as uow:
        endpoint = (await uow.session.execute(select(WebhookEndpoint))).scalar_one()
        delivery = (await uow.session.execute(select(WebhookDelivery))).scalar_one()
        assert uow.webhooks.data(delivery)["nik"] == NIK
        assert uow.webhooks.secret(endpoint) == identity.secret
    assert NIK.encode() not in delivery.data_enc and b"SITI" not in delivery.data_enc
    assert identity.secret.encode() not in endpoint.secret_enc


async def test_a_rolled_back_change_leaves_no_event(any_core: Core) -> None:
    seeded = await seed_registration(any_core)
    async with receiving(Receiver()) as receiver:
        await subscribe(any_core, receiver)
    with pytest.raises(RuntimeError):
        async with any_core.uow() as uow:
            await any_core.services.registrations.decide(
                uow, seeded.id, approve=True, reason=None, note=None, actor="user:1"
            )
            assert await uow.webhooks.deliveries()  # written in this transaction…
            raise RuntimeError("crash before commit")
    assert await states(any_core) == {}  # …and gone with it


async def test_disabled_or_unsubscribed_endpoints_get_nothing(any_core: Core) -> None:
    async with receiving(Receiver()) as receiver:
        handoffs = await subscribe(any_core, receiver, events=("handoff.requested",))
        off = await subscribe(any_core, receiver)
        await any_core.webhook_cases.set_active(ADMIN, off, False)
        await record(any_core, 2)
        assert await states(any_core) == {}
        await record(any_core, 1, EventType.HANDOFF_REQUESTED)
    async with any_core.uow() as uow:
        (delivery,) = await uow.webhooks.deliveries()
    assert delivery.endpoint_id == handoffs  # the subscriber gets it, the disabled one not


async def test_two_dispatchers_on_postgresql_never_send_one_delivery_twice(
    settings_factory: object,
) -> None:
    with temporary_database() as url:
        settings = settings_factory(database_url=url)  # type: ignore[operator]
        first = await migrated_core(settings)
        second = build_core(settings, ocr=False)
        try:
            async with receiving(Receiver(script=flaky, slow_seconds=0.6)) as receiver:
                await subscribe(first, receiver)
                await record(first, 60)
                policy = Policy(max_attempts=10, timeout=0.3, base_delay=0.0, max_delay=0.0,
                                batch=7)  # fmt: skip
                a = WebhookDispatcher(first.uow, policy)
                b = WebhookDispatcher(second.uow, policy)
                counts = await asyncio.gather(
                    drain_until_settled(a, first), drain_until_settled(b, second)
                )
                await a._sender.close()
                await b._sender.close()
        finally:
            await second.db.dispose()
            await first.db.dispose()
    assert counts[0] == {DeliveryState.DELIVERED: 60}
    assert len(receiver.accepted) == 60 and receiver.duplicates == 0
    assert receiver.bad_signatures == 0


async def test_an_unreadable_delivery_is_given_up_without_holding_up_the_others(
    any_core: Core,
) -> None:
    async with receiving(Receiver()) as receiver:
        await subscribe(any_core, receiver)
        await record(any_core, 3)
        async with any_core.uow() as uow:
            first, second, _third = await uow.webhooks.deliveries()
            first.data_enc = second.data_enc  # bound to another row: does not decrypt here
            await uow.commit()
        dispatcher = WebhookDispatcher(any_core.uow, FAST)
        counts = await drain_until_settled(dispatcher, any_core)
        await dispatcher._sender.close()
    assert counts == {DeliveryState.DELIVERED: 2, DeliveryState.DEAD: 1}
    async with any_core.uow() as uow:
        dead = await uow.webhooks.delivery(first.id)
    assert dead is not None and dead.last_error == "cannot build: InvalidTag"
    assert len(receiver.accepted) == 2
