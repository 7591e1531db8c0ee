"""Ranking and answer/decline decisions of the FAQ matcher."""

from __future__ import annotations

import json
import random

import pytest

from bot.faq.matcher import MAX_ALTERNATIVES, FaqIndex, FaqMatch
from bot.faq.model import FaqEntry, load_default_faq


@pytest.fixture(scope="module")
def index() -> FaqIndex:
    return FaqIndex.build(load_default_faq())


def test_exact_question_is_answered_with_its_entry(index: FaqIndex) -> None:
    for entry in index.entries:
        match = index.ask(entry.question)
        assert match.faq_id == entry.id, (entry.question, match)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gmn cra daftr akun", "cara-daftar"),
        ("verifikasinya lamaaa gk sih", "lama-verifikasi"),
        ("daftarnya bayar gak", "biaya"),
        ("ktp sy ilaang", "ktp-hilang"),
        ("lupa pasword", "lupa-password"),
        ("kode otpnya ga masukk", "otp-tidak-masuk"),
    ],
)
def test_misspelt_colloquial_question_finds_its_entry(
    index: FaqIndex, text: str, expected: str
) -> None:
    # Answered, or (when the decision is unsure of heavy typos) offered as the first choice.
    match = index.ask(text)
    assert (match.faq_id or match.alternatives[0].faq_id) == expected


@pytest.mark.parametrize(
    "text",
    ["cuaca besok cerah ga", "skor persib semalam", "resep soto betawi", "halo", "👍", "???"],
)
def test_off_topic_message_is_declined(index: FaqIndex, text: str) -> None:
    assert index.ask(text).faq_id is None


@pytest.mark.parametrize("text", ["", "   ", "🙏🙏🙏", "....", "a" * 10_000, "ktp " * 5000, "\x00"])
def test_weird_input_never_raises(index: FaqIndex, text: str) -> None:
    match = index.ask(text)
    assert isinstance(match, FaqMatch)
    assert 0.0 <= match.score <= 1.0


def test_near_identical_entries_give_no_answer_but_both_alternatives() -> None:
    twin_a = FaqEntry("twin-a", "akun", "Bagaimana cara ganti kata sandi?", ("ganti pw",), "A.")
    twin_b = FaqEntry(
        "twin-b", "akun", "Bagaimana cara ganti kata sandi?", ("ganti pw",), "B."
    )
    other = FaqEntry("other", "layanan", "Jam berapa helpdesk buka?", ("jam cs",), "C.")
    index = FaqIndex.build([twin_a, twin_b, other])
    match = index.ask("cara ganti kata sandi")
    assert match.faq_id is None
    assert {c.faq_id for c in match.alternatives[:2]} == {"twin-a", "twin-b"}
    assert {c.faq_id for c in index.alternatives("cara ganti kata sandi")[:2]} == {
        "twin-a",
        "twin-b",
    }


def test_alternatives_are_distinct_sorted_and_bounded(index: FaqIndex) -> None:
    alternatives = index.alternatives("foto ktp dan selfie", limit=3)
    assert 1 <= len(alternatives) <= 3
    assert len({c.faq_id for c in alternatives}) == len(alternatives)
    assert [c.score for c in alternatives] == sorted((c.score for c in alternatives), reverse=True)
    assert len(index.ask("foto ktp dan selfie").alternatives) <= MAX_ALTERNATIVES


def test_answered_match_does_not_list_itself_as_alternative(index: FaqIndex) -> None:
    match = index.ask("Berapa lama proses verifikasi akun?")
    assert match.faq_id == "lama-verifikasi"
    assert "lama-verifikasi" not in {c.faq_id for c in match.alternatives}


def test_to_dict_has_the_cli_json_shape(index: FaqIndex) -> None:
    data = index.ask("syaratnya apa aja").to_dict()
    assert set(data) == {"faq_id", "score", "alternatives"}
    assert data["faq_id"] == "syarat-dokumen"
    assert all(set(c) == {"faq_id", "score"} for c in data["alternatives"])
    json.dumps(data)
    assert FaqMatch(None, 0.0, ()).to_dict() == {"faq_id": None, "score": 0.0, "alternatives": []}


def test_unpublished_entries_are_not_indexed() -> None:
    hidden = FaqEntry("hidden", "akun", "Cara hapus akun?", ("hapus akun",), "X.", published=False)
    index = FaqIndex.build([hidden])
    assert len(index) == 0
    assert "hidden" not in index
    assert index.ask("cara hapus akun").faq_id is None


def test_empty_index_declines() -> None:
    assert FaqIndex.build([]).ask("gmn cara daftar") == FaqMatch(None, 0.0, ())


def _padded_faq(size: int) -> list[FaqEntry]:
    rng = random.Random(3)
    syllables = [c + v for c in "bdgklmnprst" for v in "aiueo"]
    entries = load_default_faq()
    for i in range(size - len(entries)):
        a, b = ("".join(rng.choices(syllables, k=3)) for _ in range(2))
        texts = [f"bagaimana cara {a} {b}", f"gmn {a} {b} ya", f"kenapa {b} tidak bisa {a}"]
        entries.append(FaqEntry(f"s{i}", "synthetic", texts[0], tuple(texts[1:]), "-"))
    return entries
