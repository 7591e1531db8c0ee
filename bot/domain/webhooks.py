"""Outbound events to the city's systems: kinds, scopes, delivery states and the signed body.

Pure: builds the CloudEvents-shaped JSON body an endpoint receives, keeps out of ``data`` what
the endpoint's scope does not allow, signs it, and says when a failed delivery is tried again.
The matching check for receivers is ``integrations/citysystems/verify.py`` (stdlib only).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

SPEC_VERSION = "1.0"
TYPE_PREFIX = "id.go.tangerangkota.live."
SOURCE = "/tangerang-live/asisten"
CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"
SIGNATURE_HEADER = "X-Tlive-Signature"
SECRET_PREFIX = "whsec_"
MAX_URL = 500


class EventType(StrEnum):
    """The events an endpoint can subscribe to."""

    REGISTRATION_SUBMITTED = "registration.submitted"
    REGISTRATION_APPROVED = "registration.approved"
    REGISTRATION_REJECTED = "registration.rejected"
    HANDOFF_REQUESTED = "handoff.requested"

    @property
    def cloud_type(self) -> str:
        """Return the CloudEvents ``type`` (``id.go.tangerangkota.live.<event>``)."""
        return TYPE_PREFIX + self.value


class Scope(StrEnum):
    """How much personal data an endpoint may receive."""

    STATUS = "status"  # reference, status, channel, timestamps, rejection reason code
    IDENTITY = "identity"  # the same plus NIK and name (the city's user database)


class DeliveryState(StrEnum):
    """Where one event's delivery to one endpoint stands."""

    PENDING = "pending"  # not tried yet (or retried by hand)
    FAILING = "failing"  # failed, tried again later
    DELIVERED = "delivered"  # the endpoint answered 2xx
    DEAD = "dead"  # given up after the last attempt


# States the dispatcher picks up when their time has come.
DUE_STATES = (DeliveryState.PENDING, DeliveryState.FAILING)
# The fields only an ``identity`` endpoint receives.
IDENTITY_FIELDS = frozenset({"nik", "name"})


class WebhookUrlError(ValueError):
    """A URL an endpoint cannot have; ``code`` names why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_url(url: str, *, allow_http: bool) -> str:
    """Return the cleaned endpoint URL, or raise :class:`WebhookUrlError`.

    https always; plain http only to this machine (a local relay) unless ``allow_http``.
    """
    clean = url.strip()
    if not clean or len(clean) > MAX_URL or any(c.isspace() for c in clean):
        raise WebhookUrlError("url_invalid")
    try:
        parts = urlsplit(clean)
        host = parts.hostname or ""
        _ = parts.port  # an out-of-range port raises here
    except ValueError:
        raise WebhookUrlError("url_invalid") from None
    if parts.scheme not in ("http", "https") or not host:
        raise WebhookUrlError("url_scheme")
    if parts.username or parts.password:
        raise WebhookUrlError("url_credentials")  # a password in a URL ends up in logs
    if parts.scheme == "http" and not (allow_http or _loopback(host)):
        raise WebhookUrlError("url_plain_http")
    return clean


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def parse_events(names: Iterable[str]) -> list[EventType]:
    """Return the event types named (``all`` or empty: every one); raise ValueError if unknown."""
    wanted = [n.strip() for n in names if n.strip()]
    if not wanted or "all" in wanted:
        return list(EventType)
    return sorted({EventType(n) for n in wanted}, key=list(EventType).index)


def new_secret() -> str:
    """Return a fresh random signing secret (shown once, stored encrypted)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def scoped(data: Mapping[str, Any], scope: Scope) -> dict[str, Any]:
    """Return what of ``data`` an endpoint with ``scope`` may receive."""
    if scope is Scope.IDENTITY:
        return dict(data)
    return {k: v for k, v in data.items() if k not in IDENTITY_FIELDS}


def utc_text(time: datetime) -> str:
    """Return a UTC time as an event carries it: ISO 8601 ending in ``Z``."""
    return time.isoformat().replace("+00:00", "Z")


def cloud_event(
    event_id: str, kind: EventType, subject: str | None, time: datetime, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Return the CloudEvents 1.0 structured-mode envelope of one event."""
    envelope: dict[str, Any] = {
        "specversion": SPEC_VERSION,
        "id": event_id,
        "type": kind.cloud_type,
        "source": SOURCE,
        "time": utc_text(time),
        "datacontenttype": "application/json",
        "data": dict(data),
    }
    if subject:
        envelope["subject"] = subject
    return envelope


def body_of(envelope: Mapping[str, Any]) -> bytes:
    """Return the exact bytes sent (and signed)."""
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the hex HMAC-SHA256 of ``f"{timestamp}.{body}"`` under ``secret``."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """Return the ``X-Tlive-Signature`` value: ``t=<unix>,v1=<hex>``."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def backoff(attempts: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Return seconds to wait after the ``attempts``-th failure: exponential, capped, jittered.

    Half the delay is fixed, half random, so endpoints coming back up are not hit in lockstep.
    """
    delay = min(cap, base * 2.0 ** max(attempts - 1, 0))
    return delay / 2 + (rng or random).uniform(0, delay / 2)
