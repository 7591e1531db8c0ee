"""Reading the NIK: the parser always runs; the Tesseract tests skip when it is missing."""

from __future__ import annotations

import os
import shutil

import pytest

from bot.photos import PhotoKind, PhotoLimits, check_photo
from bot.photos import ocr as ocr_module
from bot.photos.ocr import count_keywords, find_nik, plausible_nik, tesseract_language
from tests.photos import factory

NIK = "3671014501900001"


@pytest.mark.parametrize(
    "text",
    [
        f"NIK : {NIK}",
        f"NIK: {NIK[:4]} {NIK[4:8]} {NIK[8:12]} {NIK[12:]}",
        "NIK : 3671O145Ol9000O1",  # O→0, l→1
        f"PROVINSI BANTEN\nKOTA TANGERANG\nNIK\n: {NIK}\nNama : SITI",
        f"NIK : {NIK} l",  # a stray mark after it
        "NIK : 3671.0145.0190.0001",
    ],
)
def test_nik_is_found_despite_ocr_confusions(text: str) -> None:
    assert find_nik(text) == NIK


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Tempat/Tgl Lahir : TANGERANG, 05-01-1990",
        "NIK : 367101450190000",  # 15 digits
        "Kel/Desa : SUKASARI SOSIALISASI",  # letters that look like digits, but words
        "NIK : 36710145019000011",  # 17 digits
    ],
)
def test_no_nik_is_invented(text: str) -> None:
    assert find_nik(text) is None


def test_labelled_nik_wins_over_other_long_numbers() -> None:
    text = "No. KK 3671010101010101\nNIK : 3671014501900001"
    assert find_nik(text) == NIK


@pytest.mark.parametrize(
    ("nik", "ok"),
    [
        (NIK, True),  # woman: day 45 = 5th
        ("3671010501900001", True),  # man born 5 Jan 1990
        ("3671017201900001", False),  # day 72
        ("3671010513900001", False),  # month 13
        ("3671010501900000", False),  # serial 0000
        ("0971010501900001", False),  # no province 09
    ],
)
def test_plausible_nik_checks_structure_and_birth_date(nik: str, ok: bool) -> None:
    assert plausible_nik(nik) is ok


def test_keywords_tell_a_ktp_from_a_letter() -> None:
    assert count_keywords("PROVINSI BANTEN KOTA TANGERANG NIK Nama Alamat") >= 4
    assert count_keywords("Surat pemberitahuan rapat warga hari minggu") == 0


def test_missing_tesseract_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr_module, "tesseract_language", lambda: None)
    verdict = check_photo(factory.good_ktp_jpeg(), PhotoKind.KTP, typed_nik=NIK)
    assert verdict.accepted and verdict.problems == ()
    assert verdict.flags["ocr"] == "unavailable"
    assert verdict.flags["nik_mismatch"] is False


def test_ocr_is_skipped_for_a_refused_photo() -> None:
    verdict = check_photo(factory.blurred_jpeg("ktp", 4), PhotoKind.KTP, typed_nik=NIK)
    assert verdict.flags["ocr"] == "skipped"


def _tesseract_ind_missing() -> str | None:
    if shutil.which("tesseract") is None:
        return "the tesseract binary is not installed (apt install tesseract-ocr)"
    if tesseract_language() != "ind":
        return "Tesseract's Indonesian data is not installed (apt install tesseract-ocr-ind)"
    return None


if _tesseract_ind_missing() is not None and os.environ.get("TLIVE_TEST_REQUIRE_OCR"):
    # CI installs Tesseract (make test, as root); there a missing OCR is a failure, not a skip.
    raise RuntimeError(str(_tesseract_ind_missing()))
needs_tesseract = pytest.mark.skipif(
    _tesseract_ind_missing() is not None, reason=str(_tesseract_ind_missing())
)


@needs_tesseract
def test_ocr_reads_the_nik_and_agrees_with_the_typed_one() -> None:
    verdict = check_photo(factory.good_ktp_jpeg(), PhotoKind.KTP, typed_nik=NIK)
    assert verdict.accepted and verdict.problems == ()
    assert verdict.flags["ocr"] == "ok"
    assert verdict.flags["ocr_lang"] == "ind"
    assert verdict.flags["ocr_nik"] == NIK
    assert verdict.flags["nik_mismatch"] is False


@needs_tesseract
def test_ocr_flags_a_different_typed_nik_without_refusing() -> None:
    card_nik = "3603124107850003"
    verdict = check_photo(factory.good_ktp_jpeg(card_nik), PhotoKind.KTP, typed_nik=NIK)
    assert verdict.accepted
    assert verdict.flags["ocr_nik"] == card_nik
    assert verdict.flags["nik_mismatch"] is True
    assert verdict.flags["nik_digits_differ"] == 9
    assert verdict.keys == ("ktp-nik-mismatch",)
    assert not verdict.problems[0].hard


@needs_tesseract
def test_typed_nik_with_spaces_is_compared_by_digits() -> None:
    typed = "3671 0145 0190 0001"
    verdict = check_photo(factory.good_ktp_jpeg(), PhotoKind.KTP, typed_nik=typed)
    assert verdict.flags["nik_mismatch"] is False


@needs_tesseract
def test_wrong_document_is_a_warning_not_a_refusal() -> None:
    verdict = check_photo(factory.wrong_document_jpeg(), PhotoKind.KTP, typed_nik=NIK)
    assert verdict.accepted
    assert verdict.keys == ("ktp-not-recognized",)
    assert verdict.flags["ocr"] == "no-nik"
    assert verdict.flags["nik_mismatch"] is False


@needs_tesseract
def test_ocr_is_time_bounded() -> None:
    limits = PhotoLimits(ocr_timeout=0.01)
    verdict = check_photo(factory.good_ktp_jpeg(), PhotoKind.KTP, typed_nik=NIK, limits=limits)
    assert verdict.accepted and verdict.problems == ()
    assert verdict.flags["ocr"] == "timeout"
    assert verdict.flags["ocr_nik"] is None


def test_ocr_can_be_switched_off() -> None:
    other_card = factory.good_ktp_jpeg("3603124107850003")
    verdict = check_photo(other_card, PhotoKind.KTP, typed_nik=NIK, ocr=False)
    assert verdict.flags["ocr"] == "off"
    assert verdict.flags["nik_mismatch"] is False
