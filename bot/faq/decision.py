"""Decide whether the best-ranked FAQ entry answers a message: a small logistic model.

A score threshold alone cannot tell "kode OTP DANA ga masuk" (an off-topic near miss scoring
0.5) from "sabaraha lami verifikasina" (a real question scoring 0.35). The decision weighs
what the matcher knows about its best entry (``Evidence``): the blended score and its lead over
the runner-up, the word and meaning scores apart, whether the words alone and the meaning alone
agree on the best entry and by how much it leads under each, how close the message is to known
off-topic messages (``bot/faq/off_topic.txt``), whether it names another service, its length
and the share of its words the FAQ knows.

The agreement and lead features were added after 5-fold cross-validation inside the
calibration part (3 shuffles; the test part unseen) put them at right 84.0 / wrong 2.6 /
refused 92.3 % against 81.1 / 3.0 / 94.3 % for the first seven features; interaction terms
(score × margin, meaning − off-topic) and the entry's centroid cosine did not help.

The model is fitted by ``fit`` on the calibration part of the bench's questions only
(``bench/data/faq_calibration.tsv``): plain L2-regularised logistic regression by full-batch
gradient descent from zero (deterministic, so ``tests/faq/test_faq_calibration.py`` can refit
and compare), the label being "the best entry is the right one". The answer threshold is then
chosen on the same part by the rule in ``choose_threshold``, applied to out-of-fold
probabilities (5 interleaved folds inside the calibration part): chosen on the probabilities
of the very messages the model was fitted on, it answered at 0.73 and, on the test part, gave
4.1 % wrong answers and refused only 88.7 % of off-topic messages; out of fold it answers at
0.85. ``SHIPPED`` holds the result;
``bench/faq.py --fit`` prints it after a change to the default FAQ or the matcher.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Share of the calibration part's off-topic messages the threshold must refuse (above the
# product's 90 % so a new set keeps it), and what a wrong answer costs in refusals: a refusal
# still offers the closest questions and the helpdesk, a wrong answer misleads.
REFUSAL_TARGET = 0.93
WRONG_COST = 4.0
INNER_FOLDS = 5
_L2 = 0.01
_STEPS = 3000
_RATE = 0.5


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the matcher knows about its best entry for one message."""

    score: float
    margin: float
    lexical: float
    semantic: float
    off_topic: float
    elsewhere: bool
    words: int
    # Whether the words alone and the meaning alone also rank the best entry first, and by how
    # much it leads the best other entry under each (negative: another entry leads there).
    lexical_first: bool = False
    semantic_first: bool = False
    lexical_gap: float = 0.0
    semantic_gap: float = 0.0
    # Share of the message's content words the FAQ's vocabulary knows (after typo correction).
    known: float = 0.0

    def features(self) -> tuple[float, ...]:
        """Return the model's inputs, in ``Decision`` order."""
        return (
            self.score, self.margin, self.lexical, self.semantic, self.off_topic,
            float(self.elsewhere), math.log1p(self.words), float(self.lexical_first),
            float(self.semantic_first), self.lexical_gap, self.semantic_gap, self.known,
        )  # fmt: skip


FEATURES = (
    "score", "margin", "lexical", "semantic", "off_topic", "elsewhere", "log_words",
    "lexical_first", "semantic_first", "lexical_gap", "semantic_gap", "known",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Decision:
    """A fitted logistic model over ``Evidence`` and the probability at which to answer."""

    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, evidence: Evidence) -> float:
        """Return the estimated probability that the best entry answers the message."""
        z = self.bias + sum(
            w * (x - m) / s
            for w, x, m, s in zip(
                self.weights, evidence.features(), self.means, self.scales, strict=True
            )
        )
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def answers(self, evidence: Evidence) -> bool:
        """Tell whether the bot should answer with the best entry."""
        return self.probability(evidence) >= self.threshold

    def with_threshold(self, threshold: float) -> Decision:
        """Return the same model answering at another probability."""
        return Decision(self.means, self.scales, self.weights, self.bias, threshold)

    def rounded(self, digits: int = 4) -> Decision:
        """Return the decision with its numbers rounded (as shipped in code)."""

        def r(values: Sequence[float]) -> tuple[float, ...]:
            return tuple(round(float(v), digits) for v in values)

        return Decision(
            r(self.means), r(self.scales), r(self.weights), round(self.bias, digits),
            round(self.threshold, 2),
        )  # fmt: skip


def fit(evidence: Sequence[Evidence], right: Sequence[bool], in_scope: Sequence[bool]) -> Decision:
    """Fit the model and choose its threshold on labelled calibration messages.

    The threshold is chosen on out-of-fold probabilities (INNER_FOLDS interleaved folds, each
    message scored by a model fitted without it): probabilities of the messages a model was
    fitted on are too sure of themselves, and a threshold chosen on them answers too much.
    """
    x = np.asarray([e.features() for e in evidence], dtype=np.float64)
    y = np.asarray(right, dtype=np.float64)
    means, scales, w = _logistic(x, y)
    probabilities = _probabilities(x, means, scales, w)
    if len(y) >= 4 * INNER_FOLDS:
        fold = np.arange(len(y)) % INNER_FOLDS
        for k in range(INNER_FOLDS):
            held = fold == k
            m, s, v = _logistic(x[~held], y[~held])
            probabilities[held] = _probabilities(x[held], m, s, v)
    threshold = choose_threshold(probabilities, right, in_scope)
    return Decision(tuple(means), tuple(scales), tuple(w[:-1]), float(w[-1]), threshold).rounded()


def _logistic(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the standardisation and weights (bias last) of an L2 logistic fit."""
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales < 1e-9] = 1.0
    z = np.column_stack([(x - means) / scales, np.ones(len(x))])
    w = np.zeros(z.shape[1])
    for _ in range(_STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) / len(y) + _L2 * np.r_[w[:-1], 0.0]
        w -= _RATE * grad
    return means, scales, w


def _probabilities(
    x: np.ndarray, means: np.ndarray, scales: np.ndarray, w: np.ndarray
) -> np.ndarray:
    z = np.column_stack([(x - means) / scales, np.ones(len(x))])
    return 1.0 / (1.0 + np.exp(-(z @ w)))


def choose_threshold(
    probabilities: Sequence[float], right: Sequence[bool], in_scope: Sequence[bool]
) -> float:
    """Return the probability to answer at: on a 0.01 grid, among those refusing at least
    REFUSAL_TARGET of the off-topic messages, the one maximising right − WRONG_COST × wrong
    (ties: the lowest)."""
    p = np.asarray(probabilities)
    ok = np.asarray(right, dtype=bool)
    pos = np.asarray(in_scope, dtype=bool)
    n_pos = max(int(pos.sum()), 1)
    n_neg = max(int((~pos).sum()), 1)
    best, chosen = -math.inf, 0.5
    for threshold in np.round(np.arange(0.05, 0.96, 0.01), 2):
        answered = p >= threshold
        refused = (~answered & ~pos).sum() / n_neg
        if refused + 1e-9 < REFUSAL_TARGET:
            continue
        value = (answered & ok).sum() / n_pos - WRONG_COST * (answered & pos & ~ok).sum() / n_pos
        if value > best + 1e-12:
            best, chosen = value, float(threshold)
    return chosen


# Fitted by ``fit`` on bench/data/faq_calibration.tsv with the shipped FAQ and matcher
# (``bench/faq.py --fit`` prints it); tests/faq/test_faq_calibration.py refits and compares.
SHIPPED = Decision(
    means=(0.4749, 0.161, 0.4152, 0.6587, 0.4708, 0.0765, 1.9113, 0.9133, 0.7372, 0.1724, 0.0894,
           0.8471),
    scales=(0.186, 0.1323, 0.1867, 0.1739, 0.1316, 0.2658, 0.4347, 0.2814, 0.4401, 0.1488, 0.1295,
            0.2164),
    weights=(0.8659, 0.443, 0.359, 0.751, -0.7097, -0.9511, 0.5127, 0.2055, -0.0368, 0.2769,
             0.0474, 0.5279),
    bias=2.31,
    threshold=0.85,
)  # fmt: skip
