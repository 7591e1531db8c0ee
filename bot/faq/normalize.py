"""Normalise Indonesian as citizens type it on phones, and reduce it to stemmed content terms.

Pipeline (``normalize``): Unicode NFKC + lowercase → drop emoji/punctuation → split "orang2" into
"orang orang" → collapse letters repeated three or more times ("lamaaaa" → "lama") → map the
project's own slang/abbreviation table (single words and a few word pairs) → tokens.
``content_terms`` then drops the stopwords (polite openings, fillers, particles) and stems each
word with PySastrawi, plus a few colloquial (Jakarta) affixes Sastrawi does not know
("daftarin", "ngecek", "ktpku"). Stems are cached in a bounded LRU cache because Sastrawi is slow.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from bot.faq.cache import cache_dir, write_atomically
from bot.faq.informal import PHRASES
from bot.faq.informal import SLANG as _INFORMAL
from bot.faq.lexicon import DOMAIN_ROOTS, STOPWORDS, SYNONYMS
from bot.faq.regional import REGIONAL

# Informal Indonesian first: where a word is both, the Indonesian reading wins.
SLANG: dict[str, str] = {**REGIONAL, **_INFORMAL}

_STANDARD_FORMS: frozenset[str] = frozenset(
    w for value in (*SLANG.values(), *PHRASES.values()) for w in value.split()
)
_REDUPLICATION = re.compile(r"\b([^\W\d_]{2,})2\b")
_DOUBLES = re.compile(r"([^\W\d_])\1")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_NON_WORD = re.compile(r"[\W_]+")
_HYPHEN_PAIR = re.compile(r"([^\W\d_]+)-\1\b")
_MAX_WORD = 40


def normalize(text: str) -> list[str]:
    """Return the normalised tokens of a message (slang mapped, stopwords kept)."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", text).lower()
    text = _HYPHEN_PAIR.sub(r"\1 \1", text)
    text = _NON_WORD.sub(" ", text)
    text = _REDUPLICATION.sub(r"\1 \1", text)
    text = _REPEATS.sub(r"\1", text)
    mapped = [t for w in text.split() for t in _map_slang(w[:_MAX_WORD]).split()]
    tokens: list[str] = []
    i = 0
    while i < len(mapped):
        pair = PHRASES.get((mapped[i], mapped[i + 1])) if i + 1 < len(mapped) else None
        if pair is not None:
            tokens.extend(pair.split())
            i += 2
        else:
            tokens.append(mapped[i])
            i += 1
    return tokens


def _map_slang(word: str) -> str:
    """Map a word through the slang table, also when it carries a clitic ("hpnya", "ktpku")."""
    mapped = SLANG.get(word)
    if mapped is not None:
        return mapped
    single = _DOUBLES.sub(r"\1", word)
    if single != word and single in SLANG:
        return SLANG[single]  # "ilaang", "udahh", "gakk"
    for clitic in ("nya", "ku"):
        if word.endswith(clitic) and len(word) > len(clitic) + 1:
            base = SLANG.get(word[: -len(clitic)])
            if base is not None and " " not in base:
                return base
    return word


def normalize_text(text: str) -> str:
    """Return the normalised message as one space-separated string."""
    return " ".join(normalize(text))


def content_words(tokens: list[str]) -> list[str]:
    """Drop stopwords from normalised tokens."""
    return [t for t in tokens if t not in STOPWORDS]


def content_terms(text: str) -> list[str]:
    """Return the stemmed content terms of a message."""
    return [stem(t) for t in content_words(normalize(text))]


def is_known_word(word: str) -> bool:
    """Tell whether a normalised word is standard Indonesian (a root, or stems to one)."""
    if word in STOPWORDS or word in _STANDARD_FORMS:
        return True
    roots = _stemmer()[1]
    return word in roots or _stem(word) in roots


@lru_cache(maxsize=1)
def _stemmer() -> tuple[Stemmer, frozenset[str]]:
    """Build the Sastrawi stemmer (uncached inside) and its root dictionary once."""
    words = StemmerFactory().get_words()
    return Stemmer(ArrayDictionary(words)), frozenset(words) | DOMAIN_ROOTS


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one normalised word, handling colloquial Jakarta affixes Sastrawi misses."""
    root = _stem(word)
    return SYNONYMS.get(root, root)


# Roots of words stemmed before, kept on disk between processes: Sastrawi takes ~0.3 ms a word,
# so stemming an FAQ's ~800 distinct words was a quarter of `tlive-bot faq ask`'s start.
# Keyed by the stemming code and tables (this file and the lexicon) and Sastrawi's version.
_MEMO_LIMIT = 200_000
_memo: dict[str, str] | None = None
_memo_saved = 0


def _memo_path() -> Path:
    import Sastrawi

    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("normalize.py", "lexicon.py"):
        digest.update((here / name).read_bytes())
    version = getattr(Sastrawi, "__version__", None) or Path(Sastrawi.__file__).stat().st_mtime
    digest.update(str(version).encode())
    return cache_dir() / f"stems-{digest.hexdigest()[:16]}.json"


def _stem_memo() -> dict[str, str]:
    """Return the roots remembered on disk (loaded at the first stem)."""
    global _memo, _memo_saved
    if _memo is None:
        try:
            data = json.loads(_memo_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        items = data.items() if isinstance(data, dict) else ()
        _memo = {k: v for k, v in items if isinstance(k, str) and isinstance(v, str)}
        _memo_saved = len(_memo)
    return _memo


def save_stems(words: Iterable[str]) -> None:
    """Keep the roots of an FAQ's words on disk for the next process.

    Only the FAQ's own (published, public) words: citizens' words are stemmed in memory only.
    """
    global _memo_saved
    memo = _stem_memo()
    for word in words:
        if word not in memo and not _unstemmed(word):
            memo[word] = _stem(word)
    grown = _memo_saved < len(memo) <= _MEMO_LIMIT
    if grown and write_atomically(_memo_path(), json.dumps(memo, ensure_ascii=False).encode()):
        _memo_saved = len(memo)


def _unstemmed(word: str) -> bool:
    """Tell whether a word is its own root without asking the stemmer."""
    return word in DOMAIN_ROOTS or len(word) <= 3 or not word.isalpha()


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Stem one word to its root (before synonyms)."""
    if _unstemmed(word):
        return word
    root = _stem_memo().get(word)
    return root if root is not None else _sastrawi_root(word)


def _sastrawi_root(word: str) -> str:
    """Stem a word with Sastrawi, trying colloquial spellings when it finds no root."""
    stemmer, roots = _stemmer()
    base = stemmer.stem_word(word)
    if base in roots:
        return base
    for candidate in _colloquial_variants(word):
        if candidate in roots:
            return candidate
        result = stemmer.stem_word(candidate)
        if result in roots:
            return result
    for clitic in ("nya", "ku", "mu"):
        # An unknown (often borrowed) word still takes the clitic: "fiturnya", "verifnya".
        if base == word and word.endswith(clitic) and len(word) - len(clitic) >= 4:
            return word[: -len(clitic)]
    return base


def _colloquial_variants(word: str) -> list[str]:
    """Propose standard spellings for colloquial affixes (-in, nge-, ny-, -ku/-nya on loans)."""
    out: list[str] = []
    for clitic in ("nya", "ku", "mu"):
        if word.endswith(clitic) and len(word) - len(clitic) >= 3:
            out.append(word[: -len(clitic)])
    if word.endswith("in") and len(word) > 5:
        out.extend([word[:-2], word[:-2] + "kan", word[:-2] + "i"])
        if word.startswith("di"):
            out.append(word[2:-2])
    if word.startswith("nge") and len(word) > 5:
        out.append(word[3:])
    if word.startswith("ng") and len(word) > 4 and word[2] in "aiueo":
        out.extend(["meng" + word[2:], "k" + word[2:]])
    if word.startswith("ny") and len(word) > 4:
        out.extend(["meny" + word[2:], "s" + word[2:], "c" + word[2:]])
    if word[0] in "mn" and not word.startswith(("me", "di")) and len(word) > 4:
        out.append("me" + word)
    if word.startswith("me") and len(word) > 4 and word[2] not in "mnaiueo":
        out.append("me" + word)
    return out
