"""An FAQ index whose verdicts a test writes down, so inbox tests do not hang on the matcher's
current tuning (which the matcher's own tests and the bench measure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from bot.faq.matcher import Candidate, FaqIndex, FaqMatch, MatcherConfig
from bot.faq.model import FaqEntry


class ScriptedIndex:
    """Answer ``ask``, ``ask_all`` and ``alternatives`` from a table; other texts are refused."""

    def __init__(self, entries: Sequence[FaqEntry], verdicts: Mapping[str, FaqMatch]) -> None:
        self.entries = [e for e in entries if e.published]
        self.config = MatcherConfig()
        self._by_id = {e.id: e for e in self.entries}
        self._verdicts = dict(verdicts)

    def __contains__(self, faq_id: object) -> bool:
        """Tell whether an entry id is indexed."""
        return faq_id in self._by_id

    def entry(self, faq_id: str) -> FaqEntry:
        """Return the indexed entry with this id."""
        return self._by_id[faq_id]

    def ask(self, text: str) -> FaqMatch:
        """Return the scripted verdict for a text."""
        return self._verdicts.get(text, FaqMatch(None, 0.0, ()))

    def ask_all(self, text: str) -> tuple[FaqMatch, ...]:
        """Return the scripted verdict as the only question of a message."""
        return (self.ask(text),)

    def alternatives(self, text: str, limit: int = 3) -> tuple[Candidate, ...]:
        """Return the scripted candidates for a text, best first (the answer included)."""
        verdict = self.ask(text)
        ranked = verdict.alternatives
        if verdict.faq_id is not None:
            ranked = (Candidate(verdict.faq_id, verdict.score), *ranked)
        return ranked[:limit]


def scripted_index(entries: Sequence[FaqEntry], verdicts: Mapping[str, FaqMatch]) -> FaqIndex:
    """Return a ScriptedIndex typed as the index the inbox code expects."""
    return cast(FaqIndex, ScriptedIndex(entries, verdicts))


def refused(*candidates: tuple[str, float]) -> FaqMatch:
    """Return a refusal offering ``candidates`` (id, score), best first."""
    offered = tuple(Candidate(faq_id, score) for faq_id, score in candidates)
    return FaqMatch(None, offered[0].score if offered else 0.0, offered)


def answered(faq_id: str, score: float, *others: tuple[str, float]) -> FaqMatch:
    """Return an answer with ``faq_id`` and the runners-up."""
    return FaqMatch(faq_id, score, tuple(Candidate(i, s) for i, s in others))
