"""Repositories: load and store domain rows inside a unit of work; they never commit."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.crypto import Keyring
from bot.engine.messages import Reply
from bot.storage.models import (
    AuditEntry,
    Conversation,
    Document,
    InboundReceipt,
    Message,
    OutboxItem,
    Registration,
    VaultBlob,
)
from bot.storage.types import utcnow

# Unambiguous characters only: no 0/O, 1/I/L, so a reference can be read over the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _insert(session: AsyncSession, table: Any) -> Any:
    """Return a dialect-specific INSERT that supports ON CONFLICT."""
    dialect = session.bind.dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def _for_update(session: AsyncSession, stmt: Any) -> Any:
    # SQLite has no row locks; its writers are already serialised by the unit of work.
    return stmt.with_for_update() if session.bind.dialect.name == "postgresql" else stmt


class Receipts:
    """Inbound message ids already processed."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, channel: str, external_id: str, conversation_id: int, seq: int) -> bool:
        """Record an inbound id at history position ``seq``; False when seen before."""
        stmt = (
            _insert(self._s, InboundReceipt)
            .values(
                channel=channel,
                external_id=external_id,
                conversation_id=conversation_id,
                seq=seq,
                received_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["channel", "external_id"])
            .returning(InboundReceipt.id)
        )
        return (await self._s.execute(stmt)).scalar_one_or_none() is not None

    async def get(self, channel: str, external_id: str) -> InboundReceipt | None:
        """Return the receipt of an inbound id."""
        stmt = select(InboundReceipt).where(
            InboundReceipt.channel == channel, InboundReceipt.external_id == external_id
        )
        return (await self._s.execute(stmt)).scalar_one_or_none()


class Conversations:
    """Conversations and their message history."""

    def __init__(self, session: AsyncSession, keys: Keyring) -> None:
        self._s = session
        self._keys = keys

    async def lock(self, channel: str, chat_id: str) -> Conversation:
        """Return the conversation for a chat, created if new, locked for this transaction."""
        stmt = select(Conversation).where(
            Conversation.channel == channel, Conversation.chat_id == chat_id
        )
        existing = (await self._s.execute(_for_update(self._s, stmt))).scalar_one_or_none()
        if existing is not None:
            return existing
        # New chat: two first messages may race; ON CONFLICT lets exactly one insert.
        await self._s.execute(
            _insert(self._s, Conversation)
            .values(channel=channel, chat_id=chat_id, mode="bot", last_seq=0,
                    created_at=utcnow(), updated_at=utcnow())
            .on_conflict_do_nothing(index_elements=["channel", "chat_id"])
        )  # fmt: skip
        return (await self._s.execute(_for_update(self._s, stmt))).scalar_one()

    async def get(self, conversation_id: int, *, lock: bool = False) -> Conversation | None:
        """Return a conversation by id, optionally locked."""
        stmt = select(Conversation).where(Conversation.id == conversation_id)
        if lock:
            stmt = _for_update(self._s, stmt)
        return (await self._s.execute(stmt)).scalar_one_or_none()

    async def find(self, channel: str, chat_id: str) -> Conversation | None:
        """Return the conversation for a chat without locking it."""
        stmt = select(Conversation).where(
            Conversation.channel == channel, Conversation.chat_id == chat_id
        )
        return (await self._s.execute(stmt)).scalar_one_or_none()

    def read_state(self, conv: Conversation) -> dict[str, Any]:
        """Decrypt the dialog state of a conversation."""
        return self._keys.fields.decrypt_json(conv.state_enc, context=b"conv") or {}

    def write_state(self, conv: Conversation, state: dict[str, Any]) -> None:
        """Encrypt and set the dialog state of a conversation."""
        conv.state_enc = self._keys.fields.encrypt_json(state, context=b"conv")

    def append(
        self,
        conv: Conversation,
        *,
        direction: str,
        author: str,
        kind: str,
        body: dict[str, Any],
        author_user_id: int | None = None,
    ) -> Message:
        """Add a message to the history with the next sequence number."""
        conv.last_seq = (conv.last_seq or 0) + 1
        message = Message(
            conversation_id=conv.id,
            seq=conv.last_seq,
            direction=direction,
            author=author,
            author_user_id=author_user_id,
            kind=kind,
            body_enc=self._keys.fields.encrypt_json(body, context=b"msg"),
            created_at=utcnow(),
        )
        self._s.add(message)
        return message

    async def history(
        self, conversation_id: int, *, after: int = 0, directions: Sequence[str] = ("in", "out")
    ) -> list[tuple[Message, dict[str, Any]]]:
        """Return messages after sequence ``after`` with their decrypted bodies."""
        stmt = (
            select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.seq > after,
                Message.direction.in_(directions),
            )
            .order_by(Message.seq)
        )
        rows = (await self._s.execute(stmt)).scalars().all()
        return [(m, self._keys.fields.decrypt_json(m.body_enc, context=b"msg")) for m in rows]


class Registrations:
    """Verification requests; personal fields are encrypted, the NIK also hashed for lookup."""

    def __init__(self, session: AsyncSession, keys: Keyring) -> None:
        self._s = session
        self._keys = keys

    async def new_reference(self) -> str:
        """Return an unused short reference like ``TL-7KQ4M9``."""
        while True:
            ref = "TL-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
            exists = await self._s.scalar(
                select(Registration.id).where(Registration.reference == ref)
            )
            if exists is None:
                return ref

    def add(self, registration: Registration) -> Registration:
        """Stage a new registration."""
        self._s.add(registration)
        return registration

    async def flush(self) -> None:
        """Send pending changes so generated ids become known."""
        await self._s.flush()

    async def get(self, registration_id: int, *, lock: bool = False) -> Registration | None:
        """Return a registration by id, optionally locked."""
        stmt = select(Registration).where(Registration.id == registration_id)
        if lock:
            stmt = _for_update(self._s, stmt)
        return (await self._s.execute(stmt)).scalar_one_or_none()

    async def by_reference(self, reference: str) -> Registration | None:
        """Return a registration by its reference number."""
        stmt = select(Registration).where(Registration.reference == reference.upper())
        return (await self._s.execute(stmt)).scalar_one_or_none()

    async def latest_for_citizen(self, citizen_id: int) -> Registration | None:
        """Return the citizen's most recent registration."""
        stmt = (
            select(Registration)
            .where(Registration.citizen_id == citizen_id)
            .order_by(Registration.id.desc())
            .limit(1)
        )
        return (await self._s.execute(stmt)).scalar_one_or_none()

    async def for_citizen(self, citizen_id: int) -> list[Registration]:
        """Return all of a citizen's registrations, newest first."""
        stmt = (
            select(Registration)
            .where(Registration.citizen_id == citizen_id)
            .order_by(Registration.id.desc())
        )
        return list((await self._s.execute(stmt)).scalars().all())

    def read_data(self, reg: Registration) -> dict[str, Any]:
        """Decrypt the personal fields of a registration."""
        return self._keys.fields.decrypt_json(reg.data_enc, context=b"reg") or {}

    def write_data(self, reg: Registration, data: dict[str, Any]) -> None:
        """Encrypt the personal fields and refresh the NIK lookup hash."""
        reg.data_enc = self._keys.fields.encrypt_json(data, context=b"reg")
        nik = data.get("nik")
        reg.nik_hash = self._keys.lookup_hash(nik) if nik else None

    async def count_by_status(self) -> dict[str, int]:
        """Count registrations per status."""
        stmt = select(Registration.status, func.count()).group_by(Registration.status)
        return {status: count for status, count in (await self._s.execute(stmt)).all()}


class Documents:
    """Document images, stored encrypted in the vault table."""

    def __init__(self, session: AsyncSession, keys: Keyring) -> None:
        self._s = session
        self._keys = keys

    async def put(
        self,
        registration_id: int,
        kind: str,
        image: bytes,
        *,
        mime: str,
        width: int,
        height: int,
        checks: dict[str, Any],
    ) -> Document:
        """Store an image for a registration, replacing an earlier one of the same kind."""
        await self.delete(registration_id, kind)
        blob = VaultBlob(created_at=utcnow(), ciphertext=b"")
        self._s.add(blob)
        await self._s.flush()
        blob.ciphertext = self._keys.documents.encrypt(image, context=_blob_context(blob.id))
        document = Document(
            registration_id=registration_id, kind=kind, blob_id=blob.id, mime=mime,
            size=len(image), width=width, height=height, checks=checks, created_at=utcnow(),
        )  # fmt: skip
        self._s.add(document)
        await self._s.flush()
        return document

    async def get(self, registration_id: int, kind: str) -> Document | None:
        """Return the document of a kind for a registration."""
        stmt = select(Document).where(
            Document.registration_id == registration_id, Document.kind == kind
        )
        return (await self._s.execute(stmt)).scalar_one_or_none()

    async def list_for(self, registration_id: int) -> list[Document]:
        """Return the documents of a registration."""
        stmt = select(Document).where(Document.registration_id == registration_id)
        return list((await self._s.execute(stmt)).scalars().all())

    async def read(self, document: Document) -> bytes | None:
        """Decrypt a document's image; None once it has been purged."""
        if document.blob_id is None:
            return None
        blob = await self._s.get(VaultBlob, document.blob_id)
        if blob is None:
            return None
        return self._keys.documents.decrypt(blob.ciphertext, context=_blob_context(blob.id))

    async def copy(self, document: Document, registration_id: int) -> Document | None:
        """Copy a document to another registration (a resubmission keeps good photos)."""
        image = await self.read(document)
        if image is None:
            return None
        return await self.put(
            registration_id, document.kind, image, mime=document.mime,
            width=document.width, height=document.height, checks=dict(document.checks),
        )  # fmt: skip

    async def delete(self, registration_id: int, kind: str) -> None:
        """Remove a document and destroy its image."""
        document = await self.get(registration_id, kind)
        if document is None:
            return
        blob_id = document.blob_id
        await self._s.delete(document)
        await self._s.flush()
        if blob_id is not None:
            blob = await self._s.get(VaultBlob, blob_id)
            if blob is not None:
                await self._s.delete(blob)

    async def purge(self, document: Document) -> None:
        """Destroy a document's image but keep the record that it existed."""
        if document.blob_id is not None:
            blob = await self._s.get(VaultBlob, document.blob_id)
            document.blob_id = None
            if blob is not None:
                await self._s.delete(blob)
        document.purged_at = utcnow()


def _blob_context(blob_id: int) -> bytes:
    # Binding the ciphertext to its row id stops a swapped blob from decrypting.
    return f"blob:{blob_id}".encode()


class Outbox:
    """Messages waiting to be sent on push channels."""

    def __init__(self, session: AsyncSession, keys: Keyring) -> None:
        self._s = session
        self._keys = keys

    def enqueue(
        self, conv: Conversation, reply: Reply, *, message_seq: int | None = None
    ) -> OutboxItem:
        """Queue a reply for the conversation's channel (``message_seq``: its history entry)."""
        item = OutboxItem(
            conversation_id=conv.id, channel=conv.channel, chat_id=conv.chat_id,
            payload_enc=self._keys.fields.encrypt_json(reply.to_dict(), context=b"outbox"),
            status="pending", attempts=0, next_attempt_at=utcnow(), created_at=utcnow(),
            message_seq=message_seq,
        )  # fmt: skip
        self._s.add(item)
        return item

    def payload(self, item: OutboxItem) -> Reply:
        """Decrypt an outbox item back into a reply."""
        return Reply.from_dict(self._keys.fields.decrypt_json(item.payload_enc, context=b"outbox"))

    async def due(self, channels: Sequence[str], now: datetime, limit: int) -> list[OutboxItem]:
        """Return the oldest pending item of each chat whose turn has come."""
        oldest = (
            select(func.min(OutboxItem.id))
            .where(OutboxItem.status == "pending", OutboxItem.channel.in_(channels))
            .group_by(OutboxItem.channel, OutboxItem.chat_id)
        )
        stmt = (
            select(OutboxItem)
            .where(OutboxItem.id.in_(oldest), OutboxItem.next_attempt_at <= now)
            .order_by(OutboxItem.id)
            .limit(limit)
        )
        if self._s.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        return list((await self._s.execute(stmt)).scalars().all())

    async def mark_delivery(
        self, channel: str, external_id: str, status: str, error: str | None = None
    ) -> bool:
        """Record a delivery callback for a sent message; return whether it was ours."""
        values: dict[str, Any] = {"delivery_status": status[:16]}
        if error:
            values["last_error"] = error[:255]
        result = await self._s.execute(
            update(OutboxItem)
            .where(OutboxItem.channel == channel, OutboxItem.external_id == external_id)
            .values(**values)
        )
        return bool(result.rowcount)

    async def requeue_as_template(self, channel: str, external_id: str, error: str) -> bool:
        """Queue the template of a message that failed because the 24-hour window had closed."""
        if not error.startswith("131047"):
            return False
        item = (
            await self._s.execute(
                select(OutboxItem).where(
                    OutboxItem.channel == channel, OutboxItem.external_id == external_id
                )
            )
        ).scalar_one_or_none()
        if item is None:
            return False
        reply = self.payload(item)
        if reply.template is None or reply.extra.get("template_only"):
            return False
        retry = Reply(text=reply.text, template=reply.template, extra={"template_only": True})
        self._s.add(
            OutboxItem(
                conversation_id=item.conversation_id, channel=item.channel, chat_id=item.chat_id,
                payload_enc=self._keys.fields.encrypt_json(retry.to_dict(), context=b"outbox"),
                status="pending", attempts=0, next_attempt_at=utcnow(), created_at=utcnow(),
                message_seq=item.message_seq,
            )
        )  # fmt: skip
        return True


class AuditLog:
    """The append-only audit trail."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def record(
        self,
        action: str,
        *,
        actor_type: str,
        actor_id: str | None = None,
        actor_name: str | None = None,
        target_type: str | None = None,
        target_id: str | None = None,
        details: dict[str, Any] | None = None,
        ip: str | None = None,
    ) -> None:
        """Append one entry."""
        self._s.add(
            AuditEntry(
                at=utcnow(), actor_type=actor_type, actor_id=actor_id, actor_name=actor_name,
                action=action, target_type=target_type, target_id=target_id,
                details=details or {}, ip=ip,
            )
        )  # fmt: skip
