"""The versioned, audited changes to the FAQ, as steps inside one open unit of work.

Every change to an entry (create, edit, publish, unpublish, delete, rollback, import, a
paraphrase taken from the unanswered inbox) writes a version holding the whole entry as it is
after the change (``None`` after a delete), so any version can be shown, compared with the one
before it, and restored; a rollback is itself a new version. A change that touches a published
entry bumps the shared FAQ generation and publishes ``FaqPublished``: this worker rebuilds its
index right after the commit, every other one within seconds (``FaqService.follow``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.domain.events import FaqPublished
from bot.faq.admin.errors import FaqAdminError
from bot.faq.admin.records import ImportResult, SaveResult, snapshot
from bot.faq.admin.validation import paraphrase_lines, validate
from bot.faq.model import FaqEntry, dumps_faq, loads_faq
from bot.services.accounts import Actor
from bot.storage.uow import UnitOfWork


def audit(uow: UnitOfWork, action: str, who: Actor, ip: str | None, faq_id: str | None,
          **details: Any) -> None:  # fmt: skip
    """Record an FAQ action in the audit trail."""
    uow.audit.record(
        action, actor_type=who.type, actor_id=who.id, actor_name=who.name,
        target_type="faq", target_id=faq_id, details=details, ip=ip,
    )  # fmt: skip


async def went_live(uow: UnitOfWork) -> None:
    """Bump the generation every worker follows and rebuild this one's index after commit."""
    await uow.faq.bump_generation()
    uow.publish(FaqPublished())


async def save_entry(
    uow: UnitOfWork,
    entry: FaqEntry,
    *,
    actor: Actor,
    ip: str | None = None,
    create: bool | None = None,
    expected_version: int | None = None,
    action: str | None = None,
    audit_as: str | None = None,
    **details: Any,
) -> SaveResult:
    """Create or replace an entry as a new version; audited; goes live if it is published."""
    current = await uow.faq.lock(entry.id)
    if create is True and current is not None:
        raise FaqAdminError("id_taken", "id")
    if create is False and current is None:
        raise FaqAdminError("not_found")
    if expected_version is not None and current is not None and current.version != expected_version:
        raise FaqAdminError("version_conflict", detail=str(current.version))
    before = current.entry if current is not None else None
    if current is not None and before == entry:
        return SaveResult(entry, current.version, created=False, changed=False)
    version = await uow.faq.next_version(entry.id, current.version if current else 0)
    await uow.faq.store(entry, version, actor.name)
    kind = action or ("create" if before is None else "edit")
    uow.faq.add_version(entry.id, version, kind, snapshot(entry), actor.name)
    audit(uow, audit_as or ("faq.created" if before is None else "faq.updated"), actor, ip,
          entry.id, version=version, **details)  # fmt: skip
    if entry.published or (before is not None and before.published):
        await went_live(uow)
    return SaveResult(entry, version, created=before is None)


async def set_published(uow: UnitOfWork, faq_id: str, published: bool, *, actor: Actor,
                        ip: str | None = None) -> SaveResult:  # fmt: skip
    """Publish or unpublish an entry (a new version)."""
    current = await uow.faq.get(faq_id)
    if current is None:
        raise FaqAdminError("not_found")
    return await save_entry(
        uow, replace(current.entry, published=published), actor=actor, ip=ip, create=False,
        action="publish" if published else "unpublish",
        audit_as="faq.published" if published else "faq.unpublished",
    )  # fmt: skip


async def delete_entry(uow: UnitOfWork, faq_id: str, *, actor: Actor,
                       ip: str | None = None) -> int:  # fmt: skip
    """Delete an entry, keeping its history (restorable by rollback); return the version."""
    current = await uow.faq.lock(faq_id)
    if current is None:
        raise FaqAdminError("not_found")
    version = await uow.faq.next_version(faq_id, current.version)
    await uow.faq.remove(faq_id)
    uow.faq.add_version(faq_id, version, "delete", None, actor.name)
    audit(uow, "faq.deleted", actor, ip, faq_id, version=version)
    if current.entry.published:
        await went_live(uow)
    return version


async def rollback(uow: UnitOfWork, faq_id: str, version: int, *, actor: Actor,
                   ip: str | None = None) -> SaveResult:  # fmt: skip
    """Restore an entry as it was in ``version``, as a new version (re-creating it if deleted)."""
    old = await uow.faq.version(faq_id, version)
    if old is None:
        raise FaqAdminError("version_not_found")
    if old.entry is None:
        raise FaqAdminError("version_empty")
    return await save_entry(
        uow, old.entry, actor=actor, ip=ip, action="rollback", audit_as="faq.rolled_back",
        to_version=version,
    )  # fmt: skip


async def import_yaml(uow: UnitOfWork, text: str, *, replace_all: bool, actor: Actor,
                      ip: str | None = None) -> ImportResult:  # fmt: skip
    """Upsert the entries of a YAML file (CONTRACT format); with ``replace_all`` it is the FAQ."""
    try:
        entries = loads_faq(text)
    except ValueError as exc:
        raise FaqAdminError("import_invalid", detail=str(exc)) from None
    known = await uow.faq.ids()
    checked: list[FaqEntry] = []
    for i, entry in enumerate(entries):
        try:
            checked.append(validate(snapshot(entry), new=entry.id not in known))
        except FaqAdminError as exc:
            label = f"FAQ entry {entry.id!r} (#{i + 1}): {exc.field or ''} {exc.code}"
            raise FaqAdminError("import_invalid", detail=label.strip()) from None
    if replace_all and not checked:
        raise FaqAdminError("import_empty")
    result = await import_entries(uow, checked, by=actor.name, replace=replace_all)
    audit(uow, "faq.imported", actor, ip, None, created=result.created, updated=result.updated,
          deleted=result.deleted, replace=replace_all)  # fmt: skip
    return result


async def import_entries(uow: UnitOfWork, entries: Sequence[FaqEntry], *, by: str,
                         replace: bool = False) -> ImportResult:  # fmt: skip
    """Upsert checked entries by id (versioned); the FAQ goes live when anything changed."""
    result = await uow.faq.import_entries(entries, by=by, replace=replace)
    if result.created or result.updated or result.deleted:
        await went_live(uow)
    return result


async def export_yaml(uow: UnitOfWork, *, actor: Actor, ip: str | None = None) -> str:
    """Return every entry as YAML (CONTRACT format); audited."""
    entries = await uow.faq.all()
    audit(uow, "faq.exported", actor, ip, None, entries=len(entries))
    return dumps_faq(entries)


async def resolve_unanswered(uow: UnitOfWork, ids: Sequence[int], *, actor: Actor,
                             ip: str | None = None, how: str = "dismissed",
                             faq_id: str | None = None) -> int:  # fmt: skip
    """Mark open unanswered questions as dealt with; return how many were open."""
    count = await uow.faq.resolve_unanswered(ids)
    if count:
        audit(uow, f"faq.unanswered_{how}", actor, ip, faq_id, questions=count)
    return count


async def add_paraphrases(uow: UnitOfWork, faq_id: str, texts: Sequence[str],
                          unanswered_ids: Sequence[int], *, actor: Actor,
                          ip: str | None = None) -> SaveResult:  # fmt: skip
    """Add questions from the inbox to an entry as paraphrases and mark them resolved."""
    current = await uow.faq.get(faq_id)
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
