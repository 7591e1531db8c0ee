"""Changing an answer from the summary re-derives what depends on it (birth date, photo checks)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.core import Core
from bot.storage.models import Registration
from tests.photos.factory import good_ktp_jpeg
from tests.photos.test_ocr import needs_tesseract
from tests.support.chat import ChatDriver
from tests.support.registration import send_photos, walk_to_ktp_step

NIK_A = "3671014501900001"  # a woman born 5 January 1990
NIK_A2 = "3671014501900002"  # another one born the same day
NIK_B = "3671015708750003"  # a woman born 17 August 1975


async def _to_summary(chat: ChatDriver, nik: str) -> None:
    await walk_to_ktp_step(chat, nik)
    await send_photos(chat, nik)
    assert "summary:send" in chat.buttons


async def _change_nik(chat: ChatDriver, nik: str) -> None:
    await chat.tap("summary:edit")
    await chat.tap("edit:nik")
    await chat.say(nik)


async def _draft(core: Core) -> tuple[Registration, dict[str, Any], set[str]]:
    async with core.uow() as uow:
        reg = (await uow.session.execute(select(Registration))).scalar_one()
        data = uow.registrations.read_data(reg)
        kinds = {d.kind for d in await uow.documents.list_for(reg.id)}
        uow.session.expunge(reg)
        return reg, data, kinds


async def test_a_new_nik_asks_its_birth_date_and_the_ktp_photo_again(core: Core) -> None:
    chat = ChatDriver(core)
    await _to_summary(chat, NIK_A)
    await _change_nik(chat, NIK_B)
    # The birth date confirmed for the old NIK is gone: the new NIK's date is offered instead.
    assert "birth:yes" in chat.buttons and "17 Agustus 1975" in chat.text
    reg, data, kinds = await _draft(core)
    assert "birth_date" not in data and reg.flags.get("birth_date_mismatch") is False
    # The KTP photo showed the old NIK: it is deleted and asked for again.
    assert kinds == {"selfie"} and "ktp_warnings" not in reg.flags
    await chat.tap("birth:yes")
    assert "Kirim foto KTP-el" in chat.text and "summary:send" not in chat.buttons
    await chat.photo(good_ktp_jpeg(NIK_B))
    assert "summary:send" in chat.buttons
    assert NIK_B in chat.text and "17 Agustus 1975" in chat.text
    reg, data, kinds = await _draft(core)
    assert data["birth_date"] == "1975-08-17" and reg.flags["birth_date_mismatch"] is False
    assert kinds == {"ktp", "selfie"} and "ktp_outdated" not in reg.flags


async def test_a_new_nik_with_the_same_birth_date_keeps_it_but_not_the_photo(core: Core) -> None:
    chat = ChatDriver(core)
    await _to_summary(chat, NIK_A)
    await _change_nik(chat, NIK_A2)
    assert "Kirim foto KTP-el" in chat.text
    _reg, data, kinds = await _draft(core)
    assert data["birth_date"] == "1990-01-05" and kinds == {"selfie"}


async def test_typing_the_same_nik_again_keeps_everything(core: Core) -> None:
    chat = ChatDriver(core)
    await _to_summary(chat, NIK_A)
    await _change_nik(chat, NIK_A)
    assert "summary:send" in chat.buttons
    _reg, data, kinds = await _draft(core)
    assert data["birth_date"] == "1990-01-05" and kinds == {"ktp", "selfie"}


@needs_tesseract
async def test_the_photo_check_is_made_again_against_the_new_nik(ocr_core: Core) -> None:
    chat = ChatDriver(ocr_core)
    await _to_summary(chat, NIK_A)
    reg, _data, _kinds = await _draft(ocr_core)
    assert reg.flags["ocr_nik_mismatch"] is False
    await _change_nik(chat, NIK_B)
    reg, _data, _kinds = await _draft(ocr_core)
    assert "ocr_nik_mismatch" not in reg.flags  # no verdict about a photo that is gone
    await chat.tap("birth:yes")
    await chat.photo(good_ktp_jpeg(NIK_A))  # the old card again: it does not show the new NIK
    assert "berbeda dengan NIK" in chat.text
    reg, _data, _kinds = await _draft(ocr_core)
    assert reg.flags["ocr_nik_mismatch"] is True
