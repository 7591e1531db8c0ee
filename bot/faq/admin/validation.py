"""The rules an FAQ entry must follow before it is saved."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.faq.admin.errors import FaqAdminError
from bot.faq.admin.limits import (
    MAX_ANSWER,
    MAX_ID,
    MAX_PARAPHRASE,
    MAX_PARAPHRASES,
    MAX_QUESTION,
)
from bot.faq.model import FaqEntry

ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
CATEGORY = re.compile(r"^[a-z0-9][a-z0-9 _-]{0,31}$")
# Path words of the console's FAQ pages; an entry with such an id could not be opened.
RESERVED_IDS = frozenset({"new", "try", "unanswered", "import", "export"})


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FaqAdminError(f"{key}_invalid", key)
    return " ".join(value.split()) if key != "answer" else value.strip()


def paraphrase_lines(value: str | Iterable[str]) -> list[str]:
    """Split paraphrases typed one per line, trimmed, blanks dropped."""
    lines = value.splitlines() if isinstance(value, str) else list(value)
    return [" ".join(str(line).split()) for line in lines if str(line).strip()]


def _dedupe(question: str, paraphrases: Iterable[str]) -> tuple[str, ...]:
    seen = {question.casefold()}
    kept: list[str] = []
    for text in paraphrases:
        key = text.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(text)
    return tuple(kept)


def validate(data: Mapping[str, Any], *, new: bool = False) -> FaqEntry:
    """Check an entry's fields and return it, raising FaqAdminError naming the field."""
    faq_id = _text(data, "id")
    if new and (not ENTRY_ID.fullmatch(faq_id) or faq_id in RESERVED_IDS):
        raise FaqAdminError("id_invalid", "id")
    if not faq_id or len(faq_id) > MAX_ID:
        raise FaqAdminError("id_invalid", "id")
    category = _text(data, "category").lower()
    if not CATEGORY.fullmatch(category):
        raise FaqAdminError("category_invalid", "category")
    question, answer = _text(data, "question"), _text(data, "answer")
    if not question:
        raise FaqAdminError("question_empty", "question")
    if len(question) > MAX_QUESTION:
        raise FaqAdminError("question_long", "question")
    if not answer:
        raise FaqAdminError("answer_empty", "answer")
    if len(answer) > MAX_ANSWER:
        raise FaqAdminError("answer_long", "answer")
    raw = data.get("paraphrases") or []
    if not isinstance(raw, list | tuple) or any(not isinstance(p, str) for p in raw):
        raise FaqAdminError("paraphrases_invalid", "paraphrases")
    paraphrases = _dedupe(question, paraphrase_lines(raw))
    if len(paraphrases) > MAX_PARAPHRASES:
        raise FaqAdminError("paraphrases_many", "paraphrases")
    if any(len(p) > MAX_PARAPHRASE for p in paraphrases):
        raise FaqAdminError("paraphrase_long", "paraphrases")
    published = data.get("published", True)
    if not isinstance(published, bool):
        raise FaqAdminError("published_invalid", "published")
    return FaqEntry(faq_id, category, question, paraphrases, answer, published)
