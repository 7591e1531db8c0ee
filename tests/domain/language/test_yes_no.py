"""Yes/no answers as older citizens type them on WhatsApp, at consent and confirmation steps."""

from __future__ import annotations

import pytest

from bot.domain.language.yesno import read_yes_no
from tests.domain.language.tables import typed

YES = [
    # the plain words, any case
    "ya",
    "Ya",
    "YA",
    "iya",
    "Iya",
    "IYA",
    "y",
    "Y",
    "yes",
    "ok",
    "OK",
    "Ok",
    "oke",
    "okey",
    "okay",
    "boleh",
    "betul",
    "benar",
    "bener",
    "siap",
    "setuju",
    "sip",
    "lanjut",
    # stretched letters and doubled endings
    "iyaa",
    "iyaaa",
    "iyaaaaa",
    "yaa",
    "yaaa",
    "okee",
    "okeee",
    "okkk",
    "siapp",
    "sipp",
    "setujuu",
    "yess",
    # abbreviations and common misspellings
    "iy",
    "bnr",
    "blh",
    "stuju",
    "oce",
    "okeh",
    "iye",
    # punctuation around the answer
    "iya.",
    "Iya!",
    "ok..",
    "iya,",
    "Ya!!",
    # politeness around the answer
    "iya pak",
    "iya bu",
    "Iya Pak",
    "boleh bu",
    "boleh pak",
    "siap pak",
    "ok pak",
    "oke bu",
    "iya kak",
    "iya mas",
    "betul pak",
    "benar bu",
    "iya pak, betul.",
    "iya makasih",
    "iya terima kasih",
    "oke deh",
    "boleh deh",
    "iya dong",
    # short sentences that start with a yes
    "iya betul",
    "ya benar",
    "iya bener",
    "ok setuju",
    "oke lanjut",
    "ya kirim",
    "iya setuju",
    "ya, saya setuju",
    "saya setuju",
    "setuju pak",
    "sudah benar",
    "udah bener",
    "sdh betul",
    "betul sekali",
    "iya sesuai",
    "sudah sesuai",
    "iya mau",
    "mau",
    "bisa",
    # missing spaces
    "iyabetul",
    "iyapak",
    "okesetuju",
    "yabenar",
    # regional yes: Javanese, Sundanese, Betawi
    "nggih",
    "enggih",
    "inggih",
    "nggih pak",
    "muhun",
    "sumuhun",
    "leres",
    "iyo",
    "heeh",
    # emoji people send instead of words
    "👍",
    "iya 👍",
    "siap bu 🙏",
]

NO = [
    "tidak",
    "Tidak",
    "TIDAK",
    "tdk",
    "tak",
    "nggak",
    "ngga",
    "gak",
    "ga",
    "gk",
    "enggak",
    "engga",
    "ngak",
    "no",
    "bukan",
    "bkn",
    "salah",
    "jangan",
    "jgn",
    "belum",
    "blm",
    # stretched and misspelled
    "tidaaak",
    "gaaa",
    "nggaaak",
    "tidka",
    "tdak",
    # politeness around the answer
    "tidak pak",
    "nggak bu",
    "gk bu",
    "bukan pak",
    "salah pak",
    "tidak, terima kasih",
    "ga pak makasih",
    # short sentences that start with a no
    "ga mau",
    "gak mau",
    "tdk mau",
    "tidak setuju",
    "ga setuju",
    "tidak benar",
    "tdk betul",
    "ga bener",
    "bukan itu",
    "bukan, salah",
    "bukan pak, salah",
    "ga usah",
    "gausah",
    "tidak usah",
    "gamau",
    "gakmau",
    "ga jadi",
    "nanti aja",
    "nanti saja",
    "ga dulu",
    # a wrong date offered for confirmation
    "tanggalnya salah",
    "bukan itu tgl lahir saya",
    # regional no
    "mboten",
    "ora",
    "henteu",
    "teu",
    "kagak",
    "kaga",
    "ogah",
]

NEITHER = [
    "",
    "   ",
    # questions, even when they contain yes or no words
    "benar gak?",
    "iya kah?",
    "boleh ga?",
    "ya?",
    "iya gimana?",
    "apa itu nik?",
    "maksudnya gmn",
    "mksd nya apa ya",
    # "I don't know" / "I don't understand" is not a no
    "gak tau",
    "ga tau",
    "gatau",
    "tidak tahu",
    "tdk tau",
    "ga ngerti",
    "tdk ngerti",
    "gak paham",
    "nggak ngerti maksudnya",
    "bingung",
    "mboten ngertos",
    # exclamations that start with "ya"
    "ya ampun",
    "ya allah",
    "yaelah",
    # contradictions
    "iya tidak",
    "ya ga",
    # greetings, names, dates, numbers, other topics
    "halo",
    "assalamualaikum",
    "selamat pagi pak",
    "Siti Aminah",
    "17-08-1975",
    "3175012345678901",
    "ktp saya hilang",
    "petugas",
    "kumaha ieu",
    "punten",
    "iya tapi saya mau tanya dulu syaratnya apa aja ya pak soalnya ktp saya hilang",
]


@pytest.mark.parametrize("text", typed(YES))
def test_yes_in_any_form_people_use_is_read_as_yes(text: str) -> None:
    assert read_yes_no(text) is True


@pytest.mark.parametrize("text", typed(NO))
def test_no_in_any_form_people_use_is_read_as_no(text: str) -> None:
    assert read_yes_no(text) is False


@pytest.mark.parametrize("text", typed(NEITHER))
def test_questions_doubts_and_other_messages_are_not_a_yes_or_no(text: str) -> None:
    assert read_yes_no(text) is None
