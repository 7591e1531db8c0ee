"""FAQ editor (admins): list and search, edit, publish, history and rollback, try it, the
unanswered inbox, and YAML import/export. The work is done in ``bot.services.faq_admin``."""

from __future__ import annotations

import html
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from bot.console.render import TEMPLATES, render
from bot.console.security import ADMINS, actor, redirect, requires
from bot.core import CORE, Core
from bot.faq.model import FaqEntry
from bot.services import faq_admin as fa
from bot.services.faq_admin import DraftIndexCache, FaqAdminError, FaqFilter
from bot.storage.types import utcnow

DRAFTS = web.AppKey("faq_drafts", DraftIndexCache)
LIST = "/console/faq"
INBOX = "/console/faq/unanswered"
_ID = r"{id:[A-Za-z0-9][A-Za-z0-9_.-]{0,63}}"
MAX_TRY = 600


def add_routes(console: web.Application) -> None:
    """Register the FAQ pages on the console (fixed paths before ``{id}``)."""
    console[DRAFTS] = DraftIndexCache()
    r = console.router
    r.add_get("/faq", index)
    r.add_get("/faq/new", new_form)
    r.add_post("/faq/new", create)
    r.add_get("/faq/try", try_page)
    r.add_post("/faq/try", try_draft)
    r.add_get("/faq/unanswered", unanswered)
    r.add_post("/faq/unanswered/paraphrase", to_paraphrase)
    r.add_post("/faq/unanswered/dismiss", dismiss)
    r.add_get("/faq/export.yaml", export)
    r.add_post("/faq/import", import_file)
    r.add_get(f"/faq/{_ID}", edit_form)
    r.add_post(f"/faq/{_ID}", save)
    r.add_post(f"/faq/{_ID}/publish", publish)
    r.add_post(f"/faq/{_ID}/delete", delete)
    r.add_get(f"/faq/{_ID}/history", history)
    r.add_post(f"/faq/{_ID}/rollback", rollback)


def _faq_id(request: web.Request) -> str:
    return request.match_info["id"]


def _error(request: web.Request, location: str, exc: FaqAdminError) -> web.HTTPFound:
    return redirect(request, location, "error", f"console-faq-error-{exc.code}",
                    **fa.error_args(exc))  # fmt: skip


async def _live(core: Core) -> None:
    """Rebuild this worker's index now; the others follow the generation within seconds."""
    await core.services.faq.reload()


def _form_data(form: MultiDictProxy[Any], faq_id: str | None = None) -> dict[str, Any]:
    return {
        "id": faq_id if faq_id is not None else str(form.get("id", "")),
        "category": str(form.get("category", "")),
        "question": str(form.get("question", "")),
        "paraphrases": fa.paraphrase_lines(str(form.get("paraphrases", ""))),
        "answer": str(form.get("answer", "")),
        "published": str(form.get("published", "")) == "1",
    }


def _edit_page(
    request: web.Request,
    data: dict[str, Any],
    *,
    new: bool,
    cats: list[str],
    status: int = 200,
    error: str | None = None,
    version: int | None = None,
    listed: fa.ListedEntry | None = None,
    unanswered: str = "",
) -> web.Response:
    paraphrases = data.get("paraphrases", "")
    if not isinstance(paraphrases, str):
        paraphrases = "\n".join(paraphrases)
    return render(
        request, "faq_edit.html", status=status, data={**data, "paraphrases": paraphrases},
        new=new, categories=cats, error=error, version=version, listed=listed,
        unanswered=unanswered, limits=fa.LIMITS,
    )  # fmt: skip


def _error_text(request: web.Request, exc: FaqAdminError) -> str:
    return request.app[CORE].catalog.text(f"console-faq-error-{exc.code}", **fa.error_args(exc))


@requires(*ADMINS)
async def index(request: web.Request) -> web.Response:
    """List and search the entries; offer try-it, the inbox, import and export."""
    core = request.app[CORE]
    q = request.query
    status = q.get("status", "all")
    flt = FaqFilter(text=q.get("q", "")[:200], category=q.get("category") or None,
                    status=status if status in fa.STATUSES else "all")  # fmt: skip
    async with core.uow() as uow:
        items = await fa.list_entries(uow, flt)
        cats = await fa.categories(uow)
        waiting = await fa.count_unanswered(uow)
    return render(request, "faq_list.html", items=items, flt=flt, categories=cats,
                  statuses=fa.STATUSES, waiting=waiting, tried=None)  # fmt: skip


async def _tried(request: web.Request, text: str, draft: FaqEntry | None = None) -> dict[str, Any]:
    core = request.app[CORE]
    faq = core.services.faq
    async with core.uow() as uow:
        saved = await fa.all_entries(uow)
    live = faq.index
    draft_index = await request.app[DRAFTS].get(fa.with_draft(saved, draft), live)
    return {
        "text": text,
        "published": fa.try_text(live, text, faq.suggest_floor),
        "draft": None if draft_index is live else fa.try_text(draft_index, text, faq.suggest_floor),
        "with_form": draft is not None,
    }


def _fragment(request: web.Request, tried: dict[str, Any]) -> web.Response:
    html = request.app[TEMPLATES].get_template("_faq_try.html").render(tried=tried)
    return web.Response(text=html, content_type="text/html")


@requires(*ADMINS)
async def try_page(request: web.Request) -> web.Response:
    """Show what the bot would answer to a text: published FAQ and saved drafts, with scores."""
    text = request.query.get("text", "").strip()[:MAX_TRY]
    tried = await _tried(request, text) if text else None
    if request.query.get("partial") == "1":
        return _fragment(request, tried) if tried else web.Response(text="")
    return render(request, "faq_try.html", tried=tried)


@requires(*ADMINS)
async def try_draft(request: web.Request) -> web.Response:
    """Show what the bot would answer with the unsaved form in place of its entry."""
    form = await request.post()
    text = str(form.get("text", "")).strip()[:MAX_TRY]
    data = _form_data(form)
    data["id"] = data["id"] or "_draft"
    data["answer"] = data["answer"] or "…"
    data["category"] = data["category"] or "draft"
    data["published"] = True
    try:
        draft = fa.validate(data)
    except FaqAdminError as exc:
        message = html.escape(_error_text(request, exc))
        return web.Response(text=f'<p class="flash error">{message}</p>', status=422,
                            content_type="text/html")  # fmt: skip
    if not text:
        return web.Response(text="")
    return _fragment(request, await _tried(request, text, draft))


@requires(*ADMINS)
async def new_form(request: web.Request) -> web.Response:
    """Show an empty entry form, or one prefilled from a group of unanswered questions."""
    core = request.app[CORE]
    ids = fa.parse_ids(request.query.get("from", ""))
    async with core.uow() as uow:
        texts = await fa.unanswered_texts(uow, ids)
        cats = await fa.categories(uow)
    data = {"id": "", "category": "", "question": texts[0] if texts else "",
            "paraphrases": texts[1:], "answer": "", "published": True}  # fmt: skip
    return _edit_page(request, data, new=True, cats=cats,
                      unanswered=",".join(map(str, ids)) if texts else "")  # fmt: skip


@requires(*ADMINS)
async def create(request: web.Request) -> web.Response:
    """Create an entry (marking the inbox questions it came from as resolved)."""
    core = request.app[CORE]
    form = await request.post()
    data = _form_data(form)
    ids = fa.parse_ids(str(form.get("unanswered", "")))
    async with core.uow() as uow:
        try:
            result = await fa.save_entry(uow, fa.validate(data, new=True), actor=actor(request),
                                         ip=request.remote, create=True)  # fmt: skip
        except FaqAdminError as exc:
            cats = await fa.categories(uow)
            return _edit_page(request, data, new=True, cats=cats, status=422,
                              error=_error_text(request, exc),
                              unanswered=str(form.get("unanswered", "")))  # fmt: skip
        await fa.resolve_unanswered(uow, ids, actor=actor(request), ip=request.remote,
                                    how="converted", faq_id=result.entry.id)  # fmt: skip
        await uow.commit()
    await _live(core)
    raise redirect(request, f"{LIST}/{result.entry.id}", "ok", "console-faq-created",
                   id=result.entry.id, questions=len(ids))  # fmt: skip


@requires(*ADMINS)
async def edit_form(request: web.Request) -> web.Response:
    """Show an entry's form with its publish, delete and history controls."""
    core = request.app[CORE]
    async with core.uow() as uow:
        listed = await fa.get_entry(uow, _faq_id(request))
        cats = await fa.categories(uow)
    if listed is None:
        raise _error(request, LIST, FaqAdminError("not_found"))
    return _edit_page(request, fa.snapshot(listed.entry), new=False, cats=cats,
                      version=listed.version, listed=listed)  # fmt: skip


@requires(*ADMINS)
async def save(request: web.Request) -> web.Response:
    """Save an edit as a new version, unless someone saved another one meanwhile."""
    core = request.app[CORE]
    form = await request.post()
    data = _form_data(form, _faq_id(request))
    version = str(form.get("version", ""))
    async with core.uow() as uow:
        try:
            result = await fa.save_entry(
                uow, fa.validate(data), actor=actor(request), ip=request.remote, create=False,
                expected_version=int(version) if version.isdigit() else None,
            )  # fmt: skip
        except FaqAdminError as exc:
            if exc.code == "not_found":
                raise _error(request, LIST, exc) from None
            listed = await fa.get_entry(uow, data["id"])
            return _edit_page(
                request, data, new=False, cats=await fa.categories(uow), listed=listed,
                status=409 if exc.code == "version_conflict" else 422,
                error=_error_text(request, exc), version=listed.version if listed else None,
            )  # fmt: skip
        await uow.commit()
    await _live(core)
    key = "console-faq-saved" if result.changed else "console-faq-unchanged"
    raise redirect(request, f"{LIST}/{result.entry.id}", "ok", key, id=result.entry.id,
                   version=result.version)  # fmt: skip


@requires(*ADMINS)
async def publish(request: web.Request) -> web.Response:
    """Publish or unpublish an entry (the bot follows within seconds)."""
    core = request.app[CORE]
    faq_id = _faq_id(request)
    published = str((await request.post()).get("published", "")) == "1"
    async with core.uow() as uow:
        try:
            await fa.set_published(uow, faq_id, published, actor=actor(request), ip=request.remote)
        except FaqAdminError as exc:
            raise _error(request, LIST, exc) from None
        await uow.commit()
    await _live(core)
    key = "console-faq-published" if published else "console-faq-unpublished"
    raise redirect(request, f"{LIST}/{faq_id}", "ok", key, id=faq_id)


@requires(*ADMINS)
async def delete(request: web.Request) -> web.Response:
    """Delete an entry; its history stays and can restore it."""
    core = request.app[CORE]
    faq_id = _faq_id(request)
    async with core.uow() as uow:
        try:
            await fa.delete_entry(uow, faq_id, actor=actor(request), ip=request.remote)
        except FaqAdminError as exc:
            raise _error(request, LIST, exc) from None
        await uow.commit()
    await _live(core)
    raise redirect(request, LIST, "ok", "console-faq-deleted", id=faq_id)


@requires(*ADMINS)
async def history(request: web.Request) -> web.Response:
    """Show every version of an entry with what changed, and rollback buttons."""
    core = request.app[CORE]
    faq_id = _faq_id(request)
    async with core.uow() as uow:
        versions = await fa.history(uow, faq_id)
        listed = await fa.get_entry(uow, faq_id)
    if not versions:
        raise _error(request, LIST, FaqAdminError("not_found"))
    return render(request, "faq_history.html", faq_id=faq_id, versions=versions, listed=listed)


@requires(*ADMINS)
async def rollback(request: web.Request) -> web.Response:
    """Restore an earlier version as a new version."""
    core = request.app[CORE]
    faq_id = _faq_id(request)
    version = str((await request.post()).get("version", ""))
    async with core.uow() as uow:
        try:
            if not version.isdigit():
                raise FaqAdminError("version_not_found")
            result = await fa.rollback(uow, faq_id, int(version), actor=actor(request),
                                       ip=request.remote)  # fmt: skip
        except FaqAdminError as exc:
            raise _error(request, LIST if exc.code == "not_found" else f"{LIST}/{faq_id}/history",
                         exc) from None  # fmt: skip
        await uow.commit()
    await _live(core)
    key = "console-faq-rolled-back" if result.changed else "console-faq-unchanged"
    raise redirect(request, f"{LIST}/{faq_id}/history", "ok", key, id=faq_id,
                   version=result.version, target=version)  # fmt: skip


@requires(*ADMINS)
async def unanswered(request: web.Request) -> web.Response:
    """List refused and unhelpful questions grouped by similarity, each one click from an answer."""
    core = request.app[CORE]
    async with core.uow() as uow:
        groups, total = await fa.unanswered_groups(uow, core.services.faq.index)
        entries = await fa.all_entries(uow)
    return render(request, "faq_unanswered.html", groups=groups, total=total, entries=entries,
                  limit=fa.INBOX_LIMIT)  # fmt: skip


@requires(*ADMINS)
async def to_paraphrase(request: web.Request) -> web.Response:
    """Add a group's questions as paraphrases of the chosen entry."""
    core = request.app[CORE]
    form = await request.post()
    ids = fa.parse_ids(form.getall("ids", []))
    faq_id = str(form.get("faq_id", ""))
    texts = fa.paraphrase_lines(str(form.get("texts", "")))
    async with core.uow() as uow:
        try:
            result = await fa.add_paraphrases(uow, faq_id, texts, ids, actor=actor(request),
                                              ip=request.remote)  # fmt: skip
        except FaqAdminError as exc:
            raise _error(request, INBOX, exc) from None
        await uow.commit()
    await _live(core)
    raise redirect(request, INBOX, "ok", "console-faq-inbox-added", id=faq_id,
                   count=len(texts), version=result.version)  # fmt: skip


@requires(*ADMINS)
async def dismiss(request: web.Request) -> web.Response:
    """Mark a group as dealt with, without changing the FAQ (off-topic, spam)."""
    core = request.app[CORE]
    ids = fa.parse_ids((await request.post()).getall("ids", []))
    async with core.uow() as uow:
        count = await fa.resolve_unanswered(uow, ids, actor=actor(request), ip=request.remote)
        await uow.commit()
    if not count:
        raise _error(request, INBOX, FaqAdminError("nothing_selected"))
    raise redirect(request, INBOX, "ok", "console-faq-inbox-dismissed", count=count)


@requires(*ADMINS)
async def export(request: web.Request) -> web.Response:
    """Download every entry as YAML (the import format); audited."""
    core = request.app[CORE]
    async with core.uow() as uow:
        text = await fa.export_yaml(uow, actor=actor(request), ip=request.remote)
        await uow.commit()
    name = f"faq-{utcnow():%Y%m%d-%H%M}.yaml"
    return web.Response(
        text=text, content_type="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip


@requires(*ADMINS)
async def import_file(request: web.Request) -> web.Response:
    """Upsert the entries of an uploaded YAML file (or make it the whole FAQ); audited."""
    core = request.app[CORE]
    form = await request.post()
    upload = form.get("file")
    try:
        if not isinstance(upload, web.FileField):
            raise FaqAdminError("import_file")
        try:
            text = upload.file.read().decode("utf-8")
        except UnicodeDecodeError:
            raise FaqAdminError("import_file") from None
        async with core.uow() as uow:
            result = await fa.import_yaml(
                uow, text, replace_all=str(form.get("replace", "")) == "1", actor=actor(request),
                ip=request.remote,
            )  # fmt: skip
            await uow.commit()
    except FaqAdminError as exc:
        raise _error(request, LIST, exc) from None
    await _live(core)
    raise redirect(request, LIST, "ok", "console-faq-imported", created=result.created,
                   updated=result.updated, deleted=result.deleted)  # fmt: skip
