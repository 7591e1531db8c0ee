"""Deliver neutral replies over the WhatsApp Cloud API, honouring the 24-hour window."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import aiohttp

from bot.config import Settings
from bot.engine.channels import Recipient, SendError
from bot.engine.messages import Button, Reply, Template
from bot.engine.ratelimit import RateLimiter
from bot.i18n import Catalog
from bot.speech import FILENAME, MIME_TYPE
from integrations.whatsapp.graph import GraphClient, GraphError, GraphUnavailableError
from integrations.whatsapp.render import Payload, audio_payload, render_reply, template_payload

log = logging.getLogger(__name__)

# Free-form messages are allowed for 24 h after the citizen's last message; keep a small margin
# so a message queued at 23:59:59 is not refused on arrival.
WINDOW = timedelta(hours=24)
WINDOW_MARGIN = timedelta(minutes=2)

# Meta's default throughput for a business number; a small gap per chat keeps clear of the
# (business, consumer) pair limit (131056) without slowing a normal conversation.
DEFAULT_RATE = 80.0
DEFAULT_PER_CHAT_INTERVAL = 0.2

REENGAGEMENT = 131047
THROUGHPUT_LIMIT = 130429
PAIR_LIMIT = 131056
ACCOUNT_LIMIT = 80007
SPAM_LIMIT = 131048
TEMPORARY_CODES = frozenset({1, 2, 131000, 133004})
AUTH_CODES = frozenset({190})

NETWORK_RETRY = 5.0
PAIR_RETRY = 6.0
ACCOUNT_RETRY = 60.0
AUTH_RETRY = 300.0
MAX_BACKOFF = 60.0
PARTIAL_TTL = 15 * 60.0
# Meta keeps an uploaded media object 30 days; reuse one for a common prompt well within that.
MEDIA_REUSE_SECONDS = 7 * 24 * 3600.0
MEDIA_REUSE_MAX = 512
# The "🔊 Dengarkan" button's id (dialogs.voice listens for it).
LISTEN_BUTTON = "voice:listen"
# Make the OGG/Opus voice note of a text, or None when none could be made.
VoiceMaker = Callable[[str], Awaitable[bytes | None]]


class ReengagementError(SendError):
    """Meta refused free text because the 24-hour window is closed (error 131047)."""


class WhatsAppSender:
    """Send replies to WhatsApp users: rendered messages inside the window, templates outside."""

    channel = "whatsapp"

    def __init__(
        self,
        client: GraphClient,
        *,
        settings: Settings,
        catalog: Catalog,
        limiter: RateLimiter | None = None,
        clock: Callable[[], datetime] | None = None,
        make_voice: VoiceMaker | None = None,
    ) -> None:
        self._client = client
        self._make_voice = make_voice
        # Uploaded voice notes by a hash of their bytes: (expiry, media id).
        self._uploaded: dict[str, tuple[float, str]] = {}
        self._catalog = catalog
        self._public_url = settings.public_url
        self._language = settings.whatsapp_template_language
        self.limiter = limiter or RateLimiter(DEFAULT_RATE, DEFAULT_PER_CHAT_INTERVAL)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._throughput_streak = 0
        # Multi-part replies that failed halfway: (chat, digest) → (expiry, parts sent, wamid).
        self._partial: dict[tuple[str, str], tuple[float, int, str]] = {}

    def inside_window(self, recipient: Recipient) -> bool:
        """Tell whether free-form messages may still be sent to ``recipient``."""
        last = recipient.last_inbound_at
        if last is None:
            return False
        if last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        return self._clock() - last < WINDOW - WINDOW_MARGIN

    async def send(self, recipient: Recipient, reply: Reply) -> str | None:
        """Send ``reply``; return the last message's wamid or raise :class:`SendError`."""
        to = recipient.chat_id
        # template_only: Meta reported the window closed after accepting a free-text message.
        if reply.extra.get("template_only") or not self.inside_window(recipient):
            if reply.is_voice_note:
                log.info("whatsapp: voice note skipped, outside the 24-hour window")
                return None
            if reply.template is None:
                raise SendError(
                    "WhatsApp: outside the 24-hour window and this reply has no template; "
                    "free text cannot be sent",
                    retry_after=None,
                )
            return await self._send_template(to, reply.template)
        if reply.is_voice_note:
            return await self._send_voice(to, reply.text)
        listen = (
            Button(LISTEN_BUTTON, self._catalog.text("btn-listen"))
            if self._make_voice is not None
            else None
        )
        payloads = render_reply(
            reply, to, catalog=self._catalog, public_url=self._public_url, listen=listen
        )
        if not payloads:
            return None
        try:
            return await self._send_parts(to, payloads)
        except ReengagementError:
            if reply.template is None:
                raise
            log.info("whatsapp: window closed (131047), sending the template instead")
            return await self._send_template(to, reply.template)

    async def _send_voice(self, to: str, text: str) -> str | None:
        """Upload the voice note of ``text`` (once per note) and send it as an audio message."""
        audio = await self._make_voice(text) if self._make_voice is not None else None
        if audio is None:
            log.info("whatsapp: no voice note made, skipped (the text was sent)")
            return None
        digest = hashlib.sha256(audio).hexdigest()
        now = time.monotonic()
        expiry, media_id = self._uploaded.get(digest, (0.0, ""))
        if expiry <= now:
            media_id = await self._upload(to, audio)
            if len(self._uploaded) >= MEDIA_REUSE_MAX:
                self._uploaded = {k: v for k, v in self._uploaded.items() if v[0] > now}
                if len(self._uploaded) >= MEDIA_REUSE_MAX:
                    self._uploaded.clear()
            self._uploaded[digest] = (now + MEDIA_REUSE_SECONDS, media_id)
        return await self._post(to, audio_payload(to, media_id))

    async def _upload(self, to: str, audio: bytes) -> str:
        async with self.limiter.slot(to):
            try:
                return await self._client.upload_media(audio, MIME_TYPE, FILENAME)
            except GraphError as exc:
                raise self._classify(exc) from exc
            except GraphUnavailableError as exc:
                raise SendError("WhatsApp: HTTP session not open yet", retry_after=1.0) from exc
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise SendError(
                    f"WhatsApp: network error ({type(exc).__name__})", retry_after=NETWORK_RETRY
                ) from exc

    async def _send_template(self, to: str, template: Template) -> str:
        return await self._post(to, template_payload(to, template, self._language))

    async def _send_parts(self, to: str, payloads: list[Payload]) -> str:
        """Send payloads in order; after a partial failure, a retry skips what already went out."""
        if len(payloads) == 1:
            return await self._post(to, payloads[0])
        key = (to, _digest(payloads))
        now = time.monotonic()
        self._partial = {k: v for k, v in self._partial.items() if v[0] > now}
        _, done, wamid = self._partial.pop(key, (0.0, 0, ""))
        for index in range(done, len(payloads)):
            try:
                wamid = await self._post(to, payloads[index])
            except SendError:
                if index > 0:
                    self._partial[key] = (time.monotonic() + PARTIAL_TTL, index, wamid)
                raise
        return wamid

    async def _post(self, to: str, payload: Payload) -> str:
        async with self.limiter.slot(to):
            try:
                wamid = await self._client.send_message(payload)
            except GraphError as exc:
                raise self._classify(exc) from exc
            except GraphUnavailableError as exc:
                raise SendError("WhatsApp: HTTP session not open yet", retry_after=1.0) from exc
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise SendError(
                    f"WhatsApp: network error ({type(exc).__name__})", retry_after=NETWORK_RETRY
                ) from exc
        self._throughput_streak = 0
        return wamid

    def _classify(self, exc: GraphError) -> SendError:
        """Turn a Graph API error into a retryable or permanent :class:`SendError`."""
        code, status = exc.code, exc.status
        label = f"WhatsApp error {code} (HTTP {status})"
        if code == REENGAGEMENT:
            return ReengagementError(f"{label}: 24-hour window closed", retry_after=None)
        if code == THROUGHPUT_LIMIT or (code is None and status == 429):
            self._throughput_streak += 1
            backoff = min(MAX_BACKOFF, 2.0**self._throughput_streak)
            self.limiter.pause(backoff)
            log.warning("whatsapp: throughput limit hit, pausing sends %.0f s", backoff)
            return SendError(f"{label}: rate limit", retry_after=backoff)
        if code in (ACCOUNT_LIMIT, SPAM_LIMIT):
            self.limiter.pause(ACCOUNT_RETRY)
            log.warning("whatsapp: account rate limit %s, pausing sends", code)
            return SendError(f"{label}: account rate limit", retry_after=ACCOUNT_RETRY)
        if code == PAIR_LIMIT:
            # Only this chat is affected: retry it later without holding everybody else.
            return SendError(f"{label}: too many messages to this user", retry_after=PAIR_RETRY)
        if code in AUTH_CODES or status == 401:
            log.error("whatsapp: access token rejected (code %s); check TLIVE_WHATSAPP_TOKEN", code)
            return SendError(f"{label}: access token rejected", retry_after=AUTH_RETRY)
        if status >= 500 or code in TEMPORARY_CODES:
            return SendError(f"{label}: temporary failure", retry_after=NETWORK_RETRY)
        log.warning("whatsapp: message refused permanently, code %s, HTTP %s", code, status)
        return SendError(f"{label}: {exc.message[:200]}", retry_after=None)


def _digest(payloads: list[Payload]) -> str:
    blob = json.dumps(payloads, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()
