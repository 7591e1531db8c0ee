"""The custom actions a city's Rasa assistant runs here (rasa-sdk), thin over the use cases.

Like every rasa-sdk action they touch no channel: they append neutral messages to the
collecting dispatcher and return events. Each is built with the use cases it needs, by
:func:`integrations.rasa.server.build_executor` from the service's one composition root.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.usecases.assistant import AssistantCases

log = logging.getLogger(__name__)
# Slots (and entities) the example domain declares; see integrations/rasa/example/domain.yml.
REFERENCE = "reference"
NIK_END = "nik_akhir"
Domain = dict[str, Any]


class _Action(Action):
    """An action holding the assistant use cases."""

    # The action's name in the domain (integrations/rasa/example/domain.yml).
    NAME: ClassVar[str]

    def __init__(self, cases: AssistantCases) -> None:
        self._cases = cases

    def name(self) -> str:
        """Return the action's name in the domain."""
        return self.NAME

    def _unavailable(self, dispatcher: CollectingDispatcher, exc: Exception) -> list[EventType]:
        """Say the service cannot answer now and how to reach the helpdesk (a database outage)."""
        log.error("%s failed (%s)", self.name(), type(exc).__name__)
        _say(dispatcher, [self._cases.unavailable_text(), "\n".join(self._cases.contact_lines())])
        return []


class CheckRegistrationStatus(_Action):
    """Tell where a request stands: the sender's own, or one proven by reference + NIK ending.

    Whoever asks must be the chat that registered (Rasa's sender id is that chat's id on
    ``TLIVE_RASA_SENDER_CHANNEL``), or give the reference *and* the last four digits of the
    registered NIK. A reference alone is never enough: it is on screenshots and shared with
    family, and the status tells whether a named person was rejected and why. The four digits
    are the NIK's serial part (not derivable from a birth date or a region), wrong guesses are
    limited per reference, and the slot holding them is cleared after use. See
    :meth:`AssistantCases.status`.
    """

    NAME = "action_check_registration_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        """Say the status, or ask for what is missing."""
        reference = _value(tracker, REFERENCE)
        nik_end = _value(tracker, NIK_END)
        # The NIK digits are a proof, not something Rasa's tracker store should keep.
        events: list[EventType] = [SlotSet(NIK_END, None)] if nik_end else []
        try:
            texts = await self._cases.status(tracker.sender_id, reference, nik_end)
        except Exception as exc:
            return [*self._unavailable(dispatcher, exc), *events]
        _say(dispatcher, texts)
        return events


class AnswerFaq(_Action):
    """Answer from this service's FAQ; when unsure, offer the helpdesk."""

    NAME = "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        """Say the answer, or that a person can help."""
        message = tracker.latest_message or {}
        try:
            answer = await self._cases.answer_faq(
                str(message.get("text") or ""), _faq_entry(message)
            )
        except Exception as exc:
            return self._unavailable(dispatcher, exc)
        if answer is None:
            _say(dispatcher, [self._cases.unsure_text(), "\n".join(self._cases.contact_lines())])
        else:
            _say(dispatcher, [answer])
        return []


class StartRegistration(_Action):
    """Say where to register (web chat, Telegram, WhatsApp) and what to have at hand."""

    NAME = "action_start_registration"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        """Say the ways to register."""
        _say(dispatcher, [self._cases.registration_ways()])
        return []


class HandoffToAgent(_Action):
    """Queue the sender's chat for a helpdesk agent, or say how to reach the helpdesk."""

    NAME = "action_handoff_to_agent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        """Queue and say the place in the queue and the hours."""
        message_id = (tracker.latest_message or {}).get("message_id")
        texts = await self._cases.ask_person(
            tracker.sender_id, str(message_id) if message_id else None
        )
        _say(dispatcher, texts)
        return []


def actions(cases: AssistantCases) -> list[Action]:
    """Return the four actions, each holding the use cases."""
    return [CheckRegistrationStatus(cases), AnswerFaq(cases), StartRegistration(cases),
            HandoffToAgent(cases)]  # fmt: skip


def _say(dispatcher: CollectingDispatcher, texts: Iterable[str]) -> None:
    """Append each text to the dispatcher, one message each."""
    for text in texts:
        dispatcher.utter_message(text=text)


def _value(tracker: Tracker, name: str) -> str | None:
    """Return an entity of the latest message, else the slot of that name, as text."""
    value = next(tracker.get_latest_entity_values(name), None) or tracker.get_slot(name)
    return str(value) if isinstance(value, str | int) and str(value).strip() else None


def _faq_entry(message: dict[str, Any]) -> str | None:
    """Return the FAQ entry a retrieval intent ("faq/<id>") in the latest message names."""
    selector = message.get("response_selector")
    chosen = selector.get("faq") if isinstance(selector, dict) else None
    response = chosen.get("response") if isinstance(chosen, dict) else None
    key = response.get("intent_response_key") if isinstance(response, dict) else None
    if not isinstance(key, str):
        intent = message.get("intent")
        key = intent.get("name") if isinstance(intent, dict) else None
    if isinstance(key, str) and key.startswith("faq/"):
        return key.split("/", 1)[1].replace("_", "-") or None
    return None
