"""Finding the questions in a rambling message: pleasantries dropped, a second question split."""

from __future__ import annotations

import pytest

from bot.faq.questions import split_questions, strip_pleasantries


@pytest.mark.parametrize(
    ("message", "kept"),
    [
        (
            "assalamualaikum pak, ktp saya hilang gimana ya? makasih banyak",
            "ktp saya hilang gimana ya?",
        ),
        (
            "Selamat pagi Bapak/Ibu, mohon maaf mengganggu, verifikasi berapa lama",
            "verifikasi berapa lama",
        ),
        ("punten kang, kumaha daftarna", "kumaha daftarna"),
        ("permisi min mau tanya biayanya brp", "biayanya brp"),
    ],
)
def test_greetings_thanks_and_address_are_dropped(message: str, kept: str) -> None:
    assert strip_pleasantries(message) == kept


def test_a_message_of_only_pleasantries_is_kept_whole() -> None:
    assert strip_pleasantries("makasih min") == "makasih min"


def test_two_sentences_are_two_questions() -> None:
    parts = split_questions("syaratnya apa aja? biayanya berapa ya")
    assert parts == ["syaratnya apa aja", "biayanya berapa ya"]


def test_a_word_that_opens_a_second_question_splits_one_sentence() -> None:
    parts = split_questions("ktp blm jadi boleh pake resi ga trus verifikasinya brp lama")
    assert parts == ["ktp blm jadi boleh pake resi ga", "verifikasinya brp lama"]


def test_one_question_stays_one() -> None:
    assert split_questions("assalamualaikum, cara daftar akun gimana") == [
        "cara daftar akun gimana"
    ]


def test_fragments_are_not_questions() -> None:
    assert split_questions("ok. gimana cara daftar akunnya") == ["gimana cara daftar akunnya"]
