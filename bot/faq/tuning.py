"""The matcher's knobs: each with the calibrated value it ships with, and ``MatcherConfig``.

How the values were chosen is told where they act (``bot.faq.lexical`` for the words,
``bot.faq.matcher`` for meaning and the blend, ``bot.faq.decision`` for answering or not).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.faq.decision import SHIPPED, Decision
from bot.faq.vectors import Weighting

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
# Channel and level blend, chosen on leave-one-out (see ``bot.faq.lexical``).
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
