"""The services a dialog may use, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.config import Settings
from bot.domain.language.intents import Understood
from bot.helpdesk.desk import HelpdeskService
from bot.services.delivery import Delivery
from bot.services.faq import FaqService
from bot.services.peak import PeakWatch
from bot.services.photos import PhotoService
from bot.services.registration import RegistrationService
from bot.speech import SpeechService


class IntentClassifier(Protocol):
    """Map free text to one of the bot's global commands or FAQ entries (e.g. a Rasa model)."""

    async def understand(self, text: str) -> Understood | None:
        """Return what the text asks for when sure, else None (the built-in matcher decides)."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


@dataclass(frozen=True, slots=True)
class Services:
    """Domain services shared by dialogs, the console and the API."""

    settings: Settings
    registrations: RegistrationService
    faq: FaqService
    photos: PhotoService
    delivery: Delivery
    helpdesk: HelpdeskService
    # Voice notes of bot messages (espeak-ng); ``speech.enabled`` is False when switched off.
    speech: SpeechService
    # Peak mode: can the queue be cleared in time at the measured pace (None: not told).
    peak: PeakWatch | None = None
    # Optional language understanding (Rasa); None when TLIVE_RASA_URL is unset.
    intents: IntentClassifier | None = None
