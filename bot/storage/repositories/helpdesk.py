"""The helpdesk's queries: the queue, holds, agent photos, canned answers, agents, ratings."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.chat_mode import ChatMode
from bot.storage.models import (
    AuditEntry,
    CannedAnswer,
    Conversation,
    Document,
    Message,
    OutboxItem,
    Rating,
    User,
    VaultBlob,
)
from bot.storage.types import utcnow


class HelpdeskRepository:
    """Everything the helpdesk reads and writes besides the conversation and its history."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    # --- holds ----------------------------------------------------------------------------

    async def move(
        self,
        conversation_id: int,
        source: ChatMode,
        columns: dict[str, object],
        *,
        seen_before: datetime | None = None,
    ) -> bool:
        """Set ``columns`` only while the row is in ``source`` (and idle, if asked); say if so.

        One conditional UPDATE: of several workers racing for the row, exactly one changes it.
        """
        stmt = update(Conversation).where(
            Conversation.id == conversation_id, Conversation.mode == source
        )
        if seen_before is not None:
            stmt = stmt.where(Conversation.agent_seen_at < seen_before)
        done = await self._s.execute(
            stmt.values(**columns).execution_options(synchronize_session=False)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    async def touch(self, holder: str, columns: dict[str, object]) -> None:
        """Set ``columns`` on every chat ``holder`` holds."""
        await self._s.execute(
            update(Conversation)
            .where(Conversation.mode == ChatMode.AGENT, Conversation.holder == holder)
            .values(**columns)
            .execution_options(synchronize_session=False)
        )

    async def idle_holds(self, cutoff: datetime, limit: int) -> list[tuple[int, str | None]]:
        """Return (id, holder name) of held chats with no agent activity since ``cutoff``."""
        found = await self._s.execute(
            select(Conversation.id, Conversation.holder_name)
            .where(Conversation.mode == ChatMode.AGENT, Conversation.agent_seen_at < cutoff)
            .limit(limit)
        )
        return [(conv_id, name) for conv_id, name in found.all()]

    async def queue_position(self, queued_at: datetime) -> int:
        """Return how many chats have waited since ``queued_at`` or longer (at least 1)."""
        stmt = select(func.count()).where(
            Conversation.mode == ChatMode.QUEUED, Conversation.queued_at <= queued_at
        )
        return max(int(await self._s.scalar(stmt) or 0), 1)

    async def queue(self, holder: str | None, limit: int) -> Sequence[Conversation]:
        """Return waiting and held chats, oldest first; with ``holder``, only theirs held."""
        stmt = select(Conversation).where(Conversation.mode.in_((ChatMode.QUEUED, ChatMode.AGENT)))
        if holder is not None:
            stmt = stmt.where(
                or_(Conversation.mode == ChatMode.QUEUED, Conversation.holder == holder)
            )
        stmt = stmt.order_by(Conversation.queued_at, Conversation.id).limit(limit)
        return (await self._s.execute(stmt)).scalars().all()

    # --- what agents read about a chat --------------------------------------------------------

    async def usernames(self, user_ids: Collection[int]) -> dict[int, str]:
        """Return the usernames of these accounts."""
        if not user_ids:
            return {}
        found = await self._s.execute(select(User.id, User.username).where(User.id.in_(user_ids)))
        return {user_id: username for user_id, username in found.all()}

    async def outbox_items(
        self, conversation_id: int, seqs: Collection[int] | None = None
    ) -> Sequence[OutboxItem]:
        """Return the outbox items of a chat's messages (of ``seqs`` only, if given), in order."""
        stmt = select(OutboxItem).where(
            OutboxItem.conversation_id == conversation_id, OutboxItem.message_seq.is_not(None)
        )
        if seqs is not None:
            stmt = stmt.where(OutboxItem.message_seq.in_(seqs))
        return (await self._s.execute(stmt.order_by(OutboxItem.id))).scalars().all()

    async def document_kinds(self, registration_id: int) -> list[str]:
        """Return the kinds of a registration's documents still kept, sorted."""
        stmt = select(Document.kind).where(
            Document.registration_id == registration_id, Document.purged_at.is_(None)
        )
        return sorted((await self._s.execute(stmt)).scalars())

    # --- photos in chats ----------------------------------------------------------------------

    async def new_blob(self) -> VaultBlob:
        """Add an empty vault blob and return it with its id (the caller sets the ciphertext)."""
        blob = VaultBlob(created_at=utcnow(), ciphertext=b"")
        self._s.add(blob)
        await self._s.flush()
        return blob

    async def blob(self, blob_id: int) -> VaultBlob | None:
        """Return a vault blob."""
        return await self._s.get(VaultBlob, blob_id)

    async def message_blob(self, conversation_id: int, seq: int) -> int | None:
        """Return the photo of one history message, if any."""
        return await self._s.scalar(
            select(Message.blob_id).where(
                Message.conversation_id == conversation_id, Message.seq == seq
            )
        )

    async def sent_by_agent(self, blob_id: int) -> bool:
        """Tell whether an agent sent this photo to a citizen."""
        sent = await self._s.scalar(
            select(Message.id).where(
                Message.blob_id == blob_id, Message.direction == "out", Message.author == "agent"
            )
        )
        return sent is not None

    # --- canned answers, agents, ratings --------------------------------------------------------

    async def canned_answers(self) -> list[CannedAnswer]:
        """Return the ready-made replies, by title."""
        stmt = select(CannedAnswer).order_by(CannedAnswer.title, CannedAnswer.id)
        return list((await self._s.execute(stmt)).scalars())

    async def canned(self, canned_id: int) -> CannedAnswer | None:
        """Return one canned answer."""
        return await self._s.get(CannedAnswer, canned_id)

    async def add_canned(self, title: str, text: str) -> CannedAnswer:
        """Add a canned answer and return it with its id."""
        canned = CannedAnswer(title=title, text=text, created_at=utcnow())
        self._s.add(canned)
        await self._s.flush()
        return canned

    async def delete_canned(self, canned_id: int) -> bool:
        """Delete a canned answer; False when there was none."""
        gone = await self._s.execute(delete(CannedAnswer).where(CannedAnswer.id == canned_id))
        return bool(gone.rowcount)  # type: ignore[attr-defined]

    async def active_users(self, roles: Collection[str]) -> list[User]:
        """Return the active accounts with one of ``roles``, by username."""
        stmt = select(User).where(User.active.is_(True), User.role.in_(roles))
        return list((await self._s.execute(stmt.order_by(User.username))).scalars())

    async def user_named(self, username: str) -> User | None:
        """Return the account with this username."""
        return await self._s.scalar(select(User).where(User.username == username))

    async def claims_between(
        self, since: datetime, until: datetime
    ) -> list[tuple[str | None, int | None]]:
        """Return (agent's name, seconds the citizen waited) of every chat taken in the range."""
        rows = await self._s.execute(
            select(AuditEntry.actor_name, AuditEntry.details).where(
                AuditEntry.action == "chat.claimed", AuditEntry.at >= since, AuditEntry.at < until
            )
        )
        return [(name, _seconds((details or {}).get("waited"))) for name, details in rows.all()]

    async def ratings_between(
        self, since: datetime, until: datetime
    ) -> list[tuple[str | None, int]]:
        """Return (agent's username, score) of every rating citizens gave in the range."""
        rows = await self._s.execute(
            select(User.username, Rating.score)
            .select_from(Rating)
            .outerjoin(User, User.id == Rating.agent_id)
            .where(Rating.created_at >= since, Rating.created_at < until)
        )
        return [(name, int(score)) for name, score in rows.all()]

    def add_rating(self, conversation_id: int, agent_id: int | None, score: int) -> None:
        """Store a citizen's rating of a helpdesk chat."""
        self._s.add(
            Rating(
                conversation_id=conversation_id, agent_id=agent_id, score=score,
                created_at=utcnow(),
            )
        )  # fmt: skip


def _seconds(value: object) -> int | None:
    """Read a number of seconds kept in an audit entry's details (None when absent or odd)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
