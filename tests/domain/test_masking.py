"""What agents read of a chat hides NIKs, phone numbers and dates like birth dates."""

from __future__ import annotations

import pytest

from bot.domain.masking import mask_personal


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("NIK saya 3671014501900001", "NIK saya 3671••••••••0001"),
        ("no hp 081234567890", "no hp 0812••••••90"),
        ("No HP saya 0812-3456-7890 ya", "No HP saya 0812-••••-••90 ya"),
        ("wa: +62 812 3456 7890", "wa: +62 81• •••• ••90"),
        ("6281234567890", "6281•••••••90"),
        ("lahir 05-01-1990", "lahir ••-••-••••"),
        ("tgl lahir 5/1/90", "tgl lahir •/•/••"),
        ("Tanggal lahir: 5 Januari 1990", "Tanggal lahir: • Januari ••••"),
        ("lahir tgl 17 agt 1975", "lahir tgl •• agt ••••"),
        ("05011990", "••••••••"),
        ("1990-01-05", "••••-••-••"),
        # Not personal numbers: left as they are.
        ("Helpdesk buka pukul 08.00-16.00 WIB", "Helpdesk buka pukul 08.00-16.00 WIB"),
        ("Langkah 3 dari 8", "Langkah 3 dari 8"),
        ("Nomor referensi TL-7KQ4M9", "Nomor referensi TL-7KQ4M9"),
        ("Kode pos 15147", "Kode pos 15147"),
        ("telepon kantor 021 5587 1234", "telepon kantor 021 5587 1234"),
        ("Rp 12.500", "Rp 12.500"),
    ],
)
def test_personal_numbers_are_masked_and_others_kept(text: str, masked: str) -> None:
    assert mask_personal(text) == masked
