"""Kecamatan and kelurahan of Kota Tangerang as citizens type them: numbers, typos, "kec"/"kel"."""

from __future__ import annotations

import pytest

from bot.domain.language.choices import match_choice
from bot.domain.wilayah import KECAMATAN
from tests.domain.language.tables import table, typed

KECAMATAN_OPTIONS = list(KECAMATAN)

# Typed exactly, or with the usual prefixes, case and spacing: taken without asking.
KECAMATAN_CERTAIN = [
    ("Cipondoh", "Cipondoh"),
    ("cipondoh", "Cipondoh"),
    ("CIPONDOH", "Cipondoh"),
    (" cipondoh ", "Cipondoh"),
    ("cipondoh.", "Cipondoh"),
    ("kec cipondoh", "Cipondoh"),
    ("kec. cipondoh", "Cipondoh"),
    ("Kec.Cipondoh", "Cipondoh"),
    ("kecamatan cipondoh", "Cipondoh"),
    ("Kecamatan Cipondoh", "Cipondoh"),
    ("kec larangan", "Larangan"),
    ("kec.larangan", "Larangan"),
    ("karawaci", "Karawaci"),
    ("ciledug", "Ciledug"),
    ("karang tengah", "Karang Tengah"),
    ("Karang tengah", "Karang Tengah"),
    ("kec. karang tengah", "Karang Tengah"),
    ("batuceper", "Batuceper"),
    ("jatiuwung", "Jatiuwung"),
    ("neglasari", "Neglasari"),
    ("periuk", "Periuk"),
    ("pinang", "Pinang"),
    ("cibodas", "Cibodas"),
    ("benda", "Benda"),
    ("tangerang", "Tangerang"),
    ("kec tangerang", "Tangerang"),
    # numbers pick the n-th option of the list shown
    ("1", "Batuceper"),
    ("3", "Cibodas"),
    ("5", "Cipondoh"),
    ("5.", "Cipondoh"),
    ("7", "Karang Tengah"),
    ("13", "Tangerang"),
    ("no 5", "Cipondoh"),
    ("nomor 5", "Cipondoh"),
]

# Misspelt, glued or split, or inside a short sentence: the right kecamatan, asked or not.
KECAMATAN_CLOSE = [
    ("cipondk", "Cipondoh"),
    ("cipondok", "Cipondoh"),
    ("cipndoh", "Cipondoh"),
    ("cipondo", "Cipondoh"),
    ("cipondoh pak", "Cipondoh"),
    ("di cipondoh", "Cipondoh"),
    ("sy tinggal di kec cipondoh", "Cipondoh"),
    ("karawacii", "Karawaci"),
    ("krawaci", "Karawaci"),
    ("kerawaci", "Karawaci"),
    ("karawac", "Karawaci"),
    ("larangn", "Larangan"),
    ("kec larangn", "Larangan"),
    ("cileduk", "Ciledug"),
    ("kec cileduk", "Ciledug"),
    ("karangtengah", "Karang Tengah"),
    ("karang tenga", "Karang Tengah"),
    ("batu ceper", "Batuceper"),
    ("batuceper bu", "Batuceper"),
    ("jati uwung", "Jatiuwung"),
    ("jatiwung", "Jatiuwung"),
    ("negla sari", "Neglasari"),
    ("neglsari", "Neglasari"),
    ("periok", "Periuk"),
    ("priuk", "Periuk"),
    ("cibodass", "Cibodas"),
    ("tanggerang", "Tangerang"),
    ("tangrang", "Tangerang"),
    ("pinangg", "Pinang"),
]

# Places outside Kota Tangerang and things that are no place at all: no kecamatan.
KECAMATAN_NONE = [
    "",
    "jakarta",
    "serpong",
    "bsd",
    "ciputat",
    "pamulang",
    "cikupa",
    "balaraja",
    "saya tidak tahu",
    "gk tau kec nya apa",
    "gimana",
    "0",
    "14",
    "20",
    "3175012345678901",
]

KELURAHAN_CERTAIN = [
    ("Cipondoh", "poris plawad", "Poris Plawad"),
    ("Cipondoh", "Poris Plawad Indah", "Poris Plawad Indah"),
    ("Cipondoh", "kel poris plawad utara", "Poris Plawad Utara"),
    ("Cipondoh", "kelurahan kenanga", "Kenanga"),
    ("Cipondoh", "kel. ketapang", "Ketapang"),
    ("Cipondoh", "desa ketapang", "Ketapang"),
    ("Cipondoh", "petir", "Petir"),
    ("Cipondoh", "GONDRONG", "Gondrong"),
    ("Cipondoh", "cipondoh", "Cipondoh"),
    ("Cipondoh", "cipondoh indah", "Cipondoh Indah"),
    ("Cipondoh", "cipondoh makmur", "Cipondoh Makmur"),
    ("Cipondoh", "4", "Gondrong"),
    ("Cipondoh", "10", "Poris Plawad Utara"),
    ("Karawaci", "cimone", "Cimone"),
    ("Karawaci", "cimone jaya", "Cimone Jaya"),
    ("Karawaci", "pasar baru", "Pasar Baru"),
    ("Karawaci", "sumur pacing", "Sumur Pacing"),
    ("Karawaci", "Kel. Bugel", "Bugel"),
    ("Karawaci", "karawaci baru", "Karawaci Baru"),
    ("Karawaci", "karawaci", "Karawaci"),
    ("Ciledug", "sudimara timur", "Sudimara Timur"),
    ("Ciledug", "tajur", "Tajur"),
    ("Ciledug", "parung serab", "Parung Serab"),
    ("Larangan", "cipadu", "Cipadu"),
    ("Larangan", "larangan utara", "Larangan Utara"),
    ("Neglasari", "mekarsari", "Mekarsari"),
    ("Tangerang", "tanah tinggi", "Tanah Tinggi"),
    ("Tangerang", "cikokol", "Cikokol"),
    ("Pinang", "kunciran indah", "Kunciran Indah"),
    ("Periuk", "gebang raya", "Gebang Raya"),
    ("Pinang", "panunggangan", "Panunggangan"),
    ("Pinang", "kunciran", "Kunciran"),
]

KELURAHAN_CLOSE = [
    ("Cipondoh", "poris plawat", "Poris Plawad"),
    ("Cipondoh", "porisplawad", "Poris Plawad"),
    ("Cipondoh", "gondorng", "Gondrong"),
    ("Cipondoh", "ketapng", "Ketapang"),
    ("Cipondoh", "kenangan", "Kenanga"),
    ("Cipondoh", "cipondoh indh", "Cipondoh Indah"),
    ("Karawaci", "pasarbaru", "Pasar Baru"),
    ("Karawaci", "suka jadi", "Sukajadi"),
    ("Karawaci", "sumurpacing", "Sumur Pacing"),
    ("Karawaci", "grendeng", "Gerendeng"),
    ("Karawaci", "marga sari", "Margasari"),
    ("Karawaci", "pabuaran tumpang", "Pabuaran Tumpeng"),
    ("Karawaci", "bojong", "Bojong Jaya"),
    ("Karawaci", "cimon", "Cimone"),
    ("Ciledug", "sudimara tmr", "Sudimara Timur"),
    ("Ciledug", "sudimara brt", "Sudimara Barat"),
    ("Ciledug", "paninggilan utr", "Paninggilan Utara"),
    ("Ciledug", "paningilan", "Paninggilan"),
    ("Larangan", "kreo", "Kereo"),
    ("Larangan", "kreo selatan", "Kereo Selatan"),
    ("Larangan", "larangan indh", "Larangan Indah"),
    ("Neglasari", "mekar sari", "Mekarsari"),
    ("Neglasari", "selapajang", "Selapajang Jaya"),
    ("Neglasari", "karanganyar", "Karang Anyar"),
    ("Neglasari", "kedaung wetn", "Kedaung Wetan"),
    ("Tangerang", "tanahtinggi", "Tanah Tinggi"),
    ("Tangerang", "suka asih", "Sukaasih"),
    ("Tangerang", "cikokol pak", "Cikokol"),
    ("Pinang", "nerogtok", "Nerogtog"),
    ("Pinang", "pakujan", "Pakojan"),
    ("Batuceper", "poris gaga baru", "Poris Gaga Baru"),
    ("Batuceper", "kebon besar", "Kebon Besar"),
    ("Batuceper", "kebonbesar", "Kebon Besar"),
]

# A part shared by several kelurahan: ask which one, offering only those.
KELURAHAN_AMBIGUOUS = [
    ("Cipondoh", "poris", {"Poris Plawad", "Poris Plawad Indah", "Poris Plawad Utara"}),
    ("Ciledug", "sudimara", {f"Sudimara {part}" for part in ("Barat", "Jaya", "Selatan", "Timur")}),
    ("Batuceper", "poris", {"Poris Gaga", "Poris Gaga Baru", "Poris Jaya"}),
    ("Neglasari", "kedaung", {"Kedaung Baru", "Kedaung Wetan"}),
    ("Neglasari", "kel karang", {"Karang Anyar", "Karang Sari"}),
    ("Larangan", "larangan", {"Larangan Indah", "Larangan Selatan", "Larangan Utara"}),
]

KELURAHAN_NONE = [
    ("Cipondoh", "cimone"),
    ("Cipondoh", "jakarta"),
    ("Cipondoh", "gak tau kelurahannya"),
    ("Cipondoh", "11"),
    ("Karawaci", "0"),
]


@pytest.mark.parametrize(("text", "expected"), table(KECAMATAN_CERTAIN))
def test_a_kecamatan_named_plainly_or_by_number_is_taken_without_asking(
    text: str, expected: str
) -> None:
    match = match_choice(text, KECAMATAN_OPTIONS)
    assert (match.value, match.sure) == (expected, True)


@pytest.mark.parametrize(("text", "expected"), table(KECAMATAN_CLOSE))
def test_a_misspelt_kecamatan_is_recognised_never_refused(text: str, expected: str) -> None:
    assert match_choice(text, KECAMATAN_OPTIONS).value == expected


@pytest.mark.parametrize("text", typed(KECAMATAN_NONE))
def test_places_outside_kota_tangerang_and_non_places_match_no_kecamatan(text: str) -> None:
    match = match_choice(text, KECAMATAN_OPTIONS)
    assert match.value is None
    assert not match.sure


@pytest.mark.parametrize(("kecamatan", "text", "expected"), table(KELURAHAN_CERTAIN))
def test_a_kelurahan_named_plainly_or_by_number_is_taken_without_asking(
    kecamatan: str, text: str, expected: str
) -> None:
    match = match_choice(text, KECAMATAN[kecamatan])
    assert (match.value, match.sure) == (expected, True)


@pytest.mark.parametrize(("kecamatan", "text", "expected"), table(KELURAHAN_CLOSE))
def test_a_misspelt_or_abbreviated_kelurahan_is_recognised(
    kecamatan: str, text: str, expected: str
) -> None:
    assert match_choice(text, KECAMATAN[kecamatan]).value == expected


@pytest.mark.parametrize(("kecamatan", "text", "expected"), table(KELURAHAN_AMBIGUOUS))
def test_a_name_shared_by_several_kelurahan_asks_which_one(
    kecamatan: str, text: str, expected: set[str]
) -> None:
    match = match_choice(text, KECAMATAN[kecamatan])
    assert match.value is None
    assert len(match.candidates) >= 2
    assert set(match.candidates) <= expected


@pytest.mark.parametrize(("kecamatan", "text"), table(KELURAHAN_NONE))
def test_a_kelurahan_of_another_kecamatan_or_no_place_matches_nothing(
    kecamatan: str, text: str
) -> None:
    match = match_choice(text, KECAMATAN[kecamatan])
    assert match.value is None
    assert not match.sure


@pytest.mark.parametrize(
    ("options", "text", "expected"),
    table(
        [
            ("kecamatan", "cipondk", "Cipondoh"),
            ("kecamatan", "karawacii", "Karawaci"),
            ("Larangan", "kreo", "Kereo"),
            ("Karawaci", "grendeng", "Gerendeng"),
        ]
    ),
)
def test_when_not_sure_the_guess_is_offered_as_a_candidate(
    options: str, text: str, expected: str
) -> None:
    match = match_choice(text, KECAMATAN_OPTIONS if options == "kecamatan" else KECAMATAN[options])
    assert match.value == expected
    if not match.sure:
        assert expected in match.candidates
