"""The bench's question set: independent of the FAQ, split once, the decision fitted on one part."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from bot.faq.decision import SHIPPED, Decision
from bot.faq.evaluation import (
    LabelledQuestion,
    calibrate,
    evaluate,
    parse_questions,
    read_questions,
)
from bot.faq.matcher import FaqIndex
from bot.faq.model import load_default_faq

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
# Measured on the test part with the shipped matcher (bench/faq.py: 77.3 % right, 2.2 % wrong,
# 93.5 % refused); a drop below is a regression.
RIGHT_FLOOR = 0.75
WRONG_CEILING = 0.03
REFUSED_FLOOR = 0.90


@lru_cache(maxsize=1)
def _parts() -> tuple[list[LabelledQuestion], list[LabelledQuestion]]:
    return read_questions(DATA / "faq_calibration.tsv"), read_questions(DATA / "faq_test.tsv")


@lru_cache(maxsize=1)
def _index() -> FaqIndex:
    return FaqIndex.build(load_default_faq())


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def test_the_set_is_large_covers_every_entry_and_is_split_in_two_disjoint_parts() -> None:
    calibration, test = _parts()
    both = [*calibration, *test]
    assert sum(q.in_scope for q in both) >= 400
    assert sum(not q.in_scope for q in both) >= 150
    ids = {e.id for e in load_default_faq()}
    for part in (calibration, test):
        assert ids == {i for q in part for i in q.expected}
    assert not {_key(q.text) for q in calibration} & {_key(q.text) for q in test}


def test_no_question_is_one_of_the_faqs_own_texts() -> None:
    own = {_key(t) for e in load_default_faq() for t in e.documents()}
    calibration, test = _parts()
    assert not [q.text for q in (*calibration, *test) if _key(q.text) in own]


def _close(a: Decision, b: Decision) -> bool:
    pairs = [
        *zip(a.means, b.means, strict=True),
        *zip(a.scales, b.scales, strict=True),
        *zip(a.weights, b.weights, strict=True),
    ]
    pairs += [(a.bias, b.bias), (a.threshold, b.threshold)]
    return all(abs(x - y) <= 2e-4 for x, y in pairs)


def test_the_shipped_decision_is_the_one_fitted_on_the_calibration_part() -> None:
    calibration, _ = _parts()
    assert _close(calibrate(_index(), calibration), SHIPPED)


def test_the_test_part_is_not_what_the_decision_was_fitted_on() -> None:
    _, test = _parts()
    # Had the decision been fitted on the test part, refitting there would give it back.
    assert not _close(calibrate(_index(), test), SHIPPED)


def test_the_test_part_meets_the_measured_floors() -> None:
    _, test = _parts()
    report = evaluate(_index(), test)
    assert report.answered_right >= RIGHT_FLOOR
    assert report.answered_wrong <= WRONG_CEILING
    assert report.off_topic_refused >= REFUSED_FLOOR


def test_a_question_file_line_names_its_entries_or_a_dash() -> None:
    text = (
        "# comment\n\ncara-daftar\tgmn daftar\n-\tcuaca hari ini\n"
        "biaya+lama-verifikasi\tbrp? lama?\n"
    )
    questions = parse_questions(text)
    assert [q.expected for q in questions] == [
        ("cara-daftar",),
        (),
        ("biaya", "lama-verifikasi"),
    ]


@pytest.mark.parametrize("line", ["no tab here", "cara-daftar\t", "a+\tteks", "x\ty\tz"])
def test_a_bad_question_line_is_named(line: str) -> None:
    with pytest.raises(ValueError, match=":1:"):
        parse_questions(line)
