"""Try it: what the bot would do with a message, on the live FAQ and on unsaved drafts."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from bot.faq.matcher import FaqIndex, FaqMatch
from bot.faq.model import FaqEntry

TRY_TOP = 5
Outcome = Literal["answer", "suggest", "refuse"]


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate entry with its question, for display."""

    faq_id: str
    question: str
    score: float


@dataclass(frozen=True, slots=True)
class TryResult:
    """What the bot would do with a message on one index."""

    match: FaqMatch
    outcome: Outcome
    answer: str | None
    offered: tuple[Scored, ...]
    top: tuple[Scored, ...]


def try_text(index: FaqIndex, text: str, suggest_floor: float) -> TryResult:
    """Decide as the bot does: answer, offer "did you mean" buttons, or refuse."""
    match = index.ask(text)

    def scored(faq_id: str, score: float) -> Scored:
        return Scored(faq_id, index.entry(faq_id).question, score)

    offered = tuple(scored(c.faq_id, c.score) for c in match.alternatives[:3])
    scores = index.scores(text)
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:TRY_TOP]
    top = tuple(scored(index.entries[i].id, float(scores[i])) for i in order if scores[i] > 0)
    if match.faq_id is not None:
        return TryResult(match, "answer", index.entry(match.faq_id).answer, (), top)
    if offered and match.score >= suggest_floor:
        return TryResult(match, "suggest", None, offered, top)
    return TryResult(match, "refuse", None, (), top)


class DraftIndexCache:
    """Indexes over the saved entries as if all were published, built once per FAQ state."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._built: OrderedDict[frozenset[FaqEntry], FaqIndex] = OrderedDict()

    async def get(self, entries: Sequence[FaqEntry], live: FaqIndex) -> FaqIndex:
        """Return an index of ``entries`` (all treated as published), reusing ``live`` if equal."""
        key = frozenset(replace(e, published=True) for e in entries)
        if key == frozenset(live.entries):
            return live
        found = self._built.get(key)
        if found is None:
            found = await asyncio.to_thread(FaqIndex.build, key)
            self._built[key] = found
            while len(self._built) > self._size:
                self._built.popitem(last=False)
        self._built.move_to_end(key)
        return found


def with_draft(entries: Sequence[FaqEntry], draft: FaqEntry | None) -> list[FaqEntry]:
    """Return the saved entries with an unsaved draft in place of (or beside) its saved self."""
    if draft is None:
        return list(entries)
    return [*(e for e in entries if e.id != draft.id), draft]
