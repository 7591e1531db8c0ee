"""The helpdesk: a person takes over a chat on any channel, and gives it back to the bot.

One holder at a time, across workers: taking a chat is a conditional
``UPDATE conversations SET mode='agent' … WHERE id=:id AND mode='queued'``; of two agents racing,
the database lets exactly one row change. Every action then locks the conversation row (as the
conversation engine does for inbound messages), appends to the history — the source of truth that
the console's live views, the API and the citizen's channel all read — and writes an audit entry.
The caller commits.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update

from bot.config import Settings
from bot.crypto import Keyring
from bot.engine.messages import Button, Reply, Template
from bot.i18n import Catalog
from bot.photos.checks import PhotoProblem
from bot.photos.decode import PhotoRefusedError, decode, encode_jpeg
from bot.services.accounts import Actor, Role
from bot.services.delivery import Delivery
from bot.services.handoff import HandoffService
from bot.services.helpdesk_read import Holder, visible_to
from bot.services.photos import CheckedPhoto
from bot.storage.models import CannedAnswer, Conversation, Message, Rating, User, VaultBlob
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

REASONS = ("asked", "faq", "failures", "voice")
MAX_TEXT = 2000
MAX_NOTE = 2000
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_SIDE = 2000
PHOTO_QUALITY = 85
RATING_PREFIX = "rate:"
SCORES = range(1, 6)
SWEEP_BATCH = 100

# Run the bot's "continue where you were" on a conversation: (uow, conversation, dialog state).
BotResume = Callable[[UnitOfWork, Conversation, dict[str, Any]], Awaitable[list[Reply]]]


class HelpdeskError(Exception):
    """A refused helpdesk action; ``code`` names the reason (API error, catalog key suffix)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Changes:
    """Wake live views in this worker at once; other workers notice on their next poll."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Tell every waiting view that something changed."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Wait for the next change, at most ``seconds``."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), seconds)


class HelpdeskService:
    """Queue citizens for a person, let agents take, answer and return chats, and keep order."""

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        keys: Keyring,
        delivery: Delivery,
        handoff: HandoffService,
    ) -> None:
        self._settings = settings
        self._catalog = catalog
        self._keys = keys
        self._delivery = delivery
        self._handoff = handoff
        self.changes = Changes()

    @property
    def idle_after(self) -> timedelta:
        """Return how long a hold may go without agent activity before it returns to the queue."""
        return timedelta(minutes=self._settings.handoff_idle_minutes)

    # --- the citizen's side (inside the conversation engine's transaction) -------------------

    def enqueue(self, conv: Conversation, reason: str, now: datetime) -> bool:
        """Put a bot conversation in the queue; False when it already waits or is held."""
        if conv.mode != "bot":
            return False
        conv.mode, conv.handoff_reason, conv.queued_at = "queued", reason[:32], now
        conv.holder = conv.holder_name = None
        conv.agent_id = None
        return True

    def withdraw(self, conv: Conversation) -> bool:
        """Take a waiting conversation out of the queue; False unless it was waiting."""
        if conv.mode != "queued":
            return False
        conv.mode, conv.handoff_reason, conv.queued_at = "bot", None, None
        return True

    async def queue_position(self, uow: UnitOfWork, conv: Conversation) -> int:
        """Return the 1-based place of a waiting conversation."""
        return await self._handoff.queue_position(uow, conv)

    def hours_text(self, now: datetime) -> str:
        """Say when someone will answer (now, or when the helpdesk opens)."""
        return self._handoff.hours_text(self._catalog, now)

    async def clean_photo(self, data: bytes) -> CheckedPhoto:
        """Decode a photo for an agent and re-encode it without metadata (in a thread)."""
        return await asyncio.to_thread(_clean_photo, data)

    async def keep_photo(self, uow: UnitOfWork, message: Message, photo: CheckedPhoto) -> bool:
        """Store a citizen's photo for the agent, encrypted, linked to its history message."""
        if not photo.accepted or not photo.clean_jpeg:
            return False
        message.blob_id = (await self._put_blob(uow, photo.clean_jpeg)).id
        return True

    async def record_rating(
        self, uow: UnitOfWork, conv: Conversation, pending: dict[str, Any], score: int
    ) -> None:
        """Store the citizen's 1–5 rating of a closed helpdesk chat."""
        agent_id = pending.get("agent_id")
        agent_id = agent_id if isinstance(agent_id, int) else None
        uow.session.add(
            Rating(conversation_id=conv.id, agent_id=agent_id, score=score, created_at=utcnow())
        )
        uow.audit.record(
            "chat.rated", actor_type="citizen", actor_id=str(conv.citizen_id or ""),
            target_type="conversation", target_id=str(conv.id), details={"score": score},
        )  # fmt: skip

    def rating_buttons(self) -> list[Button]:
        """Return the 1–5 rating choices."""
        return [
            Button(f"{RATING_PREFIX}{n}", self._catalog.text(f"handoff-rate-{n}")) for n in SCORES
        ]

    # --- the agent's side (own unit of work; the caller commits) ------------------------------

    async def claim(
        self, uow: UnitOfWork, conv_id: int, actor: Actor, ip: str | None
    ) -> Conversation:
        """Take a waiting chat; exactly one of several racing agents wins."""
        holder, now = Holder.of(actor), utcnow()
        taken = await uow.session.execute(
            update(Conversation)
            .where(Conversation.id == conv_id, Conversation.mode == "queued")
            .values(mode="agent", holder=holder.key, holder_name=holder.name,
                    agent_id=holder.user_id, agent_seen_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        conv = await self._locked(uow, conv_id)
        if not taken.rowcount:
            if conv.mode == "agent" and conv.holder == holder.key:
                return conv
            raise HelpdeskError("taken" if conv.mode == "agent" else "not_queued")
        waited = int((now - conv.queued_at).total_seconds()) if conv.queued_at else None
        self._tell(uow, conv, "handoff-agent-joined", template=True)
        self._audit(uow, "chat.claimed", actor, conv, ip, reason=conv.handoff_reason, waited=waited)
        return conv

    async def reply(
        self,
        uow: UnitOfWork,
        conv_id: int,
        actor: Actor,
        ip: str | None,
        *,
        text: str,
        photo: CheckedPhoto | None = None,
        canned_id: int | None = None,
    ) -> Message:
        """Send the citizen a text, a canned answer or a photo on their own channel."""
        conv = await self._held(uow, conv_id, Holder.of(actor), admin_may=False)
        text = text.strip()[:MAX_TEXT]
        if canned_id is not None and not text:
            canned = await uow.session.get(CannedAnswer, canned_id)
            if canned is None:
                raise HelpdeskError("canned_not_found")
            text = canned.text[:MAX_TEXT]
        if photo is not None and (not photo.accepted or not photo.clean_jpeg):
            raise HelpdeskError("photo_refused")
        if not text and photo is None:
            raise HelpdeskError("empty")
        blob_id, image_url = None, None
        if photo is not None and photo.clean_jpeg:
            blob_id = (await self._put_blob(uow, photo.clean_jpeg)).id
            image_url = self.media_url(blob_id)
        template = Template(self._settings.whatsapp_template_agent_reply)
        message = self._delivery.deliver(
            uow, conv, Reply(text=text, image_url=image_url, template=template), author="agent",
            author_user_id=Holder.of(actor).user_id, kind="photo" if blob_id else "text",
            blob_id=blob_id,
        )  # fmt: skip
        conv.agent_seen_at = utcnow()
        kind = "photo" if blob_id else "canned" if canned_id is not None else "text"
        self._audit(uow, "chat.replied", actor, conv, ip, kind=kind, seq=message.seq)
        return message

    async def note(
        self, uow: UnitOfWork, conv_id: int, actor: Actor, ip: str | None, text: str
    ) -> Message:
        """Add an internal note to the chat; it is never sent to the citizen."""
        conv = await self._held(uow, conv_id, Holder.of(actor), admin_may=True)
        text = text.strip()[:MAX_NOTE]
        if not text:
            raise HelpdeskError("empty")
        message = uow.conversations.append(
            conv, direction="note", author="agent", kind="text", body={"text": text},
            author_user_id=Holder.of(actor).user_id,
        )  # fmt: skip
        if conv.holder == Holder.of(actor).key:
            conv.agent_seen_at = utcnow()
        self._audit(uow, "chat.noted", actor, conv, ip, seq=message.seq)
        return message

    async def transfer(
        self, uow: UnitOfWork, conv_id: int, actor: Actor, ip: str | None, to_username: str
    ) -> Conversation:
        """Hand a held chat to another agent (admins may also assign a waiting one)."""
        holder = Holder.of(actor)
        conv = await self._locked(uow, conv_id)
        if not (conv.mode == "agent" and (conv.holder == holder.key or holder.admin)) and not (
            conv.mode == "queued" and holder.admin
        ):
            raise HelpdeskError("not_holder" if conv.mode == "agent" else "not_held")
        target = await self._agent_user(uow, to_username)
        if conv.holder == f"user:{target.id}":
            raise HelpdeskError("same_agent")
        previous = conv.holder_name
        conv.mode, conv.holder, conv.holder_name = "agent", f"user:{target.id}", target.username
        conv.agent_id, conv.agent_seen_at = target.id, utcnow()
        self._system_note(uow, conv, "console-chats-note-transferred",
                          by=holder.name, to=target.username)  # fmt: skip
        self._audit(uow, "chat.transferred", actor, conv, ip, source=previous, to=target.username)
        return conv

    async def release(
        self, uow: UnitOfWork, conv_id: int, actor: Actor, ip: str | None, resume: BotResume
    ) -> Conversation:
        """Give the chat back to the bot, which asks the citizen's current step again."""
        conv = await self._held(uow, conv_id, Holder.of(actor), admin_may=True)
        self._end_hold(conv)
        self._tell(uow, conv, "handoff-agent-left")
        state = uow.conversations.read_state(conv)
        state.pop("failures", None)
        replies = await resume(uow, conv, state)
        for reply in replies:
            self._delivery.deliver(uow, conv, reply)
        self._remember_buttons(state, replies)
        uow.conversations.write_state(conv, state)
        self._audit(uow, "chat.released", actor, conv, ip, step=conv.step)
        return conv

    async def close(
        self, uow: UnitOfWork, conv_id: int, actor: Actor, ip: str | None
    ) -> Conversation:
        """End the helpdesk chat and ask the citizen to rate it (1–5)."""
        conv = await self._held(uow, conv_id, Holder.of(actor), admin_may=True)
        agent_id = conv.agent_id
        self._end_hold(conv)
        rating = Reply(text=self._catalog.text("handoff-done-rate"),
                       buttons=tuple(self.rating_buttons()))  # fmt: skip
        self._delivery.deliver(uow, conv, rating, author="system")
        state = uow.conversations.read_state(conv)
        state.pop("failures", None)
        state["rating"] = {"agent_id": agent_id}
        self._remember_buttons(state, [rating])
        uow.conversations.write_state(conv, state)
        self._audit(uow, "chat.closed", actor, conv, ip)
        return conv

    async def touch(self, uow: UnitOfWork, actor: Actor) -> None:
        """Record that an agent is present (a live console page is open)."""
        await uow.session.execute(
            update(Conversation)
            .where(Conversation.mode == "agent", Conversation.holder == Holder.of(actor).key)
            .values(agent_seen_at=utcnow())
            .execution_options(synchronize_session=False)
        )

    async def sweep_idle(self, uow_factory: UnitOfWorkFactory, now: datetime | None = None) -> int:
        """Return abandoned holds (no agent activity for the idle time) to the queue."""
        now = now or utcnow()
        cutoff = now - self.idle_after
        async with uow_factory() as uow:
            stale = await uow.session.execute(
                select(Conversation.id, Conversation.holder_name)
                .where(Conversation.mode == "agent", Conversation.agent_seen_at < cutoff)
                .limit(SWEEP_BATCH)
            )
            found = list(stale.all())
        returned = 0
        for conv_id, holder_name in found:
            async with uow_factory() as uow:
                if await self._requeue(uow, conv_id, holder_name, cutoff, now):
                    await uow.commit()
                    returned += 1
        if returned:
            self.changes.notify()
        return returned

    async def _requeue(
        self,
        uow: UnitOfWork,
        conv_id: int,
        holder_name: str | None,
        cutoff: datetime,
        now: datetime,
    ) -> bool:
        moved = await uow.session.execute(
            update(Conversation)
            .where(Conversation.id == conv_id, Conversation.mode == "agent",
                   Conversation.agent_seen_at < cutoff)
            .values(mode="queued", holder=None, holder_name=None, agent_id=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        if not moved.rowcount:
            return False
        conv = await self._locked(uow, conv_id)
        conv.queued_at = conv.queued_at or now  # the citizen keeps their place
        self._system_note(uow, conv, "console-chats-note-requeued", agent=holder_name or "-")
        position = await self.queue_position(uow, conv)
        self._tell(uow, conv, "handoff-requeued", position=position, hours=self.hours_text(now))
        uow.audit.record(
            "chat.requeued", actor_type="system", actor_name="helpdesk",
            target_type="conversation", target_id=str(conv_id),
            details={"agent": holder_name, "idle_minutes": self._settings.handoff_idle_minutes},
        )  # fmt: skip
        return True

    # --- photos -------------------------------------------------------------------------------

    def media_key(self, blob_id: int) -> str:
        """Return the key that makes an agent photo's public link unguessable."""
        message = f"chat-media:{blob_id}".encode()
        return hmac.new(self._keys.session_key, message, hashlib.sha256).hexdigest()[:32]

    def media_url(self, blob_id: int) -> str:
        """Return the link the citizen's channel fetches an agent's photo from."""
        return f"/media/chat/{blob_id}?k={self.media_key(blob_id)}"

    async def sent_photo(self, uow: UnitOfWork, blob_id: int) -> bytes | None:
        """Return a photo an agent sent to a citizen (only those are public by link)."""
        sent = await uow.session.scalar(
            select(Message.id).where(
                Message.blob_id == blob_id, Message.direction == "out", Message.author == "agent"
            )
        )
        return await self._read_blob(uow, blob_id) if sent is not None else None

    async def chat_photo(
        self, uow: UnitOfWork, conv_id: int, seq: int, actor: Actor, ip: str | None
    ) -> bytes | None:
        """Return the photo of one chat message for an agent who may read the chat; audited."""
        conv = await uow.conversations.get(conv_id)
        if conv is None or not visible_to(conv, Holder.of(actor)):
            return None
        blob_id = await uow.session.scalar(
            select(Message.blob_id).where(Message.conversation_id == conv_id, Message.seq == seq)
        )
        image = await self._read_blob(uow, blob_id) if blob_id else None
        if image is not None:
            self._audit(uow, "chat.photo_viewed", actor, conv, ip, seq=seq)
        return image

    async def load_sent_photo(self, uow_factory: UnitOfWorkFactory, url: str) -> bytes | None:
        """Return the bytes behind an agent photo link (for channels that upload pictures)."""
        path, _, query = url.partition("?k=")
        if not path.startswith("/media/chat/") or not path.removeprefix("/media/chat/").isdigit():
            return None
        blob_id = int(path.removeprefix("/media/chat/"))
        if not hmac.compare_digest(query, self.media_key(blob_id)):
            return None
        async with uow_factory() as uow:
            return await self.sent_photo(uow, blob_id)

    async def _put_blob(self, uow: UnitOfWork, image: bytes) -> VaultBlob:
        blob = VaultBlob(created_at=utcnow(), ciphertext=b"")
        uow.session.add(blob)
        await uow.session.flush()
        # The same binding as the document vault, so `tlive-bot rekey` re-encrypts these too.
        blob.ciphertext = self._keys.documents.encrypt(image, context=f"blob:{blob.id}".encode())
        return blob

    async def _read_blob(self, uow: UnitOfWork, blob_id: int) -> bytes | None:
        blob = await uow.session.get(VaultBlob, blob_id)
        if blob is None:
            return None
        return self._keys.documents.decrypt(blob.ciphertext, context=f"blob:{blob.id}".encode())

    # --- canned answers (admins edit them, agents send them) ----------------------------------

    async def canned_answers(self, uow: UnitOfWork) -> list[CannedAnswer]:
        """Return the ready-made replies, by title."""
        stmt = select(CannedAnswer).order_by(CannedAnswer.title, CannedAnswer.id)
        return list((await uow.session.execute(stmt)).scalars())

    async def save_canned(
        self, uow: UnitOfWork, actor: Actor, ip: str | None, title: str, text: str,
        canned_id: int | None = None,
    ) -> CannedAnswer:  # fmt: skip
        """Create or change a canned answer; admins only."""
        _require_admin(actor)
        title, text = " ".join(title.split())[:64], text.strip()[:MAX_TEXT]
        if not title or not text:
            raise HelpdeskError("canned_empty")
        if canned_id is None:
            canned = CannedAnswer(title=title, text=text, created_at=utcnow())
            uow.session.add(canned)
            await uow.session.flush()
        else:
            found = await uow.session.get(CannedAnswer, canned_id)
            if found is None:
                raise HelpdeskError("canned_not_found")
            canned, canned.title, canned.text = found, title, text
        action = "canned.created" if canned_id is None else "canned.updated"
        uow.audit.record(action, actor_type=actor.type, actor_id=actor.id, actor_name=actor.name,
                         target_type="canned_answer", target_id=str(canned.id), ip=ip)  # fmt: skip
        return canned

    async def delete_canned(
        self, uow: UnitOfWork, actor: Actor, ip: str | None, canned_id: int
    ) -> None:
        """Delete a canned answer; admins only."""
        _require_admin(actor)
        gone = await uow.session.execute(delete(CannedAnswer).where(CannedAnswer.id == canned_id))
        if not gone.rowcount:
            raise HelpdeskError("canned_not_found")
        uow.audit.record("canned.deleted", actor_type=actor.type, actor_id=actor.id,
                         actor_name=actor.name, target_type="canned_answer",
                         target_id=str(canned_id), ip=ip)  # fmt: skip

    async def agents(self, uow: UnitOfWork) -> list[User]:
        """Return the active accounts a chat may be transferred to."""
        stmt = select(User).where(User.active.is_(True), User.role.in_((Role.AGENT, Role.ADMIN)))
        return list((await uow.session.execute(stmt.order_by(User.username))).scalars())

    # --- helpers ------------------------------------------------------------------------------

    async def _locked(self, uow: UnitOfWork, conv_id: int) -> Conversation:
        stmt = (
            select(Conversation)
            .where(Conversation.id == conv_id)
            .execution_options(populate_existing=True)
        )
        if uow.session.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        conv = (await uow.session.execute(stmt)).scalar_one_or_none()
        if conv is None:
            raise HelpdeskError("not_found")
        return conv

    async def _held(
        self, uow: UnitOfWork, conv_id: int, holder: Holder, *, admin_may: bool
    ) -> Conversation:
        """Return the locked chat if ``holder`` holds it (or is an admin, when allowed)."""
        conv = await self._locked(uow, conv_id)
        if conv.mode != "agent":
            raise HelpdeskError("not_held")
        if conv.holder != holder.key and not (admin_may and holder.admin):
            raise HelpdeskError("not_holder")
        return conv

    async def _agent_user(self, uow: UnitOfWork, username: str) -> User:
        name = username.strip().lower()
        user = await uow.session.scalar(select(User).where(User.username == name))
        if user is None or not user.active or user.role not in (Role.AGENT, Role.ADMIN):
            raise HelpdeskError("no_such_agent")
        return user

    def _end_hold(self, conv: Conversation) -> None:
        conv.mode, conv.handoff_reason, conv.queued_at = "bot", None, None
        conv.holder = conv.holder_name = None
        conv.agent_id = None

    def _tell(
        self,
        uow: UnitOfWork,
        conv: Conversation,
        key: str,
        *,
        template: bool = False,
        **args: object,
    ) -> None:
        """Send the citizen a notice from the helpdesk (not from an agent)."""
        agent_template = (
            Template(self._settings.whatsapp_template_agent_reply) if template else None
        )
        reply = Reply(text=self._catalog.text(key, **args), template=agent_template)
        self._delivery.deliver(uow, conv, reply, author="system")

    def _system_note(self, uow: UnitOfWork, conv: Conversation, key: str, **args: object) -> None:
        """Add a note about the chat itself (transfers, returns to the queue) for agents."""
        uow.conversations.append(conv, direction="note", author="system", kind="text",
                                 body={"text": self._catalog.text(key, **args)})  # fmt: skip

    @staticmethod
    def _remember_buttons(state: dict[str, Any], replies: list[Reply]) -> None:
        """Keep the last reply's choices, so typed numbers and labels still choose them."""
        last = replies[-1] if replies else None
        state["buttons"] = [[b.id, b.label] for b in last.buttons] if last else []

    @staticmethod
    def _audit(
        uow: UnitOfWork, action: str, actor: Actor, conv: Conversation, ip: str | None,
        **details: object,
    ) -> None:  # fmt: skip
        uow.audit.record(
            action, actor_type=actor.type, actor_id=actor.id, actor_name=actor.name,
            target_type="conversation", target_id=str(conv.id),
            details={"channel": conv.channel, **details}, ip=ip,
        )  # fmt: skip


def _require_admin(actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        raise HelpdeskError("forbidden")


def _clean_photo(data: bytes) -> CheckedPhoto:
    """Decode and re-encode a photo for the helpdesk; refuse what is not a usable picture."""
    if len(data) > MAX_PHOTO_BYTES:
        return _refused("photo-too-big")
    try:
        photo = decode(data, max_pixels=80_000_000, max_pixels_full_decode=25_000_000,
                       max_side=PHOTO_SIDE)  # fmt: skip
    except PhotoRefusedError as exc:
        return _refused(exc.key)
    height, width = photo.rgb.shape[:2]
    return CheckedPhoto(
        kind="chat", accepted=True, problems=(), clean_jpeg=encode_jpeg(photo.rgb, PHOTO_QUALITY),
        width=width, height=height, checks={},
    )  # fmt: skip


def _refused(key: str) -> CheckedPhoto:
    return CheckedPhoto(
        kind="chat", accepted=False, problems=(PhotoProblem(key, True),), clean_jpeg=None,
        width=0, height=0, checks={},
    )  # fmt: skip
