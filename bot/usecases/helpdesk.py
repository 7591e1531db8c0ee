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
from bot.helpdesk import agents, canned, hold, reading
from bot.helpdesk.canned import MAX_TEXT
from bot.helpdesk.desk import HelpdeskService
from bot.helpdesk.hold import HelpdeskError, Holder
from bot.helpdesk.reading import CitizenState, DeliveryState, HistoryEntry, QueueEntry
from bot.services.accounts import Actor
from bot.services.delivery import Delivery
from bot.storage.models import CannedAnswer, Conversation, Message, User
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

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


@dataclass(frozen=True, slots=True)
class ChatView:
    """One chat as an agent opens it (canned answers and agents only when asked for)."""

    conv: Conversation
    history: list[HistoryEntry]
    citizen: CitizenState
    canned: list[CannedAnswer]
    agents: list[User]


@dataclass(frozen=True, slots=True)
class ChatPoll:
    """What changed in an open chat since the last look."""

    conv: Conversation
    visible: bool
    new: list[HistoryEntry]
    deliveries: dict[int, DeliveryState]
    touched: bool


class HelpdeskCases:
    """The helpdesk's use cases for agents and admins, sharing the services they need."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        settings: Settings,
        desk: HelpdeskService,
        delivery: Delivery,
        resume: BotResume,
    ) -> None:
        self._uow = uow
        self._settings = settings
        self._desk = desk
        self._delivery = delivery
        self._resume = resume

    @property
    def idle_after(self) -> timedelta:
        """Return how long a hold may go without agent activity before it returns to the queue."""
        return timedelta(minutes=self._settings.handoff_idle_minutes)

    # --- reading ------------------------------------------------------------------------------

    async def queue(self, actor: Actor, *, touch: bool = False) -> list[QueueEntry]:
        """Return the actor's queue; with ``touch``, also note that they are present."""
        async with self._uow() as uow:
            entries = await reading.queue(uow, Holder.of(actor))
            if touch:
                await self._touch(uow, actor)
                await uow.commit()
        return entries

    async def open_chat(
        self, actor: Actor, conv_id: int, ip: str | None, *, tools: bool = False
    ) -> ChatView:
        """Return one chat with its history and the citizen's state; audited."""
        async with self._uow() as uow:
            conv = await self._visible(uow, actor, conv_id)
            view = ChatView(
                conv, await reading.history(uow, conv), await reading.citizen_state(uow, conv),
                await canned.answers(uow) if tools else [],
                await agents.agents(uow) if tools else [],
            )  # fmt: skip
            self._audit(uow, "chat.viewed", actor, conv, ip, channel=False)
            await self._touch(uow, actor)
            await uow.commit()
        return view

    async def peek(self, actor: Actor, conv_id: int) -> Conversation:
        """Return a chat the actor may read (refused: not_found, not_holder)."""
        async with self._uow() as uow:
            return await self._visible(uow, actor, conv_id)

    async def poll(
        self, actor: Actor, conv_id: int, *, after: int, recent: int, touch: bool
    ) -> ChatPoll | None:
        """Return an open chat's news after ``after``; with ``touch``, keep the hold alive."""
        holder = Holder.of(actor)
        async with self._uow() as uow:
            conv = await uow.conversations.get(conv_id)
            if conv is None:
                return None
            visible = hold.visible_to(conv, holder)
            new = []
            if visible and (conv.last_seq or 0) > after:
                new = await reading.history(uow, conv, after=after)
            seqs = list(range(max(1, conv.last_seq - recent), conv.last_seq + 1))
            states = await reading.delivery_states(uow, conv.id, seqs) if visible else {}
            touched = touch and conv.holder == holder.key
            if touched:
                await self._touch(uow, actor)
                await uow.commit()
        return ChatPoll(conv, visible, new, states, touched)

    async def chat_photo(
        self, actor: Actor, conv_id: int, seq: int, ip: str | None
    ) -> bytes | None:
        """Return the photo of one chat message for an agent who may read the chat; audited."""
        async with self._uow() as uow:
            conv = await uow.conversations.get(conv_id)
            if conv is None or not hold.visible_to(conv, Holder.of(actor)):
                return None
            blob_id = await uow.helpdesk.message_blob(conv_id, seq)
            image = await self._desk.media.read(uow, blob_id) if blob_id else None
            if image is not None:
                self._audit(uow, "chat.photo_viewed", actor, conv, ip, seq=seq)
                await uow.commit()
        return image

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
                self._desk.tell(uow, conv, "handoff-agent-joined", template=True)
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
            sent = self._delivery.deliver(
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
            note = uow.conversations.append(
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
            self._desk.system_note(uow, conv, "console-chats-note-transferred",
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
            self._desk.tell(uow, conv, "handoff-agent-left")
            state = uow.conversations.read_state(conv)
            state.pop("failures", None)
            replies = await self._resume(uow, conv, state)
            for reply in replies:
                self._delivery.deliver(uow, conv, reply)
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
            self._delivery.deliver(uow, conv, rating, author="system")
            state = uow.conversations.read_state(conv)
            state.pop("failures", None)
            state["rating"] = {"agent_id": agent_id}
            _remember_buttons(state, [rating])
            uow.conversations.write_state(conv, state)
            self._audit(uow, "chat.closed", actor, conv, ip)
            uow.publish(ChatChanged(conv.id))
            await uow.commit()
        return conv

    async def touch(self, actor: Actor) -> None:
        """Record that an agent is present (a live console page is open)."""
        async with self._uow() as uow:
            await self._touch(uow, actor)
            await uow.commit()

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
        self._desk.system_note(uow, conv, "console-chats-note-requeued", agent=holder_name or "-")
        position = await self._desk.queue_position(uow, conv)
        self._desk.tell(uow, conv, "handoff-requeued", position=position,
                        hours=self._desk.hours_text(now))  # fmt: skip
        uow.audit.record(
            "chat.requeued", actor_type="system", actor_name="helpdesk",
            target_type="conversation", target_id=str(conv_id),
            details={"agent": holder_name, "idle_minutes": self._settings.handoff_idle_minutes},
        )  # fmt: skip
        uow.publish(ChatChanged(conv.id))
        return True

    # --- canned answers and agents' photos by link ------------------------------------------

    async def canned_answers(self) -> list[CannedAnswer]:
        """Return the ready-made replies, by title."""
        async with self._uow() as uow:
            return await canned.answers(uow)

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

    async def sent_photo(self, blob_id: int, key: str) -> bytes | None:
        """Return a photo an agent sent, to whoever holds its keyed link."""
        if not self._desk.media.opens(blob_id, key):
            return None
        async with self._uow() as uow:
            return await self._desk.media.sent_photo(uow, blob_id)

    async def load_sent_photo(self, url: str) -> bytes | None:
        """Return the bytes behind an agent photo link (for channels that upload pictures)."""
        blob_id = self._desk.media.blob_of(url)
        if blob_id is None:
            return None
        async with self._uow() as uow:
            return await self._desk.media.sent_photo(uow, blob_id)

    # --- helpers ------------------------------------------------------------------------------

    @staticmethod
    async def _locked(uow: UnitOfWork, conv_id: int) -> Conversation:
        conv = await uow.conversations.get(conv_id, lock=True)
        if conv is None:
            raise HelpdeskError("not_found")
        return conv

    @staticmethod
    async def _visible(uow: UnitOfWork, actor: Actor, conv_id: int) -> Conversation:
        conv = await uow.conversations.get(conv_id)
        if conv is None:
            raise HelpdeskError("not_found")
        if not hold.visible_to(conv, Holder.of(actor)):
            raise HelpdeskError("not_holder")
        return conv

    @staticmethod
    async def _touch(uow: UnitOfWork, actor: Actor) -> None:
        move = hold.presence(utcnow())
        await uow.helpdesk.touch(Holder.of(actor).key, dict(move.columns))

    @staticmethod
    def _audit(
        uow: UnitOfWork, action: str, actor: Actor, conv: Conversation, ip: str | None,
        *, channel: bool = True, **details: object,
    ) -> None:  # fmt: skip
        uow.audit.record(
            action, actor_type=actor.type, actor_id=actor.id, actor_name=actor.name,
            target_type="conversation", target_id=str(conv.id),
            details={"channel": conv.channel, **details} if channel else None, ip=ip,
        )  # fmt: skip


def _remember_buttons(state: dict[str, Any], replies: list[Reply]) -> None:
    """Keep the last reply's choices, so typed numbers and labels still choose them."""
    last = replies[-1] if replies else None
    state["buttons"] = [[b.id, b.label] for b in last.buttons] if last else []
