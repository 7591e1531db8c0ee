"""Family can help: a citizen registers her mother, and one chat registers several people.

Through the real engine: whose registration it is is answered with the consent (tapped or
typed), the wording then speaks of the registered person, the request carries the helper flag,
and every request of the chat has its own consent, reference, draft and status line.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core import Core
from bot.services.accounts import Actor, Role
from bot.services.registration import CONSENT_VERSION, CONSENT_VERSION_HELPER
from bot.storage.models import Consent, Registration
from tests.photos.factory import good_ktp_jpeg, good_selfie_jpeg
from tests.support.chat import ChatDriver

SITI_NIK = "3671014501900001"  # woman, born 5 January 1990
IBU_NIK = "3671014808550002"  # woman, born 8 August 1955
VERIFIER = Actor(type="user", id="1", name="siti", role=Role.VERIFIER)


async def _fill(chat: ChatDriver, name: str, nik: str) -> dict[str, str]:
    """Answer every question from the name to the summary; return each step's prompt."""
    prompts = {"name": chat.text}
    await chat.say(name)
    prompts["nik"] = chat.text
    await chat.say(nik)
    prompts["birth"] = chat.text
    await chat.tap("birth:yes")
    prompts["phone"] = chat.text
    await chat.say("0812-3456-7890")
    prompts["kecamatan"] = chat.text
    await chat.tap("kec:cipondoh")
    await chat.tap("kel:petir")
    prompts["ktp"] = chat.text
    await chat.photo(good_ktp_jpeg(nik))
    prompts["selfie"] = chat.text
    await chat.photo(good_selfie_jpeg())
    prompts["summary"] = chat.text
    await chat.tap("summary:send")
    prompts["submitted"] = chat.text
    return prompts


async def _requests(core: Core) -> list[Registration]:
    async with core.uow() as uow:
        stmt = select(Registration).order_by(Registration.id)
        regs = list((await uow.session.execute(stmt)).scalars())
        for reg in regs:
            uow.session.expunge(reg)
        return regs


async def _consents(core: Core) -> list[str]:
    async with core.uow() as uow:
        rows = await uow.session.execute(select(Consent.text_version).order_by(Consent.id))
        return list(rows.scalars())


async def test_a_daughter_registers_her_mother_in_the_same_number_of_taps(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    assert chat.buttons == ["consent:more", "consent:yes", "consent:family", "consent:no"]
    assert "untuk siapa" in chat.replies[-1].text
    await chat.tap("consent:family")
    assert "data keluarga yang didaftarkan" in chat.text
    prompts = await _fill(chat, "Aminah Binti Saleh", IBU_NIK)
    assert "nama lengkap orang yang didaftarkan" in prompts["name"]
    assert "NIK orang yang didaftarkan" in prompts["nik"]
    assert "tanggal lahir orang yang didaftarkan 8 Agustus 1955" in prompts["birth"]
    assert "Orang yang didaftarkan tinggal di kecamatan mana" in prompts["kecamatan"]
    assert "foto KTP-el asli orang yang didaftarkan" in prompts["ktp"]
    assert "Minta Bapak/Ibu yang didaftarkan memegang KTP" in prompts["selfie"]
    assert "Periksa data orang yang didaftarkan" in prompts["summary"]
    assert "Pendaftaran AMINAH BINTI SALEH sudah terkirim" in prompts["submitted"]
    assert chat.inputs == 11  # the same as for herself: "for whom" came with the consent
    for prompt in prompts.values():
        assert "Bapak/Ibu sendiri" not in prompt
    (reg,) = await _requests(core)
    assert reg.status == "submitted" and reg.flags["helper"] is True
    assert await _consents(core) == [CONSENT_VERSION_HELPER]


async def test_registering_herself_keeps_the_words_for_her_and_no_helper_flag(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")  # "Untuk diri sendiri"
    prompts = await _fill(chat, "Siti Aminah", SITI_NIK)
    assert "nama lengkap Bapak/Ibu" in prompts["name"]
    assert "foto selfie Bapak/Ibu sambil memegang KTP" in prompts["selfie"]
    assert "Pendaftaran Bapak/Ibu sudah terkirim" in prompts["submitted"]
    assert "orang yang didaftarkan" not in "".join(prompts.values())
    (reg,) = await _requests(core)
    assert reg.flags["helper"] is False
    assert await _consents(core) == [CONSENT_VERSION]


@pytest.mark.parametrize(
    ("typed", "helper"),
    [("sendiri", False), ("untuk diri sendiri", False), ("saya", False), ("1", False),
     ("buat saya sendiri", False), ("iya setuju", False), ("buat ibu saya", True),
     ("keluarga", True), ("bantu bapak", True), ("2", True), ("membantu keluarga", True),
     ("untuk anak saya", True), ("mau daftarin mama", True)],
)  # fmt: skip
async def test_for_whom_is_understood_when_typed(core: Core, typed: str, helper: bool) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say(typed)
    assert ("orang yang didaftarkan" in chat.text) is helper, chat.text
    assert ("nama lengkap Bapak/Ibu" in chat.text) is not helper, chat.text
    (reg,) = await _requests(core)
    assert reg.flags["helper"] is helper


@pytest.mark.parametrize("typed", ["saya ga tau", "iya tidak", "halo"])
async def test_an_unclear_answer_is_neither_consent_nor_a_person(core: Core, typed: str) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.say(typed)
    assert await _requests(core) == [] and await _consents(core) == []
    assert "consent:family" in chat.buttons


async def test_daftar_for_a_relative_asks_consent_worded_for_her(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("halo")
    await chat.say("daftar buat ibu saya")
    assert "Data orang yang didaftarkan" in chat.text and "sudah mengizinkan" in chat.text
    assert chat.buttons == ["consent:yes", "consent:no", "consent:more"]
    await chat.say("iya")
    assert "nama lengkap orang yang didaftarkan" in chat.text


async def test_one_chat_registers_two_people_each_with_consent_and_reference(
    any_core: Core,
) -> None:
    chat = ChatDriver(any_core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await _fill(chat, "Siti Aminah", SITI_NIK)
    assert "reg:another" in chat.buttons  # on the submitted message
    await chat.tap("reg:another")
    # Her own consent was for her data: the mother's needs one of its own, worded for her.
    assert "Data orang yang didaftarkan" in chat.text
    assert await _consents(any_core) == [CONSENT_VERSION]
    await chat.tap("consent:yes")
    first, second = await _requests(any_core)
    assert (first.status, second.status) == ("submitted", "draft")  # nothing clobbered
    prompts = await _fill(chat, "Aminah Binti Saleh", IBU_NIK)
    assert "nama lengkap orang yang didaftarkan" in prompts["name"]
    first, second = await _requests(any_core)
    assert (first.status, second.status) == ("submitted", "submitted")
    assert first.reference != second.reference
    assert (first.flags["helper"], second.flags["helper"]) == (False, True)
    async with any_core.uow() as uow:
        assert uow.registrations.read_data(first)["full_name"] == "SITI AMINAH"
        assert uow.registrations.read_data(second)["full_name"] == "AMINAH BINTI SALEH"
    assert await _consents(any_core) == [CONSENT_VERSION, CONSENT_VERSION_HELPER]
    await chat.say("cek status")
    assert "Ada 2 pendaftaran" in chat.text
    assert f"{first.reference} (Siti A.): menunggu verifikasi" in chat.text
    assert f"{second.reference} (Aminah B.): menunggu verifikasi" in chat.text
    assert "SITI AMINAH" not in chat.text and SITI_NIK not in chat.text
    assert chat.text.index(second.reference) < chat.text.index(first.reference)  # newest first
    assert "reg:another" in chat.buttons


async def test_daftar_after_two_requests_tells_the_newest_and_offers_another(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await _fill(chat, "Siti Aminah", SITI_NIK)
    await chat.say("daftar")
    assert "tidak perlu mendaftar lagi" in chat.text and "reg:another" in chat.buttons
    assert len(await _requests(core)) == 1


async def test_a_rejected_request_is_sent_again_without_touching_the_other(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:family")
    await _fill(chat, "Aminah Binti Saleh", IBU_NIK)
    await chat.tap("reg:another")
    await chat.tap("consent:yes")
    await _fill(chat, "Budi Santoso", "3671010101800003")
    mother, budi = await _requests(core)
    await core.review_cases.decide(
        VERIFIER, mother.id, approve=False, reason="face_not_visible", note=None, ip=None
    )
    await core.review_cases.decide(VERIFIER, budi.id, approve=True, reason=None, note=None, ip=None)
    await chat.say("cek status")
    assert "ditolak, karena wajah tidak terlihat jelas" in chat.text
    assert "sudah disetujui" in chat.text
    await chat.tap("reg:resubmit")
    assert mother.reference in chat.text and "selfie" in chat.text
    assert "Minta Bapak/Ibu yang didaftarkan" in chat.text  # still the mother's request
    await chat.photo(good_selfie_jpeg())
    await chat.tap("summary:send")
    requests = await _requests(core)
    assert [r.status for r in requests] == ["rejected", "approved", "submitted"]
    again = requests[-1]
    assert again.reference == mother.reference and again.resubmission_of == mother.id
    assert again.flags["helper"] is True
    await chat.say("cek status")
    assert "Ada 2 pendaftaran" in chat.text and "ditolak" not in chat.text


async def test_status_of_an_approved_request_says_how_to_get_the_app(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await _fill(chat, "Siti Aminah", SITI_NIK)
    (reg,) = await _requests(core)
    await core.review_cases.decide(VERIFIER, reg.id, approve=True, reason=None, note=None, ip=None)
    await chat.say("cek status")
    assert "sudah disetujui" in chat.text
    assert core.settings.app_download_url in chat.text and "Lupa kata sandi" in chat.text
    assert "reg:another" in chat.buttons


@pytest.mark.parametrize("typed", ["daftarkan orang lain", "mau daftarin bapak saya juga"])
async def test_after_sending_her_own_asking_in_words_offers_to_register_another(
    core: Core, typed: str
) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await _fill(chat, "Siti Aminah", SITI_NIK)
    await chat.say("menu")
    await chat.say(typed)
    # The answer on registering family comes with the button that does it.
    assert "Bapak/Ibu boleh membantu mendaftarkan" in chat.text and "reg:another" in chat.buttons
    await chat.tap("reg:another")
    assert "Data orang yang didaftarkan" in chat.text, chat.text
    await chat.say("iya")
    assert "nama lengkap orang yang didaftarkan" in chat.text
    assert [r.status for r in await _requests(core)] == ["submitted", "draft"]


async def test_daftarkan_orang_lain_at_the_name_step_is_not_taken_for_her_name(
    core: Core,
) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.say("daftarkan orang lain")
    assert "Nama dicatat" not in chat.text
    assert "Pendaftaran Bapak/Ibu sendiri belum selesai" in chat.text
    assert "nama lengkap Bapak/Ibu" in chat.text  # her own name is still asked


async def test_saying_for_whom_at_the_consent_wins_over_how_she_started(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar buat ibu saya")
    assert "Data orang yang didaftarkan" in chat.text
    await chat.say("eh untuk saya sendiri")
    assert "nama lengkap Bapak/Ibu" in chat.text
    (reg,) = await _requests(core)
    assert reg.flags["helper"] is False
    assert await _consents(core) == [CONSENT_VERSION]


@pytest.mark.parametrize(
    "typed", ["dafatr buat ibu sy", "daftarkan orang lain", "mau mendaftarkan orang lain"]
)
async def test_asking_for_a_relative_while_her_own_form_is_open_says_it_comes_first(
    core: Core, typed: str
) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.say("Siti Aminah")
    await chat.say(typed)
    assert "Pendaftaran Bapak/Ibu sendiri belum selesai" in chat.replies[-2].text
    assert "NIK Bapak/Ibu" in chat.text  # her own form goes on at its next question
    async with core.uow() as uow:
        regs = list((await uow.session.execute(select(Registration))).scalars())
    assert len(regs) == 1 and not (regs[0].flags or {}).get("helper")
