"""FAQ editor (admins): list and search, edit, publish, history and rollback, try it, the
unanswered inbox, and YAML import/export. The work is done in ``bot.usecases.faq``."""

from __future__ import annotations

import html
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from bot.console.render import TEMPLATES, render
from bot.console.security import ADMINS, actor, redirect, requires
from bot.core import CORE
from bot.faq.admin.errors import FaqAdminError
from bot.faq.admin.inbox import INBOX_LIMIT, parse_ids
from bot.faq.admin.limits import LIMITS
from bot.faq.admin.records import STATUSES, FaqFilter, ListedEntry, snapshot
from bot.faq.admin.validation import paraphrase_lines, validate
from bot.storage.types import utcnow
from bot.usecases.faq.cases import Tried
from bot.web.client_address import client_address
from bot.web.params import MAX_SEQ, number

LIST = "/console/faq"
INBOX = "/console/faq/unanswered"
_ID = r"{id:[A-Za-z0-9][A-Za-z0-9_.-]{0,63}}"
MAX_TRY = 600


def add_routes(console: web.Application) -> None:
    """Register the FAQ pages on the console (fixed paths before ``{id}``)."""
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
    return redirect(request, location, "error", exc.message_key, **exc.message_args())


def _error_text(request: web.Request, exc: FaqAdminError) -> str:
    return request.app[CORE].catalog.text(exc.message_key, **exc.message_args())


def _form_data(form: MultiDictProxy[Any], faq_id: str | None = None) -> dict[str, Any]:
    return {
        "id": faq_id if faq_id is not None else str(form.get("id", "")),
        "category": str(form.get("category", "")),
        "question": str(form.get("question", "")),
        "paraphrases": paraphrase_lines(str(form.get("paraphrases", ""))),
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
    listed: ListedEntry | None = None,
    unanswered: str = "",
) -> web.Response:
    paraphrases = data.get("paraphrases", "")
    if not isinstance(paraphrases, str):
        paraphrases = "\n".join(paraphrases)
    return render(
        request, "faq_edit.html", status=status, data={**data, "paraphrases": paraphrases},
        new=new, categories=cats, error=error, version=version, listed=listed,
        unanswered=unanswered, limits=LIMITS,
    )  # fmt: skip


@requires(*ADMINS)
async def index(request: web.Request) -> web.Response:
    """List and search the entries; offer try-it, the inbox, import and export."""
    q = request.query
    status = q.get("status", "all")
    flt = FaqFilter(text=q.get("q", "")[:200], category=q.get("category") or None,
                    status=status if status in STATUSES else "all")  # fmt: skip
    found = await request.app[CORE].faq_cases.overview(flt)
    return render(request, "faq_list.html", items=found.items, flt=flt,
                  categories=found.categories, statuses=STATUSES, waiting=found.waiting,
                  tried=None)  # fmt: skip


def _fragment(request: web.Request, tried: Tried) -> web.Response:
    page = request.app[TEMPLATES].get_template("_faq_try.html").render(tried=tried)
    return web.Response(text=page, content_type="text/html")


@requires(*ADMINS)
async def try_page(request: web.Request) -> web.Response:
    """Show what the bot would answer to a text: published FAQ and saved drafts, with scores."""
    text = request.query.get("text", "").strip()[:MAX_TRY]
    tried = await request.app[CORE].faq_cases.try_it(text) if text else None
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
        draft = validate(data)
    except FaqAdminError as exc:
        message = html.escape(_error_text(request, exc))
        return web.Response(text=f'<p class="flash error">{message}</p>', status=422,
                            content_type="text/html")  # fmt: skip
    if not text:
        return web.Response(text="")
    return _fragment(request, await request.app[CORE].faq_cases.try_it(text, draft))


@requires(*ADMINS)
async def new_form(request: web.Request) -> web.Response:
    """Show an empty entry form, or an unpublished draft prefilled from an inbox group."""
    ids = parse_ids(request.query.get("from", ""))
    found = await request.app[CORE].faq_cases.new_form(ids)
    draft = found.draft
    if draft is None:
        data = {"id": "", "category": "", "question": "", "paraphrases": [], "answer": "",
                "published": True}  # fmt: skip
        return _edit_page(request, data, new=True, cats=found.categories)
    # A draft stays unpublished until the editor has written the answer and chooses to publish.
    data = {"id": draft.suggested_id, "category": draft.category, "question": draft.question,
            "paraphrases": list(draft.paraphrases), "answer": "", "published": False}  # fmt: skip
    return _edit_page(request, data, new=True, cats=found.categories,
                      unanswered=",".join(map(str, ids)))  # fmt: skip


@requires(*ADMINS)
async def create(request: web.Request) -> web.Response:
    """Create an entry (marking the inbox questions it came from as resolved)."""
    cases = request.app[CORE].faq_cases
    form = await request.post()
    data = _form_data(form)
    ids = parse_ids(str(form.get("unanswered", "")))
    try:
        result = await cases.create(actor(request), client_address(request), data, ids)
    except FaqAdminError as exc:
        page = await cases.entry_page(None)
        return _edit_page(request, data, new=True, cats=page.categories, status=422,
                          error=_error_text(request, exc),
                          unanswered=str(form.get("unanswered", "")))  # fmt: skip
    key = "console-faq-created" if result.entry.published else "console-faq-created-draft"
    raise redirect(request, f"{LIST}/{result.entry.id}", "ok", key, id=result.entry.id,
                   questions=len(ids))  # fmt: skip


@requires(*ADMINS)
async def edit_form(request: web.Request) -> web.Response:
    """Show an entry's form with its publish, delete and history controls."""
    page = await request.app[CORE].faq_cases.entry_page(_faq_id(request))
    listed = page.listed
    if listed is None:
        raise _error(request, LIST, FaqAdminError("not_found"))
    return _edit_page(request, snapshot(listed.entry), new=False, cats=page.categories,
                      version=listed.version, listed=listed)  # fmt: skip


@requires(*ADMINS)
async def save(request: web.Request) -> web.Response:
    """Save an edit as a new version, unless someone saved another one meanwhile."""
    cases = request.app[CORE].faq_cases
    form = await request.post()
    data = _form_data(form, _faq_id(request))
    version = str(form.get("version", ""))
    try:
        result = await cases.update(actor(request), client_address(request), data,
                                    number(version, limit=MAX_SEQ))  # fmt: skip
    except FaqAdminError as exc:
        if exc.code == "not_found":
            raise _error(request, LIST, exc) from None
        page = await cases.entry_page(data["id"])
        listed = page.listed
        return _edit_page(
            request, data, new=False, cats=page.categories, listed=listed, status=exc.status,
            error=_error_text(request, exc), version=listed.version if listed else None,
        )  # fmt: skip
    key = "console-faq-saved" if result.changed else "console-faq-unchanged"
    raise redirect(request, f"{LIST}/{result.entry.id}", "ok", key, id=result.entry.id,
                   version=result.version)  # fmt: skip


@requires(*ADMINS)
async def publish(request: web.Request) -> web.Response:
    """Publish or unpublish an entry (the bot follows within seconds)."""
    faq_id = _faq_id(request)
    published = str((await request.post()).get("published", "")) == "1"
    try:
        await request.app[CORE].faq_cases.set_published(
            actor(request), client_address(request), faq_id, published
        )
    except FaqAdminError as exc:
        raise _error(request, LIST, exc) from None
    key = "console-faq-published" if published else "console-faq-unpublished"
    raise redirect(request, f"{LIST}/{faq_id}", "ok", key, id=faq_id)


@requires(*ADMINS)
async def delete(request: web.Request) -> web.Response:
    """Delete an entry; its history stays and can restore it."""
    faq_id = _faq_id(request)
    try:
        await request.app[CORE].faq_cases.delete(actor(request), client_address(request), faq_id)
    except FaqAdminError as exc:
        raise _error(request, LIST, exc) from None
    raise redirect(request, LIST, "ok", "console-faq-deleted", id=faq_id)


@requires(*ADMINS)
async def history(request: web.Request) -> web.Response:
    """Show every version of an entry with what changed, and rollback buttons."""
    faq_id = _faq_id(request)
    found = await request.app[CORE].faq_cases.history(faq_id)
    if not found.versions:
        raise _error(request, LIST, FaqAdminError("not_found"))
    return render(request, "faq_history.html", faq_id=faq_id, versions=found.versions,
                  listed=found.listed)  # fmt: skip


@requires(*ADMINS)
async def rollback(request: web.Request) -> web.Response:
    """Restore an earlier version as a new version."""
    faq_id = _faq_id(request)
    version = str((await request.post()).get("version", ""))
    try:
        wanted = number(version, limit=MAX_SEQ)
        if wanted is None:
            raise FaqAdminError("version_not_found")
        result = await request.app[CORE].faq_cases.rollback(actor(request), client_address(request),
                                                            faq_id, wanted)  # fmt: skip
    except FaqAdminError as exc:
        raise _error(request, LIST if exc.code == "not_found" else f"{LIST}/{faq_id}/history",
                     exc) from None  # fmt: skip
    key = "console-faq-rolled-back" if result.changed else "console-faq-unchanged"
    raise redirect(request, f"{LIST}/{faq_id}/history", "ok", key, id=faq_id,
                   version=result.version, target=version)  # fmt: skip


@requires(*ADMINS)
async def unanswered(request: web.Request) -> web.Response:
    """List refused and unhelpful questions grouped by similarity, each one click from an answer."""
    found = await request.app[CORE].faq_cases.inbox()
    return render(request, "faq_unanswered.html", groups=found.groups, total=found.total,
                  entries=found.entries, limit=INBOX_LIMIT,
                  threshold=found.threshold)  # fmt: skip


@requires(*ADMINS)
async def to_paraphrase(request: web.Request) -> web.Response:
    """Add a group's questions as paraphrases of the chosen entry."""
    form = await request.post()
    ids = parse_ids(form.getall("ids", []))
    faq_id = str(form.get("faq_id", ""))
    texts = paraphrase_lines(str(form.get("texts", "")))
    try:
        result = await request.app[CORE].faq_cases.add_paraphrases(
            actor(request), client_address(request), faq_id, texts, ids
        )
    except FaqAdminError as exc:
        raise _error(request, INBOX, exc) from None
    raise redirect(request, INBOX, "ok", "console-faq-inbox-added", id=faq_id,
                   count=len(texts), version=result.version)  # fmt: skip


@requires(*ADMINS)
async def dismiss(request: web.Request) -> web.Response:
    """Mark a group as dealt with, without changing the FAQ (off-topic, spam)."""
    ids = parse_ids((await request.post()).getall("ids", []))
    try:
        cases = request.app[CORE].faq_cases
        count = await cases.dismiss(actor(request), client_address(request), ids)
    except FaqAdminError as exc:
        raise _error(request, INBOX, exc) from None
    raise redirect(request, INBOX, "ok", "console-faq-inbox-dismissed", count=count)


@requires(*ADMINS)
async def export(request: web.Request) -> web.Response:
    """Download every entry as YAML (the import format); audited."""
    text = await request.app[CORE].faq_cases.export_yaml(actor(request), client_address(request))
    name = f"faq-{utcnow():%Y%m%d-%H%M}.yaml"
    return web.Response(
        text=text, content_type="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip


@requires(*ADMINS)
async def import_file(request: web.Request) -> web.Response:
    """Upsert the entries of an uploaded YAML file (or make it the whole FAQ); audited."""
    form = await request.post()
    upload = form.get("file")
    try:
        if not isinstance(upload, web.FileField):
            raise FaqAdminError("import_file")
        try:
            text = upload.file.read().decode("utf-8")
        except UnicodeDecodeError:
            raise FaqAdminError("import_file") from None
        result = await request.app[CORE].faq_cases.import_yaml(
            actor(request), client_address(request), text,
            replace_all=str(form.get("replace", "")) == "1",
        )
    except FaqAdminError as exc:
        raise _error(request, LIST, exc) from None
    raise redirect(request, LIST, "ok", "console-faq-imported", created=result.created,
                   updated=result.updated, deleted=result.deleted)  # fmt: skip
