"""Sparse term-weighted document vectors scored through inverted postings (TF-IDF cosine or BM25).

Documents are stored column-wise (term → postings of (doc, weight)) so a query only touches the
postings of its own terms: cost grows with the postings of the query's terms, not with the whole
collection. Both weightings return scores in [0, 1] so one threshold works for any collection:

- ``tfidf``: sublinear tf (1 + ln tf) × smoothed idf, L2-normalised; score = cosine.
- ``bm25``: Okapi BM25 (k1, b) divided by the query's best possible score, Σ idf·(k1 + 1).
- ``coverage``: the idf-weighted share of the query's distinct terms found in the document,
  Σ_{t ∈ q ∩ d} idf / (Σ_{t ∈ q} idf + prior × max idf): how much of the message the document
  explains. The prior is evidence still missing: a one-word message is never fully "covered".
  With ``core_power`` > 0, a term repeated tf times in a document (an FAQ entry built from the
  set of words of each of its texts) weighs (tf / the document's highest tf) ** core_power:
  words that run through all of an entry's texts count more than a word used once.

In both, query terms unknown to the collection count with the highest idf in the query's norm:
a message that is mostly about something else ("cara daftar bpjs") scores lower than one that
is entirely about a known topic ("cara daftar").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Literal

import numpy as np

Weighting = Literal["tfidf", "bm25", "coverage"]


class SparseSpace:
    """Score a bag of query terms against a fixed collection of term bags."""

    def __init__(
        self,
        docs: Sequence[Sequence[str]],
        weighting: Weighting = "tfidf",
        k1: float = 1.2,
        b: float = 0.75,
        groups: Sequence[int] | None = None,
        prior: float = 0.0,
        core_power: float = 0.0,
    ) -> None:
        """Index the documents (each a sequence of terms).

        With ``groups`` (one group number per document), document frequency counts groups,
        not documents: a word in all nine paraphrases of one FAQ entry is that entry's core
        vocabulary, and must not look more common than a word used once.
        """
        self.weighting: Weighting = weighting
        self.prior = prior
        self.core_power = core_power
        self.k1 = k1
        self.b = b
        self.n_docs = len(docs)
        counts = [Counter(doc) for doc in docs]
        df: Counter[str] = Counter()
        if groups is None:
            for c in counts:
                df.update(c.keys())
            n = max(self.n_docs, 1)
        else:
            members: dict[int, set[str]] = {}
            for g, c in zip(groups, counts, strict=True):
                members.setdefault(g, set()).update(c.keys())
            for terms in members.values():
                df.update(terms)
            n = max(len(members), 1)
        self.vocab: dict[str, int] = {term: i for i, term in enumerate(df)}
        df_arr = np.fromiter((df[t] for t in self.vocab), dtype=np.float64, count=len(self.vocab))
        if weighting != "bm25":
            self.idf = np.log((1.0 + n) / (1.0 + df_arr)) + 1.0
            self.oov_idf = math.log(1.0 + n) + 1.0
        else:
            self.idf = np.log1p((n - df_arr + 0.5) / (df_arr + 0.5))
            self.oov_idf = math.log1p((n + 0.5) / 0.5)
        self._build_postings(counts)

    def _build_postings(self, counts: list[Counter[str]]) -> None:
        """Compute per-document weights and lay them out as term-major postings."""
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[float] = []
        for d, c in enumerate(counts):
            for term, tf in c.items():
                rows.append(d)
                cols.append(self.vocab[term])
                tfs.append(float(tf))
        row = np.asarray(rows, dtype=np.int32)
        col = np.asarray(cols, dtype=np.int32)
        tf = np.asarray(tfs, dtype=np.float64)
        if self.weighting == "tfidf":
            w = (1.0 + np.log(tf)) * self.idf[col] if tf.size else tf
            norms = np.sqrt(np.bincount(row, weights=w * w, minlength=self.n_docs))
            w = w / np.where(norms > 0, norms, 1.0)[row]
        elif self.weighting == "coverage":
            w = self.idf[col]
            if self.core_power and tf.size:
                top = np.zeros(self.n_docs)
                np.maximum.at(top, row, tf)
                w = w * (tf / top[row]) ** self.core_power
        else:
            lengths = np.bincount(row, weights=tf, minlength=self.n_docs)
            avg = float(lengths.mean()) if self.n_docs else 1.0
            denom = tf + self.k1 * (1.0 - self.b + self.b * lengths[row] / max(avg, 1e-9))
            w = self.idf[col] * tf * (self.k1 + 1.0) / denom if tf.size else tf
        # Document-major copy (rows were laid out document by document): scoring only a few
        # documents (``score_documents``) reads their rows, not every posting of the terms.
        self._row_ptr = np.zeros(self.n_docs + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=self.n_docs), out=self._row_ptr[1:])
        self._row_terms = col
        self._row_weights = w
        order = np.argsort(col, kind="stable")
        self._docs = row[order]
        self._weights = w[order]
        self._indptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(col, minlength=len(self.vocab)), out=self._indptr[1:])

    def _query(self, terms: Sequence[str]) -> tuple[list[int], list[float], float]:
        """Return a query's known term ids, their weights and the query's norm."""
        ids: list[int] = []
        qw: list[float] = []
        norm = 0.0
        for term, tf in Counter(terms).items():
            i = self.vocab.get(term)
            idf = self.oov_idf if i is None else float(self.idf[i])
            if self.weighting == "tfidf":
                weight = (1.0 + math.log(tf)) * idf
                norm += weight * weight
            elif self.weighting == "coverage":
                weight = 1.0
                norm += idf
            else:
                weight = 1.0
                norm += idf * (self.k1 + 1.0)
            if i is not None:
                ids.append(i)
                qw.append(weight)
        if self.weighting == "tfidf":
            norm = math.sqrt(norm)
        elif self.weighting == "coverage":
            norm += self.prior * self.oov_idf
        return ids, qw, norm

    def score_documents(self, terms: Sequence[str], docs: np.ndarray) -> np.ndarray:
        """Return ``score(terms)[docs]`` reading only those documents (``docs`` sorted or not)."""
        out = np.zeros(len(docs), dtype=np.float64)
        if not terms or not len(docs):
            return out
        ids, qw, norm = self._query(terms)
        if not ids:
            return out
        dense = np.zeros(len(self.vocab), dtype=np.float64)
        dense[ids] = qw
        starts = self._row_ptr[docs]
        sizes = self._row_ptr[np.asarray(docs) + 1] - starts
        total = int(sizes.sum())
        if not total:
            return out
        offsets = np.cumsum(sizes) - sizes
        rows = np.repeat(starts - offsets, sizes) + np.arange(total)
        values = dense[self._row_terms[rows]] * self._row_weights[rows]
        sums = np.add.reduceat(values, np.minimum(offsets, total - 1))
        out[:] = np.where(sizes > 0, sums, 0.0)
        out /= norm
        return np.minimum(out, 1.0, out=out)

    def score(self, terms: Sequence[str]) -> np.ndarray:
        """Return one score in [0, 1] per document for a bag of query terms."""
        out = np.zeros(self.n_docs, dtype=np.float64)
        if not terms or not self.n_docs:
            return out
        ids, qw, norm = self._query(terms)
        if not ids:
            return out
        starts = self._indptr[ids]
        ends = self._indptr[np.asarray(ids) + 1]
        if len(ids) == 1:
            docs = self._docs[starts[0] : ends[0]]
            weights = self._weights[starts[0] : ends[0]] * qw[0]
        else:
            spans = [slice(s, e) for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
            docs = np.concatenate([self._docs[span] for span in spans])
            weights = np.concatenate([self._weights[span] for span in spans])
            weights *= np.repeat(np.asarray(qw), ends - starts)
        out += np.bincount(docs, weights=weights, minlength=self.n_docs)
        out /= norm
        return np.minimum(out, 1.0, out=out)

    def document_frequency(self, term: str) -> int:
        """Return how many documents contain a term."""
        i = self.vocab.get(term)
        return 0 if i is None else int(self._indptr[i + 1] - self._indptr[i])

    def unit_vector(self, terms: Sequence[str]) -> dict[str, float]:
        """Return a bag of terms as an L2-normalised tf-idf vector over this collection's idf.

        Terms unknown to the collection weigh the highest idf, as in :meth:`score`.
        """
        weights: dict[str, float] = {}
        for term, tf in Counter(terms).items():
            i = self.vocab.get(term)
            idf = self.oov_idf if i is None else float(self.idf[i])
            weights[term] = (1.0 + math.log(tf)) * idf
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}
