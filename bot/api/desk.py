"""``/api/v1`` for working as a team: a request's internal case notes, and reopening a decision."""

from __future__ import annotations

from typing import Annotated, Any

from aiohttp import web
from pydantic import BaseModel, Field, WithJsonSchema

from bot.api.auth import REVIEWERS, actor, requires
from bot.api.schema import ApiSpec, Endpoint, Handler, read_body, respond
from bot.api.views import Registration
from bot.core import CORE
from bot.services.accounts import Role
from bot.storage.repositories.desk import Note
from bot.usecases.desk import MAX_NOTE
from bot.web.client_address import client_address
from bot.web.params import path_id

_ID = {"id": {"description": "Registration id.", "schema": {"type": "integer", "minimum": 1}}}
_TEXT = Annotated[str, Field(min_length=1, max_length=MAX_NOTE)]


class NoteView(BaseModel):
    """An internal case note (staff only, never sent to the citizen)."""

    id: int
    author: Annotated[str, Field(description="user:<id> or token:<id>", examples=["user:3"])]
    author_name: Annotated[str | None, WithJsonSchema({"type": ["string", "null"]})]
    body: str
    created_at: Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]

    @classmethod
    def of(cls, note: Note) -> NoteView:
        """Describe a note."""
        return cls(id=note.id, author=note.author, author_name=note.author_name, body=note.body,
                   created_at=note.created_at.isoformat())  # fmt: skip


class NoteList(BaseModel):
    """A request's case notes, oldest first."""

    items: list[NoteView]


class NoteRequest(BaseModel):
    """A new case note."""

    note: Annotated[_TEXT, WithJsonSchema({"type": "string", "minLength": 1,
                                           "maxLength": MAX_NOTE})]  # fmt: skip


class ReopenRequest(BaseModel):
    """Why a decision is reopened (kept as a case note)."""

    reason: Annotated[_TEXT, WithJsonSchema({"type": "string", "minLength": 1,
                                             "maxLength": MAX_NOTE})]  # fmt: skip


@requires(*REVIEWERS)
async def list_notes(request: web.Request) -> web.Response:
    """Return a request's case notes; the read is audited (notes may name the citizen)."""
    notes = await request.app[CORE].desk_cases.read_notes(
        actor(request), path_id(request), ip=client_address(request)
    )
    return respond(NoteList(items=[NoteView.of(n) for n in notes]))


@requires(*REVIEWERS)
async def add_note(request: web.Request) -> web.Response:
    """Add a case note; audited without its text."""
    body = await read_body(request, NoteRequest)
    note = await request.app[CORE].desk_cases.add_note(
        actor(request), path_id(request), body.note, ip=client_address(request)
    )
    return respond(NoteView.of(note), status=201)


@requires(Role.ADMIN)
async def reopen(request: web.Request) -> web.Response:
    """Reopen a decision within the window; the request waits again and the citizen is told."""
    body = await read_body(request, ReopenRequest)
    item = await request.app[CORE].desk_cases.reopen(
        actor(request), path_id(request), body.reason, ip=client_address(request)
    )
    return respond(Registration.of(item))


def endpoints() -> list[tuple[Endpoint, Handler]]:
    """Return the case-note and reopen endpoints with their handlers."""
    errors: dict[int, Any] = {404: "No such registration."}
    return [
        (Endpoint("GET", "/registrations/{id}/notes", "listRegistrationNotes",
                  "A request's internal case notes (audited)", path_params=_ID,
                  response=NoteList, response_description="Notes, oldest first",
                  errors=errors), list_notes),
        (Endpoint("POST", "/registrations/{id}/notes", "addRegistrationNote",
                  "Add an internal case note (staff only; audited without its text)",
                  path_params=_ID, body=NoteRequest, response=NoteView, response_status=201,
                  response_description="The note", examples={"note": {"note": "Cek ulang NIK"}},
                  errors={**errors, 400: "Body is not a JSON object.",
                          422: "Empty or too long (error note_empty, note_too_long)."}),
         add_note),
        (Endpoint("POST", "/registrations/{id}/reopen", "reopenRegistration",
                  "Reopen a decision (admin, within TLIVE_REOPEN_WINDOW_HOURS)",
                  description="The request waits again (flag reopened keeps what it was), the "
                  "reason becomes a case note, the citizen is told on her channel, "
                  "registration.submitted is sent again to subscribed systems, and "
                  "registration.reopened is audited.",
                  path_params=_ID, body=ReopenRequest, response=Registration,
                  response_description="The request, waiting again",
                  examples={"reopen": {"reason": "Foto KTP ternyata jelas"}},
                  errors={**errors, 400: "Body is not a JSON object.",
                          403: "Only an admin token may reopen (error not_supervisor).",
                          409: "Not decided (error not_decided) or decided longer ago than "
                          "the window (error reopen_window_passed).",
                          422: "Reason empty or too long (error reason_required, "
                          "note_too_long)."}), reopen),
    ]  # fmt: skip


def add_routes(spec: ApiSpec, router: web.UrlDispatcher) -> None:
    """Route and document the desk endpoints."""
    for endpoint, handler in endpoints():
        spec.add(router, endpoint, handler)
