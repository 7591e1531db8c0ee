"""Ask a Rasa server what a free-text message means, within a bounded time, never failing a turn.

Rasa's ``POST /model/parse`` answers ``{"intent": {"name", "confidence"}, "entities": [...]}``
and, for a retrieval intent (``faq/<entry id>``), a ``response_selector`` naming the entry. A
confident intent becomes the same :class:`Understood` the built-in words produce, so the same
dialogs answer; anything else (unsure, slow, down, garbage) leaves the built-in matcher to decide.
The text itself is never logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp
from yarl import URL

from bot.domain.language.intents import Understood
from integrations.rasa.breaker import BreakerState, CircuitBreaker

log = logging.getLogger(__name__)

# Rasa intent name → the bot's global command (dialogs.flow.Command). Train these in the model.
INTENT_COMMANDS: dict[str, str] = {
    "greet": "menu",
    "menu": "menu",
    "batal": "cancel",
    "daftar": "register",
    "register": "register",
    "cek_status": "status",
    "check_status": "status",
    "bantuan": "help",
    "help": "help",
    "petugas": "agent",
    "human_handoff": "agent",
    "tanya": "faq",
    "data_saya": "mydata",
    "hapus_data": "erase",
}
# The retrieval intent whose sub-intents are FAQ entry ids ("faq/cara-daftar").
FAQ_INTENT = "faq"
# Longest text sent and longest entity value kept: a message, not a document.
MAX_TEXT = 500
MAX_ENTITY = 64

Count = Callable[[str], None]


class RasaIntents:
    """Classify a message with Rasa's ``POST /model/parse``, behind a breaker and a time bound."""

    def __init__(
        self,
        base_url: str,
        *,
        confidence: float = 0.7,
        timeout: float = 0.8,
        breaker: CircuitBreaker | None = None,
        count: Count = lambda _outcome: None,
    ) -> None:
        base = URL(base_url)
        # A query (Rasa's "?token=…" for --auth-token) stays on the parse URL.
        self._url = base.with_path(base.path.rstrip("/") + "/model/parse").with_query(base.query)
        self._confidence = confidence
        self._timeout = timeout
        self.breaker = breaker or CircuitBreaker(failures=5, cooldown=30.0)
        # Told "understood", "unsure", "timeout", "error" or "skipped" (breaker open) per call.
        self._count = count
        self._session: aiohttp.ClientSession | None = None

    async def understand(self, text: str) -> Understood | None:
        """Return what a confident intent asks for, or None (the built-in matcher decides)."""
        if not text.strip():
            return None
        if not self.breaker.allow():
            self._count("skipped")
            return None
        try:
            # One bound for connecting, sending and reading: a slow Rasa never stalls a citizen.
            async with asyncio.timeout(self._timeout):
                body = await self._parse(text[:MAX_TEXT])
        except TimeoutError:
            self._fail("timeout")
            return None
        except asyncio.CancelledError:
            self.breaker.abandoned()  # a cancelled probe must not hold the half-open breaker
            raise
        except (aiohttp.ClientError, ValueError, OSError) as exc:
            self._fail("error", type(exc).__name__)
            return None
        if not isinstance(body, dict) or not isinstance(body.get("intent"), dict):
            self._fail("error", "malformed answer")  # a proxy's page, a wrong URL, garbage
            return None
        understood = read_parse(body, self._confidence)
        self.breaker.succeeded()
        self._count("understood" if understood is not None else "unsure")
        return understood

    async def _parse(self, text: str) -> Any:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._timeout)
            )
        async with self._session.post(self._url, json={"text": text}) as resp:
            if resp.status != 200:
                raise aiohttp.ClientResponseError(
                    resp.request_info, (), status=resp.status, message="not 200"
                )
            return await resp.json(content_type=None)

    def _fail(self, outcome: str, detail: str = "") -> None:
        was_closed = self.breaker.state is BreakerState.CLOSED
        self.breaker.failed()
        self._count(outcome)
        if self.breaker.state is BreakerState.OPEN and was_closed:
            log.warning("rasa keeps failing (%s%s): not asked until the cool-down ends",
                        outcome, f", {detail}" if detail else "")  # fmt: skip
        else:
            log.info("rasa %s%s: the built-in matcher answers", outcome,
                     f" ({detail})" if detail else "")  # fmt: skip

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()


def read_parse(body: Mapping[str, Any], threshold: float) -> Understood | None:
    """Map a ``/model/parse`` answer to what it asks for; None when unsure or unknown."""
    intent = body.get("intent")
    if not isinstance(intent, dict):
        return None
    name, confidence = intent.get("name"), intent.get("confidence")
    if not isinstance(name, str) or not _number(confidence) or confidence < threshold:
        return None
    entities = _entities(body.get("entities"))
    faq_id = _faq_entry(name, body.get("response_selector"), threshold)
    if faq_id is not None:
        return Understood(faq_id=faq_id, entities=entities)
    command = INTENT_COMMANDS.get(name)
    return Understood(command=command, entities=entities) if command else None


def _faq_entry(name: str, selector: Any, threshold: float) -> str | None:
    """Return the FAQ entry a retrieval intent names ("faq/cara-daftar"), if confident."""
    if name.startswith(FAQ_INTENT + "/"):
        return name.split("/", 1)[1] or None
    if name != FAQ_INTENT or not isinstance(selector, dict):
        return None
    chosen = selector.get(FAQ_INTENT) or selector.get("default")
    response = chosen.get("response") if isinstance(chosen, dict) else None
    if not isinstance(response, dict):
        return None
    key = response.get("intent_response_key") or response.get("full_retrieval_intent_name")
    confidence = response.get("confidence", 1.0)
    if not isinstance(key, str) or "/" not in key or not _number(confidence):
        return None
    if confidence < threshold:
        return None
    return key.split("/", 1)[1] or None


def _entities(raw: Any) -> dict[str, str]:
    """Return the first value of each entity, as short text."""
    found: dict[str, str] = {}
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        name, value = item.get("entity"), item.get("value")
        if isinstance(name, str) and isinstance(value, str | int | float) and name not in found:
            found[name] = str(value).strip()[:MAX_ENTITY]
    return found


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
