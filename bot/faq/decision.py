"""Decide whether the best-ranked FAQ entry answers a message: a small logistic model.

A score threshold alone cannot tell "kode OTP DANA ga masuk" (an off-topic near miss scoring
0.5) from "sabaraha lami verifikasina" (a real question scoring 0.35). The decision weighs
what the matcher knows about its best entry (``Evidence``): the blended score and its lead over
the runner-up, the word and meaning scores apart, how close the message is to known off-topic
messages (``bot/faq/off_topic.txt``), whether it names another service, and its length.

The model is fitted by ``fit`` on the calibration part of the bench's questions only
(``bench/data/faq_calibration.tsv``): plain L2-regularised logistic regression by full-batch
gradient descent from zero (deterministic, so ``tests/faq/test_faq_calibration.py`` can refit
and compare), the label being "the best entry is the right one". The answer threshold is then
chosen on the same part by the rule in ``choose_threshold``. ``SHIPPED`` holds the result;
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

    def features(self) -> tuple[float, ...]:
        """Return the model's inputs, in ``Decision`` order."""
        return (
            self.score, self.margin, self.lexical, self.semantic, self.off_topic,
            float(self.elsewhere), math.log1p(self.words),
        )  # fmt: skip


FEATURES = ("score", "margin", "lexical", "semantic", "off_topic", "elsewhere", "log_words")


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
    """Fit the model and choose its threshold on labelled calibration messages."""
    x = np.asarray([e.features() for e in evidence], dtype=np.float64)
    y = np.asarray(right, dtype=np.float64)
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales < 1e-9] = 1.0
    z = np.column_stack([(x - means) / scales, np.ones(len(x))])
    w = np.zeros(z.shape[1])
    for _ in range(_STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) / len(y) + _L2 * np.r_[w[:-1], 0.0]
        w -= _RATE * grad
    probabilities = 1.0 / (1.0 + np.exp(-(z @ w)))
    threshold = choose_threshold(probabilities, right, in_scope)
    return Decision(
        tuple(means), tuple(scales), tuple(w[:-1]), float(w[-1]), threshold
    ).rounded()


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
    means=(0.4673, 0.1569, 0.4058, 0.6551, 0.4348, 0.0765, 1.9122),
    scales=(0.187, 0.1302, 0.1878, 0.174, 0.1268, 0.2658, 0.4352),
    weights=(0.98, 0.8605, 0.5839, 0.6454, -0.5609, -0.9411, 0.3256),
    bias=2.0629,
    threshold=0.7,
)
