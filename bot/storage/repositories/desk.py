"""The verifier's desk: fraud-signal lookups, case notes, search filters and desk statistics."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.crypto import Keyring
from bot.storage.models import PhotoHash, Registration, ReviewNote
from bot.storage.repositories.encrypted import bound
from bot.storage.types import utcnow

_SENT = ("submitted", "approved", "rejected")
# What a flag holds when it is not raised: false, an empty list, zero, an empty text.
_UNSET_SQLITE = (0, "[]", "", "{}")
_UNSET_POSTGRES = ("false", "[]", "0", '""', "{}", "null")


@dataclass(frozen=True, slots=True)
class SimilarPhoto:
    """A submitted photo of another request whose hash is near a new one's."""

    registration_id: int
    reference: str
    nik_hash: str | None
    status: str
    phash: int  # signed, as stored


@dataclass(frozen=True, slots=True)
class Note:
    """An internal case note, decrypted."""

    id: int
    author: str
    author_name: str | None
    body: str
    created_at: datetime


class DeskRepository:
    """Queries of the verifier's desk; personal values only as keyed hashes or ciphertext."""

    def __init__(self, session: AsyncSession, keys: Keyring) -> None:
        self._s = session
        self._keys = keys

    # --- fraud signals ---------------------------------------------------------------------

    async def niks_for_phone(self, phone_hash: str) -> int:
        """Count the distinct NIKs of sent requests that gave this (keyed) phone number."""
        stmt = select(func.count(func.distinct(Registration.nik_hash))).where(
            Registration.phone_hash == phone_hash,
            Registration.status.in_(_SENT),
            Registration.nik_hash.is_not(None),
        )
        return await self._s.scalar(stmt) or 0

    async def waiting_with_phone(self, phone_hash: str, *, exclude: int) -> list[Registration]:
        """Return the other waiting requests that gave this (keyed) phone number."""
        stmt = select(Registration).where(
            Registration.phone_hash == phone_hash,
            Registration.status == "submitted",
            Registration.id != exclude,
        )
        return list((await self._s.execute(stmt)).scalars())

    def add_photo_hash(self, registration_id: int, kind: str, bands: Sequence[int],
                       phash: int) -> None:  # fmt: skip
        """Stage a photo's hash, one row per band."""
        now = utcnow()
        for band in bands:
            self._s.add(PhotoHash(registration_id=registration_id, kind=kind, band=band,
                                  phash=phash, created_at=now))  # fmt: skip

    async def forget_photo_hashes(self, registration_id: int) -> None:
        """Delete a request's photo hashes (it is sent again with new photos)."""
        await self._s.execute(delete(PhotoHash).where(PhotoHash.registration_id == registration_id))

    async def similar_photos(
        self, kind: str, probes: Collection[int], *, exclude: int, limit: int = 200
    ) -> list[SimilarPhoto]:
        """Return sent requests with a photo of ``kind`` sharing one of the band keys.

        One indexed lookup (kind, band IN probes); the caller keeps the ones within the
        Hamming distance.
        """
        stmt = (
            select(PhotoHash.registration_id, Registration.reference, Registration.nik_hash,
                   Registration.status, PhotoHash.phash)
            .join(Registration, Registration.id == PhotoHash.registration_id)
            .where(PhotoHash.kind == kind, PhotoHash.band.in_(list(probes)),
                   PhotoHash.registration_id != exclude, Registration.status.in_(_SENT))
            .distinct()
            .limit(limit)
        )  # fmt: skip
        return [SimilarPhoto(*row) for row in (await self._s.execute(stmt)).all()]

    async def registrations(self, ids: Collection[int]) -> list[Registration]:
        """Return the requests with these ids."""
        if not ids:
            return []
        stmt = select(Registration).where(Registration.id.in_(list(ids)))
        return list((await self._s.execute(stmt)).scalars())

    # --- case notes ------------------------------------------------------------------------

    async def add_note(self, registration_id: int, author: str, author_name: str | None,
                       body: str) -> Note:  # fmt: skip
        """Store a case note, encrypted and bound to its row."""
        note = ReviewNote(registration_id=registration_id, author=author,
                          author_name=author_name, body_enc=b"", created_at=utcnow())  # fmt: skip
        self._s.add(note)
        await self._s.flush()  # its id binds the ciphertext
        note.body_enc = self._keys.fields.encrypt(body.encode(), context=bound(note, "body_enc"))
        return Note(note.id, author, author_name, body, note.created_at)

    async def forget_notes(self, registration_id: int) -> None:
        """Delete a request's case notes (the citizen erased her data)."""
        await self._s.execute(
            delete(ReviewNote).where(ReviewNote.registration_id == registration_id)
        )

    async def notes(self, registration_id: int) -> list[Note]:
        """Return a request's case notes, oldest first, decrypted."""
        stmt = (
            select(ReviewNote)
            .where(ReviewNote.registration_id == registration_id)
            .order_by(ReviewNote.created_at, ReviewNote.id)
        )
        return [
            Note(n.id, n.author, n.author_name,
                 self._keys.fields.decrypt(n.body_enc, context=bound(n, "body_enc")).decode(),
                 n.created_at)
            for n in (await self._s.execute(stmt)).scalars()
        ]  # fmt: skip

    # --- statistics ------------------------------------------------------------------------

    async def decisions_between(self, since: datetime, until: datetime) -> int:
        """Count the decisions taken in ``[since, until)``."""
        stmt = select(func.count(Registration.id)).where(
            Registration.decided_at >= since, Registration.decided_at < until,
            Registration.status.in_(("approved", "rejected")),
        )  # fmt: skip
        return await self._s.scalar(stmt) or 0

    async def waiting_deadlines(self) -> list[datetime]:
        """Return when each waiting request was sent, oldest first (their deadlines follow)."""
        stmt = (
            select(Registration.submitted_at)
            .where(Registration.status == "submitted", Registration.submitted_at.is_not(None))
            .order_by(Registration.submitted_at)
        )
        return [at for at in (await self._s.execute(stmt)).scalars() if at is not None]


def flag_raised(session: AsyncSession, key: str) -> ColumnElement[bool]:
    """Match requests whose flag ``key`` is raised (true, a non-empty list, a number ≠ 0)."""
    if session.bind.dialect.name == "postgresql":
        value = Registration.flags.op("->>")(key)
        return and_(value.is_not(None), value.not_in(_UNSET_POSTGRES))
    raw = func.json_extract(Registration.flags, f'$."{key}"')
    return and_(raw.is_not(None), raw.not_in(_UNSET_SQLITE))


def matching(
    stmt: Select[Any],
    *,
    reference: str | None = None,
    hashes: dict[str, str] | None = None,
) -> Select[Any]:
    """Narrow ``stmt`` to a reference or to any of the keyed hashes given (column → hash)."""
    conditions: list[ColumnElement[bool]] = []
    if reference:
        conditions.append(Registration.reference == reference)
    for column, value in (hashes or {}).items():
        conditions.append(getattr(Registration, column) == value)
    return stmt.where(or_(*conditions)) if conditions else stmt
