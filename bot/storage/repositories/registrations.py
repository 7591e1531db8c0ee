"""Verification requests; personal fields encrypted, the NIK also hashed for lookup."""

from __future__ import annotations

import re
import secrets
import unicodedata
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.crypto import Keyring
from bot.storage.models import (
    Registration,
)
from bot.storage.repositories.encrypted import bound
from bot.storage.repositories.sql import for_update

# Unambiguous characters only: no 0/O, 1/I/L, so a reference can be read over the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_NOT_A_LETTER = re.compile(r"[^A-Z ]+")


def normal_name(name: str) -> str:
    """Return a name as it is hashed for search: capitals, letters only, single spaces.

    "Siti  Aminah," and "SITI AMINAH" are the same name; "Sti Aminah" is not (a typo is not
    found: only a keyed hash of the exact name is stored, never the name in clear).
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    return " ".join(_NOT_A_LETTER.sub(" ", plain.replace("'", "")).split())


def lookup_hashes(keys: Keyring, data: dict[str, Any]) -> dict[str, str | None]:
    """Return the keyed lookup hashes of a request's NIK, phone number and full name."""
    nik = data.get("nik")
    phone = data.get("phone")
    name = normal_name(str(data.get("full_name") or ""))
    return {
        "nik_hash": keys.lookup_hash(nik) if nik else None,
        # Prefixed: a phone number and a NIK never share a hash.
        "phone_hash": keys.lookup_hash(f"phone:{phone}") if phone else None,
        "name_hash": keys.lookup_hash(f"name:{name}") if name else None,
    }


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
            stmt = for_update(self._s, stmt)
        return (await self._s.execute(stmt)).scalar_one_or_none()

    async def by_reference(self, reference: str) -> Registration | None:
        """Return the newest request under a reference number (resubmissions share it)."""
        stmt = (
            select(Registration)
            .where(Registration.reference == reference.upper())
            .order_by(Registration.id.desc())
            .limit(1)
        )
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

    async def newest_draft_for_citizen(self, citizen_id: int) -> Registration | None:
        """Return the citizen's most recent open draft (a chat may hold several requests)."""
        stmt = (
            select(Registration)
            .where(Registration.citizen_id == citizen_id, Registration.status == "draft")
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
        return self._keys.fields.decrypt_json(reg.data_enc, context=bound(reg, "data_enc")) or {}

    def write_data(self, reg: Registration, data: dict[str, Any]) -> None:
        """Encrypt the personal fields and refresh their lookup hashes (a new one: flush first)."""
        reg.data_enc = self._keys.fields.encrypt_json(data, context=bound(reg, "data_enc"))
        for column, value in lookup_hashes(self._keys, data).items():
            setattr(reg, column, value)

    def search_hashes(
        self, *, nik: str | None, phone: str | None, name: str | None
    ) -> dict[str, str]:
        """Return the keyed hashes (column → hash) to look up a typed NIK, phone or name by."""
        found = lookup_hashes(self._keys, {"nik": nik, "phone": phone, "full_name": name or ""})
        return {column: value for column, value in found.items() if value}

    async def count_by_status(self) -> dict[str, int]:
        """Count registrations per status."""
        stmt = select(Registration.status, func.count()).group_by(Registration.status)
        return {status: count for status, count in (await self._s.execute(stmt)).all()}
