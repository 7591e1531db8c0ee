"""POST one signed event to a city system's endpoint over HTTP."""

from __future__ import annotations

import time
from dataclasses import dataclass

import aiohttp

from bot.domain.webhooks import CONTENT_TYPE, SIGNATURE_HEADER, signature_header

USER_AGENT = "TangerangLIVE-Asisten-Webhooks/1.0"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt gave: accepted (2xx), or why not (never the body: it may hold a NIK)."""

    ok: bool
    error: str | None = None


class WebhookSender:
    """Send events with one shared HTTP client, each attempt bounded by a timeout."""

    def __init__(self, timeout: float) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._http: aiohttp.ClientSession | None = None

    async def post(
        self, url: str, secret: str, body: bytes, *, event_id: str, event_type: str,
        delivery_id: int, attempt: int,
    ) -> Outcome:  # fmt: skip
        """Sign ``body`` now and POST it; 2xx means delivered, anything else is retried."""
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=self._timeout)
        timestamp = int(time.time())
        headers = {
            "Content-Type": CONTENT_TYPE,
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: signature_header(secret, timestamp, body),
            "X-Tlive-Event-Id": event_id,
            "X-Tlive-Event-Type": event_type,
            "X-Tlive-Delivery": str(delivery_id),
            "X-Tlive-Attempt": str(attempt),
        }
        try:
            # Redirects are not followed: the signed body goes only where an admin said.
            async with self._http.post(
                url, data=body, headers=headers, allow_redirects=False
            ) as resp:
                if 200 <= resp.status < 300:
                    return Outcome(True)
                return Outcome(False, f"HTTP {resp.status}")
        except TimeoutError:
            return Outcome(False, "timed out")
        except aiohttp.ClientError as exc:
            return Outcome(False, type(exc).__name__)

    async def close(self) -> None:
        """Close the HTTP client."""
        if self._http is not None:
            await self._http.close()
            self._http = None
