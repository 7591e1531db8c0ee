"""What helpdesk agents and admins do: each use case opens, commits and announces its work.

The console and the API call these and only render the result. Every change of a chat
publishes :class:`ChatChanged` (live views refresh); messages go out through ``Delivery``
(which publishes ``MessagesQueued``). The hold's rules are in :mod:`bot.helpdesk.hold`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.domain.events import ChatChanged
from bot.engine.messages import Reply
from bot.helpdesk import agents, canned, hold
from bot.helpdesk.canned import MAX_TEXT
from bot.helpdesk.desk import HelpdeskService
from bot.helpdesk.hold import HelpdeskError, Holder
from bot.services.accounts import Actor
from bot.services.delivery import Delivery
from bot.storage.models import CannedAnswer, Conversation, Message
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory
from bot.usecases.helpdesk_reads import ChatPoll, ChatView, HelpdeskReads

__all__ = ["AgentMessage", "BotResume", "ChatPoll", "ChatView", "HelpdeskCases"]

MAX_NOTE = 2000
SWEEP_BATCH = 100

# Run the bot's "continue where you were" on a conversation: (uow, conversation, dialog state).
BotResume = Callable[[UnitOfWork, Conversation, dict[str, Any]], Awaitable[list[Reply]]]


@dataclass(frozen=True, slots=True)
class AgentMessage:
    """What an agent sends: a text, a canned answer or a photo, or an internal note."""

    text: str = ""
    photo: bytes | None = None
    canned_id: int | None = None
    note: bool = False


class HelpdeskCases(HelpdeskReads):
    """The helpdesk's use cases for agents and admins: the reads, and every change of a chat."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        settings: Settings,
        desk: HelpdeskService,
        delivery: Delivery,
        resume: BotResume,
    ) -> None:
        super().__init__(uow, desk)
        self._settings = settings
        self._delivery = delivery
        self._resume = resume

    @property
    def idle_after(self) -> timedelta:
        """Return how long a hold may go without agent activity before it returns to the queue."""
        return timedelta(minutes=self._settings.handoff_idle_minutes)

    # --- the hold -----------------------------------------------------------------------------

    async def claim(self, actor: Actor, conv_id: int, ip: str | None) -> Conversation:
        """Take a waiting chat; exactly one of several racing agents wins."""
        holder, now = Holder.of(actor), utcnow()
        async with self._uow() as uow:
            move = hold.claiming(holder, now)
            won = await uow.helpdesk.move(conv_id, move.source, dict(move.columns))
            conv = await self._locked(uow, conv_id)
            if hold.claimed(conv, holder, won=won):
                waited = int((now - conv.queued_at).total_seconds()) if conv.queued_at else None
                await self._desk.tell(uow, conv, "handoff-agent-joined", template=True)
                self._audit(uow, "chat.claimed", actor, conv, ip, reason=conv.handoff_reason,
                            waited=waited)  # fmt: skip
                uow.publish(ChatChanged(conv.id))
            await uow.commit()
        return conv

    async def send(
        self, actor: Actor, conv_id: int, ip: str | None, message: AgentMessage
    ) -> Message:
        """Send the citizen a text, canned answer or photo, or add an internal note."""
        if message.note:
            return await self._note(actor, conv_id, ip, message.text)
        photo = await self._desk.clean_photo(message.photo) if message.photo else None
        holder = Holder.of(actor)
        async with self._uow() as uow:
            conv = await self._locked(uow, conv_id)
            hold.require_held(conv, holder, admin_may=False)
            text = message.text.strip()[:MAX_TEXT]
            if message.canned_id is not None and not text:
                text = await canned.text_of(uow, message.canned_id)
            if photo is not None and (not photo.accepted or not photo.clean_jpeg):
                raise HelpdeskError("photo_refused")
            if not text and photo is None:
                raise HelpdeskError("empty")
            blob_id = await self._desk.media.put(uow, photo.clean_jpeg) if photo else None
            image_url = self._desk.media.url(blob_id) if blob_id else None
            reply = Reply(text=text, image_url=image_url, template=self._desk.agent_template())
            sent = await self._delivery.deliver(
                uow, conv, reply, author="agent", author_user_id=holder.user_id,
                kind="photo" if blob_id else "text", blob_id=blob_id,
            )  # fmt: skip
            hold.seen(conv, holder, utcnow())
            kind = "photo" if blob_id else "canned" if message.canned_id is not None else "text"
            self._audit(uow, "chat.replied", actor, conv, ip, kind=kind, seq=sent.seq)
            uow.publish(ChatChanged(conv.id))
            await uow.commit()
        return sent

    async def _note(self, actor: Actor, conv_id: int, ip: str | None, text: str) -> Message:
        """Add an internal note to the chat; it is never sent to the citizen."""
        holder = Holder.of(actor)
        async with self._uow() as uow:
            conv = await self._locked(uow, conv_id)
            hold.require_held(conv, holder, admin_may=True)
            text = text.strip()[:MAX_NOTE]
            if not text:
                raise HelpdeskError("empty")
            note = await uow.conversations.append(
                conv, direction="note", author="agent", kind="text", body={"text": text},
                author_user_id=holder.user_id,
            )  # fmt: skip
            hold.seen(conv, holder, utcnow())
            self._audit(uow, "chat.noted", actor, conv, ip, seq=note.seq)
            uow.publish(ChatChanged(conv.id))
            await uow.commit()
        return note

    async def transfer(
        self, actor: Actor, conv_id: int, ip: str | None, to_username: str
    ) -> Conversation:
        """Hand a held chat to another agent (admins may also assign a waiting one)."""
        holder = Holder.of(actor)
        async with self._uow() as uow:
            conv = await self._locked(uow, conv_id)
            hold.require_transferable(conv, holder)
            target = await agents.agent_named(uow, to_username)
            previous = conv.holder_name
            hold.transfer(conv, holder, Holder.of_user(target), utcnow())
            await self._desk.system_note(uow, conv, "console-chats-note-transferred",
                                         by=holder.name, to=target.username)  # fmt: skip
            self._audit(uow, "chat.transferred", actor, conv, ip, source=previous,
                        to=target.username)  # fmt: skip
            uow.publish(ChatChanged(conv.id))
            await uow.commit()
        return conv

    async def hand_back(self, actor: Actor, conv_id: int, ip: str | None) -> Conversation:
        """Give the chat back to the bot, which asks the citizen's current step again."""
        async with self._uow() as uow:
            conv = await self._locked(uow, conv_id)
            hold.hand_back(conv, Holder.of(actor))
            await self._desk.tell(uow, conv, "handoff-agent-left")
            state = uow.conversations.read_state(conv)
            state.pop("failures", None)
            replies = await self._resume(uow, conv, state)
            for reply in replies:
                await self._delivery.deliver(uow, conv, reply)
            _remember_buttons(state, replies)
            uow.conversations.write_state(conv, state)
            self._audit(uow, "chat.released", actor, conv, ip, step=conv.step)
            uow.publish(ChatChanged(conv.id))
            await uow.commit()
        return conv

    async def close(self, actor: Actor, conv_id: int, ip: str | None) -> Conversation:
        """End the helpdesk chat and ask the citizen to rate it (1–5)."""
        async with self._uow() as uow:
            conv = await self._locked(uow, conv_id)
            agent_id = hold.close(conv, Holder.of(actor))
            rating = self._desk.rating_request()
            await self._delivery.deliver(uow, conv, rating, author="system")
            state = uow.conversations.read_state(conv)
            state.pop("failures", None)
            state["rating"] = {"agent_id": agent_id}
            _remember_buttons(state, [rating])
            uow.conversations.write_state(conv, state)
            self._audit(uow, "chat.closed", actor, conv, ip)
            uow.publish(ChatChanged(conv.id))
            await uow.commit()
        return conv

    # --- the helpdesk's own housekeeping ------------------------------------------------------

    async def sweep_idle(self, now: datetime | None = None) -> int:
        """Return abandoned holds (no agent activity for the idle time) to the queue."""
        now = now or utcnow()
        cutoff = now - self.idle_after
        async with self._uow() as uow:
            found = await uow.helpdesk.idle_holds(cutoff, SWEEP_BATCH)
        returned = 0
        for conv_id, holder_name in found:
            async with self._uow() as uow:
                if await self._requeue(uow, conv_id, holder_name, cutoff, now):
                    await uow.commit()
                    returned += 1
        return returned

    async def _requeue(
        self, uow: UnitOfWork, conv_id: int, holder_name: str | None, cutoff: datetime,
        now: datetime,
    ) -> bool:  # fmt: skip
        move = hold.requeuing(now)
        if not await uow.helpdesk.move(conv_id, move.source, dict(move.columns),
                                       seen_before=cutoff):  # fmt: skip
            return False
        conv = await self._locked(uow, conv_id)
        hold.requeued(conv, now)
        await self._desk.system_note(
            uow, conv, "console-chats-note-requeued", agent=holder_name or "-"
        )
        position = await self._desk.queue_position(uow, conv)
        await self._desk.tell(uow, conv, "handoff-requeued", position=position,
                              hours=self._desk.hours_text(now))  # fmt: skip
        uow.audit.record(
            "chat.requeued", actor_type="system", actor_name="helpdesk",
            target_type="conversation", target_id=str(conv_id),
            details={"agent": holder_name, "idle_minutes": self._settings.handoff_idle_minutes},
        )  # fmt: skip
        uow.publish(ChatChanged(conv.id))
        return True

    # --- canned answers -------------------------------------------------------------------------

    async def save_canned(
        self, actor: Actor, ip: str | None, title: str, text: str, canned_id: int | None = None
    ) -> CannedAnswer:
        """Create or change a canned answer; admins only."""
        async with self._uow() as uow:
            saved = await canned.save(uow, actor, ip, title, text, canned_id)
            await uow.commit()
        return saved

    async def delete_canned(self, actor: Actor, ip: str | None, canned_id: int) -> None:
        """Delete a canned answer; admins only."""
        async with self._uow() as uow:
            await canned.delete(uow, actor, ip, canned_id)
            await uow.commit()


def _remember_buttons(state: dict[str, Any], replies: list[Reply]) -> None:
    """Keep the last reply's choices, so typed numbers and labels still choose them."""
    last = replies[-1] if replies else None
    state["buttons"] = [[b.id, b.label] for b in last.buttons] if last else []
