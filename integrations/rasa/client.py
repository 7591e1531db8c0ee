"""Ask a Rasa server what a free-text message means, when the bot's own rules don't know."""

from __future__ import annotations

import logging

import aiohttp

log = logging.getLogger(__name__)

# Rasa intent name → the bot's global command. Train these intents in the Rasa model.
INTENT_COMMANDS: dict[str, str] = {
    "greet": "menu",
    "menu": "menu",
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
MIN_CONFIDENCE = 0.7


class RasaIntents:
    """Classify a message with Rasa's ``POST /model/parse``; never fail the conversation."""

    def __init__(self, base_url: str, *, timeout: float = 1.5) -> None:
        self._url = base_url.rstrip("/") + "/model/parse"
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def command(self, text: str) -> str | None:
        """Return the bot command a confident intent maps to, or None."""
        if not text.strip():
            return None
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            async with self._session.post(self._url, json={"text": text[:500]}) as resp:
                if resp.status != 200:
                    log.warning("rasa answered HTTP %s", resp.status)
                    return None
                body = await resp.json()
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            log.warning("rasa unreachable: %s", type(exc).__name__)
            return None
        intent = body.get("intent") if isinstance(body, dict) else None
        if not isinstance(intent, dict):
            return None
        confidence = intent.get("confidence")
        if not isinstance(confidence, int | float) or confidence < MIN_CONFIDENCE:
            return None
        return INTENT_COMMANDS.get(str(intent.get("name")))

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
