"""Normalisation of Indonesian as typed on phones."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from bot.faq.normalize import SLANG, content_terms, normalize, normalize_text, stem


def test_slang_and_abbreviations_map_to_standard_words() -> None:
    assert normalize("gmn cara daftar") == ["bagaimana", "cara", "daftar"]
    assert normalize("ktp sy ilang") == ["ktp", "saya", "hilang"]
    assert normalize("udh brp lama blm di acc") == [
        "sudah", "berapa", "lama", "belum", "di", "setuju",
    ]  # fmt: skip
    assert normalize("gak nggak ngga tdk gk") == ["tidak"] * 5


def test_every_ktp_spelling_becomes_ktp() -> None:
    for spelling in ("KTP-el", "e-KTP", "ektp", "ktpel", "ktp el", "E KTP"):
        assert normalize(spelling) == ["ktp"], spelling


def test_slang_table_is_large_enough_and_lowercase() -> None:
    assert len(SLANG) >= 80
    assert all(key == key.lower() and " " not in key for key in SLANG)


def test_repeated_letters_collapse() -> None:
    assert normalize("lamaaaa bangeeet") == ["lama", "banget"]
    assert normalize("gaaaak") == ["tidak"]
    assert normalize("maaf") == ["maaf"]  # legitimate double letters stay


def test_number_two_reduplication_expands() -> None:
    assert normalize("orang2") == ["orang", "orang"]
    assert normalize("anak-anak") == ["anak", "anak"]
    assert normalize("1x24 jam") == ["1x24", "jam"]  # digits alone are not reduplication


def test_punctuation_and_emoji_are_dropped() -> None:
    assert normalize("daftarnya bayar gak?? 😅🙏") == ["daftarnya", "bayar", "tidak"]
    assert normalize("!!!...") == []
    assert normalize("👍") == []


def test_empty_and_whitespace_give_no_tokens() -> None:
    assert normalize("") == []
    assert normalize("   \n\t ") == []
    assert content_terms("") == []
    assert normalize_text("") == ""


def test_polite_openings_are_stopwords() -> None:
    assert content_terms("Permisi pak, mau tanya dong kak, e-KTP saya hilang ya") == [
        "ktp", "hilang",
    ]  # fmt: skip
    assert content_terms("halo min, terima kasih") == []


def test_stemming_handles_standard_and_colloquial_affixes() -> None:
    assert stem("pendaftaran") == "daftar"
    assert stem("verifikasinya") == "verifikasi"
    assert stem("daftarin") == "daftar"
    assert stem("hapusin") == "hapus"
    assert stem("fiturnya") == stem("fitur")
    assert stem("ktp") == "ktp"


def test_synonyms_share_a_stem() -> None:
    assert stem("patah") == stem("rusak")
    assert stem("dicuri") == stem("hilang")


def test_ten_thousand_characters_are_not_slow() -> None:
    rng = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 12))) for _ in range(2000)]
    text = " ".join(words)[:10_000]
    start = time.perf_counter()
    tokens = content_terms(text)
    assert time.perf_counter() - start < 5.0
    assert tokens


def test_javanese_sundanese_and_betawi_words_for_the_faqs_topics_are_understood() -> None:
    from bot.faq.normalize import content_words, stem

    def terms(text: str) -> list[str]:
        return [stem(w) for w in content_words(normalize(text))]

    assert terms("jeneng kula kelintu") == terms("nama saya salah")
    assert terms("kesupen sandine") == terms("lupa sandi") == terms("poho sandi")
    assert "siapa" in terms("sape nyang meriksa") and "foto" in terms("pas jepret ktp")
    assert terms("tgl lahir") == terms("tanggal lahir")


def test_an_faqs_roots_are_remembered_on_disk_and_citizens_words_are_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from bot.faq import normalize as module

    monkeypatch.setenv("TLIVE_MODEL_CACHE", str(tmp_path))
    monkeypatch.setattr(module, "_memo", None)
    monkeypatch.setattr(module, "_memo_saved", 0)
    module._stem.cache_clear()
    module.stem.cache_clear()
    try:
        assert module.stem("mendaftarkan") == "daftar"  # a citizen's word: memory only
        assert not list(tmp_path.iterdir())
        module.save_stems(["pendaftaran", "ktp"])
        (saved,) = tmp_path.glob("stems-*.json")
        memo = json.loads(saved.read_text(encoding="utf-8"))
        assert memo == {"pendaftaran": "daftar"}
        # A new process reads the root back instead of asking the stemmer.
        monkeypatch.setattr(module, "_memo", None)
        module._stem.cache_clear()
        monkeypatch.setattr(module, "_sastrawi_root", lambda word: "not-asked")
        assert module._stem("pendaftaran") == "daftar"
        saved.write_text("not json", encoding="utf-8")
        monkeypatch.setattr(module, "_memo", None)
        module._stem.cache_clear()
        assert module._stem("pendaftaran") == "not-asked"
    finally:
        module._stem.cache_clear()
        module.stem.cache_clear()
