"""A thin client for the parts of the Graph API the WhatsApp channel uses.

The access token is the city's WhatsApp number: it goes only to the API base (https, checked at
start-up) and to media links on Meta's own hosts over https (:class:`MediaHosts`). A media id is
looked up only when it is a number, so a crafted id cannot reach another Graph endpoint.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any, TypeGuard

import aiohttp
from yarl import URL

log = logging.getLogger(__name__)

# Photos above this size are refused without downloading them (same limit as Telegram).
MAX_MEDIA_BYTES = 20 * 1024 * 1024
# Where Meta serves media downloads (TLIVE_WHATSAPP_MEDIA_HOSTS); "*." also admits subdomains.
META_MEDIA_HOSTS = ("lookaside.fbsbx.com", "*.fbsbx.com", "*.fbcdn.net")
# Media ids are decimal numbers (e.g. 1013859600285441); anything else is not looked up.
_MEDIA_ID = re.compile(r"[0-9]{1,32}")


class GraphError(Exception):
    """The Graph API answered with an error object (``{"error": {"code": …}}``) or garbage."""

    def __init__(
        self, status: int, code: int | None, message: str, details: str | None = None
    ) -> None:
        super().__init__(f"HTTP {status}, code {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class GraphUnavailableError(Exception):
    """The HTTP session is not open yet (the app has not started) or is already closed."""


class MediaLinkRefusedError(GraphError):
    """A media id that is not a number, or a download link the token must not be sent to."""

    def __init__(self, message: str) -> None:
        super().__init__(0, None, message)


@dataclass(frozen=True, slots=True)
class MediaHosts:
    """The hosts a media download may send the access token to, over https only."""

    hosts: tuple[str, ...] = META_MEDIA_HOSTS
    # Only for tests: their stand-in serves media over plain http on 127.0.0.1.
    allow_http: bool = False

    def permits(self, url: str) -> bool:
        """Tell whether ``url`` may be fetched with the access token."""
        try:
            parsed = URL(url)
        except (TypeError, ValueError):
            return False
        schemes = ("https", "http") if self.allow_http else ("https",)
        if parsed.scheme not in schemes or not parsed.is_absolute() or not parsed.host:
            return False
        if parsed.raw_user is not None or parsed.raw_password is not None:
            return False  # Meta's links carry no credentials
        if not parsed.is_default_port() and not self.allow_http:
            return False  # Meta serves on 443; only a test's stand-in listens elsewhere
        host = parsed.host.lower().rstrip(".")
        return any(_host_matches(host, allowed.lower()) for allowed in self.hosts)


def is_media_id(value: object) -> TypeGuard[str]:
    """Tell whether ``value`` looks like a media id Meta gives out (a decimal number)."""
    return isinstance(value, str) and _MEDIA_ID.fullmatch(value) is not None


def _host_matches(host: str, allowed: str) -> bool:
    if allowed.startswith("*."):
        return host.endswith(allowed[1:])
    return host == allowed


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What ``GET /{media-id}`` tells about an uploaded media object."""

    url: str
    mime_type: str
    file_size: int | None


@dataclass(frozen=True, slots=True)
class Media:
    """A fetched media object: its bytes, or ``too_large`` when it was not downloaded."""

    mime_type: str
    data: bytes | None
    too_large: bool = False


class GraphClient:
    """Send messages and fetch media for one WhatsApp business phone number."""

    def __init__(
        self, api_base: str, token: str, phone_number_id: str, *,
        media_hosts: MediaHosts | None = None,
    ) -> None:  # fmt: skip
        self._api_base = api_base.rstrip("/")
        self._token = token
        self._phone_number_id = phone_number_id
        self._media_hosts = media_hosts or MediaHosts()
        self._session: aiohttp.ClientSession | None = None

    def bind(self, session: aiohttp.ClientSession | None) -> None:
        """Use ``session`` for every request (None detaches it at shutdown)."""
        self._session = session

    @property
    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def _require_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            raise GraphUnavailableError("WhatsApp HTTP session is not open")
        return self._session

    async def send_message(self, payload: dict[str, Any]) -> str:
        """POST one message payload; return its ``wamid`` or raise :class:`GraphError`."""
        session = self._require_session()
        url = f"{self._api_base}/{self._phone_number_id}/messages"
        async with session.post(url, json=payload, headers=self._headers) as response:
            body = await _read_json(response)
        try:
            return str(body["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise GraphError(response.status, None, "response without messages[0].id") from None

    async def upload_media(self, data: bytes, mime_type: str, filename: str) -> str:
        """Upload media for this phone number (``POST /{phone_number_id}/media``); return its id."""
        session = self._require_session()
        url = f"{self._api_base}/{self._phone_number_id}/media"
        form = aiohttp.FormData()
        form.add_field("messaging_product", "whatsapp")
        form.add_field("type", mime_type)
        form.add_field("file", data, filename=filename, content_type=mime_type)
        async with session.post(url, data=form, headers=self._headers) as response:
            body = await _read_json(response)
        media_id = body.get("id")
        if not is_media_id(media_id):
            raise GraphError(response.status, None, "upload response without a media id")
        return media_id

    async def media_info(self, media_id: str) -> MediaInfo:
        """Look up a media object's short-lived download URL, MIME type and size."""
        if not is_media_id(media_id):
            raise MediaLinkRefusedError("media id is not a number")
        session = self._require_session()
        url = f"{self._api_base}/{media_id}"
        params = {"phone_number_id": self._phone_number_id}
        async with session.get(url, params=params, headers=self._headers) as response:
            body = await _read_json(response)
        if not isinstance(body.get("url"), str):
            raise GraphError(response.status, None, "media response without url")
        size = body.get("file_size")
        try:
            file_size = int(size) if size is not None else None
        except (TypeError, ValueError):
            file_size = None
        return MediaInfo(
            url=body["url"], mime_type=str(body.get("mime_type", "")), file_size=file_size
        )

    async def fetch_media(self, media_id: str, *, max_bytes: int = MAX_MEDIA_BYTES) -> Media:
        """Download a media object with the bearer token; refuse more than ``max_bytes``.

        Raises :class:`MediaLinkRefusedError` when the link is not on an allowed host over https:
        the message is retried by Meta rather than lost, and the log names the host to allow.
        """
        info = await self.media_info(media_id)
        if not self._media_hosts.permits(info.url):
            host = URL(info.url).host if "://" in info.url else None
            log.error("whatsapp: media link on %r refused, not in TLIVE_WHATSAPP_MEDIA_HOSTS "
                      "over https; the token was not sent", (host or "?")[:100])  # fmt: skip
            raise MediaLinkRefusedError("media link outside the allowed hosts")
        if info.file_size is not None and info.file_size > max_bytes:
            return Media(mime_type=info.mime_type, data=None, too_large=True)
        session = self._require_session()
        # aiohttp drops the Authorization header on a redirect to another origin.
        async with session.get(info.url, headers=self._headers) as response:
            if response.status != 200:
                raise GraphError(response.status, None, "media download failed")
            chunks: list[bytes] = []
            total = 0
            async for chunk in response.content.iter_chunked(64 * 1024):
                total += len(chunk)
                if total > max_bytes:
                    return Media(mime_type=info.mime_type, data=None, too_large=True)
                chunks.append(chunk)
        return Media(mime_type=info.mime_type, data=b"".join(chunks))


async def _read_json(response: aiohttp.ClientResponse) -> dict[str, Any]:
    """Decode a Graph API answer; raise :class:`GraphError` for error objects and non-JSON."""
    raw = await response.read()
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise GraphError(response.status, None, "response is not a JSON object")
    error = body.get("error")
    if isinstance(error, dict):
        code = error.get("code")
        try:
            code = int(code) if code is not None else None
        except (TypeError, ValueError):
            code = None
        data = error.get("error_data")
        details = data.get("details") if isinstance(data, dict) else None
        raise GraphError(response.status, code, str(error.get("message", "")), details)
    if response.status >= 400:
        raise GraphError(response.status, None, f"HTTP {response.status} without error object")
    return body
