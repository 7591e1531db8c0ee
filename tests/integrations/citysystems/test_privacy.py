"""Events for the city's systems follow the privacy rules: rekey, retention and erasure."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.core import Core
from bot.crypto import Keyring
from bot.domain.webhooks import DeliveryState, EventType
from bot.services.privacy import erase_citizen
from bot.storage.models import WebhookDelivery, WebhookEndpoint
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWorkFactory
from bot.usecases.privacy import purge_expired
from bot.usecases.rekey import reencrypt_all
from tests.conftest import migrated_core
from tests.console.support import NIK, seed_registration
from tests.integrations.citysystems.support import ADMIN

NEW = "new-secret-" + "n" * 40


async def _approve(core: Core) -> tuple[int, str]:
    seeded = await seed_registration(core)
    await core.review_cases.decide(ADMIN, seeded.id, approve=True, reason=None, note=None, ip=None)
    return seeded.conversation_id, seeded.reference


async def test_rekey_moves_secrets_and_event_data_to_the_new_key(
    settings_factory: Any, sqlite_url: str
) -> None:
    old = await migrated_core(settings_factory(database_url=sqlite_url))
    _endpoint, secret = await old.webhook_cases.create(
        ADMIN, "https://sso.tangerangkota.go.id/x", "identity", ["all"]
    )
    await _approve(old)
    old_secret = old.settings.secret_key
    await old.db.dispose()
    rotated = await migrated_core(
        settings_factory(database_url=sqlite_url, secret_key=NEW, secret_key_previous=old_secret)
    )
    counts = await reencrypt_all(rotated.uow, rotated.keys)
    assert counts["webhook_endpoints"] == 1 and counts["webhook_deliveries"] == 1
    only_new = UnitOfWorkFactory(rotated.db, Keyring(NEW))
    async with only_new() as uow:
        endpoint = (await uow.session.execute(select(WebhookEndpoint))).scalar_one()
        delivery = (await uow.session.execute(select(WebhookDelivery))).scalar_one()
        assert uow.webhooks.secret(endpoint) == secret
        assert uow.webhooks.data(delivery)["nik"] == NIK
    await rotated.db.dispose()


async def test_retention_deletes_sent_and_dead_events_and_keeps_due_ones(any_core: Core) -> None:
    await any_core.webhook_cases.create(ADMIN, "https://x.tangerangkota.go.id/", "status", ["all"])
    for _ in range(3):
        async with any_core.uow() as uow:
            targets = await uow.webhooks.subscribers(EventType.HANDOFF_REQUESTED)
            await uow.webhooks.record(EventType.HANDOFF_REQUESTED, targets, None, {}, utcnow())
            await uow.commit()
    long_ago = utcnow() - timedelta(days=30)
    async with any_core.uow() as uow:
        sent, dead, due = await uow.webhooks.deliveries()
        sent.state, sent.delivered_at = DeliveryState.DELIVERED.value, long_ago
        dead.state, dead.occurred_at = DeliveryState.DEAD.value, long_ago
        due.state, due.occurred_at = DeliveryState.FAILING.value, long_ago
        await uow.commit()
    result = await purge_expired(any_core.uow, 30, outbox_days=7)
    assert result.webhooks == 2
    async with any_core.uow() as uow:
        (left,) = await uow.webhooks.deliveries()
    assert left.id == due.id


async def test_erasing_her_data_deletes_the_events_about_her_requests(any_core: Core) -> None:
    await any_core.webhook_cases.create(ADMIN, "https://x.tangerangkota.go.id/", "identity",
                                        ["all"])  # fmt: skip
    conversation_id, _reference = await _approve(any_core)
    _other, other_reference = await _approve(any_core)
    async with any_core.uow() as uow:
        conv = await uow.conversations.get(conversation_id, lock=True)
        assert conv is not None
        await erase_citizen(uow, conv)
        await uow.commit()
    async with any_core.uow() as uow:
        (left,) = await uow.webhooks.deliveries()
    assert left.subject == other_reference  # another citizen's event stays
