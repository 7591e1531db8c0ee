"""Admins manage the city's endpoints and their deliveries (console and CLI), audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from bot.config import Settings
from bot.domain.events import WebhooksQueued
from bot.domain.webhooks import (
    DeliveryState,
    Scope,
    WebhookUrlError,
    check_url,
    new_secret,
    parse_events,
)
from bot.services.accounts import Actor
from bot.storage.models import WebhookDelivery, WebhookEndpoint
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory
from bot.usecases.errors import Refused


class WebhookError(Refused):
    """A refused endpoint or delivery change; ``code`` names why."""

    statuses: ClassVar[Mapping[str, int]] = {
        "not_found": 404, "delivery_not_found": 404, "url_invalid": 422, "url_scheme": 422,
        "url_credentials": 422, "url_plain_http": 422, "scope_invalid": 422,
        "events_invalid": 422,
    }  # fmt: skip


@dataclass(frozen=True, slots=True)
class EndpointView:
    """An endpoint with how its deliveries stand (never its secret)."""

    endpoint: WebhookEndpoint
    counts: Mapping[str, int] = field(default_factory=dict)


class WebhookCases:
    """Create, list, enable and disable endpoints; list and retry deliveries."""

    def __init__(self, uow: UnitOfWorkFactory, settings: Settings) -> None:
        self._uow = uow
        self._settings = settings

    async def create(
        self, actor: Actor, url: str, scope: str, events: Sequence[str], *, ip: str | None = None
    ) -> tuple[WebhookEndpoint, str]:
        """Add an endpoint; return it with its signing secret, which is shown only this once."""
        try:
            clean = check_url(url, allow_http=self._settings.webhook_allow_http)
        except WebhookUrlError as exc:
            raise WebhookError(exc.code) from None
        try:
            kind = Scope(scope.strip())
        except ValueError:
            raise WebhookError("scope_invalid") from None
        try:
            wanted = parse_events(events)
        except ValueError:
            raise WebhookError("events_invalid") from None
        secret = new_secret()
        async with self._uow() as uow:
            endpoint = await uow.webhooks.add_endpoint(clean, kind, wanted, secret)
            details = {"url": clean, "scope": kind.value, "events": [e.value for e in wanted]}
            _audit(uow, actor, "webhook.created", str(endpoint.id), ip, details)
            await uow.commit()
        return endpoint, secret

    async def endpoints(self) -> list[EndpointView]:
        """Return every endpoint with its delivery counts per state."""
        async with self._uow() as uow:
            counts = await uow.webhooks.counts()
            return [EndpointView(e, counts.get(e.id, {})) for e in await uow.webhooks.endpoints()]

    async def set_active(
        self, actor: Actor, endpoint_id: int, active: bool, *, ip: str | None = None
    ) -> WebhookEndpoint:
        """Enable or disable an endpoint (a disabled one gets no new events; waiting ones wait)."""
        async with self._uow() as uow:
            endpoint = await uow.webhooks.endpoint(endpoint_id)
            if endpoint is None:
                raise WebhookError("not_found")
            if endpoint.active != active:
                endpoint.active = active
                action = "webhook.enabled" if active else "webhook.disabled"
                _audit(uow, actor, action, str(endpoint.id), ip, {"url": endpoint.url})
                if active:
                    uow.publish(WebhooksQueued())  # what waited is due now
                await uow.commit()
        return endpoint

    async def deliveries(
        self, endpoint_id: int | None = None, *, state: str | None = None, limit: int = 100
    ) -> tuple[WebhookEndpoint | None, list[WebhookDelivery]]:
        """Return an endpoint (when named) and its newest deliveries, optionally of one state."""
        try:
            wanted = DeliveryState(state) if state else None
        except ValueError:
            wanted = None
        async with self._uow() as uow:
            endpoint = None
            if endpoint_id is not None:
                endpoint = await uow.webhooks.endpoint(endpoint_id)
                if endpoint is None:
                    raise WebhookError("not_found")
            found = await uow.webhooks.deliveries(endpoint_id, state=wanted, limit=limit)
            return endpoint, found

    async def retry(
        self, actor: Actor, delivery_id: int, *, ip: str | None = None
    ) -> WebhookDelivery:
        """Send a delivery again now ("kirim ulang"), with a fresh count of attempts."""
        async with self._uow() as uow:
            delivery = await uow.webhooks.delivery(delivery_id, lock=True)
            if delivery is None:
                raise WebhookError("delivery_not_found")
            before = delivery.state
            uow.webhooks.retry_now(delivery)
            _audit(uow, actor, "webhook.retried", str(delivery.endpoint_id), ip, {
                "delivery_id": delivery.id, "event_id": delivery.event_uid,
                "event_type": delivery.event_type, "state_before": before,
            })  # fmt: skip
            uow.publish(WebhooksQueued())
            await uow.commit()
        return delivery


def _audit(
    uow: UnitOfWork, actor: Actor, action: str, target_id: str, ip: str | None,
    details: dict[str, object],
) -> None:  # fmt: skip
    uow.audit.record(
        action, actor_type=actor.type, actor_id=actor.id, actor_name=actor.name,
        target_type="webhook", target_id=target_id, details=details, ip=ip,
    )  # fmt: skip
