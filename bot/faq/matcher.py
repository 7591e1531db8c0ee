"""Match a citizen's free-text message to an FAQ entry, or decline when unsure.

Each entry is scored by its words (``bot.faq.lexical``: stemmed words and character n-grams of
the entry's question and paraphrases, at the text and the entry level) and by meaning: a
sentence embedding (``bot.faq.semantic``, the multilingual Universal Sentence Encoder) of the
message is compared with each text of an entry; the entry's best cosine is blended in, entry
score = (1 − SEMANTIC_WEIGHT) × lexical + SEMANTIC_WEIGHT × semantic. The knobs and their
shipped values are in ``bot.faq.tuning``.

The blend was chosen with ``bench/faq.py --variants`` on 980 questions written by two people
who never saw the paraphrases (decision fitted on the calibration part, figures on the test
part, right / wrong / off-topic refused): words only 72.8 / 1.7 / 90.3 %, USE alone 60.9 / 3.0
/ 95.2 %, character n-gram TF-IDF 40.4 / 0.9 / 91.9 %, multilingual-e5-small alone 65.2 / 4.1 /
91.9 %, words + e5 78.2 / 2.8 / 91.1 % at 35 ms a query, words + USE 0.3 (shipped) 79.7 / 4.3 /
91.9 % at 3 ms; 5-fold cross-validation puts 0.25, 0.3, 0.45 and a cascade (encode only when
the words are unsure) within a point of each other, so the middle weight stayed. A message
naming another service and not this app ("kode OTP DANA", "daftar bpjs") keeps
ELSEWHERE_FACTOR of its score (``bot.faq.elsewhere``).

Large FAQs: beyond DOCUMENT_CANDIDATES entries, the words' document level is computed only for
the entries their entry level ranks that high, and meaning only for the SEMANTIC_CANDIDATES
best by words. Measured on the calibration questions at 10,000 entries (CPU ms per
``ask_all``, p50 / p99): every text 3.9 / 13.8, 256 candidates 3.9 / 12.1, 64 candidates
3.3 / 10.0, with the same best entry for 391 of 392 questions
(``tests/faq/test_faq_ranking.py``).

The bot answers only when ``config.decision`` (``bot.faq.decision``, a logistic model over the
best entry's evidence) says so and the score is at least MIN_SCORE; otherwise ``faq_id`` is None
and the top candidates are offered instead.
``ask_all`` answers a message twice when two of its parts (``bot.faq.questions``) are each
answered surely (score ≥ SPLIT_MIN_SCORE) with different entries.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from bot.faq.decision import Decision, Evidence
from bot.faq.elsewhere import foreign_names, names_elsewhere
from bot.faq.lexical import LexicalScorer, char_grams
from bot.faq.model import FaqEntry, load_off_topic_examples
from bot.faq.normalize import content_words, normalize
from bot.faq.questions import split_questions
from bot.faq.semantic import SentenceEncoder, TextVectors, packaged_encoder, semantic_text
from bot.faq.tuning import (
    CORE_POWER,
    COVERAGE_PRIOR,
    DOC_WEIGHT,
    DOCUMENT_CANDIDATES,
    ELSEWHERE_FACTOR,
    MAX_ALTERNATIVES,
    MAX_QUERY_CHARS,
    MIN_ALTERNATIVE_SCORE,
    MIN_SCORE,
    SEMANTIC_CANDIDATES,
    SEMANTIC_WEIGHT,
    SPLIT_MIN_SCORE,
    WORD_WEIGHT,
    MatcherConfig,
)

# The knobs and the words' n-grams are defined beside their own concern; callers import them
# from here, where the matcher they tune lives.
__all__ = [
    "CORE_POWER",
    "COVERAGE_PRIOR",
    "DOCUMENT_CANDIDATES",
    "DOC_WEIGHT",
    "ELSEWHERE_FACTOR",
    "MAX_ALTERNATIVES",
    "MAX_QUERY_CHARS",
    "MIN_ALTERNATIVE_SCORE",
    "MIN_SCORE",
    "SEMANTIC_CANDIDATES",
    "SEMANTIC_WEIGHT",
    "SPLIT_MIN_SCORE",
    "WORD_WEIGHT",
    "Candidate",
    "FaqIndex",
    "FaqMatch",
    "MatcherConfig",
    "char_grams",
]


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
        self._lexical = LexicalScorer(self.entries, config)
        self._rows = self._lexical.rows
        own_words = {
            w for e in self.entries for t in (*e.documents(), e.answer) for w in normalize(t)
        }
        self._foreign = foreign_names(own_words)
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
        terms = self._lexical.terms(content)
        lexical = self._lexical.scores(content, terms) if n else np.zeros(0)
        known = self._lexical.known(terms)
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
            out = self._rows.best(self._doc_vectors @ query)
            return np.clip(out, 0.0, 1.0)
        chosen = np.sort(np.argpartition(-lexical, limit - 1)[:limit])
        rows, firsts = self._rows.chosen(chosen)
        best = np.maximum.reduceat(self._doc_vectors[rows] @ query, firsts)
        out = np.zeros(len(self.entries))
        out[chosen] = best
        return np.clip(out, 0.0, 1.0)

    def lexical_scores(self, text: str) -> np.ndarray:
        """Return one word-and-character score in [0, 1] per indexed entry."""
        words = content_words(normalize(text))
        return self._lexical.scores(words, self._lexical.terms(words))

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
