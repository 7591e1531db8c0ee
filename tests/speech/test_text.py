"""What a listener hears: numbers she must write down are read one digit at a time."""

from __future__ import annotations

import pytest

from bot.speech.text import speakable


def test_a_nik_is_read_digit_by_digit_in_groups_of_four() -> None:
    assert speakable("NIK Anda 3671014101800001, benar?") == (
        "NIK Anda 3 6 7 1, 0 1 4 1, 0 1 8 0, 0 0 0 1, benar?"
    )


def test_a_nik_typed_with_spaces_is_still_one_number() -> None:
    assert speakable("3671 0141 0180 0001") == "3 6 7 1, 0 1 4 1, 0 1 8 0, 0 0 0 1."


def test_a_registration_reference_is_spelled() -> None:
    assert speakable("Nomor pendaftaran: **TL-7KQ4M9**") == "Nomor pendaftaran: T L 7 K, Q 4 M 9."


def test_a_phone_number_with_dashes_is_read_digit_by_digit() -> None:
    assert speakable("Hubungi 0812-3456-7890.") == "Hubungi 0 8 1 2, 3 4 5 6, 7 8 9 0."


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Tahun 2026.", "Tahun 2026."),  # a year stays a number
        ("Biaya Rp 1.000.000.", "Biaya Rp 1.000.000."),  # an amount too
        ("Paling lambat 24 jam.", "Paling lambat 24 jam."),
        ("Buka pukul 08.00-16.00 WIB", "Buka pukul 08.00-16.00 WIB."),
    ],
)
def test_quantities_stay_numbers(text: str, spoken: str) -> None:
    assert speakable(text) == spoken


def test_emoji_and_markdown_are_not_read() -> None:
    assert speakable("✅ Setuju 👍🏽 *penting* _ya_ `kode`") == "Setuju penting ya kode."


def test_flags_keycaps_and_joined_emoji_are_silent() -> None:
    assert speakable("Halo 👨‍👩‍👧 1️⃣ 🇮🇩") == "Halo 1."


def test_lines_and_bullets_become_sentences() -> None:
    text = 'Cara memakai:\n• Ketik "menu"\n• Tekan tombol 1, 2\n\n1. Foto KTP'
    assert speakable(text) == 'Cara memakai: Ketik "menu". Tekan tombol 1, 2. Foto KTP.'


def test_a_link_is_read_as_its_site_only() -> None:
    assert speakable("Unduh di https://play.google.com/store/search?q=x&c=apps") == (
        "Unduh di play.google.com."
    )


def test_a_message_of_only_emoji_has_nothing_to_say() -> None:
    assert speakable("👋 🔊") == ""
