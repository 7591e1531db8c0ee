"""Table-driven: what a typed message means at a given step of the form, without the engine.

Inputs are written the way people over 45 type in WhatsApp: lowercase, abbreviations (sy, yg,
gmn, udh, blm, tdk, gk), repeated letters, missing spaces, mixed case.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.domain.wilayah import KECAMATAN, slug
from bot.engine.messages import Inbound, InboundKind
from bot.i18n import Catalog
from dialogs.base import Turn
from dialogs.registration.understanding import (
    Move,
    asks_something,
    document_in,
    field_named,
    move_in,
)

CATALOG = Catalog()


def turn_at(text: str, buttons: list[tuple[str, str]]) -> Turn:
    """Return a turn typed at a step that offered ``buttons`` (id, catalog key or label)."""
    offered = [[bid, CATALOG.text(key) if CATALOG.has(key) else key] for bid, key in buttons]
    inbound = Inbound("web", "c", "m", InboundKind.TEXT, text=text)
    none: Any = None
    return Turn(inbound, none, {"buttons": offered}, none, none, CATALOG, datetime.now(UTC))


CONSENT = [("consent:yes", "btn-agree"), ("consent:no", "btn-disagree")]
BIRTH = [("birth:yes", "btn-correct"), ("birth:no", "btn-wrong")]
PHONE = [("phone:yes", "btn-use-number"), ("phone:no", "btn-other-number")]
SUMMARY = [("summary:send", "btn-send"), ("summary:edit", "btn-edit"),
           ("summary:cancel", "btn-cancel")]  # fmt: skip
PLACE = [("place:yes", "btn-yes"), ("place:no", "btn-place-no")]
KEC = [(f"kec:{slug(k)}", k) for k in KECAMATAN]

YES_WORDS = [
    "ya", "iya", "iyaa", "iyaaa", "y", "yes", "ok", "oke", "okey", "okee", "boleh", "betul",
    "benar", "bener", "siap", "setuju", "sip", "Iya", "IYA", "Ok", "iya betul", "ok setuju",
    "iya pak", "ya bu", "iya benar", "betul sekali", "siap pak", "oke siap", "iyabetul",
    "boleh dong", "ya sudah", "iya setuju", "okey deh", "sip lanjut", "setuju bu", "iya sy setuju",
    "bnr", "yoi", "baik", "baiklah", "👍", "iya boleh", "ok pak", "ya betul itu", "iyaa benerr",
]  # fmt: skip
NO_WORDS = [
    "tidak", "tdk", "nggak", "ngga", "gak", "ga", "enggak", "engga", "bukan", "jangan", "ga mau",
    "gak mau", "tidak mau", "Tidak", "TIDAK", "gk", "ndak", "nda", "kagak", "no", "tdk mau",
    "bukan pak", "enggak bu", "gamau", "ogah",
]  # fmt: skip


@pytest.mark.parametrize("buttons", [CONSENT, BIRTH, PHONE, PLACE], ids=lambda b: b[0][0])
@pytest.mark.parametrize("text", YES_WORDS)
def test_yes_picks_the_yes_button(buttons: list[tuple[str, str]], text: str) -> None:
    assert turn_at(text, buttons).choice() == buttons[0][0]


@pytest.mark.parametrize("buttons", [CONSENT, BIRTH, PHONE, PLACE], ids=lambda b: b[0][0])
@pytest.mark.parametrize("text", NO_WORDS)
def test_no_picks_the_no_button(buttons: list[tuple[str, str]], text: str) -> None:
    assert turn_at(text, buttons).choice() == buttons[1][0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ya kirim", "summary:send"), ("kirim", "summary:send"), ("krim", "summary:send"),
     ("iya sudah benar", "summary:send"), ("ok", "summary:send"), ("3", "summary:cancel"),
     ("1", "summary:send"), ("ubah", "summary:edit"), ("salah", "summary:edit"),
     ("tidak", "summary:edit"), ("Kirim", "summary:send"), ("kirimm", "summary:send"),
     ("ubh", None), ("batal", "summary:cancel"), ("iya tidak", None), ("gimana ini?", None)],
)  # fmt: skip
def test_summary_answers(text: str, expected: str | None) -> None:
    assert turn_at(text, SUMMARY).choice() == expected


@pytest.mark.parametrize(
    "text",
    [
        "iya tidak",
        "ya ampun",
        "gak tau",
        "tidak tahu",
        "benar gak?",
        "apa itu",
        "mungkin",
        "sy bingung",
        "hmm",
        "nanti dulu ya saya tanya anak saya dulu karena belum paham",
    ],
)
def test_unclear_answers_pick_no_button(text: str) -> None:
    assert turn_at(text, CONSENT).choice() is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", "consent:yes"), ("2", "consent:no"), ("setuju", "consent:yes"),
     ("stuju", "consent:yes"), ("tidak setuju", "consent:no"), ("tdk setuju", "consent:no"),
     ("Setuju", "consent:yes"), ("setujuu", "consent:yes")],
)  # fmt: skip
def test_consent_by_number_and_label(text: str, expected: str) -> None:
    assert turn_at(text, CONSENT).choice() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("cipondoh", "kec:cipondoh"), ("Cipondoh", "kec:cipondoh"), ("karawacii", "kec:karawaci"),
     ("kec larangan", "kec:larangan"), ("periuk", "kec:periuk"), ("5", "kec:cipondoh"),
     ("batu ceper", "kec:batuceper"), ("neglasri", "kec:neglasari"), ("pinang", "kec:pinang"),
     ("karang tengah", "kec:karang-tengah"), ("krg tengah", "kec:karang-tengah"),
     ("kec. benda", "kec:benda"), ("cibodass", "kec:cibodas"), ("jatiuwung", "kec:jatiuwung"),
     ("tangerang", "kec:tangerang"), ("ciledug", "kec:ciledug"), ("13", "kec:tangerang")],
)  # fmt: skip
def test_kecamatan_typed_picks_its_button(text: str, expected: str) -> None:
    assert turn_at(text, KEC).choice() == expected


@pytest.mark.parametrize(
    ("text", "move"),
    [("kembali", Move.BACK), ("mundur", Move.BACK), ("sebelumnya", Move.BACK),
     ("balik", Move.BACK), ("kembali dulu", Move.BACK), ("balik lagi", Move.BACK),
     ("mundur dong", Move.BACK), ("kembaliii", Move.BACK), ("Kembali", Move.BACK),
     ("ke sebelumnya", Move.BACK), ("balik ke sebelumnya pak", Move.BACK),
     ("salah", Move.CHANGE), ("ubah", Move.CHANGE), ("ganti", Move.CHANGE),
     ("ada yg salah", Move.CHANGE), ("mau ubah data", Move.CHANGE), ("ulang", Move.CHANGE),
     ("salah ketik", Move.CHANGE), ("perbaiki", Move.CHANGE), ("koreksi dong", Move.CHANGE),
     ("lanjut", Move.CONTINUE), ("lanjutkan", Move.CONTINUE), ("lanjut pak", Move.CONTINUE),
     ("lanjut daftar", Move.CONTINUE), ("teruskan", Move.CONTINUE), ("lanjutin", Move.CONTINUE),
     ("kembalj", Move.BACK), ("lanjuut", Move.CONTINUE), ("sebelumny", Move.BACK)],
)  # fmt: skip
def test_navigation_words(text: str, move: Move) -> None:
    found = move_in(turn_at(text, []))
    assert found is not None and found[0] is move


@pytest.mark.parametrize(
    "text",
    [
        "kembali ke menu",
        "siti aminah",
        "cipondoh",
        "gimana cara balik?",
        "3671014501900001",
        "saya tidak punya ktp",
        "petir",
        "iya",
    ],
)
def test_not_navigation(text: str) -> None:
    assert move_in(turn_at(text, [])) is None


@pytest.mark.parametrize(
    ("text", "field"),
    [("nama salah", "full_name"), ("nik nya salah", "nik"), ("no hp salah", "phone"),
     ("ganti no hp", "phone"), ("ubah tanggal lahir", "birth_date"),
     ("tgl lahir salah", "birth_date"),
     ("salah kecamatan", "kecamatan"), ("kelurahan salah", "kelurahan"),
     ("ganti foto ktp", "ktp"), ("ulang selfie", "selfie"), ("no ktp salah", "nik"),
     ("salah nama saya", "full_name"), ("ganti nomor hp", "phone")],
)  # fmt: skip
def test_change_naming_a_field(text: str, field: str) -> None:
    assert move_in(turn_at(text, [])) == (Move.CHANGE, field)


@pytest.mark.parametrize(
    ("text", "field"),
    [("nama", "full_name"), ("nik", "nik"), ("no hp", "phone"), ("tgl lahir", "birth_date"),
     ("kecamatan", "kecamatan"), ("kel", "kelurahan"), ("foto ktp", "ktp"),
     ("selfie", "selfie"), ("nomor hp", "phone"), ("tanggal lahir", "birth_date")],
)  # fmt: skip
def test_field_named(text: str, field: str) -> None:
    assert field_named(text) == field


@pytest.mark.parametrize(
    ("text", "document"),
    [("belum punya ktp", "resi"), ("saya cuma punya resi", "resi"), ("ktp hilang", "resi"),
     ("ktp saya hilang", "resi"), ("blm ada ktp el", "resi"), ("pakai resi", "resi"),
     ("ktp masih proses", "resi"), ("sy gk punya ktp", "resi"), ("ktp blm jadi", "resi"),
     ("resi aja", "resi"), ("ktp rusak", "resi"), ("udah ada ktp", "ktp"),
     ("pakai ktp", "ktp"), ("sdh punya ktp el", "ktp"), ("oke", None), ("xyz", None),
     ("apa itu resi?", None)],
)  # fmt: skip
def test_document_in_words(text: str, document: str | None) -> None:
    assert document_in(text) == document


@pytest.mark.parametrize(
    "text",
    [
        "gimana caranya",
        "gmn ini",
        "apa itu nik",
        "knp harus foto",
        "brp lama",
        "sy bingung",
        "dmn liat nik",
        "kapan selesai",
        "ktp sy hilang",
        "saya tidak punya ktp",
        "maksudnya apa",
        "harus pakai ktp asli?",
        "kalo gak punya hp gmn",
        "tdk tau nik saya",
        "lupa nik",
    ],
)
def test_questions_are_told_from_answers(text: str) -> None:
    assert asks_something(text)


@pytest.mark.parametrize(
    "text", ["siti aminah", "3671014501900001", "0812 3456 7890", "cipondoh", "5 juni 1966"]
)
def test_answers_are_not_questions(text: str) -> None:
    assert not asks_something(text)
