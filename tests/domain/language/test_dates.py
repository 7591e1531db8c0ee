"""Birth dates as citizens type them: day first, digits or Indonesian month names, 2-digit years."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.language.dates import read_date
from bot.domain.validators import InputError, parse_birth_date
from tests.domain.language.tables import table, typed

TODAY = date(2026, 3, 10)

JUNE_5_1966 = date(1966, 6, 5)

DATES = [
    # numbers with the usual separators
    ("05-06-1966", JUNE_5_1966),
    ("5-6-1966", JUNE_5_1966),
    ("05/06/1966", JUNE_5_1966),
    ("5/6/1966", JUNE_5_1966),
    ("05.06.1966", JUNE_5_1966),
    ("05 06 1966", JUNE_5_1966),
    ("5 - 6 - 1966", JUNE_5_1966),
    ("05-06-66", JUNE_5_1966),
    ("5-6-66", JUNE_5_1966),
    ("5/6/66", JUNE_5_1966),
    ("5.6.66", JUNE_5_1966),
    # packed digits
    ("05061966", JUNE_5_1966),
    ("050666", JUNE_5_1966),
    ("17081975", date(1975, 8, 17)),
    ("311299", date(1999, 12, 31)),
    # month names, full and short, any case
    ("5 juni 1966", JUNE_5_1966),
    ("5 Juni 1966", JUNE_5_1966),
    ("5 JUNI 1966", JUNE_5_1966),
    ("5 jun 1966", JUNE_5_1966),
    ("5 juni 66", JUNE_5_1966),
    ("5 jun 66", JUNE_5_1966),
    ("05 juni 1966", JUNE_5_1966),
    ("5-juni-1966", JUNE_5_1966),
    ("5juni1966", JUNE_5_1966),
    ("5 juni, 1966", JUNE_5_1966),
    ("1 januari 1960", date(1960, 1, 1)),
    ("1 jan 1960", date(1960, 1, 1)),
    ("1 Januari 60", date(1960, 1, 1)),
    ("14 februari 1962", date(1962, 2, 14)),
    ("14 feb 1962", date(1962, 2, 14)),
    ("29 februari 1964", date(1964, 2, 29)),
    ("31 maret 1970", date(1970, 3, 31)),
    ("31 mar 1970", date(1970, 3, 31)),
    ("12 april 1958", date(1958, 4, 12)),
    ("12 apr 58", date(1958, 4, 12)),
    ("2 mei 1961", date(1961, 5, 2)),
    ("2 Mei 61", date(1961, 5, 2)),
    ("9 juli 1972", date(1972, 7, 9)),
    ("9 jul 72", date(1972, 7, 9)),
    ("17 agustus 1975", date(1975, 8, 17)),
    ("17 agu 1975", date(1975, 8, 17)),
    ("17 agt 1975", date(1975, 8, 17)),
    ("17 ags 1975", date(1975, 8, 17)),
    ("17-agt-75", date(1975, 8, 17)),
    ("21 september 1980", date(1980, 9, 21)),
    ("21 sep 1980", date(1980, 9, 21)),
    ("21 sept 1980", date(1980, 9, 21)),
    ("10 oktober 1955", date(1955, 10, 10)),
    ("10 okt 55", date(1955, 10, 10)),
    ("3 november 1969", date(1969, 11, 3)),
    ("3 nov 69", date(1969, 11, 3)),
    ("25 desember 1950", date(1950, 12, 25)),
    ("25 des 50", date(1950, 12, 25)),
    # older spellings people over 45 learnt at school
    ("3 nopember 1969", date(1969, 11, 3)),
    ("3 nop 1969", date(1969, 11, 3)),
    ("14 pebruari 1962", date(1962, 2, 14)),
    # with "tgl", "tanggal", "lahir" and politeness around it
    ("tgl 5 juni 1966", JUNE_5_1966),
    ("tanggal 5 juni 1966", JUNE_5_1966),
    ("Tgl.5 Juni 1966", JUNE_5_1966),
    ("tgl lahir 05-06-1966", JUNE_5_1966),
    ("Tanggal lahir: 05/06/1966", JUNE_5_1966),
    ("lahir 5 juni 1966", JUNE_5_1966),
    ("tgl lahir sy 5 juni 1966", JUNE_5_1966),
    ("5 juni 1966 pak", JUNE_5_1966),
    ("tgl 05-06-1966 bu", JUNE_5_1966),
    # two-digit years: the latest century that is not in the future (today is 10 March 2026)
    ("31-12-99", date(1999, 12, 31)),
    ("01-01-00", date(2000, 1, 1)),
    ("5-6-05", date(2005, 6, 5)),
    ("1-1-26", date(2026, 1, 1)),
    ("10-03-26", date(2026, 3, 10)),
    ("11-03-26", date(1926, 3, 11)),
    ("5 juni 26", date(1926, 6, 5)),
    ("17-8-45", date(1945, 8, 17)),
    # more of what people really send
    ("6/5/1966", date(1966, 5, 6)),
    ("13/12/1970", date(1970, 12, 13)),
    ("5 6 66", JUNE_5_1966),
    ("5 juni 1966.", JUNE_5_1966),
    ("5/juni/1966", JUNE_5_1966),
    ("tgl5juni1966", JUNE_5_1966),
    ("5 Juni '66", JUNE_5_1966),
    ("5 juni thn 1966", JUNE_5_1966),
    ("5 juni tahun 1966", JUNE_5_1966),
    ("tgl 5 bln 6 thn 1966", JUNE_5_1966),
    ("lahir tanggal 5 bulan 6 tahun 1966", JUNE_5_1966),
]

NOT_DATES = [
    "",
    "kemarin",
    "besok",
    "iya",
    "iya betul",
    "tidak",
    "tidak tahu",
    "tgl lahir saya lupa",
    "tgl berapa ya?",
    "Siti Aminah",
    "menu",
    # impossible calendar dates
    "32-01-1970",
    "31-02-1990",
    "29 feb 1963",
    "31 juni 1970",
    "00-05-1970",
    "15-13-1970",
    # incomplete
    "5 juni",
    "juni 1966",
    "1966",
    "05-06",
    # other numbers citizens send at this step
    "3175012345678901",
    "081234567890",
    "12345",
]


@pytest.mark.parametrize(("text", "expected"), table(DATES))
def test_birth_dates_in_the_forms_people_type_are_read_day_first(text: str, expected: date) -> None:
    assert read_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", typed(NOT_DATES))
def test_words_numbers_and_impossible_dates_are_not_dates(text: str) -> None:
    assert read_date(text, today=TODAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    table(
        [
            ("05061966", JUNE_5_1966),
            ("5-6-66", JUNE_5_1966),
            ("5 juni 66", JUNE_5_1966),
            ("tgl 5 juni 1966", JUNE_5_1966),
            ("17 agt 1975", date(1975, 8, 17)),
            ("1/1/60", date(1960, 1, 1)),
        ]
    ),
)
def test_the_birth_date_step_accepts_what_the_issue_saw_refused(text: str, expected: date) -> None:
    assert parse_birth_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", typed(["iya betul", "3175012345678901", "lupa", "31-02-1990"]))
def test_the_birth_date_step_refuses_what_is_not_a_date(text: str) -> None:
    assert parse_birth_date(text, today=TODAY) is InputError.DATE_FORMAT


@pytest.mark.parametrize("text", typed(["1-1-2030", "1-1-1850", "11-03-2026"]))
def test_the_birth_date_step_refuses_dates_out_of_range(text: str) -> None:
    assert parse_birth_date(text, today=TODAY) is InputError.DATE_RANGE
