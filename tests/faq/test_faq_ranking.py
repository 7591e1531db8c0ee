"""Large FAQs read only their likeliest entries' texts, and the decision's agreement evidence."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.faq.evaluation import LabelledQuestion, evaluate
from bot.faq.matcher import Candidate, FaqIndex, FaqMatch, MatcherConfig
from bot.faq.model import load_default_faq
from bot.faq.normalize import content_words, normalize
from bot.faq.vectors import SparseSpace

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = (
    "ktp sy ilang gmn daftarnya",
    "brp lama verifikasinya",
    "lupa kata sandi akun",
    "foto ktp buram terus",
    "nomor hp sy ganti, akunnya gmn",
    "syarat daftar apa aja",
)


@pytest.mark.parametrize("weighting", ["tfidf", "bm25", "coverage"])
def test_scoring_some_documents_gives_their_scores_among_all(weighting: str) -> None:
    docs = [["ktp", "hilang"], ["ktp", "rusak", "ktp"], [], ["biaya", "daftar"], ["daftar"]]
    space = SparseSpace(docs, weighting, prior=0.5, core_power=0.5)  # type: ignore[arg-type]
    for terms in (["ktp", "daftar"], ["ktp", "ktp", "baru"], ["baru"], []):
        every = space.score(terms)
        for chosen in ([0, 1, 2, 3, 4], [1, 3], [2], [4, 0]):
            picked = space.score_documents(terms, np.asarray(chosen))
            assert np.allclose(picked, every[chosen])


def _padded(count: int) -> list:
    sys.path.insert(0, str(ROOT))
    from bench.faq import synthetic_entries

    return [*load_default_faq(), *synthetic_entries(count)]


def test_a_large_faq_ranks_as_if_every_text_were_read() -> None:
    entries = _padded(400)
    lexical = MatcherConfig(semantic_weight=0.0, document_candidates=32)
    partial = FaqIndex.build(entries, lexical)
    full = FaqIndex.build(entries, replace(lexical, document_candidates=10**6))
    for text in QUESTIONS:
        a, b = partial.lexical_scores(text), full.lexical_scores(text)
        top = np.argsort(-b)[:5]
        assert list(np.argsort(-a)[:5]) == list(top)
        assert np.allclose(a[top], b[top])


def test_the_evidence_says_whether_words_and_meaning_agree_on_the_best_entry() -> None:
    index = FaqIndex.build(load_default_faq())
    _, clear = index.evidence("ktp saya hilang, bagaimana cara mendaftar?")
    assert clear is not None
    assert clear.lexical_first and clear.semantic_first
    assert clear.lexical_gap > 0 and clear.semantic_gap > 0
    assert clear.known == 1.0
    _, foreign = index.evidence("zorglub quantex ktp")
    assert foreign is not None and foreign.known < 0.5


def test_the_known_share_counts_words_after_typo_correction() -> None:
    index = FaqIndex.build(load_default_faq(), MatcherConfig(semantic_weight=0.0))
    words = content_words(normalize("verifkasi lama"))
    assert words and index._lexical.known(index._lexical.terms(words)) == 1.0


class _Refuses:
    """An index that never answers but offers the given choices."""

    def __init__(self, offered: tuple[str, ...]) -> None:
        self.offered = offered

    def ask(self, text: str) -> FaqMatch:
        return FaqMatch(None, 0.4, tuple(Candidate(i, 0.4) for i in self.offered))

    def ask_all(self, text: str) -> tuple[FaqMatch, ...]:
        return (self.ask(text),)


def test_a_refused_question_with_its_entry_among_the_choices_is_not_counted_right() -> None:
    questions = [
        LabelledQuestion("ktp ilang", ("ktp-hilang",)),
        LabelledQuestion("lupa pw", ("lupa-password",)),
        LabelledQuestion("cuaca hari ini", ()),
    ]
    report = evaluate(_Refuses(("ktp-hilang", "biaya")), questions)
    assert report.answered_right == 0.0 and report.answered_wrong == 0.0
    assert report.right_among_choices == 0.5
    assert report.off_topic_refused == 1.0 and report.off_topic_offered == 1.0
    assert any("right among choices" in line for line in report.lines())
