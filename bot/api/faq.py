"""``/api/v1/faq``: read the FAQ (every role) and change it (admin tokens), versioned and audited.

Reading is open to verifier and agent tokens too: entries are the public answers citizens get,
with no personal data, and helpdesk tools may show them. Changes need an admin token, like the
console's FAQ editor, and go through the same use cases (``bot.usecases.faq``).
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.api.auth import actor, requires
from bot.api.schema import ApiSpec, Endpoint, Handler, read_body, read_query, respond
from bot.core import CORE
from bot.faq.admin.errors import FaqAdminError
from bot.faq.admin.limits import (
    MAX_ANSWER,
    MAX_CATEGORY,
    MAX_PARAPHRASE,
    MAX_PARAPHRASES,
    MAX_QUESTION,
)
from bot.faq.admin.records import FaqFilter, ListedEntry, snapshot
from bot.services.accounts import Role
from bot.usecases.errors import NotFound
from bot.web.client_address import client_address

READERS = (Role.VERIFIER, Role.AGENT, Role.ADMIN)
WRITERS = (Role.ADMIN,)
_AUTH_403_READ = "Never for verifier, agent or admin tokens."
_AUTH_403_WRITE = "Only admin tokens may change the FAQ."
_ID = {
    "id": {
        "description": "Entry id: 1–64 of a–z, 0–9, '-' and '_' (checked when creating).",
        "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$",
                   "examples": ["cara-daftar"]},
    }
}  # fmt: skip


def _limit(**schema: Any) -> Any:
    """Document a limit the entry rules check (with their own error codes), not pydantic."""
    return Field(json_schema_extra=schema)


class FaqQuery(BaseModel):
    """The filters of the FAQ list."""

    q: str = Field("", description="Text to look for in id, question, paraphrases and answer.")
    category: str | None = None
    published: Literal["true", "false"] | None = None


class FaqEntryView(BaseModel):
    """An entry with its version (the YAML fields plus published and version)."""

    id: str
    category: str = Field(examples=["pendaftaran"])
    question: str
    paraphrases: list[str]
    answer: str
    published: bool
    version: int = Field(description="Grows by one on every change.")
    updated_at: datetime | None
    updated_by: str | None

    @classmethod
    def of(cls, item: ListedEntry) -> FaqEntryView:
        """Describe a listed entry."""
        return cls(**snapshot(item.entry), version=item.version, updated_at=item.updated_at,
                   updated_by=item.updated_by)  # fmt: skip


class FaqList(BaseModel):
    """Entries by category, then id."""

    items: list[FaqEntryView]
    total: int


class FaqEntryPut(BaseModel):
    """The whole entry to create or replace; ``published`` defaults to true.

    Only the JSON types are checked here; the entry rules (lengths, id and category shapes,
    duplicates) are the editors' own, with their error codes and messages.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    id: str | None = Field(None, description="If present, must equal the path id.")
    category: str | None = _limit(maxLength=MAX_CATEGORY, examples=["pendaftaran"])
    question: str | None = _limit(maxLength=MAX_QUESTION)
    paraphrases: list[str] | None = Field(
        None, description="Other ways citizens ask it; duplicates are dropped.",
        json_schema_extra={"maxItems": MAX_PARAPHRASES, "items": {"maxLength": MAX_PARAPHRASE}},
    )  # fmt: skip
    answer: str | None = _limit(maxLength=MAX_ANSWER)
    published: bool = Field(True, description="Only published entries are answered by the bot.")
    version: int | None = Field(
        None, description="The version the change is based on: if the entry has another "
        "version now, nothing is saved and the answer is 409.",
    )  # fmt: skip

    @model_validator(mode="wrap")
    @classmethod
    def _refuse_as_the_editors_do(cls, data: Any, handler: Any) -> FaqEntryPut:
        """Answer an unknown or mistyped field with the editors' error code for it."""
        try:
            return handler(data)
        except ValidationError as exc:
            raise _refusal(exc) from None

    def fields(self) -> dict[str, Any]:
        """Return the entry's fields as sent (without ``version``)."""
        return self.model_dump(exclude={"version"}, exclude_unset=True)


def _refusal(exc: ValidationError) -> FaqAdminError:
    names = [str(e["loc"][0]) for e in exc.errors() if e.get("loc")]
    unknown = sorted({n for n in names if n not in FaqEntryPut.model_fields})
    if unknown:
        return FaqAdminError("unknown_field", unknown[0], ", ".join(unknown))
    first = min(names, key=list(FaqEntryPut.model_fields).index, default="body")
    return FaqAdminError(f"{first}_invalid", first)


class FaqDeleted(BaseModel):
    """A deleted entry: its id and the version the delete is."""

    id: str
    deleted: Literal[True]
    version: int


def _explained(handler: Handler) -> Handler:
    """Add what to fix, in Indonesian, to the FAQ refusals the error middleware answers."""

    @functools.wraps(handler)
    async def explained(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except FaqAdminError as exc:
            exc.extra["message"] = request.app[CORE].catalog.text(
                exc.message_key, **exc.message_args()
            )
            raise

    return explained


@requires(*READERS)
@_explained
async def list_faq(request: web.Request) -> web.Response:
    """List entries, optionally searched (``q``), by category and published state."""
    query = read_query(request, FaqQuery)
    status = {"true": "published", "false": "unpublished"}.get(query.published or "", "all")
    flt = FaqFilter(text=query.q[:200], category=query.category or None, status=status)
    items = await request.app[CORE].faq_cases.list_entries(flt)
    return respond(FaqList(items=[FaqEntryView.of(i) for i in items], total=len(items)))


@requires(*READERS)
@_explained
async def get_faq(request: web.Request) -> web.Response:
    """Return one entry."""
    item = await request.app[CORE].faq_cases.get(request.match_info["id"])
    if item is None:
        raise NotFound("not_found")
    return respond(FaqEntryView.of(item))


@requires(*WRITERS)
@_explained
async def put_faq(request: web.Request) -> web.Response:
    """Create (201) or replace (200) an entry as a new version; ``version`` guards edits."""
    body = await read_body(request, FaqEntryPut)
    ip = client_address(request)
    result, listed = await request.app[CORE].faq_cases.put(
        actor(request), ip, request.match_info["id"], body.fields(), body.version
    )
    return respond(FaqEntryView.of(listed), status=201 if result.created else 200)


@requires(*WRITERS)
@_explained
async def delete_faq(request: web.Request) -> web.Response:
    """Delete an entry (its history stays; the console can restore it)."""
    faq_id = request.match_info["id"]
    version = await request.app[CORE].faq_cases.delete(
        actor(request), client_address(request), faq_id
    )
    return respond(FaqDeleted(id=faq_id, deleted=True, version=version))


def endpoints() -> list[tuple[Endpoint, Handler]]:
    """Return the FAQ endpoints with their handlers."""
    item_errors = {404: "No such entry."}
    return [
        (Endpoint("GET", "/faq", "listFaq", "List FAQ entries (any token role)",
                  query=FaqQuery, response=FaqList,
                  response_description="Entries by category, then id",
                  errors={400: "Invalid query parameter.", 403: _AUTH_403_READ}), list_faq),
        (Endpoint("GET", "/faq/{id}", "getFaq", "One FAQ entry (any token role)",
                  path_params=_ID, response=FaqEntryView, response_description="The entry",
                  errors={**item_errors, 403: _AUTH_403_READ}), get_faq),
        (Endpoint("PUT", "/faq/{id}", "putFaq",
                  "Create or replace an FAQ entry (admin; versioned, audited)",
                  description="The bot answers with the change within seconds on every "
                  "worker. The whole entry is replaced; `published` defaults to true.",
                  path_params=_ID, body=FaqEntryPut, response=FaqEntryView,
                  response_description="Replaced (or unchanged)", created="Created",
                  errors={400: "Body is not a JSON object.", 403: _AUTH_403_WRITE,
                          409: "`version` is not the current version (error "
                          "version_conflict, with the current `version`).",
                          422: "Invalid entry; `error` names the rule, `field` the field and "
                          "`message` says what to fix (e.g. answer_empty, id_invalid, "
                          "category_invalid, question_long, unknown_field, id_mismatch)."},
                  examples={"entry": {
                      "category": "pendaftaran", "question": "Bisa daftar pakai paspor?",
                      "paraphrases": ["daftar pake paspor bisa ga"],
                      "answer": "Belum bisa. Pendaftaran memakai KTP-el atau resi KTP-el.",
                  }}), put_faq),
        (Endpoint("DELETE", "/faq/{id}", "deleteFaq",
                  "Delete an FAQ entry (admin; its history is kept and restorable)",
                  path_params=_ID, response=FaqDeleted, response_description="Deleted",
                  errors={**item_errors, 403: _AUTH_403_WRITE}), delete_faq),
    ]  # fmt: skip


def add_routes(spec: ApiSpec, router: web.UrlDispatcher) -> None:
    """Route and document the FAQ endpoints."""
    for endpoint, handler in endpoints():
        spec.add(router, endpoint, handler)
