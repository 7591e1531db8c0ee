"""``/api/v1/faq``: read the FAQ (every role) and change it (admin tokens), versioned and audited.

Reading is open to verifier and agent tokens too: entries are the public answers citizens get,
with no personal data, and helpdesk tools may show them. Changes need an admin token, like the
console's FAQ editor, and go through the same service (``bot.services.faq_admin``).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.api.auth import actor, api_error, requires
from bot.core import CORE
from bot.services import faq_admin as fa
from bot.services.accounts import Role
from bot.services.faq_admin import FaqAdminError, FaqFilter, ListedEntry

READERS = (Role.VERIFIER, Role.AGENT, Role.ADMIN)
WRITERS = (Role.ADMIN,)
_FIELDS = frozenset({"id", "category", "question", "paraphrases", "answer", "published", "version"})
_STATUS = {"not_found": 404, "id_taken": 409, "version_conflict": 409}


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the FAQ endpoints."""
    router.add_get("/faq", list_faq)
    router.add_get("/faq/{id}", get_faq)
    router.add_put("/faq/{id}", put_faq)
    router.add_delete("/faq/{id}", delete_faq)


def entry_json(item: ListedEntry) -> dict[str, Any]:
    """Describe an entry with its version (the YAML fields plus published and version)."""
    return {
        **fa.snapshot(item.entry),
        "version": item.version,
        "updated_at": item.updated_at.isoformat() if item.updated_at else None,
        "updated_by": item.updated_by,
    }


def _refused(request: web.Request, exc: FaqAdminError) -> web.HTTPException:
    message = request.app[CORE].catalog.text(f"console-faq-error-{exc.code}", **fa.error_args(exc))
    extra: dict[str, Any] = {"message": message}
    if exc.field:
        extra["field"] = exc.field
    if exc.code == "version_conflict":
        extra["version"] = int(exc.detail)
    return api_error(_STATUS.get(exc.code, 422), exc.code, **extra)


@requires(*READERS)
async def list_faq(request: web.Request) -> web.Response:
    """List entries, optionally searched (``q``), by category and published state."""
    q = request.query
    published = q.get("published")
    if published not in (None, "true", "false"):
        raise api_error(400, "invalid_query")
    status = {"true": "published", "false": "unpublished"}.get(published or "", "all")
    flt = FaqFilter(text=q.get("q", "")[:200], category=q.get("category") or None, status=status)
    async with request.app[CORE].uow() as uow:
        items = await fa.list_entries(uow, flt)
    return web.json_response({"items": [entry_json(i) for i in items], "total": len(items)})


@requires(*READERS)
async def get_faq(request: web.Request) -> web.Response:
    """Return one entry."""
    async with request.app[CORE].uow() as uow:
        item = await fa.get_entry(uow, request.match_info["id"])
    if item is None:
        raise api_error(404, "not_found")
    return web.json_response(entry_json(item))


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise api_error(400, "invalid_json") from None
    if not isinstance(body, dict):
        raise api_error(400, "invalid_json")
    unknown = sorted(set(body) - _FIELDS)
    if unknown:
        raise _refused(request, FaqAdminError("unknown_field", unknown[0], ", ".join(unknown)))
    return body


@requires(*WRITERS)
async def put_faq(request: web.Request) -> web.Response:
    """Create (201) or replace (200) an entry as a new version; ``version`` guards edits."""
    core = request.app[CORE]
    faq_id = request.match_info["id"]
    body = await _body(request)
    if body.get("id", faq_id) != faq_id:
        raise _refused(request, FaqAdminError("id_mismatch", "id"))
    expected = body.pop("version", None)
    if expected is not None and (not isinstance(expected, int) or isinstance(expected, bool)):
        raise _refused(request, FaqAdminError("version_invalid", "version"))
    async with core.uow() as uow:
        try:
            new = await fa.get_entry(uow, faq_id) is None
            result = await fa.save_entry(
                uow, fa.validate({**body, "id": faq_id}, new=new), actor=actor(request),
                ip=request.remote, expected_version=None if new else expected,
            )  # fmt: skip
        except FaqAdminError as exc:
            raise _refused(request, exc) from None
        body = entry_json(
            await fa.get_entry(uow, faq_id) or ListedEntry(result.entry, 0, None, None)
        )
        await uow.commit()
    await core.services.faq.reload()
    return web.json_response(body, status=201 if result.created else 200)


@requires(*WRITERS)
async def delete_faq(request: web.Request) -> web.Response:
    """Delete an entry (its history stays; the console can restore it)."""
    core = request.app[CORE]
    faq_id = request.match_info["id"]
    async with core.uow() as uow:
        try:
            version = await fa.delete_entry(uow, faq_id, actor=actor(request), ip=request.remote)
        except FaqAdminError as exc:
            raise _refused(request, exc) from None
        await uow.commit()
    await core.services.faq.reload()
    return web.json_response({"id": faq_id, "deleted": True, "version": version})
