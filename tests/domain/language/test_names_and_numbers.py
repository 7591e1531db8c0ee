"""Names (and what is not a name), NIK and phone numbers as citizens type them."""

from __future__ import annotations

import pytest

from bot.domain.language.names import looks_like_sentence, strip_name_intro
from bot.domain.language.numbers import find_nik, find_phone, group_phone
from bot.domain.validators import InputError, parse_name, parse_phone
from tests.domain.language.tables import table, typed

NIK = "3175012345678901"
PHONE = "+6281234567890"

NAMES = [
    "Benar Sitompul",  # a Batak given name that is also a yes
    "Siti Aminah",
    "SITI AMINAH",
    "siti aminah",
    "Budi Santoso",
    "Muhammad Rizki",
    "Hj. Nur Aini",
    "H. Abdul Rahman",
    "Drs. Bambang Sutrisno",
    "Ni Made Ayu",
    "I Gusti Ngurah Rai",
    "Ahmad Saepudin",
    "Asep Sunandar",
    "Euis Komariah",
    "Ujang Suherman",
    "Tan Siu Lan",
    "Maria Goretti",
    "Sri Mulyani",
    "Muh. Ali-Rahman",
    "Sukarno",
    "Tukiyem",
    "Sumarni",
    # names made of everyday words must still be names
    "Bagus Prakoso",
    "Indah Permata",
    "Putri Ayu",
    "Intan Sari",
    "Bunga Lestari",
    "Agus Jaya",
    "Slamet Riyadi",
    "Cahya Kurnia",
    "Dewi Sartika",
]

SENTENCES = [
    "saya tidak punya ktp",
    "sy tdk punya ktp",
    "sy blm punya e-ktp",
    "belum punya ktp",
    "ktp saya hilang",
    "saya cuma punya resi",
    "gimana caranya",
    "bagaimana cara daftar",
    "apa itu?",
    "nama lengkap atau panggilan?",
    "mau tanya",
    "saya mau daftar",
    "saya bingung",
    "gak tau",
    "tidak tahu",
    "gk ngerti",
    "mohon maaf sy kurang paham",
    "tolong bantu pak",
    "yg di ktp apa yg di kk",
    "dmn ngisinya",
    "udh sy isi td",
    "punten, ieu kumaha",
    "kumaha carana",
    "piye iki",
    # An answer to the question asked before (a KTP reading it could not offer): not a name.
    "bener",
    "betul pak",
    "setuju",
    "iya bener",
    "Siti 1975",
    NIK,
    "081234567890",
]

NAME_INTROS = [
    ("nama saya Siti Aminah", "Siti Aminah"),
    ("Nama sy Siti Aminah", "Siti Aminah"),
    ("nama: Siti Aminah", "Siti Aminah"),
    ("Nama saya adalah Budi Santoso", "Budi Santoso"),
    ("nama lengkap saya Budi Santoso", "Budi Santoso"),
    ("Nama lengkap: Budi Santoso", "Budi Santoso"),
    ("nm sy Budi Santoso", "Budi Santoso"),
    ("Namaku Dewi Lestari", "Dewi Lestari"),
    ("nama saya: SITI AMINAH", "SITI AMINAH"),
    ("  nama   saya   Siti   Aminah ", "Siti Aminah"),
    ("saya Budi Santoso", "Budi Santoso"),
    ("Perkenalkan, nama saya Budi Santoso", "Budi Santoso"),
    ("assalamualaikum, nama saya Siti Aminah", "Siti Aminah"),
    # nothing to strip: the text stays as typed
    ("Siti Aminah", "Siti Aminah"),
    ("Namira Putri", "Namira Putri"),
    ("Nama", "Nama"),
    ("nama saya tidak tahu", "nama saya tidak tahu"),
]

NIKS = [
    (NIK, NIK),
    ("3175 0123 4567 8901", NIK),
    ("3175.0123.4567.8901", NIK),
    ("3175-0123-4567-8901", NIK),
    ("317501 234567 8901", NIK),
    ("317501-234567-8901", NIK),
    ("nik sy 3175012345678901", NIK),
    ("NIK: 3175012345678901", NIK),
    ("ini nik saya 3175 0123 4567 8901 pak", NIK),
    ("NIK 3175012345678901 tgl lahir 05-06-1966", NIK),
    ("nik saya 3175012345678901.", NIK),
]

NOT_NIKS = [
    "",
    "317501234567890",
    "31750123456789012",
    "081234567890",
    "nik saya blm ada",
    "nik 3175012345678901 dan 3175012345678902",
    "05-06-1966",
]

PHONES = [
    ("081234567890", "081234567890"),
    ("0812-3456-7890", "081234567890"),
    ("0812 3456 7890", "081234567890"),
    ("(0812) 3456 7890", "081234567890"),
    ("0812.3456.7890", "081234567890"),
    ("+62 812 3456 7890", PHONE),
    ("+62-812-3456-7890", PHONE),
    ("+6281234567890", PHONE),
    ("6281234567890", "6281234567890"),
    ("no hp sy 081234567890", "081234567890"),
    ("No. HP: 0812.3456.7890", "081234567890"),
    ("wa 0812 3456 7890 pak", "081234567890"),
    ("hp saya 0812-3456-789", "08123456789"),
    ("nomor saya 0857 1234 5678", "085712345678"),
    ("no wa sy 0812 3456 7890, tgl lahir 5-6-1966", "081234567890"),
]

NOT_PHONES = [
    "",
    "12345",
    "0812345",
    NIK,
    "sy blm punya hp",
    "no hp 081234567890 atau 081298765432",
]

GROUPED = [
    (PHONE, "0812 3456 7890"),
    ("+628123456789", "0812 3456 789"),
    ("+6285712345678", "0857 1234 5678"),
    ("+6287812345678", "0878 1234 5678"),
    ("081234567890", "0812 3456 7890"),
]

PARSED_PHONES = [
    "no hp sy 0812-3456-7890",
    "No HP: 0812 3456 7890",
    "wa saya +62 812-3456-7890 pak",
    "nomor hp 081234567890",
]

PARSED_NAMES = [
    ("siti aminah", "SITI AMINAH"),
    ("nama saya siti aminah", "SITI AMINAH"),
    ("Nama sy Budi Santoso", "BUDI SANTOSO"),
    ("bagus prakoso", "BAGUS PRAKOSO"),
]


@pytest.mark.parametrize("text", typed(NAMES))
def test_real_names_do_not_look_like_sentences(text: str) -> None:
    assert looks_like_sentence(text) is False


@pytest.mark.parametrize("text", typed(SENTENCES))
def test_remarks_questions_and_numbers_at_the_name_step_look_like_sentences(text: str) -> None:
    assert looks_like_sentence(text) is True


@pytest.mark.parametrize(("text", "expected"), table(NAME_INTROS))
def test_a_name_introduction_is_stripped_only_when_a_name_follows(text: str, expected: str) -> None:
    assert strip_name_intro(text) == expected


@pytest.mark.parametrize(("text", "expected"), table(PARSED_NAMES))
def test_the_name_step_reads_the_name_back_in_capitals(text: str, expected: str) -> None:
    assert parse_name(text) == expected


@pytest.mark.parametrize(
    "text", typed(["saya tidak punya ktp", "sy tdk punya ktp", "gimana caranya?", NIK])
)
def test_the_name_step_refuses_sentences(text: str) -> None:
    assert parse_name(text) is InputError.NAME


@pytest.mark.parametrize(("text", "expected"), table(NIKS))
def test_a_nik_is_found_with_spaces_dots_dashes_or_in_a_sentence(text: str, expected: str) -> None:
    assert find_nik(text) == expected


@pytest.mark.parametrize("text", typed(NOT_NIKS))
def test_numbers_that_are_not_one_nik_give_no_nik(text: str) -> None:
    assert find_nik(text) is None


@pytest.mark.parametrize(("text", "expected"), table(PHONES))
def test_a_phone_number_is_found_however_it_is_written(text: str, expected: str) -> None:
    assert find_phone(text) == expected


@pytest.mark.parametrize("text", typed(NOT_PHONES))
def test_short_numbers_a_nik_or_two_numbers_give_no_phone(text: str) -> None:
    assert find_phone(text) is None


@pytest.mark.parametrize(("phone", "expected"), table(GROUPED))
def test_a_phone_is_shown_grouped_the_way_people_write_it(phone: str, expected: str) -> None:
    assert group_phone(phone) == expected


@pytest.mark.parametrize("text", typed(PARSED_PHONES))
def test_the_phone_step_accepts_a_number_inside_a_sentence(text: str) -> None:
    assert parse_phone(text) == PHONE
