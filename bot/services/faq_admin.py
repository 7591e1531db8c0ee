"""Editing the FAQ: validated, versioned, audited changes, diffs, rollback, try-it and the inbox.

Every change to an entry (create, edit, publish, unpublish, delete, rollback, import, a
paraphrase taken from the unanswered inbox) writes a ``FaqVersion`` row holding the whole entry
as it is after the change (``None`` after a delete), so any version can be shown, compared with
the one before it, and restored; a rollback is itself a new version. A change that touches a
published entry bumps the shared FAQ generation, so every worker rebuilds its index within
seconds (``FaqService.follow``). Repositories never commit: callers own the unit of work.
"""

from __future__ import annotations

import asyncio
import difflib
import math
import re
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import func, select

from bot.faq.matcher import WORD_WEIGHT, FaqIndex, FaqMatch, char_grams
from bot.faq.model import FaqEntry, dumps_faq, entry_from_dict, loads_faq
from bot.faq.normalize import content_words, normalize, normalize_text, stem
from bot.services.accounts import Actor
from bot.services.faq import bump_generation, row_to_entry, upsert_entries
from bot.storage.models import FaqEntryRow, FaqUnanswered, FaqVersion
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork

ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
CATEGORY = re.compile(r"^[a-z0-9][a-z0-9 _-]{0,31}$")
# Path words of the console's FAQ pages; an entry with such an id could not be opened.
RESERVED_IDS = frozenset({"new", "try", "unanswered", "import", "export"})
MAX_QUESTION = 300
MAX_PARAPHRASE = 300
MAX_PARAPHRASES = 60
MAX_ANSWER = 2000
STATUSES = ("all", "published", "unpublished", "deleted")
# Unanswered questions grouped at once (newest first); older ones wait for the next page view.
INBOX_LIMIT = 500
# Two questions share a group when their blended word/character cosine to the group's
# centroid reaches this (idf counted with the FAQ's own texts). Between 0.40 and 0.50 the
# groups of tests/services/test_faq_admin.py come out the same ("ktp sy ilang gmn" with "KTP
# hilang, bisa daftar?", apart from "ktp rusak gimana"); 0.45 sits in the middle.
GROUP_THRESHOLD = 0.45
TRY_TOP = 5

Outcome = Literal["answer", "suggest", "refuse"]


class FaqAdminError(Exception):
    """A refused FAQ change; ``code`` names the reason (``console-faq-error-<code>``)."""

    def __init__(self, code: str, field: str | None = None, detail: str = "") -> None:
        super().__init__(code if not detail else f"{code}: {detail}")
        self.code = code
        self.field = field
        self.detail = detail


LIMITS = {
    "question_long": MAX_QUESTION,
    "answer_long": MAX_ANSWER,
    "paraphrases_many": MAX_PARAPHRASES,
    "paraphrase_long": MAX_PARAPHRASE,
}


def error_args(exc: FaqAdminError) -> dict[str, str | int]:
    """Return the arguments of an error's catalog message (``max``, ``detail``)."""
    return {"max": LIMITS.get(exc.code, 0), "detail": exc.detail[:200]}


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FaqFilter:
    """Which entries the list shows."""

    text: str = ""
    category: str | None = None
    status: str = "all"


@dataclass(frozen=True, slots=True)
class ListedEntry:
    """An entry as the list shows it (a deleted one carries its last saved content)."""

    entry: FaqEntry
    version: int
    updated_at: datetime | None
    updated_by: str | None
    deleted: bool = False


def snapshot(entry: FaqEntry) -> dict[str, Any]:
    """Return an entry as stored in a version row (``published`` always present)."""
    return {**entry.to_dict(), "published": entry.published}


def from_snapshot(data: Mapping[str, Any]) -> FaqEntry:
    """Rebuild an entry from a version row's snapshot."""
    return entry_from_dict(dict(data))


def _matches(entry: FaqEntry, needle: str) -> bool:
    if not needle:
        return True
    haystack = " ".join((entry.id, entry.category, *entry.documents(), entry.answer)).lower()
    if needle.lower() in haystack:
        return True
    wanted = set(normalize(needle))
    return bool(wanted) and wanted <= set(normalize(haystack))


async def list_entries(uow: UnitOfWork, flt: FaqFilter) -> list[ListedEntry]:
    """Return the entries matching a filter, by category then id."""
    if flt.status == "deleted":
        found = await deleted_entries(uow)
    else:
        stmt = select(FaqEntryRow)
        if flt.status in ("published", "unpublished"):
            stmt = stmt.where(FaqEntryRow.published.is_(flt.status == "published"))
        rows = (await uow.session.execute(stmt)).scalars()
        found = [ListedEntry(row_to_entry(r), r.version, r.updated_at, r.updated_by) for r in rows]
    needle = flt.text.strip()
    return sorted(
        (
            item for item in found
            if (not flt.category or item.entry.category == flt.category)
            and _matches(item.entry, needle)
        ),
        key=lambda item: (item.entry.category, item.entry.id),
    )  # fmt: skip


async def all_entries(uow: UnitOfWork) -> list[FaqEntry]:
    """Return every saved entry, published or not, by id."""
    rows = (await uow.session.execute(select(FaqEntryRow).order_by(FaqEntryRow.id))).scalars()
    return [row_to_entry(row) for row in rows]


async def categories(uow: UnitOfWork) -> list[str]:
    """Return the categories in use."""
    stmt = select(FaqEntryRow.category).distinct().order_by(FaqEntryRow.category)
    return list((await uow.session.execute(stmt)).scalars())


async def get_entry(uow: UnitOfWork, faq_id: str) -> ListedEntry | None:
    """Return one saved entry."""
    row = await uow.session.get(FaqEntryRow, faq_id)
    if row is None:
        return None
    return ListedEntry(row_to_entry(row), row.version, row.updated_at, row.updated_by)


async def deleted_entries(uow: UnitOfWork) -> list[ListedEntry]:
    """Return deleted entries (their last saved content), so they can be restored."""
    last = (
        select(FaqVersion.faq_id, func.max(FaqVersion.id).label("last"))
        .group_by(FaqVersion.faq_id)
        .subquery()
    )
    stmt = (
        select(FaqVersion)
        .join(last, FaqVersion.id == last.c.last)
        .where(FaqVersion.action == "delete")
        .where(FaqVersion.faq_id.not_in(select(FaqEntryRow.id)))
    )
    gone = list((await uow.session.execute(stmt)).scalars())
    if not gone:
        return []
    history = await uow.session.execute(
        select(FaqVersion)
        .where(FaqVersion.faq_id.in_([v.faq_id for v in gone]))
        .order_by(FaqVersion.id)
    )
    saved: dict[str, FaqEntry] = {}
    for version in history.scalars():
        if version.snapshot:
            saved[version.faq_id] = from_snapshot(version.snapshot)
    return [
        ListedEntry(saved[v.faq_id], v.version, v.at, v.by, deleted=True)
        for v in gone
        if v.faq_id in saved
    ]


# --- validation ------------------------------------------------------------------------------


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
    if not faq_id or len(faq_id) > 64:
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


# --- changing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What a change did: the entry now, its version, and whether anything changed."""

    entry: FaqEntry
    version: int
    created: bool = False
    changed: bool = True


async def _next_version(uow: UnitOfWork, faq_id: str, row: FaqEntryRow | None) -> int:
    latest = await uow.session.scalar(
        select(func.max(FaqVersion.version)).where(FaqVersion.faq_id == faq_id)
    )
    return max(latest or 0, row.version if row else 0) + 1


def _audit(uow: UnitOfWork, action: str, who: Actor, ip: str | None, faq_id: str | None,
           **details: Any) -> None:  # fmt: skip
    uow.audit.record(
        action, actor_type=who.type, actor_id=who.id, actor_name=who.name,
        target_type="faq", target_id=faq_id, details=details, ip=ip,
    )  # fmt: skip


async def save_entry(
    uow: UnitOfWork,
    entry: FaqEntry,
    *,
    actor: Actor,
    ip: str | None = None,
    create: bool | None = None,
    expected_version: int | None = None,
    action: str | None = None,
    audit: str | None = None,
    **details: Any,
) -> SaveResult:
    """Create or replace an entry as a new version; audited; bumps the generation if live."""
    row = await uow.session.get(FaqEntryRow, entry.id, with_for_update=True)
    if create is True and row is not None:
        raise FaqAdminError("id_taken", "id")
    if create is False and row is None:
        raise FaqAdminError("not_found")
    if expected_version is not None and row is not None and row.version != expected_version:
        raise FaqAdminError("version_conflict", detail=str(row.version))
    before = row_to_entry(row) if row is not None else None
    if before == entry and row is not None:
        return SaveResult(entry, row.version, created=False, changed=False)
    version = await _next_version(uow, entry.id, row)
    if row is None:
        row = FaqEntryRow(id=entry.id)
        uow.session.add(row)
    row.category, row.question, row.answer = entry.category, entry.question, entry.answer
    row.paraphrases, row.published = list(entry.paraphrases), entry.published
    row.version, row.updated_at, row.updated_by = version, utcnow(), actor.name
    kind = action or ("create" if before is None else "edit")
    uow.session.add(
        FaqVersion(faq_id=entry.id, version=version, action=kind, snapshot=snapshot(entry),
                   at=utcnow(), by=actor.name)
    )  # fmt: skip
    audit_action = audit or ("faq.created" if before is None else "faq.updated")
    _audit(uow, audit_action, actor, ip, entry.id, version=version, **details)
    if entry.published or (before is not None and before.published):
        await bump_generation(uow)
    return SaveResult(entry, version, created=before is None)


async def set_published(uow: UnitOfWork, faq_id: str, published: bool, *, actor: Actor,
                        ip: str | None = None) -> SaveResult:  # fmt: skip
    """Publish or unpublish an entry (a new version)."""
    current = await get_entry(uow, faq_id)
    if current is None:
        raise FaqAdminError("not_found")
    return await save_entry(
        uow, replace(current.entry, published=published), actor=actor, ip=ip, create=False,
        action="publish" if published else "unpublish",
        audit="faq.published" if published else "faq.unpublished",
    )  # fmt: skip


async def delete_entry(uow: UnitOfWork, faq_id: str, *, actor: Actor,
                       ip: str | None = None) -> int:  # fmt: skip
    """Delete an entry, keeping its history (restorable by rollback); return the version."""
    row = await uow.session.get(FaqEntryRow, faq_id, with_for_update=True)
    if row is None:
        raise FaqAdminError("not_found")
    version = await _next_version(uow, faq_id, row)
    was_live = row.published
    await uow.session.delete(row)
    uow.session.add(
        FaqVersion(faq_id=faq_id, version=version, action="delete", snapshot=None, at=utcnow(),
                   by=actor.name)
    )  # fmt: skip
    _audit(uow, "faq.deleted", actor, ip, faq_id, version=version)
    if was_live:
        await bump_generation(uow)
    return version


async def rollback(uow: UnitOfWork, faq_id: str, version: int, *, actor: Actor,
                   ip: str | None = None) -> SaveResult:  # fmt: skip
    """Restore an entry as it was in ``version``, as a new version (re-creating it if deleted)."""
    old = await uow.session.scalar(
        select(FaqVersion)
        .where(FaqVersion.faq_id == faq_id, FaqVersion.version == version)
        .order_by(FaqVersion.id.desc())
        .limit(1)
    )
    if old is None:
        raise FaqAdminError("version_not_found")
    if not old.snapshot:
        raise FaqAdminError("version_empty")
    return await save_entry(
        uow, from_snapshot(old.snapshot), actor=actor, ip=ip, action="rollback",
        audit="faq.rolled_back", to_version=version,
    )  # fmt: skip


# --- history and diffs -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """How one field differs between two versions.

    ``segments`` (for text) is a word diff: ``("=", text)``, ``("-", removed)``, ``("+", added)``.
    """

    field: str
    before: str = ""
    after: str = ""
    segments: tuple[tuple[str, str], ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VersionView:
    """One version of an entry with what changed since the one before."""

    version: int
    action: str
    at: datetime
    by: str | None
    entry: FaqEntry | None
    changes: tuple[Change, ...]
    current: bool = False


def word_diff(before: str, after: str) -> tuple[tuple[str, str], ...]:
    """Return a word-level diff of two texts as (op, text) segments.

    Neighbouring changes separated only by a space are shown as one removal and one
    addition ("1x24 jam." → "2x24 jam kerja."), which reads better than word by word.
    """
    a, b = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    segments: list[tuple[str, str]] = []
    removed = added = ""
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        glue = tag == "equal" and old.isspace() and 0 < n < len(ops) - 1
        if tag != "equal" or glue:
            removed, added = removed + old, added + new
            continue
        segments.extend((op, text) for op, text in (("-", removed), ("+", added)) if text)
        removed = added = ""
        if old:
            segments.append(("=", old))
    segments.extend((op, text) for op, text in (("-", removed), ("+", added)) if text)
    return tuple(segments)


def diff(before: FaqEntry | None, after: FaqEntry | None) -> tuple[Change, ...]:
    """Return the field changes from one entry state to another (None: absent)."""
    if before == after:
        return ()
    old = snapshot(before) if before else {}
    new = snapshot(after) if after else {}
    changes: list[Change] = []
    for name in ("category", "question", "answer"):
        a, b = str(old.get(name, "")), str(new.get(name, ""))
        if a != b:
            segments = word_diff(a, b) if name != "category" else ()
            changes.append(Change(name, before=a, after=b, segments=segments))
    a_list, b_list = list(old.get("paraphrases", [])), list(new.get("paraphrases", []))
    if a_list != b_list:
        added = tuple(p for p in b_list if p not in a_list)
        removed = tuple(p for p in a_list if p not in b_list)
        changes.append(Change("paraphrases", added=added, removed=removed,
                              before=str(len(a_list)), after=str(len(b_list))))  # fmt: skip
    if old.get("published") != new.get("published") and before and after:
        changes.append(Change("published", before=str(old["published"]).lower(),
                              after=str(new["published"]).lower()))  # fmt: skip
    return tuple(changes)


async def history(uow: UnitOfWork, faq_id: str) -> list[VersionView]:
    """Return an entry's versions, newest first, each with its diff to the one before."""
    rows = await uow.session.execute(
        select(FaqVersion).where(FaqVersion.faq_id == faq_id).order_by(FaqVersion.id)
    )
    current = await get_entry(uow, faq_id)
    views: list[VersionView] = []
    previous: FaqEntry | None = None
    for row in rows.scalars():
        entry = from_snapshot(row.snapshot) if row.snapshot else None
        views.append(
            VersionView(row.version, row.action, row.at, row.by, entry,
                        diff(previous, entry) if entry else (),
                        current=current is not None and row.version == current.version)
        )  # fmt: skip
        previous = entry
    return views[::-1]


# --- import and export -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportResult:
    """How many entries an import created, changed and deleted."""

    created: int
    updated: int
    deleted: int


async def import_yaml(uow: UnitOfWork, text: str, *, replace_all: bool, actor: Actor,
                      ip: str | None = None) -> ImportResult:  # fmt: skip
    """Upsert the entries of a YAML file (CONTRACT format); with ``replace_all`` it is the FAQ."""
    try:
        entries = loads_faq(text)
    except ValueError as exc:
        raise FaqAdminError("import_invalid", detail=str(exc)) from None
    known = set((await uow.session.execute(select(FaqEntryRow.id))).scalars())
    checked: list[FaqEntry] = []
    for i, entry in enumerate(entries):
        try:
            checked.append(validate(snapshot(entry), new=entry.id not in known))
        except FaqAdminError as exc:
            label = f"FAQ entry {entry.id!r} (#{i + 1}): {exc.field or ''} {exc.code}"
            raise FaqAdminError("import_invalid", detail=label.strip()) from None
    if replace_all and not checked:
        raise FaqAdminError("import_empty")
    created, updated, deleted = await upsert_entries(
        uow, checked, actor=actor.name, replace=replace_all
    )
    _audit(uow, "faq.imported", actor, ip, None, created=created, updated=updated,
           deleted=deleted, replace=replace_all)  # fmt: skip
    return ImportResult(created, updated, deleted)


async def export_yaml(uow: UnitOfWork, *, actor: Actor, ip: str | None = None) -> str:
    """Return every entry as YAML (CONTRACT format); audited."""
    entries = await all_entries(uow)
    _audit(uow, "faq.exported", actor, ip, None, entries=len(entries))
    return dumps_faq(entries)


# --- try it ----------------------------------------------------------------------------------


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


# --- the unanswered inbox --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unanswered:
    """A refused or unhelpful question (digits already masked)."""

    id: int
    text: str
    reason: str
    faq_id: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class UnansweredGroup:
    """Similar unanswered questions, with the entries the matcher thinks come closest."""

    items: tuple[Unanswered, ...]
    representative: str
    suggestions: tuple[Scored, ...] = field(default_factory=tuple)

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
    def answered_with(self) -> tuple[str, ...]:
        """Return the entries citizens marked "Tidak" in this group."""
        return tuple(sorted({i.faq_id for i in self.items if i.faq_id}))


def _unit(bag: Counter[str], idf: Mapping[str, float]) -> dict[str, float]:
    weights = {t: (1.0 + math.log(n)) * idf[t] for t, n in bag.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def _dot(vector: Mapping[str, float], centroid: Mapping[str, float]) -> float:
    return sum(w * centroid.get(t, 0.0) for t, w in vector.items())


def _bags(text: str) -> tuple[Counter[str], Counter[str]]:
    words = content_words(normalize(text))
    return Counter(stem(w) for w in words), Counter(char_grams(words, 3, 5))


@dataclass(frozen=True, slots=True)
class Background:
    """Document frequencies of words and n-grams over the FAQ's own texts."""

    words: Counter[str]
    chars: Counter[str]
    docs: int


@lru_cache(maxsize=2)
def background(index: FaqIndex) -> Background:
    """Count how common each word and n-gram is in an index's questions and paraphrases."""
    words: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    docs = 0
    for entry in index.entries:
        for text in entry.documents():
            w, c = _bags(text)
            words.update(w.keys())
            chars.update(c.keys())
            docs += 1
    return Background(words, chars, docs)


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
    bags = [_bags(t) for t in texts]
    common = common or Background(Counter(), Counter(), 0)
    n = len(texts) + common.docs
    idf: list[dict[str, float]] = []
    for channel, seen in enumerate((common.words, common.chars)):
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(bag[channel].keys())
        idf.append({t: math.log((1.0 + n) / (1.0 + d + seen[t])) + 1.0 for t, d in df.items()})
    groups: list[list[int]] = []
    # Per group: word and character centroids (sums of unit vectors) and their squared norms.
    centroids: list[tuple[dict[str, float], dict[str, float]]] = []
    norms: list[list[float]] = []
    by_word: dict[str, set[int]] = {}
    exact: dict[str, int] = {}
    for i, (w_bag, c_bag) in enumerate(bags):
        wv, cv = _unit(w_bag, idf[0]), _unit(c_bag, idf[1])
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


async def unanswered_groups(
    uow: UnitOfWork, index: FaqIndex, limit: int = INBOX_LIMIT
) -> tuple[list[UnansweredGroup], int]:
    """Return open unanswered questions grouped by similarity (largest first) and the total."""
    total = await count_unanswered(uow)
    rows = await uow.session.execute(
        select(FaqUnanswered)
        .where(FaqUnanswered.resolved_at.is_(None))
        .order_by(FaqUnanswered.created_at.desc(), FaqUnanswered.id.desc())
        .limit(limit)
    )
    items = [Unanswered(r.id, r.text, r.reason, r.faq_id, r.created_at) for r in rows.scalars()]
    groups: list[UnansweredGroup] = []
    for members in group_similar([i.text for i in items], common=background(index)):
        found = tuple(items[m] for m in members)
        texts = Counter(i.text.strip() for i in found)
        representative = texts.most_common(1)[0][0]
        suggestions = tuple(
            Scored(c.faq_id, index.entry(c.faq_id).question, c.score)
            for c in index.alternatives(representative)
        )
        groups.append(UnansweredGroup(found, representative, suggestions))
    groups.sort(key=lambda g: (-len(g.items), -g.items[0].created_at.timestamp()))
    return groups, total


async def count_unanswered(uow: UnitOfWork) -> int:
    """Return how many unanswered questions wait in the inbox."""
    stmt = select(func.count(FaqUnanswered.id)).where(FaqUnanswered.resolved_at.is_(None))
    return await uow.session.scalar(stmt) or 0


def parse_ids(value: str | Iterable[str]) -> list[int]:
    """Read unanswered ids sent by a form ("1,2,3" or several fields)."""
    parts = value.split(",") if isinstance(value, str) else [p for v in value for p in v.split(",")]
    return sorted({int(p) for p in (s.strip() for s in parts) if p.isdigit()})


async def unanswered_texts(uow: UnitOfWork, ids: Sequence[int]) -> list[str]:
    """Return the distinct texts of open unanswered questions, most frequent first."""
    if not ids:
        return []
    rows = await uow.session.execute(
        select(FaqUnanswered.text).where(
            FaqUnanswered.id.in_(ids), FaqUnanswered.resolved_at.is_(None)
        )
    )
    return [t for t, _ in Counter(t.strip() for t in rows.scalars()).most_common()]


async def resolve_unanswered(uow: UnitOfWork, ids: Sequence[int], *, actor: Actor,
                             ip: str | None = None, how: str = "dismissed",
                             faq_id: str | None = None) -> int:  # fmt: skip
    """Mark open unanswered questions as dealt with; return how many were open."""
    if not ids:
        return 0
    rows = await uow.session.execute(
        select(FaqUnanswered).where(FaqUnanswered.id.in_(ids), FaqUnanswered.resolved_at.is_(None))
    )
    now = utcnow()
    count = 0
    for row in rows.scalars():
        row.resolved_at = now
        count += 1
    if count:
        _audit(uow, f"faq.unanswered_{how}", actor, ip, faq_id, questions=count)
    return count


async def add_paraphrases(uow: UnitOfWork, faq_id: str, texts: Sequence[str],
                          unanswered_ids: Sequence[int], *, actor: Actor,
                          ip: str | None = None) -> SaveResult:  # fmt: skip
    """Add questions from the inbox to an entry as paraphrases and mark them resolved."""
    current = await get_entry(uow, faq_id)
    if current is None:
        raise FaqAdminError("not_found")
    lines = paraphrase_lines(texts)
    if not lines:
        raise FaqAdminError("paraphrases_none", "paraphrases")
    entry = current.entry
    data = {**snapshot(entry), "paraphrases": [*entry.paraphrases, *lines]}
    result = await save_entry(
        uow, validate(data), actor=actor, ip=ip, create=False, action="paraphrase",
        added=len(lines),
    )  # fmt: skip
    await resolve_unanswered(uow, unanswered_ids, actor=actor, ip=ip, how="converted",
                             faq_id=faq_id)  # fmt: skip
    return result
