"""The photo steps with the real checks: refusals, warnings, OCR advice for the verifier."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core import Core
from bot.storage.models import Registration, VaultBlob
from tests.photos.factory import blurred_jpeg, good_ktp_jpeg, good_selfie_jpeg
from tests.photos.test_ocr import needs_tesseract
from tests.support.chat import ChatDriver
from tests.support.registration import NIK, walk_to_ktp_step


async def _blobs(core: Core) -> int:
    async with core.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(VaultBlob)) or 0)


async def test_blurred_ktp_is_refused_with_the_reason_beside_the_fix_picture(core: Core) -> None:
    chat = ChatDriver(core)
    await walk_to_ktp_step(chat)
    await chat.photo(blurred_jpeg("ktp", radius=8.0))
    # One message: the reason, and beside it the picture of this mistake next to a good photo.
    [refusal] = chat.replies
    assert "buram" in refusal.text and "KTP" in refusal.text
    assert refusal.image_url == "/static/examples/perbaiki-ktp-buram.jpg"
    assert await _blobs(core) == 0


async def test_selfie_without_a_face_is_refused(core: Core) -> None:
    chat = ChatDriver(core)
    await walk_to_ktp_step(chat)
    await chat.photo(good_ktp_jpeg(NIK))
    await chat.photo(good_ktp_jpeg(NIK))  # the card again, no person
    assert "Wajah" in chat.replies[0].text
    assert chat.replies[0].image_url == "/static/examples/perbaiki-selfie-wajah-tertutup.jpg"
    assert await _blobs(core) == 1


@needs_tesseract
async def test_ocr_nik_differing_from_typed_nik_is_flagged_not_refused(ocr_core: Core) -> None:
    chat = ChatDriver(ocr_core)
    await walk_to_ktp_step(chat, nik=NIK)
    await chat.photo(good_ktp_jpeg("3671015708750003"))  # someone else's card
    assert "berbeda dengan NIK" in chat.text
    await chat.photo(good_selfie_jpeg())
    assert "summary:send" in chat.buttons
    async with ocr_core.uow() as uow:
        reg = (await uow.session.execute(select(Registration))).scalar_one()
    assert reg.flags["ocr_nik_mismatch"] is True


@needs_tesseract
async def test_matching_ocr_nik_raises_no_flag(ocr_core: Core) -> None:
    chat = ChatDriver(ocr_core)
    await walk_to_ktp_step(chat, nik=NIK)
    await chat.photo(good_ktp_jpeg(NIK))
    async with ocr_core.uow() as uow:
        reg = (await uow.session.execute(select(Registration))).scalar_one()
    assert reg.flags["ocr_nik_mismatch"] is False
