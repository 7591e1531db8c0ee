"""Match a citizen's free-text message to an FAQ entry, or decline when unsure.

Every entry's question and paraphrases are its documents. A message is scored against each
document through two channels and the entry's score is its best document's score:

- words: normalised, stopword-free, Sastrawi-stemmed terms, unknown words first corrected to
  the FAQ vocabulary within one edit (``fuzzy.TypoCorrector``);
- characters: 3–5-grams of the normalised content words, padded at word boundaries, which
  catch typos and spellings the corrector and stemmer miss ("moto" ~ "memfoto", "verifnya").

score = WORD_WEIGHT × word score + (1 − WORD_WEIGHT) × char score, each in [0, 1].

Which weighting won, measured with ``bench/faq.py`` (leave-one-out over the 232 paraphrases of
the default FAQ, plus the separate evaluation set; see the bench output in the report):
TF-IDF cosine on both channels beat normalised BM25 on the word channel. Our documents are
one short sentence each, so BM25's length normalisation has nothing to correct, and cosine
penalises a message's extra unmatched words through the query norm, which is exactly what
separates "cara daftar bpjs" (refuse) from "cara daftar" (answer). The fused two-channel score
beat either channel alone; fuzzy correction added a few points on typo-heavy questions.

The bot answers only when the best entry's score ≥ MIN_SCORE AND it leads the runner-up entry
by ≥ MIN_MARGIN; otherwise ``faq_id`` is None and the top candidates are offered instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bot.faq.fuzzy import TypoCorrector
from bot.faq.model import FaqEntry
from bot.faq.normalize import content_words, is_known_word, normalize, stem
from bot.faq.vectors import SparseSpace, Weighting

# Thresholds, calibrated with `bench/faq.py --calibrate` on the default FAQ only (never on the
# evaluation set): each paraphrase is removed from its entry in turn and asked (leave-one-out,
# 232 positives), together with 60 off-topic calibration messages written for the bench (not
# those of the evaluation set). The grid search maximises
#   correct answers − 2 × wrong answers − 2 × answered off-topic messages,
# i.e. a wrong answer costs twice what a refusal (which offers the helpdesk) costs.
MIN_SCORE = 0.50
MIN_MARGIN = 0.04
# Candidates below this score are too weak to offer as "did you mean" buttons.
MIN_ALTERNATIVE_SCORE = 0.15
MAX_ALTERNATIVES = 3
WORD_WEIGHT = 0.7
# Entry score = DOC_WEIGHT × best single document + (1 − DOC_WEIGHT) × the entry's texts taken
# together (which lets a message combine words from two different paraphrases).
DOC_WEIGHT = 0.3
# Scores are multiplied by (idf share of the message's words known to the FAQ) ** COVERAGE_POWER.
COVERAGE_POWER = 0.0
# Pseudo-evidence (in units of the rarest word's idf) added to a message's total in the
# entry-coverage channel, so a one- or two-word message cannot score full coverage.
COVERAGE_PRIOR = 0.5
# Longer messages are cut: no FAQ question needs more, and it bounds the work per message.
MAX_QUERY_CHARS = 600


@dataclass(frozen=True)
class MatcherConfig:
    """Tunable knobs of the matcher (the defaults are the calibrated, shipped ones)."""

    word_weight: float = WORD_WEIGHT
    word_weighting: Weighting = "tfidf"
    char_weighting: Weighting = "tfidf"
    char_ngrams: tuple[int, int] = (3, 5)
    fuzzy: bool = True
    doc_weight: float = DOC_WEIGHT
    coverage_power: float = COVERAGE_POWER
    entry_idf: bool = True
    entry_weighting: Weighting = "coverage"
    coverage_prior: float = COVERAGE_PRIOR
    word_bigrams: bool = False
    min_score: float = MIN_SCORE
    min_margin: float = MIN_MARGIN
    min_alternative_score: float = MIN_ALTERNATIVE_SCORE
    max_alternatives: int = MAX_ALTERNATIVES


@dataclass(frozen=True)
class Candidate:
    """An FAQ entry and how well it matches a message."""

    faq_id: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        """Return the candidate as JSON-ready data."""
        return {"faq_id": self.faq_id, "score": round(self.score, 4)}


@dataclass(frozen=True)
class FaqMatch:
    """The matcher's verdict: the entry to answer with (or None) and what else came close."""

    faq_id: str | None
    score: float
    alternatives: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def answered(self) -> bool:
        """Tell whether the bot should answer with ``faq_id``."""
        return self.faq_id is not None

    def to_dict(self) -> dict[str, Any]:
        """Return the verdict in the `tlive-bot faq ask --json` shape."""
        return {
            "faq_id": self.faq_id,
            "score": round(self.score, 4),
            "alternatives": [c.to_dict() for c in self.alternatives],
        }


def char_grams(words: Iterable[str], lo: int, hi: int) -> list[str]:
    """Return the character n-grams (lo..hi) of each word padded with spaces."""
    grams: list[str] = []
    for word in words:
        padded = f" {word} "
        for n in range(lo, hi + 1):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def cfg_groups(config: MatcherConfig) -> bool:
    """Tell whether idf is counted over entries."""
    return config.entry_idf


class FaqIndex:
    """An immutable, searchable snapshot of the published FAQ entries."""

    def __init__(self, entries: Sequence[FaqEntry], config: MatcherConfig) -> None:
        """Index entries; use ``FaqIndex.build``."""
        self.config = config
        self.entries: tuple[FaqEntry, ...] = tuple(entries)
        self._by_id = {e.id: e for e in self.entries}
        word_docs: list[list[str]] = []
        char_docs: list[list[str]] = []
        starts: list[int] = []
        surface: Counter[str] = Counter()
        for entry in self.entries:
            starts.append(len(word_docs))
            for text in entry.documents():
                words = content_words(normalize(text))
                surface.update(words)
                word_docs.append(self._word_terms([stem(w) for w in words]))
                char_docs.append(char_grams(words, *config.char_ngrams))
        self._starts = np.asarray(starts, dtype=np.int64)
        bounds = [*starts, len(word_docs)]
        spans = list(zip(bounds[:-1], bounds[1:], strict=True))
        groups = [g for g, (a, b) in enumerate(spans) for _ in range(a, b)] if cfg_groups(
            config
        ) else None
        self._words = SparseSpace(word_docs, config.word_weighting, groups=groups)
        self._chars = SparseSpace(char_docs, config.char_weighting, groups=groups)
        self._entry_words = SparseSpace(
            [sorted(set().union(*word_docs[a:b])) for a, b in spans],
            config.entry_weighting,
            prior=config.coverage_prior,
        )
        self._entry_chars = SparseSpace(
            [sorted(set().union(*char_docs[a:b])) for a, b in spans],
            config.entry_weighting,
            prior=config.coverage_prior,
        )
        self._corrector = TypoCorrector(surface, is_valid_word=is_known_word)

    def _word_terms(self, stems: list[str]) -> list[str]:
        """Return the word-channel terms: stems, plus adjacent-stem bigrams if configured."""
        if not self.config.word_bigrams:
            return stems
        return stems + [f"{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)]

    @classmethod
    def build(cls, entries: Iterable[FaqEntry], config: MatcherConfig | None = None) -> FaqIndex:
        """Build an index from the published entries."""
        return cls([e for e in entries if e.published], config or MatcherConfig())

    def __len__(self) -> int:
        """Return the number of indexed entries."""
        return len(self.entries)

    def __contains__(self, faq_id: object) -> bool:
        """Tell whether an entry id is indexed."""
        return faq_id in self._by_id

    def entry(self, faq_id: str) -> FaqEntry:
        """Return the indexed entry with this id."""
        return self._by_id[faq_id]

    def scores(self, text: str) -> np.ndarray:
        """Return one score in [0, 1] per indexed entry for a message."""
        if not self.entries:
            return np.zeros(0)
        words = content_words(normalize(text[:MAX_QUERY_CHARS] if isinstance(text, str) else ""))
        if not words:
            return np.zeros(len(self.entries))
        cfg = self.config
        fixed = self._corrector.correct_all(words) if cfg.fuzzy else words
        terms = self._word_terms([stem(w) for w in fixed])
        grams = char_grams(words, *cfg.char_ngrams)
        total = np.zeros(len(self.entries))
        for weight, words_space, chars_space, by_doc in (
            (cfg.doc_weight, self._words, self._chars, True),
            (1.0 - cfg.doc_weight, self._entry_words, self._entry_chars, False),
        ):
            if weight <= 0.0:
                continue
            s = cfg.word_weight * words_space.score(terms)
            if cfg.word_weight < 1.0:
                s += (1.0 - cfg.word_weight) * chars_space.score(grams)
            total += weight * (np.maximum.reduceat(s, self._starts) if by_doc else s)
        if cfg.coverage_power:
            total *= self._words.known_share(terms) ** cfg.coverage_power
        return total

    def _ranked(self, text: str, limit: int) -> list[Candidate]:
        """Return the best ``limit`` entries for a message, best first."""
        scores = self.scores(text)
        if not scores.size:
            return []
        limit = min(limit, scores.size)
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.lexsort((top, -scores[top]))]
        return [Candidate(self.entries[i].id, float(scores[i])) for i in top]

    def ask(self, text: str) -> FaqMatch:
        """Decide which entry answers a message, or None with the candidates to offer."""
        cfg = self.config
        ranked = self._ranked(text, cfg.max_alternatives + 1)
        if not ranked:
            return FaqMatch(None, 0.0, ())
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        confident = best.score >= cfg.min_score and best.score - runner_up >= cfg.min_margin
        offered = [c for c in ranked if c.score >= cfg.min_alternative_score]
        if confident:
            others = tuple(offered[1 : cfg.max_alternatives + 1])
            return FaqMatch(best.faq_id, best.score, others)
        return FaqMatch(None, best.score, tuple(offered[: cfg.max_alternatives]))

    def alternatives(self, text: str, limit: int = MAX_ALTERNATIVES) -> tuple[Candidate, ...]:
        """Return the top candidates worth offering as "did you mean" choices."""
        floor = self.config.min_alternative_score
        return tuple(c for c in self._ranked(text, limit) if c.score >= floor)
