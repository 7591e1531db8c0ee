"""What agents read in the helpdesk: the queue, one chat, its photos; each read is one unit.

The reading half of the helpdesk use cases (``bot.usecases.helpdesk`` adds the changes). Opening
a chat or one of its photos is audited; live pages keep the agent's holds alive.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.helpdesk import agents, canned, hold, reading
from bot.helpdesk.desk import HelpdeskService
from bot.helpdesk.hold import HelpdeskError, Holder
from bot.helpdesk.reading import CitizenState, DeliveryState, HistoryEntry, QueueEntry
from bot.services.accounts import Actor
from bot.storage.models import CannedAnswer, Conversation, User
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory


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


class HelpdeskReads:
    """Read the queue and chats for agents (audited where personal data is shown)."""

    def __init__(self, uow: UnitOfWorkFactory, desk: HelpdeskService) -> None:
        self._uow = uow
        self._desk = desk

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

    async def touch(self, actor: Actor) -> None:
        """Record that an agent is present (a live console page is open)."""
        async with self._uow() as uow:
            await self._touch(uow, actor)
            await uow.commit()

    # --- canned answers and agents' photos by link ------------------------------------------

    async def canned_answers(self) -> list[CannedAnswer]:
        """Return the ready-made replies, by title."""
        async with self._uow() as uow:
            return await canned.answers(uow)

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
