"""The photos of a registration draft: what the registration dialog stores besides its fields."""

from __future__ import annotations

from bot.domain.events import PhotoAttached
from bot.services.faces import without_face_flags
from bot.services.ktp_reading import FLAG as OCR_FLAG
from bot.services.ktp_reading import OCR_KEY
from bot.services.photos import CheckedPhoto
from bot.storage.models import Registration
from bot.storage.uow import UnitOfWork


async def photo_kinds(uow: UnitOfWork, reg: Registration) -> set[str]:
    """Return the kinds of photo the draft holds (purged ones are gone).

    A KTP photo taken for a NIK the citizen then changed is deleted first, so that it is asked
    for again and checked against the new NIK.
    """
    if (reg.flags or {}).get("ktp_outdated"):
        await uow.documents.delete(reg.id, "ktp")
        reg.flags = {k: v for k, v in reg.flags.items() if k != "ktp_outdated"}
    return {d.kind for d in await uow.documents.list_for(reg.id) if d.purged_at is None}


async def attach_photo(
    uow: UnitOfWork, reg: Registration, photo: CheckedPhoto, typed_nik: str | None
) -> None:
    """Store an accepted photo on the draft, replacing one of its kind, and flag the draft."""
    await uow.documents.put(
        reg.id, photo.kind, photo.clean_jpeg or b"", mime="image/jpeg",
        width=photo.width, height=photo.height, checks=photo.checks,
    )  # fmt: skip
    flags = {
        k: v for k, v in reg.flags.items() if not (photo.kind == "ktp" and k == "ktp_outdated")
    }
    if photo.kind == "ktp":  # what was read off the photo replaced; the new one is read next
        flags.pop(OCR_FLAG, None)
        data = uow.registrations.read_data(reg)
        if data.pop(OCR_KEY, None) is not None:
            uow.registrations.write_data(reg, data)
    # An earlier face comparison was of the photo just replaced.
    reg.flags = {**without_face_flags(flags), **photo.registration_flags(typed_nik)}
    uow.publish(PhotoAttached(reg.id, photo.kind))  # the faces are compared after the commit
