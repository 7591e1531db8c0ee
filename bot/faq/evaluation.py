"""Measure how well an FAQ index answers a labelled set of citizens' questions.

The question file is TSV, one question a line: ``expected<TAB>question``, where ``expected`` is
an entry id, ``-`` for an off-topic message the bot must refuse, or ``id1+id2`` for a message
holding two questions. Lines starting with ``#`` and blank lines are skipped.

The figures, the same in ``bench/faq.py`` and ``tlive-bot faq eval``:

- answered right: the bot answered, and with exactly the expected entries (both, for two);
- answered wrong: the bot answered with an entry that was not expected (the costly error);
- in-scope refused: the rest of the in-scope questions (offered candidates and the helpdesk);
- right among choices: in-scope questions refused whose right entry was among the "Maksud
  Bapak/Ibu salah satu ini?" buttons (the citizen still has to pick: never counted as right);
- ranked first: the best-ranked entry was an expected one, thresholds aside;
- off-topic refused: off-topic messages the bot did not answer;
- latency: time per message of ``FaqIndex.ask_all``, median and 99th percentile.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from bot.faq.decision import Decision, Evidence, fit
from bot.faq.matcher import FaqIndex, FaqMatch

OFF_TOPIC = "-"


@dataclass(frozen=True, slots=True)
class LabelledQuestion:
    """A citizen's message and the entries that answer it (none: off-topic)."""

    text: str
    expected: tuple[str, ...]

    @property
    def in_scope(self) -> bool:
        """Tell whether the FAQ should answer this message."""
        return bool(self.expected)


def parse_questions(text: str, source: str = "questions") -> list[LabelledQuestion]:
    """Parse a question file's text, raising ValueError naming the bad line."""
    out: list[LabelledQuestion] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        expected, sep, question = line.partition("\t")
        if not sep or not question.strip() or "\t" in question:
            raise ValueError(f"{source}:{number}: expected 'id<TAB>question' (one tab)")
        label = expected.strip()
        ids = () if label == OFF_TOPIC else tuple(i.strip() for i in label.split("+"))
        if any(not i for i in ids):
            raise ValueError(f"{source}:{number}: empty entry id in {label!r}")
        out.append(LabelledQuestion(question.strip(), ids))
    return out


def read_questions(path: str | Path) -> list[LabelledQuestion]:
    """Read a question file (see the module docstring for the format)."""
    file = Path(path)
    return parse_questions(file.read_text(encoding="utf-8"), file.name)


def format_questions(questions: Iterable[LabelledQuestion]) -> str:
    """Render questions in the question file format."""
    return "".join(f"{'+'.join(q.expected) or OFF_TOPIC}\t{q.text}\n" for q in questions)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the index did with one labelled question."""

    question: LabelledQuestion
    answered: tuple[str, ...]
    ranked_first: str | None
    seconds: float
    # The entries offered as "did you mean" buttons when the bot did not answer.
    offered: tuple[str, ...] = ()

    @property
    def right(self) -> bool:
        """Tell whether the bot answered with exactly the expected entries."""
        return bool(self.answered) and set(self.answered) == set(self.question.expected)

    @property
    def wrong(self) -> bool:
        """Tell whether the bot answered with an entry that does not answer the message."""
        return any(a not in self.question.expected for a in self.answered)


@dataclass(frozen=True, slots=True)
class Report:
    """The figures of one evaluation run."""

    outcomes: tuple[Outcome, ...]

    def _in_scope(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.question.in_scope]

    def _off_topic(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.question.in_scope]

    @property
    def in_scope(self) -> int:
        """Return the number of in-scope questions."""
        return len(self._in_scope())

    @property
    def off_topic(self) -> int:
        """Return the number of off-topic messages."""
        return len(self._off_topic())

    @property
    def answered_right(self) -> float:
        """Return the share of in-scope questions answered with exactly the right entries."""
        return _share(o.right for o in self._in_scope())

    @property
    def answered_wrong(self) -> float:
        """Return the share of in-scope questions answered with a wrong entry."""
        return _share(o.wrong for o in self._in_scope())

    @property
    def ranked_first(self) -> float:
        """Return the share of in-scope questions whose best-ranked entry is an expected one."""
        return _share(o.ranked_first in o.question.expected for o in self._in_scope())

    @property
    def right_among_choices(self) -> float:
        """Return the share of in-scope questions refused with an expected entry offered."""
        return _share(
            not o.answered and any(i in o.question.expected for i in o.offered)
            for o in self._in_scope()
        )

    @property
    def off_topic_offered(self) -> float:
        """Return the share of off-topic messages refused but offered some choices."""
        return _share(not o.answered and bool(o.offered) for o in self._off_topic())

    @property
    def off_topic_refused(self) -> float:
        """Return the share of off-topic messages the bot did not answer."""
        return _share(not o.answered for o in self._off_topic())

    @property
    def median_ms(self) -> float:
        """Return the median time per message in milliseconds."""
        return statistics.median(o.seconds for o in self.outcomes) * 1000 if self.outcomes else 0

    @property
    def p99_ms(self) -> float:
        """Return the 99th-percentile time per message in milliseconds."""
        if not self.outcomes:
            return 0.0
        return float(np.percentile([o.seconds for o in self.outcomes], 99)) * 1000

    def mistakes(self) -> list[Outcome]:
        """Return the outcomes that were not right: wrong answers, refusals, answered off-topic."""
        return [
            o for o in self.outcomes
            if (o.question.in_scope and not o.right) or (not o.question.in_scope and o.answered)
        ]  # fmt: skip

    def lines(self) -> list[str]:
        """Return the figures as printable lines."""
        return [
            f"in-scope questions   {self.in_scope:>6}",
            f"  answered right     {self.answered_right:>7.1%}",
            f"  answered wrong     {self.answered_wrong:>7.1%}",
            f"  ranked first       {self.ranked_first:>7.1%}",
            f"  refused, right among choices {self.right_among_choices:>5.1%}",
            f"off-topic messages   {self.off_topic:>6}",
            f"  refused            {self.off_topic_refused:>7.1%}",
            f"  refused with choices {self.off_topic_offered:>5.1%}",
            f"latency median       {self.median_ms:>7.2f} ms",
            f"latency p99          {self.p99_ms:>7.2f} ms",
        ]


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 0.0


def outcome(index: Answers, question: LabelledQuestion) -> Outcome:
    """Ask the index one labelled question and time it."""
    start = time.perf_counter()
    matches = index.ask_all(question.text)
    seconds = time.perf_counter() - start
    answered = tuple(m.faq_id for m in matches if m.faq_id is not None)
    first = matches[0] if matches else None
    ranked = None
    offered: tuple[str, ...] = ()
    if first is not None:
        ranked = first.faq_id or (first.alternatives[0].faq_id if first.alternatives else None)
        if first.faq_id is None:
            offered = tuple(c.faq_id for c in first.alternatives)
    return Outcome(question, answered, ranked, seconds, offered)


class Answers(Protocol):
    """What evaluation needs of an index: a verdict for a message, and one per question in it."""

    def ask(self, text: str) -> FaqMatch:
        """Decide which entry answers a message."""
        ...

    def ask_all(self, text: str) -> tuple[FaqMatch, ...]:
        """Answer each question of a message."""
        ...


def evaluate(index: Answers, questions: Sequence[LabelledQuestion]) -> Report:
    """Ask every question and collect the figures."""
    index.ask("pemanasan")  # the first question loads models and fills caches
    return Report(tuple(outcome(index, q) for q in questions))


def calibrate(index: FaqIndex, questions: Sequence[LabelledQuestion]) -> Decision:
    """Fit the answer decision on calibration questions (see ``bot.faq.decision``)."""
    evidence: list[Evidence] = []
    right: list[bool] = []
    in_scope: list[bool] = []
    empty = Evidence(0.0, 0.0, 0.0, 0.0, 0.0, False, 0)
    for q in questions:
        scores, found = index.evidence(q.text)
        evidence.append(found or empty)
        best = index.entries[int(np.argmax(scores))].id if scores.size else None
        right.append(q.in_scope and best in q.expected)
        in_scope.append(q.in_scope)
    return fit(evidence, right, in_scope)
