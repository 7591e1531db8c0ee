"""Match a citizen's free-text message to an FAQ entry, or decline when unsure.

Every entry's question and paraphrases are its documents. A message is compared through two
evidence channels, each scored in [0, 1]:

- words: normalised, stopword-free, Sastrawi-stemmed terms (with the domain synonym table);
  unknown, non-Indonesian words are first corrected to the FAQ vocabulary within one edit
  (``fuzzy.TypoCorrector``);
- characters: 3–5-grams of the normalised content words, padded at word boundaries, which
  catch typos and spellings the corrector and stemmer miss.

channel score = WORD_WEIGHT × words + (1 − WORD_WEIGHT) × characters, at two levels:

- document level: TF-IDF cosine against each question/paraphrase; the entry keeps its best;
- entry level: idf-weighted *coverage* of the message by all of the entry's texts together
  (how much of what the citizen wrote this entry explains), where a word weighs more the more
  of the entry's texts use it (CORE_POWER), so a message may combine words of two paraphrases.

entry score = DOC_WEIGHT × document level + (1 − DOC_WEIGHT) × entry level. Idf is counted over
entries, not documents, so an entry's core word (in all its paraphrases) is not discounted.

What won for the words, measured then with leave-one-out over the FAQ's 306 texts and 60
off-topic calibration messages: TF-IDF cosine beat normalised BM25 on the
document level: documents are one short sentence, so BM25's length normalisation has nothing to
correct (LOO top-1 72.5% vs 73.5%, eval accuracy 80.6% vs 83.7%). Adding the entry-coverage
level raised leave-one-out top-1 from 68.0% (best document only) to 73.5%, and calibrated
leave-one-out accuracy from 44% to 58%; coverage beat cosine at the entry level (cosine is
diluted by the size of an entry's vocabulary, so its scores don't threshold well); weighting
an entry's core words (CORE_POWER) added 5 points of LOO top-1. Character n-grams and fuzzy
correction add only 1–2 points on this FAQ, mostly on typo-heavy questions. Word bigrams, a
stronger penalty for unknown words and modal/aspect stopwords ("bisa", "sudah") were measured
and did not help, so they are not in.

Beside the words, meaning: a sentence embedding (``bot.faq.semantic``, the multilingual
Universal Sentence Encoder) of the message is compared with each text of an entry; the entry's
best cosine is blended in, entry score = (1 − SEMANTIC_WEIGHT) × lexical + SEMANTIC_WEIGHT ×
semantic. Chosen with ``bench/faq.py --variants`` on 980 questions written by two people who
never saw the paraphrases (decision fitted on the calibration part, figures on the test part,
right / wrong / off-topic refused): words only 72.8 / 1.7 / 90.3 %, USE alone 60.9 / 3.0 /
95.2 %, character n-gram TF-IDF 40.4 / 0.9 / 91.9 %, multilingual-e5-small alone 65.2 / 4.1 /
91.9 %, words + e5 78.2 / 2.8 / 91.1 % at 35 ms a query, words + USE 0.3 (shipped) 79.7 / 4.3 /
91.9 % at 3 ms; 5-fold cross-validation puts 0.25, 0.3, 0.45 and a cascade (encode only when
the words are unsure) within a point of each other, so the middle weight stayed. A message
naming another service and not this app ("kode OTP DANA", "daftar bpjs") keeps
ELSEWHERE_FACTOR of its score (``bot.faq.elsewhere``).

Large FAQs: beyond DOCUMENT_CANDIDATES entries, the document level is computed only for the
entries the entry level ranks that high (their texts' rows are read, ``SparseSpace.
score_documents``), and meaning only for the SEMANTIC_CANDIDATES best by words: the character
n-grams common to thousands of texts made the document level most of a query's time at 10,000
entries. Measured on the calibration questions at 10,000 entries (CPU ms per ``ask_all``, p50 /
p99): every text 3.9 / 13.8, 256 candidates 3.9 / 12.1, 64 candidates 3.3 / 10.0, with the same
best entry for 391 of 392 questions (``tests/faq/test_faq_ranking.py``).

The bot answers only when ``config.decision`` (``bot.faq.decision``, a logistic model over the
best entry's evidence) says so and the score is at least MIN_SCORE; otherwise ``faq_id`` is None
and the top candidates are offered instead.
``ask_all`` answers a message twice when two of its parts (``bot.faq.questions``) are each
answered surely (score ≥ SPLIT_MIN_SCORE) with different entries.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

import numpy as np

from bot.faq.decision import SHIPPED, Decision, Evidence
from bot.faq.elsewhere import foreign_names, names_elsewhere
from bot.faq.fuzzy import TypoCorrector
from bot.faq.model import FaqEntry, load_off_topic_examples
from bot.faq.normalize import content_words, is_known_word, normalize, save_stems, stem
from bot.faq.questions import split_questions
from bot.faq.semantic import SentenceEncoder, TextVectors, packaged_encoder, semantic_text
from bot.faq.vectors import SparseSpace, Weighting

# Whether to answer is decided by ``config.decision`` (``bot.faq.decision``: a logistic model
# over the best entry's evidence, fitted on the calibration part of the bench's questions and
# never on its test part). Below MIN_SCORE the bot never answers, whatever the model says.
MIN_SCORE = 0.25
# Candidates below this score are too weak to offer as "did you mean" buttons. Measured on the
# same calibration data: at 0.20, 69% of declined leave-one-out questions get their right entry
# among the buttons, while 35% of off-topic messages get any button (0.15: 76% / 45%; 0.30:
# 36% / 15%). A needless button is cheaper than a missing right one.
MIN_ALTERNATIVE_SCORE = 0.20
MAX_ALTERNATIVES = 3
# Channel and level blend, chosen on leave-one-out (see the module docstring).
WORD_WEIGHT = 0.7
DOC_WEIGHT = 0.3
CORE_POWER = 0.5
# Pseudo-evidence (in units of the rarest word's idf) added to a message's total in the
# entry-coverage level, so a one-word message ("hai bot") cannot score full coverage.
COVERAGE_PRIOR = 0.5
# Share of the entry score given to meaning (sentence-embedding cosine, best text of the entry).
SEMANTIC_WEIGHT = 0.3
SEMANTIC_CANDIDATES = 64
DOCUMENT_CANDIDATES = 64
ELSEWHERE_FACTOR = 0.5
SPLIT_MIN_SCORE = 0.6
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
    entry_idf: bool = True
    entry_weighting: Weighting = "coverage"
    coverage_prior: float = COVERAGE_PRIOR
    core_power: float = CORE_POWER
    min_score: float = MIN_SCORE
    decision: Decision = SHIPPED
    min_alternative_score: float = MIN_ALTERNATIVE_SCORE
    max_alternatives: int = MAX_ALTERNATIVES
    semantic_weight: float = SEMANTIC_WEIGHT
    # Only the entries the lexical score ranks this high are compared by meaning; beyond a few
    # thousand texts a full comparison would cost more than the rest of the query.
    semantic_candidates: int = SEMANTIC_CANDIDATES
    # Beyond this many entries the document level is computed only for the entries the entry
    # level ranks this high (the rest keep their entry-level score alone).
    document_candidates: int = DOCUMENT_CANDIDATES
    # Cascade: skip the encoder when the lexical verdict is already this sure (score, margin);
    # None always encodes.
    cascade: tuple[float, float] | None = None
    split: bool = True
    # Each part of a message answered twice must score this much.
    split_min_score: float = SPLIT_MIN_SCORE
    # A message naming another service (and not this app) keeps this share of its score.
    elsewhere_factor: float = ELSEWHERE_FACTOR


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


@dataclass(frozen=True, slots=True)
class _Reading:
    """A message scored against every entry, with what the decision needs to know."""

    scores: np.ndarray
    lexical: np.ndarray
    semantic: np.ndarray | None
    off_topic: float
    elsewhere: bool
    words: int
    # Share of the content words the FAQ's vocabulary knows.
    known: float = 1.0


def _lead(scores: np.ndarray, best: int) -> tuple[bool, float]:
    """Return whether ``best`` ranks first under these scores and its lead over the best other."""
    if scores.size < 2:
        return True, float(scores[best]) if scores.size else 0.0
    top2 = np.argpartition(-scores, 1)[:2]
    other = int(top2[1]) if int(top2[0]) == best else int(top2[0])
    gap = float(scores[best] - scores[other])
    return gap > 0 or (gap == 0 and best < other), gap


def char_grams(words: Iterable[str], lo: int, hi: int) -> list[str]:
    """Return the character n-grams (lo..hi) of each word padded with spaces."""
    grams: list[str] = []
    for word in words:
        padded = f" {word} "
        for n in range(lo, hi + 1):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


class FaqIndex:
    """An immutable, searchable snapshot of the published FAQ entries."""

    def __init__(
        self,
        entries: Sequence[FaqEntry],
        config: MatcherConfig,
        vectors: TextVectors | None = None,
    ) -> None:
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
                word_docs.append([stem(w) for w in words])
                char_docs.append(char_grams(words, *config.char_ngrams))
        self._starts = np.asarray(starts, dtype=np.int64)
        bounds = [*starts, len(word_docs)]
        spans = list(pairwise(bounds))
        groups = None
        if config.entry_idf:
            groups = [g for g, (a, b) in enumerate(spans) for _ in range(a, b)]
        self._words = SparseSpace(word_docs, config.word_weighting, groups=groups)
        self._chars = SparseSpace(char_docs, config.char_weighting, groups=groups)
        self._entry_words = SparseSpace(
            [[t for doc in word_docs[a:b] for t in set(doc)] for a, b in spans],
            config.entry_weighting,
            prior=config.coverage_prior,
            core_power=config.core_power,
        )
        self._entry_chars = SparseSpace(
            [[t for doc in char_docs[a:b] for t in set(doc)] for a, b in spans],
            config.entry_weighting,
            prior=config.coverage_prior,
            core_power=config.core_power,
        )
        self._corrector = TypoCorrector(surface, is_valid_word=is_known_word)
        save_stems(surface)
        own_words = {
            w for e in self.entries for t in (*e.documents(), e.answer) for w in normalize(t)
        }
        self._foreign = foreign_names(own_words)
        self._ends = np.asarray(bounds[1:], dtype=np.int64)
        self._encoder: SentenceEncoder | None = None
        self._doc_vectors = np.zeros((0, 0), dtype=np.float32)
        self._off_topic_vectors = np.zeros((0, 0), dtype=np.float32)
        if config.semantic_weight > 0 and vectors is not None:
            self._encoder = vectors.encoder
            texts = [text for entry in self.entries for text in entry.documents()]
            # float32 at query time: numpy has no fast float16 product.
            self._doc_vectors = vectors.matrix(texts).astype(np.float32)
            self._off_topic_vectors = vectors.matrix(load_off_topic_examples()).astype(np.float32)
        self.vectors = vectors

    @classmethod
    def build(
        cls,
        entries: Iterable[FaqEntry],
        config: MatcherConfig | None = None,
        vectors: TextVectors | None = None,
    ) -> FaqIndex:
        """Build an index from the published entries.

        Without ``vectors`` the packaged sentence encoder is used and every text encoded; pass
        the vectors stored with the entries to encode only new texts.
        """
        config = config or MatcherConfig()
        if vectors is None and config.semantic_weight > 0:
            vectors = TextVectors(packaged_encoder())
        return cls([e for e in entries if e.published], config, vectors)

    def with_decision(self, decision: Decision) -> FaqIndex:
        """Return this index deciding with another model (the vectors are shared)."""
        other = copy.copy(self)
        other.config = replace(self.config, decision=decision)
        return other

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
        return self._read(text).scores

    def evidence(
        self, text: str, query: np.ndarray | None = None
    ) -> tuple[np.ndarray, Evidence | None]:
        """Return the entry scores and what is known of the best entry (None: nothing)."""
        reading = self._read(text, query)
        scores = reading.scores
        if not scores.size:
            return scores, None
        # The best two without sorting every entry (a full sort is ~0.5 ms at 10,000).
        top2 = np.argpartition(-scores, 1)[:2] if scores.size > 2 else np.arange(scores.size)
        top2 = top2[np.lexsort((top2, -scores[top2]))]
        best = int(top2[0])
        second = float(scores[top2[1]]) if len(top2) > 1 else 0.0
        lexical_first, lexical_gap = _lead(reading.lexical, best)
        semantic_first, semantic_gap = (
            _lead(reading.semantic, best) if reading.semantic is not None else (False, 0.0)
        )
        evidence = Evidence(
            score=float(scores[best]),
            margin=float(scores[best]) - second,
            lexical=float(reading.lexical[best]),
            semantic=float(reading.semantic[best]) if reading.semantic is not None else 0.0,
            off_topic=reading.off_topic,
            elsewhere=reading.elsewhere,
            words=reading.words,
            lexical_first=lexical_first,
            semantic_first=semantic_first,
            lexical_gap=lexical_gap,
            semantic_gap=semantic_gap,
            known=reading.known,
        )
        return scores, evidence

    def _read(self, text: str, query: np.ndarray | None = None) -> _Reading:
        """Score a message by words and by meaning (``query``: its vector, if already made)."""
        n = len(self.entries)
        text = text[:MAX_QUERY_CHARS] if isinstance(text, str) else ""
        tokens = normalize(text)
        content = content_words(tokens)
        words = len(content)
        terms = self._terms(content)
        lexical = self._scores_of(content, terms) if n else np.zeros(0)
        known = sum(t in self._words.vocab for t in terms) / len(terms) if terms else 0.0
        elsewhere = names_elsewhere(tokens, self._foreign)
        weight = self.config.semantic_weight
        semantic: np.ndarray | None = None
        off_topic = 0.0
        if self._encoder is not None and weight > 0 and lexical.any() and not self._sure(lexical):
            if query is None:
                query = self._encoder.encode([semantic_text(text)])[0].astype(np.float32)
            semantic = self._semantic_scores(query, lexical)
            if self._off_topic_vectors.size:
                off_topic = float(np.clip((self._off_topic_vectors @ query).max(), 0.0, 1.0))
            total = (1.0 - weight) * lexical + weight * semantic
        else:
            total = lexical if weight < 1 else np.zeros(n)
        if elsewhere:
            total = total * self.config.elsewhere_factor
        return _Reading(total, lexical, semantic, off_topic, elsewhere, words, known)

    def _sure(self, lexical: np.ndarray) -> bool:
        """Tell whether the cascade may skip the encoder for this lexical verdict."""
        if self.config.cascade is None or lexical.size < 2:
            return False
        top2 = -np.partition(-lexical, 1)[:2]
        score, margin = self.config.cascade
        return bool(top2[0] >= score and top2[0] - top2[1] >= margin)

    def _semantic_scores(self, query: np.ndarray, lexical: np.ndarray) -> np.ndarray:
        """Return each candidate entry's best cosine to the message (0 for the others)."""
        limit = self.config.semantic_candidates
        if len(self.entries) <= limit:
            out = np.maximum.reduceat(self._doc_vectors @ query, self._starts)
            return np.clip(out, 0.0, 1.0)
        chosen = np.sort(np.argpartition(-lexical, limit - 1)[:limit])
        rows, firsts = self._rows_of(chosen)
        best = np.maximum.reduceat(self._doc_vectors[rows] @ query, firsts)
        out = np.zeros(len(self.entries))
        out[chosen] = best
        return np.clip(out, 0.0, 1.0)

    def lexical_scores(self, text: str) -> np.ndarray:
        """Return one word-and-character score in [0, 1] per indexed entry."""
        return self._lexical_scores(normalize(text))

    def _lexical_scores(self, tokens: list[str]) -> np.ndarray:
        words = content_words(tokens)
        return self._scores_of(words, self._terms(words))

    def _terms(self, words: list[str]) -> list[str]:
        """Return a message's content words typo-corrected and stemmed."""
        fixed = self._corrector.correct_all(words) if self.config.fuzzy and words else words
        return [stem(w) for w in fixed]

    def _scores_of(self, words: list[str], terms: list[str]) -> np.ndarray:
        """Return one word-and-character score per entry for a message's words and terms."""
        if not words:
            return np.zeros(len(self.entries))
        cfg = self.config
        grams = char_grams(words, *cfg.char_ngrams)
        entry = cfg.word_weight * self._entry_words.score(terms)
        if cfg.word_weight < 1.0:
            entry += (1.0 - cfg.word_weight) * self._entry_chars.score(grams)
        total = (1.0 - cfg.doc_weight) * entry
        if cfg.doc_weight <= 0.0:
            return total
        limit = cfg.document_candidates
        if len(self.entries) <= limit:
            doc = cfg.word_weight * self._words.score(terms)
            if cfg.word_weight < 1.0:
                doc += (1.0 - cfg.word_weight) * self._chars.score(grams)
            return total + cfg.doc_weight * np.maximum.reduceat(doc, self._starts)
        # Many entries: the best text is looked for only among the entries the coverage level
        # ranks first, reading their texts' rows rather than every posting of common n-grams.
        chosen = np.sort(np.argpartition(-entry, limit - 1)[:limit])
        rows, firsts = self._rows_of(chosen)
        doc = cfg.word_weight * self._words.score_documents(terms, rows)
        if cfg.word_weight < 1.0:
            doc += (1.0 - cfg.word_weight) * self._chars.score_documents(grams, rows)
        total[chosen] += cfg.doc_weight * np.maximum.reduceat(doc, firsts)
        return total

    def _rows_of(self, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the text rows of some entries (sorted) and where each entry's rows begin."""
        sizes = self._ends[chosen] - self._starts[chosen]
        firsts = np.cumsum(sizes) - sizes
        rows = np.repeat(self._starts[chosen] - firsts, sizes) + np.arange(int(sizes.sum()))
        return rows, firsts

    def _ranked(self, scores: np.ndarray, limit: int) -> list[Candidate]:
        """Return the best ``limit`` entries by score, best first."""
        if not scores.size:
            return []
        limit = min(limit, scores.size)
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.lexsort((top, -scores[top]))]
        return [Candidate(self.entries[i].id, float(scores[i])) for i in top]

    def ask(self, text: str, query: np.ndarray | None = None) -> FaqMatch:
        """Decide which entry answers a message, or None with the candidates to offer."""
        cfg = self.config
        scores, evidence = self.evidence(text, query)
        ranked = self._ranked(scores, cfg.max_alternatives + 1)
        if not ranked or evidence is None or not evidence.words:
            return FaqMatch(None, ranked[0].score if ranked else 0.0, ())
        best = ranked[0]
        # Two entries scoring the same are the same answer to the citizen: never pick one.
        tie = evidence.margin < 1e-6
        confident = best.score >= cfg.min_score and not tie and cfg.decision.answers(evidence)
        offered = [c for c in ranked if c.score >= cfg.min_alternative_score]
        if confident:
            others = tuple(offered[1 : cfg.max_alternatives + 1])
            return FaqMatch(best.faq_id, best.score, others)
        return FaqMatch(None, best.score, tuple(offered[: cfg.max_alternatives]))

    def ask_all(self, text: str) -> tuple[FaqMatch, ...]:
        """Answer each question of a message (at most two); the first verdict is the main one.

        A message is answered twice only when two of its parts are each answered, with
        different entries, at least as surely as a whole message must be.
        """
        parts = split_questions(text)[:4] if self.config.split and isinstance(text, str) else []
        if len(parts) < 2:
            return (self.ask(text),)
        # One batch for the message and its parts: the encoder is ~3× faster per text so.
        queries: list[np.ndarray | None] = [None] * (len(parts) + 1)
        if self._encoder is not None and self.config.semantic_weight > 0:
            texts = [semantic_text(t[:MAX_QUERY_CHARS]) for t in (text, *parts)]
            queries = list(self._encoder.encode(texts).astype(np.float32))
        whole = self.ask(text, queries[0])
        answered: list[FaqMatch] = []
        for part, query in zip(parts, queries[1:], strict=True):
            match = self.ask(part, query)
            sure = match.faq_id is not None and match.score >= self.config.split_min_score
            if sure and all(m.faq_id != match.faq_id for m in answered):
                answered.append(match)
        if len(answered) < 2:
            return (whole,)
        if whole.faq_id is not None and whole.faq_id not in {m.faq_id for m in answered[:2]}:
            return (whole,)
        return tuple(answered[:2])

    def alternatives(self, text: str, limit: int = MAX_ALTERNATIVES) -> tuple[Candidate, ...]:
        """Return the top candidates worth offering as "did you mean" choices."""
        floor = self.config.min_alternative_score
        return tuple(c for c in self._ranked(self.scores(text), limit) if c.score >= floor)
