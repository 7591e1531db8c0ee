"""The unanswered inbox: similar questions grouped, each group with the entries closest to it.

Also what the editors build from a group: the prefilled form of a new entry (``draft_entry``)
and the console home's weekly digest (the same groups, over the last ``DIGEST_DAYS`` days).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from bot.faq.admin.limits import MAX_PARAPHRASE, MAX_PARAPHRASES, MAX_QUESTION
from bot.faq.admin.records import Unanswered
from bot.faq.admin.tryit import Scored
from bot.faq.admin.validation import ENTRY_ID, RESERVED_IDS
from bot.faq.matcher import WORD_WEIGHT, Candidate, FaqIndex, MatcherConfig, char_grams
from bot.faq.normalize import content_words, normalize, normalize_text, stem
from bot.faq.vectors import SparseSpace

# Unanswered questions grouped at once (newest first); older ones wait for the next page view.
INBOX_LIMIT = 500
# Two questions share a group when their blended word/character cosine to the group's
# centroid reaches this (idf counted with the FAQ's own texts). Between 0.40 and 0.50 the
# groups of tests/services/test_faq_admin.py come out the same ("ktp sy ilang gmn" with "KTP
# hilang, bisa daftar?", apart from "ktp rusak gimana"); 0.45 sits in the middle.
GROUP_THRESHOLD = 0.45
_CHAR_NGRAMS = MatcherConfig().char_ngrams
# The console home's digest: the top groups of the last week, from at most DIGEST_LIMIT of the
# newest open questions, so the home page's work stays bounded however busy the bot was.
DIGEST_DAYS = 7
DIGEST_TOP = 5
DIGEST_LIMIT = 300
# A suggested id for a drafted entry: its first content words, shortened.
_ID_WORDS = 4
_ID_CHARS = 40


@dataclass(frozen=True, slots=True)
class UnansweredGroup:
    """Similar unanswered questions, with the entries the matcher thinks come closest."""

    items: tuple[Unanswered, ...]
    representative: str
    suggestions: tuple[Scored, ...] = field(default_factory=tuple)
    # The bot would now answer the most asked question with the first suggestion: the FAQ (or
    # the matcher) changed since it was asked.
    answered_now: bool = False

    @property
    def ids(self) -> str:
        """Return the member ids as the forms send them (comma-separated)."""
        return ",".join(str(i.id) for i in self.items)

    @property
    def texts(self) -> tuple[str, ...]:
        """Return the distinct texts, most frequent first."""
        counts = Counter(i.text.strip() for i in self.items)
        return tuple(t for t, _ in counts.most_common())

    @property
    def nearest(self) -> Scored | None:
        """Return the entry the matcher almost chose for the group's most asked question."""
        return self.suggestions[0] if self.suggestions else None

    @property
    def answered_with(self) -> tuple[str, ...]:
        """Return the entries citizens marked "Tidak" in this group."""
        return tuple(sorted({i.faq_id for i in self.items if i.faq_id}))


def _terms(text: str) -> tuple[list[str], list[str]]:
    """Return a text's terms as the matcher sees them: stemmed words and character n-grams."""
    words = content_words(normalize(text))
    return [stem(w) for w in words], char_grams(words, *_CHAR_NGRAMS)


@dataclass(frozen=True, slots=True)
class Background:
    """The FAQ's own questions and paraphrases as terms, counted in the grouping's idf."""

    words: tuple[tuple[str, ...], ...] = ()
    chars: tuple[tuple[str, ...], ...] = ()


@lru_cache(maxsize=2)
def background(index: FaqIndex) -> Background:
    """Return the terms of an index's questions and paraphrases."""
    terms = [_terms(text) for entry in index.entries for text in entry.documents()]
    return Background(tuple(tuple(w) for w, _ in terms), tuple(tuple(c) for _, c in terms))


def _dot(vector: Mapping[str, float], centroid: Mapping[str, float]) -> float:
    return sum(w * centroid.get(t, 0.0) for t, w in vector.items())


def group_similar(
    texts: Sequence[str],
    threshold: float = GROUP_THRESHOLD,
    common: Background | None = None,
) -> list[list[int]]:
    """Greedily cluster texts (indexes, in order) by the matcher's word and n-gram evidence.

    Each text joins the group whose centroid it is most similar to (the matcher's blend of
    word and character-n-gram tf-idf cosines), or starts a new one below ``threshold``. Idf is
    counted over the texts plus ``common`` (the FAQ's own texts), so words every question uses
    ("daftar", "bisa") weigh little and the topic word ("paspor") decides. A text sharing no
    word with a group scores at most the character share (1 − WORD_WEIGHT), below any useful
    threshold, so only groups sharing a word are compared.
    """
    if not texts:
        return []
    terms = [_terms(t) for t in texts]
    common = common or Background()
    word_space = SparseSpace([*common.words, *(w for w, _ in terms)], "tfidf")
    char_space = SparseSpace([*common.chars, *(c for _, c in terms)], "tfidf")
    groups: list[list[int]] = []
    # Per group: word and character centroids (sums of unit vectors) and their squared norms.
    centroids: list[tuple[dict[str, float], dict[str, float]]] = []
    norms: list[list[float]] = []
    by_word: dict[str, set[int]] = {}
    exact: dict[str, int] = {}
    for i, (words, grams) in enumerate(terms):
        wv, cv = word_space.unit_vector(words), char_space.unit_vector(grams)
        key = normalize_text(texts[i]) or texts[i].strip().casefold()
        best, best_sim = exact.get(key), 1.0
        if best is None:
            best_sim = 0.0
            for g in sorted(set().union(*(by_word.get(t, set()) for t in wv))):
                cw, cc = centroids[g]
                chars = _dot(cv, cc) / math.sqrt(norms[g][1]) if norms[g][1] else 0.0
                words_sim = _dot(wv, cw) / math.sqrt(norms[g][0])
                sim = WORD_WEIGHT * words_sim + (1.0 - WORD_WEIGHT) * chars
                if sim > best_sim:
                    best, best_sim = g, sim
        if best is None or best_sim < threshold:
            groups.append([])
            centroids.append(({}, {}))
            norms.append([0.0, 0.0])
            best = len(groups) - 1
        groups[best].append(i)
        exact.setdefault(key, best)
        for channel, vector in enumerate((wv, cv)):
            centroid = centroids[best][channel]
            if vector:
                norms[best][channel] += 2.0 * _dot(vector, centroid) + 1.0
            for t, w in vector.items():
                centroid[t] = centroid.get(t, 0.0) + w
        for t in wv:
            by_word.setdefault(t, set()).add(best)
    return groups


def group_unanswered(
    items: Sequence[Unanswered], index: FaqIndex, top: int | None = None
) -> list[UnansweredGroup]:
    """Group open questions by similarity, largest (then newest) first, with suggestions.

    With ``top`` only that many groups are returned, and only they are matched against the
    FAQ (the matching, not the grouping, is what costs per group).
    """
    groups: list[UnansweredGroup] = []
    for members in group_similar([i.text for i in items], common=background(index)):
        found = tuple(items[m] for m in members)
        texts = Counter(i.text.strip() for i in found)
        groups.append(UnansweredGroup(found, texts.most_common(1)[0][0]))
    groups.sort(key=lambda g: (-len(g.items), -g.items[0].created_at.timestamp()))
    return [_with_closest(g, index) for g in (groups if top is None else groups[:top])]


def _with_closest(group: UnansweredGroup, index: FaqIndex) -> UnansweredGroup:
    found, answered = closest(index, group.representative)
    return replace(group, suggestions=found, answered_now=answered)


def closest(index: FaqIndex, text: str) -> tuple[tuple[Scored, ...], bool]:
    """Return the entries ranked closest to a text (best first), and if the bot answers with one."""
    match = index.ask(text)
    ranked = match.alternatives
    if match.faq_id is not None:
        ranked = (Candidate(match.faq_id, match.score), *ranked)
    found = tuple(Scored(c.faq_id, index.entry(c.faq_id).question, c.score) for c in ranked)
    return found, match.faq_id is not None


@dataclass(frozen=True, slots=True)
class Draft:
    """A new entry's form as prefilled from inbox questions (the answer is the editor's)."""

    question: str
    paraphrases: tuple[str, ...]
    suggested_id: str
    category: str


def draft_entry(texts: Sequence[str], index: FaqIndex, taken: Collection[str]) -> Draft | None:
    """Prefill a new entry: the most asked text as its question, the others as paraphrases.

    ``texts`` come most frequent first. The id is made from the question's words (free among
    ``taken``); the category is that of the entry the matcher ranks closest, a guess to check.
    """
    fitting = [t for t in texts if t and len(t) <= min(MAX_QUESTION, MAX_PARAPHRASE)]
    if not fitting:
        return None
    question, others = fitting[0], fitting[1 : MAX_PARAPHRASES + 1]
    nearest = index.alternatives(question, limit=1)
    category = index.entry(nearest[0].faq_id).category if nearest else ""
    return Draft(question, tuple(others), suggest_id(question, taken), category)


def suggest_id(text: str, taken: Collection[str]) -> str:
    """Return an unused entry id made of a text's first content words ("" when it has none)."""
    words = [w for w in content_words(normalize(text)) if w.isascii() and w.isalnum()]
    base = "-".join(words[:_ID_WORDS])[:_ID_CHARS].strip("-").lower()
    if not base:
        return ""
    candidate, n = base, 2
    while candidate in taken or candidate in RESERVED_IDS or not ENTRY_ID.fullmatch(candidate):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def parse_ids(value: str | Iterable[str]) -> list[int]:
    """Read unanswered ids sent by a form ("1,2,3" or several fields)."""
    parts = value.split(",") if isinstance(value, str) else [p for v in value for p in v.split(",")]
    return sorted({int(p) for p in (s.strip() for s in parts) if p.isdigit()})


def most_frequent(texts: Iterable[str]) -> list[str]:
    """Return distinct texts (trimmed), most frequent first."""
    return [t for t, _ in Counter(t.strip() for t in texts).most_common()]
