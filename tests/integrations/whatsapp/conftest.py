"""Fixtures for the WhatsApp channel: the Graph API stand-in and a minimal core."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from PIL import Image
from sqlalchemy import func, select

from bot.app import build_app
from bot.config import Settings
from bot.core import Core
from bot.engine.channels import ChannelSender
from bot.engine.messages import Inbound
from bot.engine.ports import ChannelContext, HandleResult
from bot.i18n import Catalog
from bot.storage.models import OutboxItem
from integrations.whatsapp import WEBHOOK_PATH, install, media_hosts
from integrations.whatsapp.graph import GraphClient
from integrations.whatsapp.sender import WhatsAppSender
from tests.conftest import migrated_core
from tests.standins.graph_api import (
    DEFAULT_PHONE_NUMBER_ID,
    DEFAULT_TOKEN,
    GraphApiStandIn,
    WebhookBuilder,
    WhatsAppUser,
)

APP_SECRET = "app-secret-for-tests"
VERIFY_TOKEN = "verify-token-for-tests"
CITIZEN = "6281234567890"
PUBLIC_URL = "https://tlive.example.go.id"


@dataclass
class FakeCore:
    """The core's side of :class:`ChannelContext`: stores inbounds, dedups, records statuses."""

    inbounds: list[Inbound] = field(default_factory=list)
    deliveries: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    senders: list[ChannelSender] = field(default_factory=list)
    fail_ids: set[str] = field(default_factory=set)
    duplicates: int = 0
    _seen: set[tuple[str, str]] = field(default_factory=set)

    async def handle_inbound(self, inbound: Inbound) -> HandleResult:
        """Store ``inbound`` once per (channel, message id); raise for ids in ``fail_ids``."""
        if inbound.message_id in self.fail_ids:
            # Like an SQLAlchemy error, the message quotes the statement's parameters.
            raise RuntimeError(
                f"INSERT failed, parameters: ({inbound.chat_id!r}, {inbound.text!r})"
            )
        key = (inbound.channel, inbound.message_id)
        if key in self._seen:
            self.duplicates += 1
            return HandleResult(duplicate=True)
        self._seen.add(key)
        self.inbounds.append(inbound)
        return HandleResult(duplicate=False)

    async def record_delivery(
        self, channel: str, wamid: str, status: str, error: str | None
    ) -> None:
        """Remember a delivery status."""
        self.deliveries.append((channel, wamid, status, error))

    def add_sender(self, sender: ChannelSender) -> None:
        """Remember a registered sender."""
        self.senders.append(sender)


@dataclass
class Service:
    """A running aiohttp app with the WhatsApp channel installed."""

    url: str
    session: aiohttp.ClientSession
    core: FakeCore
    sender: WhatsAppSender


def make_settings(api_base: str, **overrides: object) -> Settings:
    """Build settings for the WhatsApp channel pointing at ``api_base``."""
    values: dict[str, object] = {
        "secret_key": "x" * 32,
        "whatsapp_token": DEFAULT_TOKEN,
        "whatsapp_phone_number_id": DEFAULT_PHONE_NUMBER_ID,
        "whatsapp_app_secret": APP_SECRET,
        "whatsapp_verify_token": VERIFY_TOKEN,
        "whatsapp_api_base": api_base,
        "public_url": PUBLIC_URL,
        # The stand-in serves the API and media over plain http on 127.0.0.1.
        "whatsapp_media_hosts": "127.0.0.1",
        "allow_http_for_tests": True,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def jpeg_bytes(size: tuple[int, int] = (64, 40)) -> bytes:
    """Make a small real JPEG."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
async def graph() -> AsyncIterator[GraphApiStandIn]:
    """Run the Graph API stand-in."""
    async with GraphApiStandIn() as standin:
        yield standin


@pytest.fixture
def settings(graph: GraphApiStandIn) -> Settings:
    """Return settings pointing at the stand-in."""
    return make_settings(graph.api_base)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """Load the Indonesian catalog."""
    return Catalog()


@pytest.fixture
def webhooks(graph: GraphApiStandIn) -> WebhookBuilder:
    """Return a webhook builder for the stand-in's phone number."""
    builder = graph.webhooks
    builder.names[CITIZEN] = "Budi Santoso"
    return builder


@pytest.fixture
def core() -> FakeCore:
    """Return a fresh fake core."""
    return FakeCore()


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[GraphClient]:
    """Return a Graph client bound to an open session."""
    graph_client = GraphClient(
        settings.whatsapp_api_base,
        settings.whatsapp_token or "",
        settings.whatsapp_phone_number_id or "",
        media_hosts=media_hosts(settings),
    )
    async with aiohttp.ClientSession() as session:
        graph_client.bind(session)
        yield graph_client


@pytest.fixture
async def service(settings: Settings, catalog: Catalog, core: FakeCore) -> AsyncIterator[Service]:
    """Run an app with ``install`` applied and a client session to call it."""
    app = web.Application()
    ctx = ChannelContext(
        settings=settings,
        catalog=catalog,
        handle_inbound=core.handle_inbound,
        add_sender=core.add_sender,
        record_delivery=core.record_delivery,
    )
    sender = install(app, ctx)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            yield Service(
                url=str(server.make_url(WEBHOOK_PATH)), session=session, core=core, sender=sender
            )
    finally:
        await server.close()


@dataclass
class Env:
    """The running service, its core, the stand-in and a client session."""

    core: Core
    graph: GraphApiStandIn
    url: str
    session: aiohttp.ClientSession
    webhooks: WebhookBuilder

    def citizen(self, wa_id: str = CITIZEN) -> WhatsAppUser:
        """Return a WhatsApp user who writes to the service through signed webhooks."""

        async def pending() -> int:
            return await outbox_pending(self.core, wa_id)

        return WhatsAppUser(
            self.graph, self.webhooks, self.session, self.url, APP_SECRET, wa_id, pending=pending
        )


async def outbox_pending(core: Core, wa_id: str) -> int:
    """Count the replies to ``wa_id`` still waiting in the outbox."""
    async with core.uow() as uow:
        conv = await uow.conversations.find("whatsapp", wa_id)
        if conv is None:
            return 0
        query = select(func.count(OutboxItem.id)).where(
            OutboxItem.conversation_id == conv.id, OutboxItem.status == "pending"
        )
        return int((await uow.session.execute(query)).scalar_one())


@asynccontextmanager
async def running_service(tmp_path: Path, graph: GraphApiStandIn) -> AsyncIterator[Env]:
    """Run the whole service on SQLite in ``tmp_path`` with WhatsApp pointed at the stand-in."""
    settings = make_settings(
        graph.api_base,
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'tlive.db'}",
    )
    core = await migrated_core(settings)
    server = TestServer(build_app(settings, core=core), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            url = str(server.make_url(WEBHOOK_PATH))
            yield Env(core, graph, url, session, graph.webhooks)
    finally:
        await server.close()
        await core.db.dispose()
