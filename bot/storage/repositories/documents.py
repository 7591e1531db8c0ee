"""Document images, stored encrypted in the vault table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.crypto import Keyring
from bot.storage.models import (
    Document,
    PhotoHash,
    VaultBlob,
)
from bot.storage.repositories.encrypted import bound
from bot.storage.types import utcnow


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
        blob.ciphertext = self._keys.documents.encrypt(image, context=bound(blob, "ciphertext"))
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
        return self._keys.documents.decrypt(blob.ciphertext, context=bound(blob, "ciphertext"))

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
        """Destroy a document's image but keep the record that it existed.

        Its perceptual hash (the "same photo for another NIK" signal) goes with it: derived
        from a face or a KTP, it is kept no longer than the picture.
        """
        await self._s.execute(
            delete(PhotoHash).where(
                PhotoHash.registration_id == document.registration_id,
                PhotoHash.kind == document.kind,
            )
        )
        if document.blob_id is not None:
            blob = await self._s.get(VaultBlob, document.blob_id)
            document.blob_id = None
            if blob is not None:
                await self._s.delete(blob)
        document.purged_at = utcnow()
