"""The core object graph: settings → database → services → engine (no web, no channels)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from bot.config import Settings
from bot.crypto import Keyring
from bot.domain.events import (
    ChatChanged,
    EventBus,
    FaqPublished,
    MessagesQueued,
    PhotoAttached,
    WebhooksQueued,
)
from bot.engine.conversation import ConversationEngine
from bot.engine.messages import Inbound
from bot.engine.ports import HandleResult
from bot.helpdesk.desk import HelpdeskService
from bot.helpdesk.media import MediaVault
from bot.i18n import Catalog
from bot.metrics import Metrics
from bot.outbox import OutboxDispatcher
from bot.photos.budget import DECODE_BUDGET, MB
from bot.services.container import IntentClassifier, Services
from bot.services.delivery import Delivery
from bot.services.faces import FaceComparisons
from bot.services.faq import FaqService
from bot.services.ktp_reading import KtpReader, KtpReadings
from bot.services.peak import PeakWatch
from bot.services.photos import PhotoService
from bot.services.registration import RegistrationService
from bot.speech import build_speech
from bot.storage.db import Database
from bot.storage.uow import UnitOfWorkFactory
from bot.usecases.accounts import AccountCases
from bot.usecases.desk import DeskCases
from bot.usecases.faq import FaqCases
from bot.usecases.helpdesk import HelpdeskCases
from bot.usecases.operations import OperationsCases
from bot.usecases.review import ReviewCases
from bot.usecases.webhooks import WebhookCases
from integrations.citysystems.dispatcher import Policy, WebhookDispatcher

if TYPE_CHECKING:
    from redis.asyncio import Redis


@dataclass(frozen=True, slots=True)
class Core:
    """Everything the channels, the console and the CLI share."""

    settings: Settings
    catalog: Catalog
    keys: Keyring
    db: Database
    uow: UnitOfWorkFactory
    services: Services
    engine: ConversationEngine
    outbox: OutboxDispatcher
    metrics: Metrics
    review_cases: ReviewCases
    account_cases: AccountCases
    faq_cases: FaqCases
    helpdesk_cases: HelpdeskCases
    operations: OperationsCases
    # Events for the city's systems, delivered from their outbox table; and their admin cases.
    webhooks: WebhookDispatcher
    webhook_cases: WebhookCases
    # Shared by the workers for the channels' send rate limits; None without TLIVE_REDIS_URL.
    redis: Redis | None = None
    # Compares a registration's KTP and selfie faces after its photos are stored.
    faces: FaceComparisons | None = None
    # Case notes and reopened decisions on the verifier's desk.
    desk_cases: DeskCases | None = None
    # Reads a registration's KTP photo (NIK, name, birth date) after it is stored.
    ktp_readings: KtpReadings | None = None

    async def handle(self, inbound: Inbound) -> HandleResult:
        """Answer one inbound message and count it."""
        started = time.perf_counter()
        self.metrics.received.labels(inbound.channel).inc()
        try:
            result = await self.engine.handle(inbound)
        except Exception:
            self.metrics.inbound.labels(inbound.channel, "failed").inc()
            raise
        outcome = "duplicate" if result.duplicate else "processed"
        self.metrics.inbound.labels(inbound.channel, outcome).inc()
        self.metrics.handle_seconds.labels(inbound.channel).observe(time.perf_counter() - started)
        return result


def build_core(settings: Settings, *, ocr: bool = True) -> Core:
    """Wire the core from settings; opens no connection yet."""
    # One budget for the whole process: every channel's, agent's and check's decodes share it.
    DECODE_BUDGET.set_limit(settings.decode_memory_mb * MB)
    catalog = Catalog()
    keys = Keyring(settings.secret_key, settings.previous_secret_keys)
    db = Database(settings.database_url)
    bus = EventBus()
    uow = UnitOfWorkFactory(db, keys, bus)
    speech = build_speech(settings)
    delivery = Delivery(voice=speech.enabled)
    metrics = Metrics()
    services = Services(
        settings=settings,
        registrations=RegistrationService(settings),
        faq=FaqService(uow),
        photos=PhotoService(ocr=ocr),
        delivery=delivery,
        helpdesk=HelpdeskService(settings, catalog, MediaVault(keys), delivery),
        speech=speech,
        peak=PeakWatch(settings),
        intents=_intents(settings, metrics),
    )
    outbox = OutboxDispatcher(uow, count=metrics.count_send)
    redis = _redis(settings)
    webhooks = WebhookDispatcher(uow, Policy(
        max_attempts=settings.webhook_max_attempts, timeout=settings.webhook_timeout_seconds,
    ), count=metrics.count_webhook)  # fmt: skip
    _subscribe(bus, outbox, services, webhooks)
    faces = FaceComparisons(uow, settings)
    bus.subscribe(PhotoAttached, faces.on_photo)
    reader = KtpReader(settings.ktp_ocr, timeout=settings.ktp_ocr_timeout_seconds,
                       memory_mb=settings.ktp_ocr_memory_mb)  # fmt: skip
    ktp_readings = KtpReadings(uow, reader)
    bus.subscribe(PhotoAttached, ktp_readings.on_photo)
    engine = ConversationEngine(uow, services, catalog)
    review_cases = ReviewCases(uow, settings, catalog, delivery, services.registrations)
    return Core(
        settings, catalog, keys, db, uow, services, engine, outbox, metrics,
        review_cases=review_cases, account_cases=AccountCases(uow),
        desk_cases=DeskCases(uow, settings, catalog, delivery),
        faq_cases=FaqCases(uow, services.faq),
        helpdesk_cases=HelpdeskCases(uow, settings, services.helpdesk, delivery, engine.resume),
        operations=OperationsCases(uow, settings, redis), redis=redis, faces=faces,
        webhooks=webhooks, webhook_cases=WebhookCases(uow, settings),
        ktp_readings=ktp_readings,
    )  # fmt: skip


def _subscribe(
    bus: EventBus, outbox: OutboxDispatcher, services: Services, webhooks: WebhookDispatcher
) -> None:
    """Say, in this one place, what happens after a commit."""
    bus.subscribe(WebhooksQueued, lambda _event: webhooks.wake())
    bus.subscribe(MessagesQueued, lambda _event: outbox.wake())
    bus.subscribe(ChatChanged, lambda _event: services.helpdesk.changes.notify())
    bus.subscribe(FaqPublished, lambda _event: services.faq.reload())


# Connections one worker keeps to Redis for the channels' rate limits.
REDIS_CONNECTIONS = 16


def _redis(settings: Settings) -> Redis | None:
    if not settings.redis_url:
        return None
    from redis.asyncio import BlockingConnectionPool, Redis

    # A burst of sends waits for one of a few connections (a reservation takes ~0.2 ms) instead
    # of failing; a stuck Redis makes a send fall back to per-worker pacing within seconds.
    pool = BlockingConnectionPool.from_url(
        settings.redis_url, max_connections=REDIS_CONNECTIONS, timeout=2,
        socket_timeout=2, socket_connect_timeout=2,
    )  # fmt: skip
    return Redis.from_pool(pool)


def _intents(settings: Settings, metrics: Metrics) -> IntentClassifier | None:
    if not settings.rasa_url:
        return None
    from integrations.rasa import CircuitBreaker, RasaIntents

    return RasaIntents(
        settings.rasa_url, confidence=settings.rasa_confidence,
        timeout=settings.rasa_timeout_ms / 1000,
        breaker=CircuitBreaker(
            settings.rasa_breaker_failures, settings.rasa_breaker_cooldown_seconds
        ),
        count=metrics.count_rasa,
    )  # fmt: skip


CORE = web.AppKey("core", Core)
