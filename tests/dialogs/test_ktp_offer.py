"""A KTP photo sent at the name question is read, and the citizen confirms instead of typing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.core import Core
from bot.photos.ktp_fields import KtpFields
from bot.photos.read_ktp import KtpReading
from bot.services.ktp_reading import store_reading
from bot.storage.models import Registration
from tests.photos.factory import good_selfie_jpeg, ktp_card, ktp_photo, to_jpeg
from tests.photos.test_ocr import needs_tesseract
from tests.support.chat import ChatDriver
from tests.support.registration import NIK, answer_questions, send_photos, stored

NAME = "SITI AMINAH"


def _card(nik: str = NIK, birth: str = "TANGERANG, 05-01-1990") -> bytes:
    return to_jpeg(ktp_photo(nik, card=ktp_card(nik, name=NAME, birth=birth)))


async def _to_name_question(chat: ChatDriver) -> None:
    await chat.say("daftar")
    await chat.tap("consent:yes")


async def _typed(chat: ChatDriver, core: Core) -> None:
    """Finish from the phone question to sending."""
    await chat.say("0812-3456-7890")
    await chat.tap("kec:cipondoh")
    await chat.tap("kel:petir")
    await chat.photo(good_selfie_jpeg())
    assert "summary:send" in chat.buttons, chat.text
    await chat.tap("summary:send")


@needs_tesseract
async def test_the_name_question_says_a_ktp_photo_may_come_instead(ocr_core: Core) -> None:
    chat = ChatDriver(ocr_core)
    await _to_name_question(chat)
    assert "nama lengkap" in chat.replies[-1].text
    assert "foto KTP-el" in chat.replies[-1].text
    assert chat.replies[-1].extra["photo"] == "ktp"  # the web chat shows its camera button


@needs_tesseract
async def test_a_ktp_sent_first_is_read_and_confirmed_with_iya(ocr_core: Core) -> None:
    chat = ChatDriver(ocr_core)
    await _to_name_question(chat)
    await chat.photo(_card())
    assert "Foto KTP diterima" in chat.text
    assert f"Nama: {NAME}" in chat.text and "367101 450190 0001" in chat.text
    assert "5 Januari 1990" in chat.text
    assert chat.buttons[-2:] == ["read:yes", "read:no"]
    await chat.say("iya bener")
    # Name, NIK and birth date are filled: the next question is the phone number.
    assert "data dari KTP sudah diisi" in chat.text
    assert "HP" in chat.replies[-1].text or "phone:yes" in chat.buttons, chat.text
    await _typed(chat, ocr_core)
    reg = await stored(ocr_core)
    assert reg.status == "submitted"
    async with ocr_core.uow() as uow:
        data = uow.registrations.read_data(await uow.registrations.get(reg.id))
        kinds = {d.kind for d in await uow.documents.list_for(reg.id)}
    assert (data["full_name"], data["nik"], data["birth_date"]) == (NAME, NIK, "1990-01-05")
    assert kinds == {"ktp", "selfie"}  # the KTP photo was not asked for twice


@needs_tesseract
async def test_salah_goes_back_to_typing_and_keeps_the_photo(ocr_core: Core) -> None:
    chat = ChatDriver(ocr_core)
    await _to_name_question(chat)
    await chat.photo(_card())
    await chat.say("salah")
    assert "silakan ketik" in chat.text.casefold()
    assert "nama lengkap" in chat.replies[-1].text
    await answer_questions(chat, NIK, name="Siti Aminah Binti Ahmad")
    # After the kelurahan the selfie is asked, not the KTP again.
    assert "selfie" in chat.text.casefold(), chat.text
    await chat.photo(good_selfie_jpeg())
    assert "summary:send" in chat.buttons
    assert "SITI AMINAH BINTI AHMAD" in chat.text


@needs_tesseract
async def test_an_unsure_reading_is_not_offered(ocr_core: Core) -> None:
    chat = ChatDriver(ocr_core)
    await _to_name_question(chat)
    # The printed birth date is not the one the NIK encodes: the reading cannot vouch for itself.
    await chat.photo(_card(birth="TANGERANG, 17-08-1975"))
    assert "Foto KTP diterima" in chat.text
    assert "belum terbaca dengan pasti" in chat.text
    assert "read:yes" not in chat.buttons
    assert "nama lengkap" in chat.replies[-1].text


@needs_tesseract
async def test_inputs_saved_on_a_scripted_walk(ocr_core: Core) -> None:
    """Typed answers and characters per registration: questions first vs the KTP photo first."""
    before = ChatDriver(ocr_core)
    await _to_name_question(before)
    await answer_questions(before, NIK, name=NAME)
    await send_photos(before, NIK)
    await before.tap("summary:send")

    after = ChatDriver(ocr_core)
    await _to_name_question(after)
    await after.photo(_card())
    await after.tap("read:yes")
    await _typed(after, ocr_core)
    # The answers typed after "daftar": name, NIK and phone before; the phone only after.
    typed_before, typed_after = before.typed[1:], after.typed[1:]
    chars_before, chars_after = sum(map(len, typed_before)), sum(map(len, typed_after))
    print(
        f"\ninputs before {before.inputs}, after {after.inputs}; typed answers before "
        f"{len(typed_before)} ({chars_before} characters), after {len(typed_after)} "
        f"({chars_after})"
    )
    assert after.inputs < before.inputs
    assert len(typed_after) == len(typed_before) - 2 and chars_after < chars_before


async def test_a_photo_at_the_name_question_is_refused_when_the_offer_is_off(
    settings_factory: object, sqlite_url: str
) -> None:
    from tests.conftest import migrated_core

    built = await migrated_core(settings_factory(database_url=sqlite_url, ktp_ocr_offer=False))  # type: ignore[operator]
    try:
        chat = ChatDriver(built)
        await _to_name_question(chat)
        assert "foto KTP-el" not in chat.replies[-1].text
        assert "photo" not in chat.replies[-1].extra
        await chat.photo(_card())
        assert "perlu jawaban yang diketik" in chat.text
    finally:
        await built.db.dispose()


def _slip(nik: str) -> str:
    """Return ``nik`` with its last digit typed wrong."""
    return nik[:-1] + ("2" if nik[-1] != "2" else "3")


@needs_tesseract
async def test_a_ktp_at_its_step_whose_nik_differs_from_the_typed_one_offers_the_cards(
    ocr_core: Core,
) -> None:
    chat = ChatDriver(ocr_core)
    await _to_name_question(chat)
    await answer_questions(chat, _slip(NIK), name=NAME)
    await chat.photo(_card())
    assert "Ini berbeda dengan yang diketik" in chat.text and "367101 450190 0001" in chat.text
    assert chat.buttons[-2:] == ["read:yes", "read:no"]
    await _store_reading(ocr_core)  # the verifier's reading of this photo, done meanwhile
    await chat.tap("read:yes")
    assert "disamakan dengan KTP" in chat.text
    assert "selfie" in chat.text.casefold()  # the KTP photo is kept: it shows this NIK
    await chat.photo(good_selfie_jpeg())
    assert "summary:send" in chat.buttons and "3671014501900001" in chat.text.replace(" ", "")
    reg = await stored(ocr_core)
    assert not reg.flags.get("ktp_outdated") and reg.flags["ocr_nik_mismatch"] is False
    assert "ktp-nik-mismatch" not in reg.flags["ktp_warnings"]
    # The photo's reading stays with it, now agreeing with the NIK taken from it.
    assert reg.flags["ocr_fields"]["nik"] == "same"
    async with ocr_core.uow() as uow:
        data = uow.registrations.read_data(await uow.registrations.get(reg.id))
        kinds = {d.kind for d in await uow.documents.list_for(reg.id)}
    assert data["nik"] == NIK and data["birth_date"] == "1990-01-05" and kinds == {"ktp", "selfie"}
    assert data["ocr"]["nik"] == NIK


async def _store_reading(core: Core) -> None:
    """Store a reading of the draft's KTP photo, as ``KtpReadings`` does after it is stored."""
    fields = KtpFields(nik=NIK, full_name=NAME, birth_date=date(1990, 1, 5))
    async with core.uow() as uow:
        reg = (await uow.session.execute(select(Registration))).scalar_one()
        store_reading(uow, reg, KtpReading("tesseract", fields, 1.0, 3))
        await uow.commit()
    assert (await stored(core)).flags["ocr_fields"]["nik"] == "differs"


@needs_tesseract
async def test_keeping_the_typed_nik_leaves_it_flagged_for_the_verifier(ocr_core: Core) -> None:
    chat = ChatDriver(ocr_core)
    await _to_name_question(chat)
    await answer_questions(chat, _slip(NIK), name=NAME)
    await chat.photo(_card())
    await chat.say("tetap yang diketik")
    assert "tetap dipakai" in chat.text
    await chat.photo(good_selfie_jpeg())
    assert "summary:send" in chat.buttons
    reg = await stored(ocr_core)
    assert reg.flags["ocr_nik_mismatch"] is True
