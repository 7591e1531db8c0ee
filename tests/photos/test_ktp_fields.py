"""The KTP's fields from OCR lines (any engine, any tilt) and their agreement with typed data."""

from __future__ import annotations

import math
from datetime import date

import pytest

from bot.photos.ktp_fields import (
    KtpFields,
    TextLine,
    agreement,
    clean_name,
    name_agreement,
    parse_fields,
    split_birth,
)

NIK = "3671014501900001"  # a woman born 5 January 1990


def _line(text: str, x: float, y: float, w: float, h: float = 30, score: float = 0.95,
          angle: float = 0.0) -> TextLine:  # fmt: skip
    """Return a line whose box is turned by ``angle`` degrees about the origin."""
    a = math.radians(angle)

    def turn(px: float, py: float) -> tuple[float, float]:
        return (px * math.cos(a) - py * math.sin(a), px * math.sin(a) + py * math.cos(a))

    quad = (turn(x, y), turn(x + w, y), turn(x + w, y + h), turn(x, y + h))
    return TextLine(text, quad, score)


def _card(angle: float = 0.0, **texts: str) -> list[TextLine]:
    """Lines laid out like a KTP read by RapidOCR: labels and values in separate boxes."""
    rows = [
        ("PROVINSI BANTEN", None), ("KOTA TANGERANG", None),
        ("NIK", texts.get("nik", f": {NIK}")),
        ("Nama", texts.get("name", ": SITI AMINAH")),
        ("Tempat/Tgl Lahir", texts.get("birth", ": TANGERANG, 05-01-1990")),
        ("Jenis Kelamin", ": PEREMPUAN"), ("Alamat", ": JL. CONTOH RAYA NO. 1"),
    ]  # fmt: skip
    lines = []
    for i, (label, value) in enumerate(rows):
        y = 100 + 45 * i
        if value is None:
            lines.append(_line(label, 400, y, 400, angle=angle))
            continue
        lines.append(_line(label, 130, y, 20 * len(label), angle=angle))
        lines.append(_line(value, 400, y + 2, 22 * len(value), angle=angle))
    return lines


@pytest.mark.parametrize("angle", [0.0, 7.0, -9.0])
def test_fields_are_read_from_label_and_value_boxes_at_any_tilt(angle: float) -> None:
    fields = parse_fields(_card(angle))
    assert fields.nik == NIK
    assert fields.full_name == "SITI AMINAH"
    assert (fields.birth_place, fields.birth_date) == ("TANGERANG", date(1990, 1, 5))
    assert fields.dates_agree and fields.confident
    assert abs(fields.angle - angle) < 0.5
    assert set(fields.boxes) == {"nik", "full_name", "birth_date"}


def test_a_value_in_the_label_box_and_ocr_confusions_are_read() -> None:
    lines = [
        _line("NIK：3671O145O19OO001", 130, 100, 700),  # O for 0, full-width colon
        _line("Nama : SITI AMINAH", 130, 150, 500),
        _line("Tempat/TgI Lahir: TANGERANG, O5-01-199O", 130, 200, 800),
    ]
    fields = parse_fields(lines)
    assert fields.nik == NIK
    assert fields.full_name == "SITI AMINAH"
    assert fields.birth_date == date(1990, 1, 5)


def test_words_split_like_tesseract_are_joined_along_the_row() -> None:
    lines = [
        _line("NIK", 140, 280, 100, 36), _line(":", 305, 290, 10, 27),
        _line("3671014501900001", 340, 280, 550, 38),
        _line("Nama", 142, 358, 73, 18), _line("SITI AMINAH", 420, 358, 170, 18),
        _line("Tempat/Tgl Lahir", 140, 397, 230, 23),
        _line("TANGERANG, 05-01-1990", 418, 397, 340, 21),
        _line('"Dt', 1026, 330, 210, 193, score=0.3),  # the pas foto, read as noise
    ]  # fmt: skip
    fields = parse_fields(lines)
    assert (fields.nik, fields.full_name, fields.birth_place) == (NIK, "SITI AMINAH", "TANGERANG")


def test_a_birth_date_the_nik_does_not_encode_is_not_confident() -> None:
    fields = parse_fields(_card(birth=": TANGERANG, 17-08-1975"))
    assert fields.birth_date == date(1975, 8, 17)
    assert not fields.dates_agree and not fields.confident


def test_low_scores_are_not_confident() -> None:
    lines = [TextLine(ln.text, ln.quad, 0.5) for ln in _card()]
    assert not parse_fields(lines).confident


def test_nothing_legible_reads_nothing() -> None:
    assert parse_fields([]) == KtpFields()
    fields = parse_fields([_line("~~ ##", 10, 10, 100)])
    assert fields.found == 0 and not fields.confident


def test_a_nik_without_its_label_is_still_found() -> None:
    fields = parse_fields(
        [_line("3671 0145 0190 0001", 300, 100, 600), _line("Nama", 100, 150, 80)]
    )
    assert fields.nik == NIK


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(": SITI AMINAH", "SITI AMINAH"), ("  Siti  aminah,", "SITI AMINAH"),
     (": MUH. YUSUF", "MUH. YUSUF"), ("1 : 23", None), ("", None)],
)  # fmt: skip
def test_names_are_cleaned_as_printed(raw: str, expected: str | None) -> None:
    assert clean_name(raw) == expected


def test_place_and_date_are_split() -> None:
    assert split_birth("JAKARTA, 31-12-1960") == ("JAKARTA", date(1960, 12, 31))
    assert split_birth("TANGERANG 05.01.1990") == ("TANGERANG", date(1990, 1, 5))
    assert split_birth("BOGOR, 31-02-1960") == ("BOGOR", None)  # no such day


def test_names_agree_when_only_spacing_or_marks_differ_and_are_close_when_a_letter_slips() -> None:
    assert name_agreement("Siti Aminah", "SITI AMINAH") == "same"
    assert name_agreement("SITI  AMINAH.", "SITI AMINAH") == "same"
    assert name_agreement("SITI AMINAH", "SITI AMlNAH") == "close"
    assert name_agreement("BUDI SANTOSO", "SITI AMINAH") == "differs"
    assert name_agreement(None, "SITI AMINAH") == "untyped"
    assert name_agreement("SITI", None) == "unread"


def test_agreement_names_the_differing_nik_digits_and_checks_the_date_against_the_nik() -> None:
    fields = parse_fields(_card())
    typed = {"nik": NIK[:-1] + "7", "full_name": "Siti Aminah", "birth_date": "1990-01-05"}
    result = agreement(fields, typed)
    assert result["nik"] == "differs" and result["nik_digits_differ"] == [16]
    assert result["full_name"] == "same" and result["birth_date"] == "same"
    assert result["birth_date_vs_nik"] == "same"
    assert "SITI" not in str(result) and NIK not in str(result)  # no personal values inside
    assert agreement(fields, {"nik": NIK})["nik"] == "same"
    assert agreement(KtpFields(), typed)["nik"] == "unread"
