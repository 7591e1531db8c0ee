"""Score a message's words against every FAQ entry: the matcher's lexical channel.

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

Large FAQs: beyond DOCUMENT_CANDIDATES entries, the document level is computed only for the
entries the entry level ranks that high (their texts' rows are read, ``SparseSpace.
score_documents``): the character n-grams common to thousands of texts made the document level
most of a query's time at 10,000 entries (see ``bot.faq.matcher`` for the figures).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from bot.faq.fuzzy import TypoCorrector
from bot.faq.model import FaqEntry
from bot.faq.normalize import content_words, is_known_word, normalize, save_stems, stem
from bot.faq.tuning import MatcherConfig
from bot.faq.vectors import SparseSpace


def char_grams(words: Iterable[str], lo: int, hi: int) -> list[str]:
    """Return the character n-grams (lo..hi) of each word padded with spaces."""
    grams: list[str] = []
    for word in words:
        padded = f" {word} "
        for n in range(lo, hi + 1):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


@dataclass(frozen=True, slots=True)
class TextRows:
    """Where each entry's texts lie among the rows of an index (in ``entry.documents()`` order)."""

    starts: np.ndarray
    ends: np.ndarray

    @classmethod
    def of(cls, entries: Sequence[FaqEntry]) -> TextRows:
        """Return the rows of these entries' texts, one after another."""
        sizes = np.asarray([len(e.documents()) for e in entries], dtype=np.int64)
        ends = np.cumsum(sizes)
        return cls(ends - sizes, ends)

    def best(self, values: np.ndarray) -> np.ndarray:
        """Return each entry's highest value over its texts' rows (``values``: one per row)."""
        return np.maximum.reduceat(values, self.starts)

    def chosen(self, entries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the text rows of some entries (sorted) and where each entry's rows begin."""
        sizes = self.ends[entries] - self.starts[entries]
        firsts = np.cumsum(sizes) - sizes
        rows = np.repeat(self.starts[entries] - firsts, sizes) + np.arange(int(sizes.sum()))
        return rows, firsts


class LexicalScorer:
    """The published entries' words and character n-grams, at the text and the entry level."""

    def __init__(self, entries: Sequence[FaqEntry], config: MatcherConfig) -> None:
        """Index the words of every entry's question and paraphrases."""
        self.config = config
        self.rows = TextRows.of(entries)
        word_docs: list[list[str]] = []
        char_docs: list[list[str]] = []
        surface: Counter[str] = Counter()
        for entry in entries:
            for text in entry.documents():
                words = content_words(normalize(text))
                surface.update(words)
                word_docs.append([stem(w) for w in words])
                char_docs.append(char_grams(words, *config.char_ngrams))
        spans = list(pairwise([*self.rows.starts.tolist(), len(word_docs)]))
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
        self._entries = len(spans)
        self._corrector = TypoCorrector(surface, is_valid_word=is_known_word)
        save_stems(surface)

    def terms(self, words: list[str]) -> list[str]:
        """Return a message's content words typo-corrected and stemmed."""
        fixed = self._corrector.correct_all(words) if self.config.fuzzy and words else words
        return [stem(w) for w in fixed]

    def known(self, terms: list[str]) -> float:
        """Return the share of a message's terms the FAQ's vocabulary knows (0 for none)."""
        return sum(t in self._words.vocab for t in terms) / len(terms) if terms else 0.0

    def scores(self, words: list[str], terms: list[str]) -> np.ndarray:
        """Return one word-and-character score per entry for a message's words and terms."""
        if not words:
            return np.zeros(self._entries)
        cfg = self.config
        grams = char_grams(words, *cfg.char_ngrams)
        entry = cfg.word_weight * self._entry_words.score(terms)
        if cfg.word_weight < 1.0:
            entry += (1.0 - cfg.word_weight) * self._entry_chars.score(grams)
        total = (1.0 - cfg.doc_weight) * entry
        if cfg.doc_weight <= 0.0:
            return total
        limit = cfg.document_candidates
        if self._entries <= limit:
            doc = cfg.word_weight * self._words.score(terms)
            if cfg.word_weight < 1.0:
                doc += (1.0 - cfg.word_weight) * self._chars.score(grams)
            return total + cfg.doc_weight * self.rows.best(doc)
        # Many entries: the best text is looked for only among the entries the coverage level
        # ranks first, reading their texts' rows rather than every posting of common n-grams.
        chosen = np.sort(np.argpartition(-entry, limit - 1)[:limit])
        rows, firsts = self.rows.chosen(chosen)
        doc = cfg.word_weight * self._words.score_documents(terms, rows)
        if cfg.word_weight < 1.0:
            doc += (1.0 - cfg.word_weight) * self._chars.score_documents(grams, rows)
        total[chosen] += cfg.doc_weight * np.maximum.reduceat(doc, firsts)
        return total
