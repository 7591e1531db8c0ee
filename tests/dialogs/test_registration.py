"""Registration through the real engine: every step, edits, errors and the input budget."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core import Core
from bot.engine.messages import Inbound, InboundKind
from bot.storage.models import Consent, Document, Registration, VaultBlob
from tests.photos.factory import good_ktp_jpeg
from tests.support.chat import ChatDriver
from tests.support.registration import NIK, register_until_summary, stored


async def test_first_message_shows_greeting_and_four_menu_buttons(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("hai")
    # The first menu also offers voice on every message, once (issue 14).
    assert chat.buttons == ["menu:register", "menu:status", "menu:faq", "agent", "voice:on"]


async def test_citizen_registers_in_twelve_inputs_and_request_is_submitted(any_core: Core) -> None:
    chat = ChatDriver(any_core)
    await register_until_summary(chat)
    assert chat.buttons[:3] == ["summary:send", "summary:edit", "summary:cancel"]
    assert "SITI AMINAH" in chat.text and NIK in chat.text
    await chat.tap("summary:send")
    assert chat.inputs <= 12
    reg = await stored(any_core)
    assert reg.status == "submitted"
    assert reg.reference in chat.text and "24 jam" in chat.text
    assert (reg.kecamatan, reg.kelurahan, reg.document_type) == ("Cipondoh", "Petir", "ktp")
    assert reg.flags["nik_outside_city"] is False
    async with any_core.uow() as uow:
        data = uow.registrations.read_data(reg)  # decrypting needs no session
        kinds = {d.kind for d in (await uow.session.execute(select(Document))).scalars()}
    assert data == {
        "full_name": "SITI AMINAH", "nik": NIK, "birth_date": "1990-01-05",
        "phone": "+6281234567890", "kecamatan": "Cipondoh", "kelurahan": "Petir",
        "document_type": "ktp",
    }  # fmt: skip
    assert kinds == {"ktp", "selfie"}


async def test_nothing_is_stored_before_consent_and_consent_is_recorded(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    assert chat.buttons == ["consent:more", "consent:yes", "consent:family", "consent:no"]
    async with core.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Registration)) == 0
        assert await uow.session.scalar(select(func.count()).select_from(Consent)) == 0
    await chat.tap("consent:no")
    async with core.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Registration)) == 0
    await chat.say("daftar")
    await chat.tap("consent:yes")
    async with core.uow() as uow:
        consent = (await uow.session.execute(select(Consent))).scalar_one()
    assert consent.text_version == "consent-registration-v1"


async def test_numbers_and_labels_answer_button_questions(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("menu")
    await chat.say("1")  # Daftar akun
    await chat.say("setuju")  # label of the first button
    assert "nama lengkap" in chat.text


async def test_wrong_answers_are_explained_and_the_question_repeated(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.say("Budi Santoso")
    for bad, expected in [
        ("12345", "16 angka"),
        ("36710145019000AB", "hanya berisi angka"),
        ("3671019999900001", "Tanggal lahir di dalam NIK"),
        ("3671014501900000", "0000"),
    ]:
        await chat.say(bad)
        assert expected in chat.text, bad
        assert "Ketik NIK" in chat.replies[-1].text
    await chat.say("3671 0117 0875 0003")  # a man born 17-08-1975, spaces allowed
    assert "17 Agustus 1975" in chat.text


async def test_birth_date_must_agree_with_nik(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.say("Siti Aminah")
    await chat.say(NIK)
    await chat.tap("birth:no")
    await chat.say("6-1-1990")
    assert "tidak sama dengan NIK" in chat.text and "5 Januari 1990" in chat.text
    assert "edit:nik" in chat.buttons
    await chat.say("5 Januari 1990")
    assert "nomor HP" in chat.text


async def test_nik_from_outside_the_city_is_accepted_and_flagged(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.say("Budi Santoso")
    await chat.say("3603011708750003")  # Kabupaten Tangerang (36.03)
    assert "bukan dari Kota Tangerang" in chat.text and "birth:yes" in chat.buttons
    reg = await stored(core)
    assert reg.flags["nik_outside_city"] is True


async def test_photo_when_text_expected_is_not_stored_and_question_repeated(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.photo(good_ktp_jpeg())
    assert "perlu jawaban yang diketik" in chat.text
    assert "nama lengkap" in chat.replies[-1].text
    async with core.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(VaultBlob)) == 0


async def test_non_image_uploaded_as_photo_is_refused_kindly(core: Core) -> None:
    chat = ChatDriver(core)
    await register_until_summary(chat)
    await chat.tap("summary:edit")
    await chat.tap("edit:ktp")
    await chat.photo(b"%PDF-1.4 not an image")
    assert chat.replies and "foto" in chat.text.lower()
    async with core.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Document)) == 2


async def test_summary_edit_changes_one_field_and_returns_to_summary(core: Core) -> None:
    chat = ChatDriver(core)
    await register_until_summary(chat)
    await chat.tap("summary:edit")
    await chat.tap("edit:kecamatan")
    await chat.tap("kec:larangan")
    assert "Kelurahan mana" in chat.text  # the old kelurahan no longer fits
    await chat.tap("kel:gaga")
    assert "Kecamatan: Larangan" in chat.text and "Kelurahan: Gaga" in chat.text
    await chat.tap("summary:send")
    assert (await stored(core)).kelurahan == "Gaga"


async def test_global_words_work_mid_registration_and_resume_keeps_place(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.say("Siti Aminah")
    await chat.say("bantuan")
    assert "resume" in chat.buttons
    await chat.tap("resume")
    assert "Ketik NIK" in chat.text
    await chat.say("status")
    assert "belum lengkap" in chat.text
    await chat.say("batal")
    assert "tetap tersimpan" in chat.text
    await chat.say("menu")
    assert chat.buttons[0] == "menu:register"
    await chat.say("daftar")
    assert "Selamat datang kembali" in chat.text and "Ketik NIK" in chat.text


async def test_status_reports_waiting_request_with_reference(core: Core) -> None:
    chat = ChatDriver(core)
    await register_until_summary(chat)
    await chat.tap("summary:send")
    reference = (await stored(core)).reference
    await chat.say("cek status")
    assert "menunggu verifikasi sejak" in chat.text and reference in chat.text
    await chat.say("daftar")
    assert "sudah terkirim" in chat.text


async def test_same_message_id_twice_has_one_effect_and_same_answer(core: Core) -> None:
    chat = ChatDriver(core)
    inbound = Inbound("web", chat.chat_id, "m-1", InboundKind.TEXT, text="daftar")
    first = await core.handle(inbound)
    second = await core.handle(inbound)
    assert not first.duplicate and second.duplicate
    assert [r.text for r in second.replies] == [r.text for r in first.replies]
    async with core.uow() as uow:
        conv = await uow.conversations.find("web", chat.chat_id)
        assert conv is not None and conv.last_seq == 1 + len(first.replies)


async def test_odd_inputs_get_a_reply_and_never_crash(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    for text in ["", "   ", "😀😀😀", "x" * 10_000, "<script>alert(1)</script>", "\x00\x01"]:
        await chat.say(text)
        assert chat.replies, repr(text[:20])
        assert "nama lengkap" in chat.replies[-1].text
    await chat.send(Inbound("web", chat.chat_id, "v-1", InboundKind.VOICE))
    assert "pesan suara" in chat.text


async def test_whatsapp_number_is_confirmed_instead_of_typed(core: Core) -> None:
    chat = ChatDriver(core, channel="web", channel_phone="+6281298765432")
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.say("Siti Aminah")
    await chat.say(NIK)
    await chat.tap("birth:yes")
    assert "+6281298765432" in chat.text and chat.buttons == ["phone:yes", "phone:no"]
    await chat.tap("phone:yes")
    assert "kecamatan" in chat.text
