"""The ``/webhooks/whatsapp`` endpoint: the verification handshake and signed notifications."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.domain.compare import same_secret
from bot.engine.ports import ChannelContext
from integrations.whatsapp.adapter import (
    CHANNEL,
    MalformedMessageError,
    MediaFetcher,
    sender_id,
    to_inbound,
)
from integrations.whatsapp.graph import GraphError

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
SIGNATURE_PREFIX = "sha256="


def signature_for(app_secret: str, body: bytes) -> str:
    """Compute the ``X-Hub-Signature-256`` value Meta sends for ``body``."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def check_signature(app_secret: str, body: bytes, header: str | None) -> int | None:
    """Return None when ``header`` signs ``body``, else the HTTP status to refuse with."""
    if not header:
        return 401
    if not app_secret:
        return 403
    expected = signature_for(app_secret, body)
    given = header.strip()
    if not given.lower().startswith(SIGNATURE_PREFIX):
        return 403
    given = SIGNATURE_PREFIX + given[len(SIGNATURE_PREFIX) :].lower()
    if not same_secret(given, expected):
        return 403
    return None


class WhatsAppWebhook:
    """Answer Meta's webhook calls and feed every message and status into the core."""

    def __init__(self, ctx: ChannelContext, media: MediaFetcher) -> None:
        self._ctx = ctx
        self._media = media
        settings = ctx.settings
        self._verify_token = settings.whatsapp_verify_token or ""
        self._app_secret = settings.whatsapp_app_secret or ""
        self._phone_number_id = settings.whatsapp_phone_number_id or ""

    async def handshake(self, request: web.Request) -> web.Response:
        """Echo ``hub.challenge`` when Meta subscribes with the right verify token."""
        query = request.query
        token = query.get("hub.verify_token", "")
        ok = (
            query.get("hub.mode") == "subscribe"
            and bool(self._verify_token)
            and same_secret(token, self._verify_token)
        )
        if not ok:
            log.warning("whatsapp: webhook verification refused")
            return web.Response(status=403, text="Forbidden")
        log.info("whatsapp: webhook verified")
        return web.Response(text=query.get("hub.challenge", ""), content_type="text/plain")

    async def receive(self, request: web.Request) -> web.Response:
        """Verify the signature over the raw body, then process the whole batch."""
        body = await request.read()
        refused = check_signature(self._app_secret, body, request.headers.get(SIGNATURE_HEADER))
        if refused is not None:
            log.warning("whatsapp: webhook refused (%s), signature missing or wrong", refused)
            return web.Response(
                status=refused, text="Unauthorized" if refused == 401 else "Forbidden"
            )
        try:
            data = json.loads(body)
        except ValueError:
            log.warning("whatsapp: webhook body is not JSON (%d bytes), dropped", len(body))
            return web.Response(text="OK")
        if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
            log.warning("whatsapp: webhook body is not a WhatsApp notification, dropped")
            return web.Response(text="OK")
        if not await self.process(data):
            return web.Response(status=500, text="Retry later")
        return web.Response(text="OK")

    async def process(self, data: Mapping[str, Any]) -> bool:
        """Process every entry, change, status and message; False if anything must be retried."""
        statuses: list[Mapping[str, Any]] = []
        per_chat: dict[str, list[tuple[Mapping[str, Any], dict[str, str]]]] = {}
        for entry in _objects(data.get("entry")):
            for change in _objects(entry.get("changes")):
                if change.get("field") != "messages":
                    log.info("whatsapp: ignoring webhook field %r", str(change.get("field"))[:40])
                    continue
                value = change.get("value")
                if not isinstance(value, Mapping):
                    log.warning("whatsapp: change without value, skipped")
                    continue
                if not self._ours(value):
                    continue
                for error in _objects(value.get("errors")):
                    log.warning("whatsapp: webhook reports error %s", error.get("code"))
                statuses.extend(_objects(value.get("statuses")))
                names = _profile_names(value.get("contacts"))
                for message in _objects(value.get("messages")):
                    if message.get("group_id"):
                        log.info("whatsapp: ignoring a group message")
                        continue
                    per_chat.setdefault(sender_id(message), []).append((message, names))
        results = await asyncio.gather(
            self._record_statuses(statuses),
            *(self._handle_chat(messages) for messages in per_chat.values()),
        )
        return all(results)

    def _ours(self, value: Mapping[str, Any]) -> bool:
        metadata = value.get("metadata")
        number = metadata.get("phone_number_id") if isinstance(metadata, Mapping) else None
        if number is not None and self._phone_number_id and str(number) != self._phone_number_id:
            log.warning("whatsapp: notification for another phone number id, skipped")
            return False
        return True

    async def _handle_chat(self, messages: list[tuple[Mapping[str, Any], dict[str, str]]]) -> bool:
        """Handle one chat's messages in order; stop at the first failure so order survives."""
        for message, names in messages:
            try:
                inbound = await to_inbound(message, names, self._media)
            except MalformedMessageError:
                log.warning("whatsapp: malformed message skipped")
                continue
            except Exception as exc:
                log.error("whatsapp: could not read a %s message: %s", _kind(message), _safe(exc))
                return False
            if inbound is None:
                continue
            try:
                result = await self._ctx.handle_inbound(inbound)
            except Exception as exc:
                log.error("whatsapp: could not store a %s message: %s", inbound.kind, _safe(exc))
                return False
            if result.duplicate:
                log.debug("whatsapp: duplicate message dropped")
        return True

    async def _record_statuses(self, statuses: list[Mapping[str, Any]]) -> bool:
        ok = True
        for status in statuses:
            wamid, state = status.get("id"), status.get("status")
            if not isinstance(wamid, str) or not isinstance(state, str):
                log.warning("whatsapp: malformed status skipped")
                continue
            error = _status_error(status)
            if error:
                log.warning("whatsapp: delivery failed: %s", error)
            try:
                await self._ctx.record_delivery(CHANNEL, wamid, state, error)
            except Exception as exc:
                log.error("whatsapp: could not record a delivery status: %s", _safe(exc))
                ok = False
        return ok


def _objects(value: Any) -> list[Mapping[str, Any]]:
    """Return the dicts in a JSON list, ignoring anything else."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _profile_names(contacts: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    for contact in _objects(contacts):
        profile = contact.get("profile")
        name = profile.get("name") if isinstance(profile, Mapping) else None
        if not isinstance(name, str) or not name:
            continue
        for key in ("wa_id", "user_id"):
            ident = contact.get(key)
            if isinstance(ident, str) and ident:
                names[ident] = name
    return names


def _status_error(status: Mapping[str, Any]) -> str | None:
    """Summarise a failed status's first error as "<code> <title>" (no personal data)."""
    errors = _objects(status.get("errors"))
    if not errors:
        return None
    first = errors[0]
    title = first.get("title") or first.get("message") or ""
    return f"{first.get('code')} {str(title)[:200]}".strip()


def _safe(exc: BaseException) -> str:
    """Describe an exception without its message, which may quote personal data (SQL params)."""
    if isinstance(exc, GraphError):
        return f"GraphError HTTP {exc.status} code {exc.code}"
    return type(exc).__name__


def _kind(message: Mapping[str, Any]) -> str:
    return str(message.get("type", "?"))[:40]
