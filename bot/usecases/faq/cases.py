"""What the FAQ editors do (console, API, command line), each in one unit of work.

Every method opens the unit of work, commits it when it changed something, and leaves the
after-commit reaction (rebuilding the index on ``FaqPublished``) to the subscription in
``bot.core``. Console pages, API handlers and the ``tlive-bot faq`` commands call these.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.faq.admin.diffs import VersionView, version_views
from bot.faq.admin.errors import FaqAdminError
from bot.faq.admin.inbox import (
    DIGEST_DAYS,
    DIGEST_LIMIT,
    DIGEST_TOP,
    INBOX_LIMIT,
    Draft,
    UnansweredGroup,
    draft_entry,
    group_unanswered,
    most_frequent,
)
from bot.faq.admin.records import FaqFilter, ImportResult, ListedEntry, SaveResult, filtered
from bot.faq.admin.tryit import DraftIndexCache, TryResult, try_text, with_draft
from bot.faq.admin.validation import validate
from bot.faq.matcher import FaqIndex
from bot.faq.model import FaqEntry
from bot.services.accounts import Actor
from bot.services.faq import FaqService
from bot.storage.repositories.faq import FaqEntries
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWorkFactory
from bot.usecases.faq import changes


@dataclass(frozen=True, slots=True)
class Overview:
    """The FAQ list page: the entries matching a filter, the categories, the inbox size."""

    items: list[ListedEntry]
    categories: list[str]
    waiting: int


@dataclass(frozen=True, slots=True)
class EntryPage:
    """One entry (None when it does not exist) and the categories to choose from."""

    listed: ListedEntry | None
    categories: list[str]


@dataclass(frozen=True, slots=True)
class History:
    """An entry's versions, newest first, and the entry as it is now (None if deleted)."""

    versions: list[VersionView]
    listed: ListedEntry | None


@dataclass(frozen=True, slots=True)
class Inbox:
    """Open unanswered questions grouped, how many wait in all, and the entries to add to.

    ``threshold`` is the score from which the bot answers, to read a group's nearest entry by.
    """

    groups: list[UnansweredGroup]
    total: int
    entries: list[FaqEntry]
    threshold: float


@dataclass(frozen=True, slots=True)
class Digest:
    """The most asked open questions of the last ``days`` days, grouped (the console home)."""

    groups: list[UnansweredGroup]
    total: int
    days: int


@dataclass(frozen=True, slots=True)
class Tried:
    """What the bot would do with a text on the live FAQ and, if they differ, on the drafts."""

    text: str
    published: TryResult
    draft: TryResult | None
    with_form: bool


@dataclass(frozen=True, slots=True)
class NewForm:
    """What a new entry's form starts with: a draft when made from inbox questions."""

    draft: Draft | None
    categories: list[str]


class FaqCases:
    """The FAQ editors' use cases over one database and the live FAQ service."""

    def __init__(self, uow: UnitOfWorkFactory, faq: FaqService) -> None:
        self._uow = uow
        self._faq = faq
        self._drafts = DraftIndexCache()
        # The last digest and what it was computed from: the index, and the window's state.
        self._digest: tuple[FaqIndex, tuple[int, int | None, int, int], Digest] | None = None

    # --- reading ---------------------------------------------------------------------------

    async def list_entries(self, flt: FaqFilter) -> list[ListedEntry]:
        """Return the entries matching a filter, by category then id."""
        async with self._uow() as uow:
            return await _list(uow.faq, flt)

    async def overview(self, flt: FaqFilter) -> Overview:
        """Return the list page: matching entries, categories and the inbox's size."""
        async with self._uow() as uow:
            return Overview(await _list(uow.faq, flt), await uow.faq.categories(),
                            await uow.faq.count_unanswered())  # fmt: skip

    async def get(self, faq_id: str) -> ListedEntry | None:
        """Return one saved entry."""
        async with self._uow() as uow:
            return await uow.faq.get(faq_id)

    async def entry_page(self, faq_id: str | None) -> EntryPage:
        """Return an entry (if any) with the categories its form offers."""
        async with self._uow() as uow:
            listed = await uow.faq.get(faq_id) if faq_id else None
            return EntryPage(listed, await uow.faq.categories())

    async def entries(self) -> list[FaqEntry]:
        """Return every saved entry, published or not, by id."""
        async with self._uow() as uow:
            return await uow.faq.all()

    async def history(self, faq_id: str) -> History:
        """Return an entry's versions, newest first, each with its diff to the one before."""
        async with self._uow() as uow:
            current = await uow.faq.get(faq_id)
            stored = await uow.faq.versions(faq_id)
        return History(version_views(stored, current.version if current else None), current)

    async def new_form(self, unanswered_ids: Sequence[int]) -> NewForm:
        """Return a new entry's draft from inbox questions (most asked first), and categories."""
        async with self._uow() as uow:
            texts = most_frequent(await uow.faq.unanswered_texts(unanswered_ids))
            taken = await uow.faq.ids()
            categories = await uow.faq.categories()
        draft = draft_entry(texts, self._faq.index, taken) if texts else None
        return NewForm(draft, categories)

    async def inbox(self, limit: int = INBOX_LIMIT) -> Inbox:
        """Return open unanswered questions grouped by similarity (largest first)."""
        async with self._uow() as uow:
            total = await uow.faq.count_unanswered()
            items = await uow.faq.open_unanswered(limit)
            entries = await uow.faq.all()
        index = self._faq.index
        # Grouping and matching hundreds of texts takes a while; keep the event loop answering.
        groups = await asyncio.to_thread(group_unanswered, items, index)
        return Inbox(groups, total, entries, index.config.min_score)

    async def digest(self, days: int = DIGEST_DAYS, top: int = DIGEST_TOP) -> Digest:
        """Return the ``top`` groups of open questions asked in the last ``days`` days."""
        since = utcnow() - timedelta(days=days)
        index = self._faq.index
        async with self._uow() as uow:
            total, newest = await uow.faq.unanswered_state(since)
            state = (total, newest, days, top)
            cached = self._digest
            if cached is not None and cached[0] is index and cached[1] == state:
                return cached[2]
            items = await uow.faq.open_unanswered(DIGEST_LIMIT, since) if total else []
        groups = await asyncio.to_thread(group_unanswered, items, index, top) if items else []
        digest = Digest(groups, total, days)
        self._digest = (index, state, digest)
        return digest

    async def try_it(self, text: str, draft: FaqEntry | None = None) -> Tried:
        """Decide as the bot would, on the live FAQ and on every saved entry as if published."""
        async with self._uow() as uow:
            saved = await uow.faq.all()
        live, floor = self._faq.index, self._faq.suggest_floor
        drafts = await self._drafts.get(with_draft(saved, draft), live)
        return Tried(text, try_text(live, text, floor),
                     None if drafts is live else try_text(drafts, text, floor),
                     with_form=draft is not None)  # fmt: skip

    # --- changing --------------------------------------------------------------------------

    async def create(
        self,
        actor: Actor,
        ip: str | None,
        data: Mapping[str, Any],
        unanswered_ids: Sequence[int] = (),
    ) -> SaveResult:
        """Create an entry, marking the inbox questions it came from as resolved."""
        async with self._uow() as uow:
            result = await changes.save_entry(uow, validate(data, new=True), actor=actor, ip=ip,
                                              create=True)  # fmt: skip
            await changes.resolve_unanswered(uow, unanswered_ids, actor=actor, ip=ip,
                                             how="converted", faq_id=result.entry.id)  # fmt: skip
            await uow.commit()
        return result

    async def update(
        self,
        actor: Actor,
        ip: str | None,
        data: Mapping[str, Any],
        expected_version: int | None = None,
    ) -> SaveResult:
        """Save an edit as a new version, unless someone saved another one meanwhile."""
        async with self._uow() as uow:
            result = await changes.save_entry(
                uow,
                validate(data),
                actor=actor,
                ip=ip,
                create=False,
                expected_version=expected_version,
            )
            await uow.commit()
        return result

    async def put(
        self,
        actor: Actor,
        ip: str | None,
        faq_id: str,
        data: Mapping[str, Any],
        expected_version: int | None = None,
    ) -> tuple[SaveResult, ListedEntry]:
        """Create or replace an entry by id (``expected_version`` guards a replacement)."""
        if data.get("id", faq_id) != faq_id:
            raise FaqAdminError("id_mismatch", "id")
        async with self._uow() as uow:
            new = await uow.faq.get(faq_id) is None
            result = await changes.save_entry(
                uow, validate({**data, "id": faq_id}, new=new), actor=actor, ip=ip,
                expected_version=None if new else expected_version,
            )  # fmt: skip
            listed = await uow.faq.get(faq_id) or ListedEntry(result.entry, 0, None, None)
            await uow.commit()
        return result, listed

    async def set_published(
        self, actor: Actor, ip: str | None, faq_id: str, published: bool
    ) -> SaveResult:
        """Publish or unpublish an entry (the bot follows at once)."""
        async with self._uow() as uow:
            result = await changes.set_published(uow, faq_id, published, actor=actor, ip=ip)
            await uow.commit()
        return result

    async def delete(self, actor: Actor, ip: str | None, faq_id: str) -> int:
        """Delete an entry, keeping its history; return the version the delete is."""
        async with self._uow() as uow:
            version = await changes.delete_entry(uow, faq_id, actor=actor, ip=ip)
            await uow.commit()
        return version

    async def rollback(self, actor: Actor, ip: str | None, faq_id: str, version: int) -> SaveResult:
        """Restore an earlier version as a new version."""
        async with self._uow() as uow:
            result = await changes.rollback(uow, faq_id, version, actor=actor, ip=ip)
            await uow.commit()
        return result

    async def add_paraphrases(
        self,
        actor: Actor,
        ip: str | None,
        faq_id: str,
        texts: Sequence[str],
        unanswered_ids: Sequence[int],
    ) -> SaveResult:
        """Add a group of inbox questions to an entry as paraphrases."""
        async with self._uow() as uow:
            result = await changes.add_paraphrases(uow, faq_id, texts, unanswered_ids,
                                                   actor=actor, ip=ip)  # fmt: skip
            await uow.commit()
        return result

    async def dismiss(self, actor: Actor, ip: str | None, unanswered_ids: Sequence[int]) -> int:
        """Mark inbox questions as dealt with without changing the FAQ; refuse if none was open."""
        async with self._uow() as uow:
            count = await changes.resolve_unanswered(uow, unanswered_ids, actor=actor, ip=ip)
            await uow.commit()
        if not count:
            raise FaqAdminError("nothing_selected")
        return count

    async def import_yaml(self, actor: Actor, ip: str | None, text: str, *,
                          replace_all: bool) -> ImportResult:  # fmt: skip
        """Upsert the entries of a YAML file (or make it the whole FAQ), checked and audited."""
        async with self._uow() as uow:
            result = await changes.import_yaml(uow, text, replace_all=replace_all, actor=actor,
                                               ip=ip)  # fmt: skip
            await uow.commit()
        return result

    async def export_yaml(self, actor: Actor, ip: str | None) -> str:
        """Return every entry as YAML (the import format); audited."""
        async with self._uow() as uow:
            text = await changes.export_yaml(uow, actor=actor, ip=ip)
            await uow.commit()
        return text


async def _list(faq: FaqEntries, flt: FaqFilter) -> list[ListedEntry]:
    if flt.status == "deleted":
        found = await faq.deleted()
    else:
        published = {"published": True, "unpublished": False}.get(flt.status)
        found = await faq.listed(published)
    return filtered(found, flt)
