"""Global commands typed in words, with typos, or inside a sentence — and questions that are not."""

from __future__ import annotations

import pytest

from bot.domain.language.commands import CommandWords
from bot.i18n import Catalog
from tests.domain.language.tables import table, typed

COMMANDS = ["menu", "cancel", "help", "register", "status", "faq", "mydata", "erase", "agent"]


@pytest.fixture(scope="module")
def commands() -> CommandWords:
    catalog = Catalog()
    phrases = {
        key: [word.strip() for word in catalog.text(f"keywords-{key}").split(",")]
        for key in COMMANDS
    }
    return CommandWords(phrases)


READS_AS = [
    # menu
    ("menu", "menu"),
    ("MENU", "menu"),
    ("Menu utama", "menu"),
    ("/start", "menu"),
    ("/menu", "menu"),
    ("menuu", "menu"),
    ("mnu", "menu"),
    ("kembali ke menu", "menu"),
    ("balik ke menu", "menu"),
    ("ke menu utama", "menu"),
    ("menu pak", "menu"),
    # cancel
    ("batal", "cancel"),
    ("BATAL", "cancel"),
    ("Batal.", "cancel"),
    ("batalkan", "cancel"),
    ("bataal", "cancel"),
    ("btal", "cancel"),
    ("batalin", "cancel"),
    ("batal aja", "cancel"),
    ("batal daftar", "cancel"),
    ("sy mau batal", "cancel"),
    ("ga jadi daftar", "cancel"),
    ("cancel", "cancel"),
    ("stop", "cancel"),
    ("berhenti", "cancel"),
    ("udahan aja", "cancel"),
    # help
    ("bantuan", "help"),
    ("bantu", "help"),
    ("tolong", "help"),
    ("help", "help"),
    ("/bantuan", "help"),
    ("bantuann", "help"),
    ("minta bantuan", "help"),
    ("butuh bantuan", "help"),
    ("tolong bantu", "help"),
    # register
    ("daftar", "register"),
    ("DAFTAR", "register"),
    ("Daftar.", "register"),
    ("dftar", "register"),
    ("dftr", "register"),
    ("daftr", "register"),
    ("daftra", "register"),
    ("daptar", "register"),
    ("daftar akun", "register"),
    ("mau daftar", "register"),
    ("sy mau daftar", "register"),
    ("saya ingin mendaftar", "register"),
    ("mau daftar dong", "register"),
    ("daftar pak", "register"),
    ("registrasi", "register"),
    ("regis", "register"),
    ("pendaftaran", "register"),
    # status — the word, or a sentence asking about her own registration
    ("status", "status"),
    ("cek status", "status"),
    ("cek", "status"),
    ("lacak", "status"),
    ("statuss", "status"),
    ("status saya", "status"),
    ("status pendaftaran saya", "status"),
    ("cek status pendaftaran", "status"),
    ("cek pendaftaran saya", "status"),
    ("gmn status sy", "status"),
    ("statusnya gimana", "status"),
    ("gimana status pendaftaran sy?", "status"),
    ("sudah sampai mana pendaftaran saya", "status"),
    ("pendaftaran saya sudah diproses blm", "status"),
    ("udh diverifikasi blm", "status"),
    ("apakah pendaftaran saya sudah disetujui", "status"),
    ("apakah sy sdh terdaftar", "status"),
    # faq
    ("tanya", "faq"),
    ("faq", "faq"),
    ("pertanyaan", "faq"),
    ("tanya jawab", "faq"),
    ("mau tanya", "faq"),
    ("sy mau tanya", "faq"),
    # my data
    ("data saya", "mydata"),
    ("DATA SAYA", "mydata"),
    ("data sy", "mydata"),
    ("datasaya", "mydata"),
    ("lihat data", "mydata"),
    ("lihat data saya", "mydata"),
    ("mau lihat data saya", "mydata"),
    ("data pribadi", "mydata"),
    ("/data", "mydata"),
    # erase
    ("hapus data", "erase"),
    ("hapus data saya", "erase"),
    ("hapus data sy", "erase"),
    ("hapusdata", "erase"),
    ("hapus akun", "erase"),
    ("hapus akun saya", "erase"),
    ("tolong hapus data saya", "erase"),
    ("sy mau hapus data saya", "erase"),
    ("cabut persetujuan", "erase"),
    ("tarik persetujuan", "erase"),
    # agent — the word, or a sentence asking for a person
    ("petugas", "agent"),
    ("Petugas", "agent"),
    ("petugass", "agent"),
    ("ptugas", "agent"),
    ("ptgs", "agent"),
    ("operator", "agent"),
    ("cs", "agent"),
    ("admin", "agent"),
    ("customer service", "agent"),
    ("call center", "agent"),
    ("hubungi petugas", "agent"),
    ("bicara dengan petugas", "agent"),
    ("mau bicara sama petugas", "agent"),
    ("sy mau ngomong sama orang aja, bingung", "agent"),
    ("sambungkan ke petugas", "agent"),
    ("tolong sambungkan ke cs", "agent"),
    ("minta petugas", "agent"),
    ("mau ngobrol sama manusia", "agent"),
    ("bisa bicara dengan orang?", "agent"),
    ("petugasnya mana", "agent"),
    ("saya mau chat dengan petugas saja pak", "agent"),
]

NO_COMMAND = [
    "",
    # questions about a topic: the FAQ answers them
    "cara daftar gimana",
    "gmn cara daftar",
    "bagaimana cara mendaftar?",
    "daftar nya dmn ya",
    "syarat daftar apa aja",
    "daftar bayar gk?",
    "cara cek status gimana",
    "bagaimana cara cek status?",
    "cara hapus data gimana",
    "syaratnya apa aja",
    "apa itu nik",
    "brp lama verifikasinya",
    "kantor kecamatan dmn",
    "jam buka kantor",
    # greetings, thanks and answers to a step
    "halo",
    "assalamualaikum",
    "selamat pagi",
    "punten",
    "terima kasih",
    "makasih pak",
    "ok",
    "iya",
    "sudah",
    "belum",
    "mana",
    "tunggu",
    "mantap",
    "Siti Aminah",
    "nama saya Budi",
    "cipondoh",
    "tanah tinggi",
    "petir",
    "3175012345678901",
    "05-06-1966",
    "ktp saya hilang",
    "saya cuma punya resi",
    "kumaha ieu",
]


@pytest.mark.parametrize(("text", "expected"), table(READS_AS))
def test_commands_are_read_from_words_typos_and_sentences(
    commands: CommandWords, text: str, expected: str
) -> None:
    assert commands.read(text) == expected


@pytest.mark.parametrize("text", typed(NO_COMMAND))
def test_questions_greetings_and_step_answers_are_no_command(
    commands: CommandWords, text: str
) -> None:
    assert commands.read(text) is None
