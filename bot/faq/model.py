"""FAQ entries and the YAML file format (a list of id, category, question, paraphrases, answer)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_FAQ_PATH = Path(__file__).parent / "default_faq.yaml"
OFF_TOPIC_PATH = Path(__file__).parent / "off_topic.txt"

_REQUIRED_TEXT = ("id", "category", "question", "answer")
_KNOWN_KEYS = frozenset({*_REQUIRED_TEXT, "paraphrases", "published"})


@dataclass(frozen=True)
class FaqEntry:
    """One question the bot can answer, with the other ways citizens ask it."""

    id: str
    category: str
    question: str
    paraphrases: tuple[str, ...]
    answer: str
    published: bool = True

    def documents(self) -> tuple[str, ...]:
        """Return the texts that represent this entry for matching (question first)."""
        return (self.question, *self.paraphrases)

    def to_dict(self) -> dict[str, Any]:
        """Return the entry in the YAML file shape (``published`` only when false)."""
        data: dict[str, Any] = {
            "id": self.id,
            "category": self.category,
            "question": self.question,
            "paraphrases": list(self.paraphrases),
            "answer": self.answer,
        }
        if not self.published:
            data["published"] = False
        return data


def entry_from_dict(data: Any, position: int = 0) -> FaqEntry:
    """Build an entry from one parsed YAML mapping, raising ValueError naming the entry."""
    label = f"FAQ entry #{position + 1}"
    if not isinstance(data, dict):
        raise ValueError(f"{label}: expected a mapping, got {type(data).__name__}")
    entry_id = data.get("id")
    if isinstance(entry_id, str) and entry_id.strip():
        label = f"FAQ entry {entry_id!r} (#{position + 1})"
    unknown = sorted(str(k) for k in data if k not in _KNOWN_KEYS)
    if unknown:
        raise ValueError(f"{label}: unknown field(s) {', '.join(unknown)}")
    for key in _REQUIRED_TEXT:
        value = data.get(key)
        if value is None:
            raise ValueError(f"{label}: missing field {key!r}")
        if not isinstance(value, str):
            raise ValueError(f"{label}: field {key!r} must be a string, got {type(value).__name__}")
        if not value.strip():
            raise ValueError(f"{label}: field {key!r} is empty")
    paraphrases = data.get("paraphrases", [])
    if paraphrases is None:
        paraphrases = []
    if not isinstance(paraphrases, list):
        raise ValueError(f"{label}: field 'paraphrases' must be a list of strings")
    for i, text in enumerate(paraphrases):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{label}: paraphrase #{i + 1} must be a non-empty string")
    published = data.get("published", True)
    if not isinstance(published, bool):
        raise ValueError(f"{label}: field 'published' must be true or false")
    return FaqEntry(
        id=data["id"].strip(),
        category=data["category"].strip(),
        question=data["question"].strip(),
        paraphrases=tuple(p.strip() for p in paraphrases),
        answer=data["answer"].strip(),
        published=published,
    )


def entries_from_data(data: Any) -> list[FaqEntry]:
    """Validate parsed YAML (a list of mappings) and return its entries."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise ValueError(f"FAQ file must be a YAML list of entries, got {type(data).__name__}")
    entries = [entry_from_dict(item, i) for i, item in enumerate(data)]
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if entry.id in seen:
            first = seen[entry.id] + 1
            raise ValueError(
                f"FAQ entry {entry.id!r} (#{i + 1}): duplicate id, first used by #{first}"
            )
        seen[entry.id] = i
    return entries


def loads_faq(text: str) -> list[FaqEntry]:
    """Parse FAQ entries from YAML text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"FAQ file is not valid YAML: {exc}") from exc
    return entries_from_data(data)


def load_faq(path: str | Path) -> list[FaqEntry]:
    """Read FAQ entries from a YAML file."""
    return loads_faq(Path(path).read_text(encoding="utf-8"))


def dumps_faq(entries: Iterable[FaqEntry]) -> str:
    """Render entries as YAML text in the FAQ file format."""
    return yaml.safe_dump(
        [entry.to_dict() for entry in entries],
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


def dump_faq(entries: Iterable[FaqEntry], path: str | Path) -> None:
    """Write entries to a YAML file in the FAQ file format."""
    Path(path).write_text(dumps_faq(entries), encoding="utf-8")


def load_default_faq() -> list[FaqEntry]:
    """Return the FAQ shipped with the package."""
    return load_faq(DEFAULT_FAQ_PATH)


@lru_cache(maxsize=1)
def load_off_topic_examples() -> tuple[str, ...]:
    """Return the shipped examples of messages the FAQ must not answer."""
    lines = OFF_TOPIC_PATH.read_text(encoding="utf-8").splitlines()
    return tuple(t.strip() for t in lines if t.strip() and not t.lstrip().startswith("#"))
