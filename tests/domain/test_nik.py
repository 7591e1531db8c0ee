"""NIK structure, embedded birth date, women's +40 and the city code."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.nik import NikError, mask_nik, parse_nik

TODAY = date(2026, 11, 29)


def test_valid_male_nik_gives_birth_date() -> None:
    nik = parse_nik("3671011708750003", today=TODAY)
    assert not isinstance(nik, NikError)
    assert nik.birth_date == date(1975, 8, 17) and not nik.female and nik.in_kota_tangerang


def test_female_day_has_forty_added() -> None:
    nik = parse_nik("3671015708750003", today=TODAY)
    assert not isinstance(nik, NikError)
    assert nik.birth_date == date(1975, 8, 17) and nik.female


def test_two_digit_year_takes_the_latest_century_not_in_the_future() -> None:
    nik = parse_nik("3671010101100001", today=TODAY)
    assert not isinstance(nik, NikError) and nik.birth_date == date(2010, 1, 1)
    nik = parse_nik("3671010101300001", today=TODAY)
    assert not isinstance(nik, NikError) and nik.birth_date == date(1930, 1, 1)


def test_spaces_dots_and_dashes_are_ignored() -> None:
    assert not isinstance(parse_nik("3671.0117.0875-0003 ", today=TODAY), NikError)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("367101170875000", NikError.LENGTH),
        ("36710117087500031", NikError.LENGTH),
        ("", NikError.NOT_DIGITS),
        ("3671O11708750003", NikError.NOT_DIGITS),
        ("3671013202900001", NikError.BIRTH_DATE),  # 32 February
        ("3671017202900001", NikError.BIRTH_DATE),  # woman, 32 February
        ("3671012913900001", NikError.BIRTH_DATE),  # month 13
        ("3671011708750000", NikError.SERIAL),
        ("0071011708750003", NikError.REGION),
        ("3600011708750003", NikError.REGION),
    ],
)
def test_malformed_nik_is_refused_with_the_reason(raw: str, error: NikError) -> None:
    assert parse_nik(raw, today=TODAY) == error


def test_nik_from_another_city_is_valid_but_not_local() -> None:
    nik = parse_nik("3603011708750003", today=TODAY)
    assert not isinstance(nik, NikError) and not nik.in_kota_tangerang


def test_masked_nik_shows_only_the_ends() -> None:
    assert mask_nik("3671014501900001") == "3671••••••••0001"
