"""What another assistant (a city's Rasa, through the action server) may do for its users.

Each method is one thing a person asks that assistant; the answers are catalog texts. The
assistant's user is known only by its sender id, which is a chat id on the channel
``TLIVE_RASA_SENDER_CHANNEL`` ("rasa": chats of their own).
"""

from __future__ import annotations

import hmac
import logging
import uuid
from collections.abc import Awaitable, Callable

from bot.config import Settings
from bot.domain.references import read_reference
from bot.engine.messages import Inbound, InboundKind
from bot.engine.ports import HandleResult
from bot.i18n import Catalog
from bot.services.container import Services
from bot.services.login_throttle import LOGIN_WINDOW, Gate, refusing, reserve
from bot.services.notifications import status_text
from bot.storage.models import Registration
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

HandleInbound = Callable[[Inbound], Awaitable[HandleResult]]
# Wrong reference + NIK-ending guesses allowed per reference in the sign-in throttle's window,
# so four digits (10 000 choices) cannot be tried through a chatbot one after another.
MAX_GUESSES = 5
_PUSH_CHANNELS = frozenset({"telegram", "whatsapp"})


def proof_gate(reference: str) -> Gate:
    """Return the gate counting wrong NIK endings given with one reference."""
    # Counted in the sign-in throttle's rows, so every action server process shares the count.
    return Gate(f"rasa-reference:{reference}", "reference", MAX_GUESSES)


class AssistantCases:
    """Status, FAQ answers, how to register and a call for a person, for another assistant."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        settings: Settings,
        catalog: Catalog,
        services: Services,
        handle: HandleInbound,
        agent_button: str,
    ) -> None:
        self._uow = uow
        self._settings = settings
        self._catalog = catalog
        self._services = services
        self._handle = handle
        # The button id of the chat's "Hubungi petugas" (the dialogs' own, passed in).
        self._agent_button = agent_button

    @property
    def channel(self) -> str:
        """Return the channel whose chat ids the assistant's sender ids are."""
        return self._settings.rasa_sender_channel

    async def status(
        self, sender_id: str | None, reference: str | None = None, nik_end: str | None = None
    ) -> list[str]:
        """Say where a request stands, only to whoever may know it.

        Two ways prove that: (1) the sender id is the chat that made the request (the same
        chat, so the same person or the helper she chose), or (2) the reference together
        with the last four digits of the registered NIK. A reference alone is not enough: it
        is shown on screens and shared with family, and would tell a stranger whether a named
        person's request was rejected and why. The four digits are the serial part of the
        NIK (not derivable from a birth date or a region); wrong guesses are limited per
        reference, and a wrong pair gets the same answer whether the reference exists or not.
        """
        ref = read_reference(reference or "")
        async with self._uow() as uow:
            own = await self._own_requests(uow, sender_id)
            picked = [r for r in own if r.reference == ref] if ref else own
            if picked:
                return [self._status_text(reg) for reg in picked]
            if ref is None:
                return [self._catalog.text("rasa-status-need-reference")]
            digits = "".join(c for c in nik_end or "" if c.isdigit())
            if len(digits) != 4:
                return [self._catalog.text("rasa-status-need-proof", reference=ref)]
            # The reference's row stays locked until the answer: guesses sent at once queue.
            now, gates = utcnow(), [proof_gate(ref)]
            rows = await uow.login_throttles.lock([gate.key for gate in gates], now)
            if refusing(gates, rows, now) is not None:
                return [self._catalog.text("rasa-status-too-many")]
            reg = await uow.registrations.by_reference(ref)
            nik = str(self._services.registrations.data(uow, reg).get("nik", "")) if reg else ""
            if reg is None or not hmac.compare_digest(nik[-4:].encode(), digits.encode()):
                reserve(gates, rows, now)  # counted as a failed attempt
                await uow.login_throttles.prune(now - LOGIN_WINDOW, now, keep=[gates[0].key])
                await uow.commit()
                return [self._catalog.text("rasa-status-not-found")]
            return [self._status_text(reg)]

    async def _own_requests(self, uow: UnitOfWork, sender_id: str | None) -> list[Registration]:
        """Return the requests made from the sender's chat, newest first."""
        if not sender_id:
            return []
        conv = await uow.conversations.find(self.channel, sender_id)
        if conv is None:
            return []
        return await self._services.registrations.requests(uow, conv)

    def _status_text(self, reg: Registration) -> str:
        """Return what the chat's "cek status" says of one request."""
        return status_text(self._catalog, self._settings, self._services.registrations, reg,
                           utcnow())  # fmt: skip

    async def answer_faq(self, question: str, faq_id: str | None = None) -> str | None:
        """Return the FAQ's answer (the entry Rasa named, else the matcher's); None if unsure.

        An unanswered question is kept for the FAQ editors, numbers masked, as the chat does.
        """
        faq = self._services.faq
        entry = faq.entry(faq_id) if faq_id else None
        if entry is None and question.strip():
            match = faq.ask(question)
            entry = faq.entry(match.faq_id) if match.faq_id else None
        if entry is not None:
            return entry.answer
        if question.strip():
            async with self._uow() as uow:
                await faq.record_unanswered(uow, question, "refused", None)
                await uow.commit()
        return None

    def unavailable_text(self) -> str:
        """Say the service cannot answer right now."""
        return self._catalog.text("rasa-unavailable")

    def unsure_text(self) -> str:
        """Say the FAQ has no sure answer and a person can help."""
        return self._catalog.text("rasa-faq-unsure")

    def registration_ways(self) -> str:
        """Say where and how to register: the web chat, Telegram, WhatsApp (as configured)."""
        t, s = self._catalog.text, self._settings
        ways = []
        if s.public_url:
            ways.append(t("rasa-register-web", url=f"{s.public_url}/chat"))
        if s.telegram_bot_username:
            ways.append(t("rasa-register-telegram", url=f"https://t.me/{s.telegram_bot_username}"))
        if s.whatsapp_number:
            digits = s.whatsapp_number.lstrip("+")
            ways.append(t("rasa-register-whatsapp", url=f"https://wa.me/{digits}"))
        steps = t("rasa-register-steps", hours=s.verification_sla_hours)
        if not ways:
            return "\n".join([t("rasa-register-none"), steps, *self.contact_lines()])
        return "\n".join([t("rasa-register-intro"), *ways, steps])

    async def ask_person(self, sender_id: str | None, message_id: str | None = None) -> list[str]:
        """Queue the sender's chat for a helpdesk agent, as the chat's own "Hubungi petugas".

        It goes through the conversation engine like a tap on that button, so the queue, the
        console and the events are exactly the chat's. Without a sender id, or when it cannot
        be recorded, the answer says how to reach the helpdesk directly.
        """
        if not sender_id:
            return [self._catalog.text("rasa-handoff-unavailable"), *self.contact_lines()]
        inbound = Inbound(
            self.channel, sender_id, f"rasa-{message_id or uuid.uuid4().hex}"[:128],
            InboundKind.BUTTON, button_id=self._agent_button,
        )  # fmt: skip
        try:
            result = await self._handle(inbound)
        except Exception as exc:
            log.error("helpdesk request from the action server failed (%s)", type(exc).__name__)
            return [self._catalog.text("rasa-handoff-unavailable"), *self.contact_lines()]
        welcome = self._catalog.text("menu-welcome")
        texts = [r.text for r in result.replies if r.text and r.text != welcome]
        if not texts:
            return [self._catalog.text("rasa-handoff-already")]
        if self.channel not in _PUSH_CHANNELS:
            # Agents' replies reach a chat of its own only through this service: give the
            # direct ways too.
            texts += [self._catalog.text("rasa-handoff-contact"), *self.contact_lines()]
        return texts

    def contact_lines(self) -> list[str]:
        """Return the helpdesk's phone, WhatsApp and hours, as "bantuan" says them."""
        t, s = self._catalog.text, self._settings
        lines = []
        if s.helpdesk_phone:
            lines.append(t("help-phone", phone=s.helpdesk_phone))
        if s.helpdesk_whatsapp:
            lines.append(t("help-whatsapp", number=s.helpdesk_whatsapp))
        lines.append(self._services.helpdesk.hours_text(utcnow()))
        return lines
