"""Names, birth dates and phone numbers as citizens type them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.validators import InputError, parse_birth_date, parse_name, parse_phone

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("siti  aminah", "SITI AMINAH"), ("Muh. Ali-Rahman", "MUH. ALI-RAHMAN"), ("O'neil", "O'NEIL")],
)
def test_names_are_normalised_to_ktp_form(raw: str, expected: str) -> None:
    assert parse_name(raw) == expected


@pytest.mark.parametrize("raw", ["", "ab", "12345", "Siti 😀", "x" * 101, "<b>x</b>"])
def test_bad_names_are_refused(raw: str) -> None:
    assert parse_name(raw) is InputError.NAME


@pytest.mark.parametrize(
    "raw", ["17-08-1975", "17/8/1975", "17.08.1975", "17 8 1975", "17 Agustus 1975", "17 agt 1975"]
)
def test_birth_dates_in_common_formats(raw: str) -> None:
    assert parse_birth_date(raw, today=TODAY) == date(1975, 8, 17)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("31-02-1990", InputError.DATE_FORMAT),
        ("kemarin", InputError.DATE_FORMAT),
        ("1-1-2030", InputError.DATE_RANGE),
        ("1-1-1850", InputError.DATE_RANGE),
    ],
)
def test_impossible_birth_dates_are_refused(raw: str, error: InputError) -> None:
    assert parse_birth_date(raw, today=TODAY) == error


@pytest.mark.parametrize(
    "raw",
    ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "812 3456 7890", "(0812) 34567890"],
)
def test_phone_numbers_are_normalised(raw: str) -> None:
    assert parse_phone(raw) == "+6281234567890"


@pytest.mark.parametrize("raw", ["", "12345", "021-5551234", "0812abc", "+1 202 555 0100"])
def test_bad_phone_numbers_are_refused(raw: str) -> None:
    assert parse_phone(raw) is InputError.PHONE
