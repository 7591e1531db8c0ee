"""Every step of the registration form understands what a citizen types, not only a tap.

The citizen here never taps: she types lowercase, with typos, in sentences, the way people
write in WhatsApp. Each test drives the real engine and checks what the bot understood.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core import Core
from bot.storage.models import Registration
from tests.photos.factory import blurred_jpeg, good_ktp_jpeg, good_selfie_jpeg
from tests.support.chat import ChatDriver
from tests.support.registration import NIK, stored


def failures(chat_state: dict) -> int:
    return sum(chat_state.get("failures", {}).values())


async def state_of(core: Core, chat: ChatDriver) -> dict:
    async with core.uow() as uow:
        conv = await uow.conversations.find(chat.channel, chat.chat_id)
        assert conv is not None
        return dict(uow.conversations.read_state(conv))


async def step_of(core: Core, chat: ChatDriver) -> str | None:
    async with core.uow() as uow:
        conv = await uow.conversations.find(chat.channel, chat.chat_id)
        assert conv is not None
        return conv.step


async def typed_until_kecamatan(chat: ChatDriver) -> None:
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("siti aminah")
    await chat.say(NIK)
    await chat.say("iya betul")
    await chat.say("0812 3456 7890")


async def typed_until_ktp(chat: ChatDriver) -> None:
    await typed_until_kecamatan(chat)
    await chat.say("cipondoh")
    await chat.say("petir")


# --- yes/no wherever a yes/no is asked -------------------------------------------------------


@pytest.mark.parametrize("answer", ["iya", "ok setuju", "boleh", "Iyaa", "y", "setuju pak", "sip"])
async def test_typed_yes_gives_consent(core: Core, answer: str) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say(answer)
    assert "nama lengkap" in chat.text, answer


@pytest.mark.parametrize("answer", ["ga mau", "tidak", "gak", "enggak setuju", "tdk"])
async def test_typed_no_declines_consent(core: Core, answer: str) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say(answer)
    assert "Tanpa persetujuan" in chat.text, answer


async def test_typo_of_a_button_label_is_that_button(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("stuju")
    assert "nama lengkap" in chat.text


async def test_unclear_answer_at_consent_is_not_taken_as_yes_or_no(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya tidak")
    assert chat.buttons == ["consent:more", "consent:yes", "consent:family", "consent:no"]


@pytest.mark.parametrize("answer", ["iya betul", "benar", "bener pak", "ya", "ok"])
async def test_birth_date_from_nik_confirmed_in_words(core: Core, answer: str) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("siti aminah")
    await chat.say(NIK)
    await chat.say(answer)
    assert "nomor HP" in chat.text, answer


@pytest.mark.parametrize("typed", ["05011990", "5-1-90", "5 januari 90", "tgl 5 jan 1990"])
async def test_birth_date_typed_equal_to_nik_confirms_it(core: Core, typed: str) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("siti aminah")
    await chat.say(NIK)
    await chat.say(typed)
    assert "nomor HP" in chat.text, typed


async def test_wrong_birth_date_then_typed_forms_of_the_date(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("siti aminah")
    await chat.say(NIK)
    await chat.say("salah")
    assert "Ketik tanggal lahir" in chat.text
    await chat.say("5 jan 1990")
    assert "nomor HP" in chat.text


async def test_channel_number_confirmed_with_a_typed_yes(core: Core) -> None:
    chat = ChatDriver(core, channel_phone="+6281298765432")
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("siti aminah")
    await chat.say(NIK)
    await chat.say("iya")
    assert chat.buttons == ["phone:yes", "phone:no"]
    await chat.say("boleh")
    assert "kecamatan" in chat.text


async def test_channel_number_refused_with_a_typed_no(core: Core) -> None:
    chat = ChatDriver(core, channel_phone="+6281298765432")
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("siti aminah")
    await chat.say(NIK)
    await chat.say("iya")
    await chat.say("ga")
    assert "Ketik nomor HP" in chat.text


@pytest.mark.parametrize("answer", ["ya kirim", "kirim", "iya sudah benar", "ok", "krim"])
async def test_summary_sent_with_typed_words(core: Core, answer: str) -> None:
    chat = ChatDriver(core)
    await typed_until_ktp(chat)
    await chat.photo(good_ktp_jpeg(NIK))
    await chat.photo(good_selfie_jpeg())
    assert "summary:send" in chat.buttons
    await chat.say(answer)
    assert (await stored(core)).status == "submitted", answer


# --- places ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kecamatan"),
    [("kec larangan", "Larangan"), ("Cipondoh", "Cipondoh"), ("karawacii", "Karawaci"),
     ("kecamatan periuk", "Periuk"), ("5", "Cipondoh"), ("no 5", "Cipondoh"),
     ("sy tinggal di kec. benda", "Benda"), ("batu ceper", "Batuceper")],
)  # fmt: skip
async def test_kecamatan_typed_in_any_form(core: Core, typed: str, kecamatan: str) -> None:
    chat = ChatDriver(core)
    await typed_until_kecamatan(chat)
    await chat.say(typed)
    assert f"Kecamatan {kecamatan}" in chat.text, typed


async def test_unsure_kecamatan_is_asked_back_never_refused(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_kecamatan(chat)
    await chat.say("cipondk")
    if "place:yes" in chat.buttons:  # "Maksud Bapak/Ibu Cipondoh?"
        assert "Maksud Bapak/Ibu Cipondoh?" in chat.text and "tidak ada" not in chat.text
        await chat.say("iya")
    assert "Kelurahan mana di Kecamatan Cipondoh" in chat.text
    assert failures(await state_of(core, chat)) == 0


async def test_maksud_answered_no_offers_every_kecamatan_again(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_kecamatan(chat)
    await chat.say("karang")
    assert "place:yes" in chat.buttons or len(chat.buttons) <= 3
    if "place:yes" in chat.buttons:
        await chat.say("bukan")
        assert len(chat.buttons) == 13
    assert failures(await state_of(core, chat)) == 0


async def test_several_close_kecamatan_are_offered_as_buttons(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_kecamatan(chat)
    await chat.say("sudimara")  # a kelurahan name shared by several: offered, not refused
    assert "tidak ada" not in chat.text
    assert chat.buttons


async def test_kelurahan_typed_at_kecamatan_step_fills_both(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_kecamatan(chat)
    await chat.say("petir")
    assert "Kelurahan Petir, Kecamatan Cipondoh" in chat.text
    assert "foto KTP" in chat.text  # the kelurahan question is skipped
    reg = await stored(core)
    assert (reg.kecamatan, reg.kelurahan) == ("Cipondoh", "Petir")


@pytest.mark.parametrize("typed", ["ptir", "kel petir", "Petir", "kelurahan petir pak"])
async def test_kelurahan_typed_with_typos(core: Core, typed: str) -> None:
    chat = ChatDriver(core)
    await typed_until_kecamatan(chat)
    await chat.say("cipondoh")
    await chat.say(typed)
    if "place:yes" in chat.buttons:
        assert "Maksud Bapak/Ibu Petir?" in chat.text
        await chat.say("ya")
    assert "foto KTP" in chat.text, typed
    assert (await stored(core)).kelurahan == "Petir"


async def test_only_a_truly_unknown_place_is_a_failed_try(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_kecamatan(chat)
    await chat.say("jakarta selatan")
    assert "kec:cipondoh" in chat.buttons
    assert failures(await state_of(core, chat)) == 1


# --- the name --------------------------------------------------------------------------------


async def test_sentence_at_name_step_is_answered_not_stored_nor_a_failure(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("saya tidak punya ktp")
    assert "nama lengkap" in chat.replies[-1].text
    assert failures(await state_of(core, chat)) == 0
    await chat.say("siti aminah")
    assert "SITI AMINAH" in chat.text and "Ketik NIK" in chat.text
    async with core.uow() as uow:
        reg = (await uow.session.execute(select(Registration))).scalar_one()
        assert uow.registrations.read_data(reg)["full_name"] == "SITI AMINAH"


async def test_name_introduced_in_a_sentence_is_read_back_in_capitals(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("nama saya Siti")
    assert "Nama dicatat: SITI" in chat.text


@pytest.mark.parametrize(
    "text", ["gimana caranya", "nama itu yg di ktp ya?", "sy bingung", "apa harus sama ktp"]
)
async def test_questions_at_name_step_are_never_failures(core: Core, text: str) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya")
    for _ in range(4):
        await chat.say(text)
        assert "nama lengkap" in chat.replies[-1].text, text
    state = await state_of(core, chat)
    assert failures(state) == 0 and "handoff" not in chat.text.lower()


# --- phone -----------------------------------------------------------------------------------


async def test_phone_in_a_sentence_and_grouped_on_the_summary(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("siti aminah")
    await chat.say(NIK)
    await chat.say("iya")
    await chat.say("no hp sy 0812 3456 7890")
    assert "kecamatan" in chat.text
    await chat.say("petir")
    await chat.photo(good_ktp_jpeg(NIK))
    await chat.photo(good_selfie_jpeg())
    assert "Nomor HP: 0812 3456 7890" in chat.text


# --- navigation ------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["kembali", "mundur", "sebelumnya", "balik", "kembali dulu"])
async def test_back_goes_one_step_keeping_what_was_filled(core: Core, word: str) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("siti aminah")
    await chat.say(NIK)
    await chat.say("iya")
    assert "nomor HP" in chat.text
    await chat.say(word)
    assert "tanggal lahir" in chat.text, word  # one step back: the birth date
    await chat.say("iya")
    assert "nomor HP" in chat.text
    async with core.uow() as uow:
        reg = (await uow.session.execute(select(Registration))).scalar_one()
        data = uow.registrations.read_data(reg)
    assert data["full_name"] == "SITI AMINAH" and data["nik"] == NIK


async def test_back_at_the_first_question_stays(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("kembali")
    assert "nama lengkap" in chat.replies[-1].text


async def test_kembali_outside_the_form_is_not_a_name(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("kembali")
    async with core.uow() as uow:
        reg = (await uow.session.execute(select(Registration))).scalar_one()
        assert "full_name" not in uow.registrations.read_data(reg)


@pytest.mark.parametrize("word", ["salah", "ubah", "ganti", "ada yg salah"])
async def test_change_at_summary_offers_the_edit_choices(core: Core, word: str) -> None:
    chat = ChatDriver(core)
    await typed_until_ktp(chat)
    await chat.photo(good_ktp_jpeg(NIK))
    await chat.photo(good_selfie_jpeg())
    await chat.say(word)
    assert "edit:full_name" in chat.buttons, word


async def test_naming_the_wrong_field_goes_straight_to_it(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_ktp(chat)
    await chat.photo(good_ktp_jpeg(NIK))
    await chat.photo(good_selfie_jpeg())
    await chat.say("no hp nya salah")
    assert "Ketik nomor HP" in chat.text
    await chat.say("0813 1111 2222")
    assert "Nomor HP: 0813 1111 2222" in chat.text
    await chat.say("edit")
    await chat.say("nama")
    assert "nama lengkap" in chat.text
    await chat.say("siti aminah binti ahmad")
    assert "SITI AMINAH BINTI AHMAD" in chat.text and "summary:send" in chat.buttons


async def test_change_in_the_middle_of_the_form_then_back_to_the_step(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_kecamatan(chat)
    await chat.say("ubah")
    assert "edit:full_name" in chat.buttons
    await chat.say("1")  # Nama
    await chat.say("budi santoso")
    assert "kecamatan" in chat.text  # the step she left


async def test_lanjut_after_batal_continues_the_paused_registration(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("siti aminah")
    await chat.say("batal")
    assert "tetap tersimpan" in chat.text and "reg:continue" in chat.buttons
    await chat.say("lanjut")
    assert "Ketik NIK" in chat.text


async def test_continue_paused_is_a_function_for_the_router(core: Core) -> None:
    from dialogs import registration

    assert callable(registration.continue_paused)


# --- photo steps -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["belum punya ktp", "saya cuma punya resi", "ktp hilang"])
async def test_no_ktp_in_words_takes_the_receipt_path(core: Core, text: str) -> None:
    chat = ChatDriver(core)
    await typed_until_ktp(chat)
    await chat.say(text)
    assert "resi" in chat.text and "doc:ktp" in chat.buttons, text
    assert failures(await state_of(core, chat)) == 0
    reg = await stored(core)
    assert reg.document_type == "resi"


async def test_question_at_photo_step_gets_a_one_line_reminder(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_ktp(chat)
    await chat.say("fotonya harus bagaimana?")
    assert "Cara foto yang baik" not in chat.text  # not the whole prompt again
    assert "kamera" in chat.replies[-1].text
    assert failures(await state_of(core, chat)) == 0


async def test_asking_for_a_person_in_a_sentence_at_photo_step(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_ktp(chat)
    await chat.say("sy mau ngomong sama orang aja, bingung")
    assert "handoff:leave" in chat.buttons


async def test_refused_photo_is_one_short_bubble_with_the_example(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_ktp(chat)
    await chat.photo(blurred_jpeg("ktp", radius=8.0))
    assert len(chat.replies) == 1
    assert "buram" in chat.text and chat.replies[0].image_url
    assert "Cara foto yang baik" not in chat.text


async def test_accepted_photos_are_confirmed(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_ktp(chat)
    await chat.photo(good_ktp_jpeg(NIK))
    assert "✅ Foto KTP diterima" in chat.text
    await chat.photo(good_selfie_jpeg())
    assert "✅ Foto selfie diterima" in chat.text


async def test_random_text_at_photo_step_is_a_short_hint(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_ktp(chat)
    await chat.say("xyz")
    assert len(chat.replies) == 1 and "foto KTP-el" in chat.text
    assert "Cara foto yang baik" not in chat.text and chat.replies[0].image_url


# --- a whole registration typed, never tapped ------------------------------------------------


async def test_citizen_who_never_taps_registers_with_one_input_per_step(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("ok setuju")
    await chat.say("nama saya siti aminah")
    await chat.say("3671 0145 0190 0001")
    await chat.say("iya betul")
    await chat.say("no hp sy 0812-3456-7890")
    await chat.say("kec cipondoh")
    await chat.say("petir")
    await chat.photo(good_ktp_jpeg(NIK))
    await chat.photo(good_selfie_jpeg())
    await chat.say("ya kirim")
    assert chat.inputs == 11
    reg = await stored(core)
    assert reg.status == "submitted"
    assert failures(await state_of(core, chat)) == 0


async def test_no_to_maksud_with_the_right_name_takes_it(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_kecamatan(chat)
    await chat.say("cipondoh")
    await chat.say("poris")
    if "place:yes" in chat.buttons:
        await chat.say("bukan, poris plawad utara")
    elif chat.buttons:
        await chat.say("poris plawad utara")
    assert "foto KTP" in chat.text
    assert (await stored(core)).kelurahan == "Poris Plawad Utara"


async def test_citizen_answering_with_numbers_and_iya(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("menu")
    await chat.say("1")  # Daftar akun
    await chat.say("1")  # Untuk diri sendiri: she agrees, for herself
    await chat.say("siti aminah")
    await chat.say(NIK)
    await chat.say("iya")
    await chat.say("081234567890")
    await chat.say("5")  # Cipondoh
    await chat.say("7")  # Petir
    await chat.photo(good_ktp_jpeg(NIK))
    await chat.photo(good_selfie_jpeg())
    await chat.say("1")  # Kirim
    assert chat.inputs == 12
    assert (await stored(core)).status == "submitted"
    assert failures(await state_of(core, chat)) == 0


async def test_citizen_who_asks_questions_and_goes_back(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("saya tidak punya ktp bagaimana")
    assert "nama lengkap" in chat.replies[-1].text
    await chat.say("siti aminah")
    await chat.say(NIK)
    await chat.say("mundur")
    assert "NIK" in chat.replies[-1].text
    await chat.say(NIK)
    await chat.say("iya betul")
    await chat.say("no hp sy 0812 3456 7890")
    await chat.say("kec cipondoh")
    await chat.say("kembali")
    assert "kecamatan" in chat.replies[-1].text
    await chat.say("cipondoh")
    await chat.say("petir")
    await chat.say("cuma punya resi")
    await chat.photo(good_ktp_jpeg(NIK))
    await chat.photo(good_selfie_jpeg())
    assert "Resi" in chat.text
    await chat.say("ya kirim")
    assert chat.inputs == 17  # 11 steps, 1 question, 2 "back" and their answers, the resi
    assert (await stored(core)).status == "submitted"
    assert failures(await state_of(core, chat)) == 0


async def test_commands_in_sentences_inside_the_form(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say("iya")
    await chat.say("siti aminah")
    await chat.say("udh diverifikasi blm")  # at the NIK step: her status, not a wrong NIK
    assert "belum lengkap" in chat.text
    assert failures(await state_of(core, chat)) == 0
    await chat.say("sy mau ngomong sama orang aja, bingung")
    assert "handoff:leave" in chat.buttons


async def test_ulang_at_kelurahan_is_not_a_kelurahan(core: Core) -> None:
    chat = ChatDriver(core)
    await typed_until_kecamatan(chat)
    await chat.say("cipondoh")
    await chat.say("ulang")
    assert "edit:kecamatan" in chat.buttons
    assert failures(await state_of(core, chat)) == 0
