"""The WhatsApp Cloud API channel: webhook in, Graph API out."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web
from yarl import URL

from bot.config import Settings, is_loopback_url
from bot.engine.ports import ChannelContext
from integrations.whatsapp.graph import GraphClient, MediaHosts
from integrations.whatsapp.sender import (
    DEFAULT_PER_CHAT_INTERVAL,
    DEFAULT_RATE,
    WhatsAppSender,
)
from integrations.whatsapp.webhook import WhatsAppWebhook

__all__ = ["WEBHOOK_PATH", "install", "media_hosts"]

WEBHOOK_PATH = "/webhooks/whatsapp"
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=30, connect=10)


def install(app: web.Application, ctx: ChannelContext) -> WhatsAppSender:
    """Wire the WhatsApp channel into ``app``: webhook routes, sender, shared HTTP session."""
    settings = ctx.settings
    if not (settings.whatsapp_token and settings.whatsapp_phone_number_id):
        raise ValueError("WhatsApp is not configured (TLIVE_WHATSAPP_* settings missing)")
    client = GraphClient(
        settings.whatsapp_api_base, settings.whatsapp_token, settings.whatsapp_phone_number_id,
        media_hosts=media_hosts(settings),
    )  # fmt: skip
    # Per business number: every worker sending from it shares one schedule (with Redis).
    limiter = ctx.rate_limiter(
        "whatsapp", settings.whatsapp_phone_number_id, DEFAULT_RATE, DEFAULT_PER_CHAT_INTERVAL
    )
    sender = WhatsAppSender(
        client, settings=settings, catalog=ctx.catalog, make_voice=ctx.make_voice,
        limiter=limiter,
    )  # fmt: skip
    webhook = WhatsAppWebhook(ctx, client)

    async def http_session(_app: web.Application) -> AsyncIterator[None]:
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
            client.bind(session)
            yield
            client.bind(None)

    app.cleanup_ctx.append(http_session)
    app.router.add_get(WEBHOOK_PATH, webhook.handshake)
    app.router.add_post(WEBHOOK_PATH, webhook.receive)
    ctx.add_sender(sender)
    return sender


def media_hosts(settings: Settings) -> MediaHosts:
    """Return where media downloads may carry the token, as the settings say.

    A Graph API base on this machine (a stand-in, or a local relay) also serves its media:
    its host is trusted with the token already, over plain http since nothing leaves the host.
    """
    hosts = settings.whatsapp_media_host_list
    local = is_loopback_url(settings.whatsapp_api_base)
    if local:
        hosts = (*hosts, URL(settings.whatsapp_api_base).host or "127.0.0.1")
    return MediaHosts(hosts, allow_http=settings.allow_http_for_tests or local)
