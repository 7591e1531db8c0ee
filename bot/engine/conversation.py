"""The conversation engine: one transaction per inbound message, dialogs in between."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from bot.domain.chat_mode import ChatMode
from bot.engine.annotate import ANY_PHOTO, annotate
from bot.engine.messages import Inbound, InboundKind, Reply
from bot.engine.ports import HandleResult
from bot.i18n import Catalog
from bot.services.container import Services
from bot.services.photos import CheckedPhoto
from bot.storage.db import unavailable
from bot.storage.models import Conversation, Message
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory
from dialogs import menu
from dialogs.base import MENU, RESUME, Turn
from dialogs.flows import other_triggers, registered_flows
from dialogs.router import Router

log = logging.getLogger(__name__)
MAX_TEXT = 2000


class DialogError(Exception):
    """A dialog raised; its transaction is rolled back and the citizen gets an apology."""


class ConversationEngine:
    """Answer inbound messages from any channel, exactly once each."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, services: Services, catalog: Catalog
    ) -> None:
        self._uow = uow_factory
        self._services = services
        self._catalog = catalog
        self._router = Router(catalog, registered_flows(), other_triggers())

    async def handle(self, inbound: Inbound) -> HandleResult:
        """Run one inbound message: dedup, lock the chat, run the dialog, store the effects.

        Raises only when nothing could be stored, so a channel may ask for a redelivery.
        """
        inbound = _bounded(inbound)
        prechecked = await self._precheck(inbound)
        try:
            result = await self._process(inbound, failed=False, prechecked=prechecked)
        except DialogError:
            # The dialog's half-work was rolled back with its transaction; keep the citizen's
            # message and apologise in a fresh one.
            result = await self._process(inbound, failed=True)
        return result

    async def _precheck(self, inbound: Inbound) -> CheckedPhoto | None:
        """Check a photo before locking anything: the checks take a good fraction of a second.

        The conversation is only peeked at; if its step changed meanwhile, the dialog checks the
        photo again for the right kind. A photo for a helpdesk agent is only cleaned of metadata.
        """
        if inbound.kind is not InboundKind.PHOTO or not inbound.photo:
            return None
        async with self._uow() as uow:
            conv = await uow.conversations.find(inbound.channel, inbound.chat_id)
            mode = conv.mode if conv else ChatMode.BOT
            kind = self._router.photo_kind(conv.flow, conv.step) if conv else None
        if kind and mode != ChatMode.AGENT:
            return await self._services.photos.check(inbound.photo, kind)
        if mode != ChatMode.BOT:
            return await self._services.helpdesk.clean_photo(inbound.photo)
        return None

    async def _process(
        self, inbound: Inbound, *, failed: bool, prechecked: CheckedPhoto | None = None
    ) -> HandleResult:
        async with self._uow() as uow:
            conv = await uow.conversations.lock(inbound.channel, inbound.chat_id)
            fresh = await uow.receipts.add(
                inbound.channel, inbound.message_id, conv.id, (conv.last_seq or 0) + 1
            )
            if not fresh:
                return await self._duplicate(uow, inbound, conv.last_seq)
            conv.last_inbound_at = utcnow()
            conv.reminders_sent = 0  # she wrote: reminders start again once she stops again
            state = uow.conversations.read_state(conv)
            message = await uow.conversations.append(
                conv, direction="in", author="citizen", kind=inbound.kind.value,
                body=_history_body(inbound, dict(state.get("buttons", []))),
            )  # fmt: skip
            if failed:
                replies = [Reply(text=self._catalog.text("error-generic"))]
            else:
                replies = await self._run_dialog(uow, conv, state, inbound, prechecked, message)
            # Marked before delivery, so the channel's answer says "play it" and "camera" too.
            replies = self._annotated(conv, replies)
            last = replies[-1] if replies else None
            state["buttons"] = [[b.id, b.label] for b in last.buttons] if last else []
            uow.conversations.write_state(conv, state)
            for reply in replies:
                await self._services.delivery.deliver(uow, conv, reply)
            address = uow.conversations.address(conv)
            await uow.commit()
        return HandleResult(
            duplicate=False, replies=tuple(replies), last_seq=conv.last_seq,
            new_chat_id=address if address != inbound.chat_id else None,
        )  # fmt: skip

    async def _run_dialog(
        self,
        uow: UnitOfWork,
        conv: Conversation,
        state: dict[str, Any],
        inbound: Inbound,
        prechecked: CheckedPhoto | None,
        message: Message,
    ) -> list[Reply]:
        turn = Turn(
            inbound=inbound, conv=conv, state=state, uow=uow, services=self._services,
            catalog=self._catalog, now=utcnow(), prechecked=prechecked, message=message,
        )  # fmt: skip
        try:
            await self._router.handle(turn)
        except Exception as exc:
            if unavailable(exc):
                # The database went away mid-turn: nothing is stored, and the channel has the
                # message delivered again (no apology asking her to send it again herself).
                raise
            log.exception(
                "dialog failed on %s message in flow %s/%s", inbound.channel, conv.flow, conv.step
            )
            raise DialogError from exc
        menu.welcome_first_contact(turn)
        return turn.replies

    async def resume(
        self, uow: UnitOfWork, conv: Conversation, state: dict[str, Any]
    ) -> list[Reply]:
        """Let the bot continue where the citizen was (after a helpdesk agent hands back)."""
        turn = self._bot_turn(uow, conv, state, "resume", RESUME)
        await self._router.resume(turn)
        return self._annotated(conv, turn.replies)

    async def greet(
        self, uow: UnitOfWork, conv: Conversation, state: dict[str, Any]
    ) -> list[Reply]:
        """Let the bot open a chat with its greeting and menu (the web chat, on opening)."""
        turn = self._bot_turn(uow, conv, state, "greet", MENU)
        menu.show(turn)
        return self._annotated(conv, turn.replies)

    def _annotated(self, conv: Conversation, replies: list[Reply]) -> list[Reply]:
        """Return the turn's replies marked for the channels (photo step, voice, choices kept)."""
        photo = self._router.photo_kind(conv.flow, conv.step)
        if not photo and conv.mode != ChatMode.BOT:
            photo = ANY_PHOTO  # waiting for or talking with an agent, who may ask for any photo
        voice = self._services.delivery.speaks_to(conv)
        return annotate(replies, photo=photo, voice=voice)

    def _bot_turn(
        self,
        uow: UnitOfWork,
        conv: Conversation,
        state: dict[str, Any],
        purpose: str,
        button_id: str,
    ) -> Turn:
        """Return a turn the bot takes on its own, as if ``button_id`` had been tapped."""
        inbound = Inbound(
            conv.channel, uow.conversations.address(conv), f"{purpose}:{conv.id}:{conv.last_seq}",
            InboundKind.BUTTON, button_id=button_id,
        )  # fmt: skip
        return Turn(
            inbound=inbound, conv=conv, state=state, uow=uow, services=self._services,
            catalog=self._catalog, now=utcnow(),
        )  # fmt: skip

    async def _duplicate(self, uow: UnitOfWork, inbound: Inbound, last_seq: int) -> HandleResult:
        receipt = await uow.receipts.get(inbound.channel, inbound.message_id)
        replies: list[Reply] = []
        if receipt is not None and receipt.conversation_id is not None and receipt.seq:
            history = await uow.conversations.history(
                receipt.conversation_id, after=receipt.seq, directions=("in", "out")
            )
            for message, body in history:
                if message.direction == "in":
                    break
                replies.append(Reply.from_dict(body))
        log.info("dropped duplicate %s message", inbound.channel)
        return HandleResult(duplicate=True, replies=tuple(replies), last_seq=last_seq)


def _bounded(inbound: Inbound) -> Inbound:
    """Cut absurdly long texts so nothing downstream chokes on them."""
    if len(inbound.text) <= MAX_TEXT:
        return inbound
    return replace(inbound, text=inbound.text[:MAX_TEXT])


def _history_body(inbound: Inbound, labels: dict[str, str]) -> dict[str, Any]:
    """Describe an inbound message for the history; a tapped button shows its label.

    The sender's profile name (Telegram first name, WhatsApp profile) goes with it, encrypted
    like the text, so a helpdesk agent sees who is waiting.
    """
    if inbound.kind is InboundKind.BUTTON:
        label = labels.get(inbound.button_id or "", inbound.button_id or "")
        body: dict[str, Any] = {"text": label, "button": inbound.button_id}
    elif inbound.kind is InboundKind.CONTACT:
        body = {"text": inbound.contact_phone or ""}
    else:
        body = {"text": inbound.text}
    if inbound.display_name:
        body["from_name"] = inbound.display_name[:64]
    return body
