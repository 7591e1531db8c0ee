"""Fraud signals raised when a request is sent: hints for the verifier, never a verdict.

* ``shared_phone`` (a number): the request's phone number was given for at least
  ``TLIVE_FRAUD_PHONE_NIKS`` different NIKs (compared by keyed hash, never in clear). A family
  member helping registers a few people from one number, so the threshold is above a household.
  The waiting requests with that number are flagged too.
* ``same_selfie_photo`` / ``same_ktp_photo`` (the other references): the selfie or the KTP
  photo is, by its perceptual hash, the same picture as one sent for a *different* NIK (see
  ``bot.photos.fingerprint`` for what "same" measured as). The other waiting request gets the
  flag too. Lookup: each photo's 64-bit hash is stored as four 16-bit bands
  (``photo_hashes``, indexed by kind and band). Two hashes within 7 bits leave one band with
  at most one differing bit, so probing each band and its 16 one-bit neighbours (68 keys, one
  indexed ``IN``) finds every match among all sent photos; a key matches about
  rows/65,536 photos, so at a million photos a lookup reads ~1,000 index entries, not the
  table. No time window is needed, and none is imposed (an old photo reused still counts).
* ``ktp_screen_photo`` (the score): the KTP photo looks like a picture of a screen (a pixel
  grid in its spectrum). Many honest citizens photograph a printed copy or another phone's
  picture of their card: the verifier looks, nothing is refused.

Computing them costs ~25 ms a photo (decode, a 9×8 resize, a 512² FFT) in a worker thread.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.config import Settings
from bot.photos.fingerprint import (
    MATCH_BITS,
    bands,
    fingerprint,
    hamming,
    probes,
    to_signed,
    to_unsigned,
)
from bot.storage.models import Registration
from bot.storage.uow import UnitOfWork

PHOTO_FLAGS = {"selfie": "same_selfie_photo", "ktp": "same_ktp_photo"}
SIGNAL_FLAGS = ("shared_phone", "same_selfie_photo", "same_ktp_photo", "ktp_screen_photo")
_MAX_LISTED = 10  # references kept in a photo flag


async def flag_fraud_signals(uow: UnitOfWork, reg: Registration, settings: Settings) -> None:
    """Compute and raise the fraud signals of a request being sent (inside its transaction)."""
    flags: dict[str, Any] = {k: v for k, v in (reg.flags or {}).items() if k not in SIGNAL_FLAGS}
    if reg.phone_hash:
        niks = await uow.desk.niks_for_phone(reg.phone_hash)  # this request's included
        if niks >= settings.fraud_phone_niks:
            flags["shared_phone"] = niks
            for other in await uow.desk.waiting_with_phone(reg.phone_hash, exclude=reg.id):
                other.flags = {**(other.flags or {}), "shared_phone": niks}
    await uow.desk.forget_photo_hashes(reg.id)
    for document in await uow.documents.list_for(reg.id):
        if document.kind not in PHOTO_FLAGS:
            continue
        image = await uow.documents.read(document)
        found = await asyncio.to_thread(fingerprint, image) if image else None
        if found is None:
            continue
        if document.kind == "ktp" and found.looks_like_screen:
            flags["ktp_screen_photo"] = round(found.screen, 2)
        if found.dhash is None:
            continue
        same = await _same_photo(uow, reg, document.kind, found.dhash)
        if same:
            flags[PHOTO_FLAGS[document.kind]] = [other.reference for other in same][:_MAX_LISTED]
            for other in same:
                if other.status == "submitted":
                    listed = list((other.flags or {}).get(PHOTO_FLAGS[document.kind]) or [])
                    if reg.reference not in listed:
                        listed.append(reg.reference)
                    other.flags = {**(other.flags or {}),
                                   PHOTO_FLAGS[document.kind]: listed[:_MAX_LISTED]}  # fmt: skip
        uow.desk.add_photo_hash(reg.id, document.kind, bands(found.dhash), to_signed(found.dhash))
    reg.flags = flags


async def _same_photo(
    uow: UnitOfWork, reg: Registration, kind: str, dhash: int
) -> list[Registration]:
    """Return the sent requests of other NIKs whose photo of ``kind`` is the same picture."""
    candidates = await uow.desk.similar_photos(kind, probes(dhash), exclude=reg.id)
    ids = {
        c.registration_id
        for c in candidates
        if hamming(to_unsigned(c.phash), dhash) <= MATCH_BITS
        and (c.nik_hash is None or c.nik_hash != reg.nik_hash)
    }
    found = await uow.desk.registrations(ids)
    return sorted(found, key=lambda r: (r.submitted_at is None, r.submitted_at, r.id))
