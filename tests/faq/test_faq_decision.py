"""The answer decision: its threshold is chosen on messages each model did not see."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bot.faq import decision
from bot.faq.decision import Evidence, fit


def _noisy(n: int, seed: int = 5) -> tuple[list[Evidence], list[bool], list[bool]]:
    rng = random.Random(seed)
    evidence, right, in_scope = [], [], []
    for i in range(n):
        score = rng.random()
        evidence.append(
            Evidence(score, rng.random() / 3, score, rng.random(), rng.random(), i % 9 == 0,
                     rng.randint(1, 12), rng.random() < 0.8, rng.random() < 0.7,
                     rng.random() - 0.3, rng.random() - 0.3, rng.random())
        )  # fmt: skip
        scope = i % 5 != 0
        in_scope.append(scope)
        right.append(scope and rng.random() < 0.3 + 0.6 * score)
    return evidence, right, in_scope


def test_the_threshold_is_chosen_on_out_of_fold_probabilities(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[np.ndarray] = []
    original = decision.choose_threshold

    def spy(probabilities: np.ndarray, right: list[bool], in_scope: list[bool]) -> float:
        seen.append(np.asarray(probabilities).copy())
        return original(probabilities, right, in_scope)

    monkeypatch.setattr(decision, "choose_threshold", spy)
    evidence, right, in_scope = _noisy(200)
    fitted = fit(evidence, right, in_scope)
    in_sample = np.asarray([fitted.probability(e) for e in evidence])
    assert len(seen) == 1
    # Each message was scored by a model fitted without it, so not as the final model scores it.
    assert np.abs(seen[0] - in_sample).max() > 1e-3
    assert np.corrcoef(seen[0], in_sample)[0, 1] > 0.8


def test_fitting_is_deterministic_and_small_sets_still_fit() -> None:
    evidence, right, in_scope = _noisy(200)
    assert fit(evidence, right, in_scope) == fit(evidence, right, in_scope)
    few = fit(*_noisy(8))
    assert 0.05 <= few.threshold <= 0.95
