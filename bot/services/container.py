"""The services a dialog may use, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.services.delivery import Delivery
from bot.services.faq import FaqService
from bot.services.handoff import HandoffService
from bot.services.photos import PhotoService
from bot.services.registration import RegistrationService


@dataclass(frozen=True, slots=True)
class Services:
    """Domain services shared by dialogs, the console and the API."""

    settings: Settings
    registrations: RegistrationService
    faq: FaqService
    photos: PhotoService
    handoff: HandoffService
    delivery: Delivery
