"""``/api/v1/conversations``: the helpdesk queue and chats for agent and admin tokens.

A token that claims a chat holds it like a console user would; another holder gets 409. The
pydantic models below are both what the handlers answer and what ``openapi.json`` documents.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    WithJsonSchema,
)

from bot.api.auth import actor, api_error, requires
from bot.api.schema import ApiSpec, BadRequest, Endpoint, read_query, respond, validate
from bot.core import CORE
from bot.domain.chat_mode import ChatMode
from bot.helpdesk.agents import AGENT_ROLES
from bot.helpdesk.hold import REASONS, Holder
from bot.helpdesk.media import MAX_PHOTO_BYTES
from bot.helpdesk.reading import CitizenState, HistoryEntry, QueueEntry
from bot.storage import models
from bot.storage.types import utcnow
from bot.usecases.helpdesk import AgentMessage
from bot.web.client_address import client_address
from bot.web.params import MAX_ID, MAX_SEQ, path_id
from bot.web.uploads import read_upload


class ListMode(StrEnum):
    """Which chats a listing shows: waiting and own (admins: all held), or one mode only."""

    OPEN = "open"
    QUEUED = ChatMode.QUEUED.value
    AGENT = ChatMode.AGENT.value


# Moments are written as Python's isoformat() always wrote them ("…+00:00").
Moment = Annotated[
    datetime | None,
    PlainSerializer(lambda v: v.isoformat() if v else None, return_type=str | None),
    WithJsonSchema({"type": ["string", "null"], "format": "date-time"}),
]


class ConversationQuery(BaseModel):
    """Which chats to list."""

    # Inlined: only body and response models become components, so no $ref to ListMode.
    mode: Annotated[
        ListMode, WithJsonSchema({"type": "string", "enum": [m.value for m in ListMode]})
    ] = Field(
        ListMode.OPEN, description="open: waiting and own (admins: all held); or only one mode."
    )


class Conversation(BaseModel):
    """A chat in the queue (no personal data)."""

    id: int
    channel: str = Field(examples=["web", "telegram", "whatsapp"])
    mode: ChatMode
    reason: str | None = Field(json_schema_extra={"enum": [*REASONS, None]})
    queued_at: Moment
    wait_seconds: int | None
    holder: str | None = Field(description="Name of the agent or token holding the chat.")
    mine: bool = Field(description="Held by the calling token.")
    last_inbound_at: Moment
    last_seq: int = Field(description="Sequence of the newest message.")

    @classmethod
    def of(cls, entry: QueueEntry) -> Conversation:
        """Describe a queue entry."""
        waited = entry.wait(utcnow())
        return cls(
            id=entry.id, channel=entry.channel, mode=entry.mode, reason=entry.reason,
            queued_at=entry.queued_at,
            wait_seconds=int(waited.total_seconds()) if waited is not None else None,
            holder=entry.holder_name if entry.mode == ChatMode.AGENT else None,
            mine=entry.mine, last_inbound_at=entry.last_inbound_at, last_seq=entry.last_seq,
        )  # fmt: skip

    @classmethod
    def of_chat(cls, conv: models.Conversation, holder: Holder) -> Conversation:
        """Describe a conversation as ``holder`` sees it."""
        return cls.of(QueueEntry.of(conv, holder))


class ConversationList(BaseModel):
    """Chats of the queue, own first."""

    items: list[Conversation]
    total: int


class MessageDelivery(BaseModel):
    """Push channels only: how far the message got."""

    state: Literal["pending", "sent", "delivered", "read", "failed"]
    error: str | None


class ChatMessage(BaseModel):
    """One history message (NIKs, phone numbers and dates masked)."""

    seq: int
    direction: Literal["in", "out", "note"]
    author: Literal["citizen", "bot", "agent", "system"]
    author_name: str | None
    kind: str = Field(examples=["text", "button", "photo", "voice"])
    text: str = Field(description="NIKs, mobile numbers and dates (birth dates) are masked.")
    buttons: list[str]
    created_at: Moment
    media_url: str | None = Field(description="The message's photo (JPEG), if any.")
    delivery: MessageDelivery | None

    @classmethod
    def of(cls, conv_id: int, entry: HistoryEntry) -> ChatMessage:
        """Describe one history entry."""
        delivery = entry.delivery
        return cls(
            seq=entry.seq, direction=entry.direction, author=entry.author,  # type: ignore[arg-type]
            author_name=entry.author_name, kind=entry.kind, text=entry.text,
            buttons=list(entry.buttons), created_at=entry.created_at,
            media_url=f"/api/v1/conversations/{conv_id}/media/{entry.seq}"
            if entry.has_media else None,
            delivery=MessageDelivery(state=delivery.state, error=delivery.error)  # type: ignore[arg-type]
            if delivery else None,
        )  # fmt: skip


class CitizenInfo(BaseModel):
    """Where the citizen stands (NIK masked)."""

    flow: str | None
    step: str | None
    reference: str | None
    status: str | None
    full_name: str | None
    nik_masked: str | None
    kecamatan: str | None
    kelurahan: str | None
    documents: list[str]

    @classmethod
    def of(cls, state: CitizenState) -> CitizenInfo:
        """Describe the citizen's state."""
        return cls(
            flow=state.flow, step=state.step, reference=state.reference, status=state.status,
            full_name=state.full_name, nik_masked=state.nik_masked, kecamatan=state.kecamatan,
            kelurahan=state.kelurahan, documents=list(state.documents),
        )  # fmt: skip


class ConversationDetail(Conversation):
    """One chat with its history and the citizen's state."""

    citizen: CitizenInfo
    messages: list[ChatMessage]


class ChatMessageRequest(BaseModel):
    """A reply to the citizen, or an internal note."""

    model_config = ConfigDict(json_schema_extra={"description": (
        "JSON, or multipart/form-data with the same fields and a `photo` file (JPEG, PNG or "
        "WebP, at most 10 MB). Give text, canned_id or a photo."
    )})  # fmt: skip

    text: str = Field("", json_schema_extra={"maxLength": 2000})
    canned_id: StrictInt | None = Field(
        None, ge=1, le=MAX_ID, description="Send this canned answer."
    )
    note: StrictBool | None = Field(None, description="An internal note, never sent.")


class ChatMessageSent(BaseModel):
    """Stored in the history (and queued for the channel)."""

    seq: int
    direction: str


class TransferRequest(BaseModel):
    """Whom to hand the chat to: an active agent or admin."""

    to: str


_ID = {"id": {"description": "Conversation id.", "schema": {"type": "integer", "minimum": 1}}}
_SEQ = {"seq": {"description": "Message sequence.", "schema": {"type": "integer", "minimum": 1}}}
_NOT_FOUND = {404: "No such conversation."}
_CONFLICT = {
    409: "The chat is not in the state this needs (error: taken — another agent holds it; "
    "not_queued; not_held; not_holder; same_agent).",
}
_JPEG = {
    "description": "JPEG image",
    "content": {"image/jpeg": {"schema": {"type": "string", "contentMediaType": "image/jpeg"}}},
}


def _id(request: web.Request) -> int:
    return path_id(request)


@requires(*AGENT_ROLES)
async def list_conversations(request: web.Request) -> web.Response:
    """List waiting chats and the caller's own (admins: everyone's), own first."""
    try:
        mode = read_query(request, ConversationQuery).mode
    except BadRequest:
        raise BadRequest(400, "invalid_mode", allowed=[m.value for m in ListMode]) from None
    entries = await request.app[CORE].helpdesk_cases.queue(actor(request))
    items = [Conversation.of(e) for e in entries if mode == ListMode.OPEN or e.mode == mode]
    return respond(ConversationList(items=items, total=len(items)))


@requires(*AGENT_ROLES)
async def get_conversation(request: web.Request) -> web.Response:
    """Return one chat with its history and the citizen's state; audited."""
    who = actor(request)
    view = await request.app[CORE].helpdesk_cases.open_chat(
        who, _id(request), client_address(request)
    )
    summary = Conversation.of_chat(view.conv, Holder.of(who))
    return respond(ConversationDetail(
        **summary.model_dump(), citizen=CitizenInfo.of(view.citizen),
        messages=[ChatMessage.of(view.conv.id, e) for e in view.history],
    ))  # fmt: skip


@requires(*AGENT_ROLES)
async def get_media(request: web.Request) -> web.Response:
    """Return the photo of one chat message as JPEG; audited; never cached."""
    image = await request.app[CORE].helpdesk_cases.chat_photo(
        actor(request), _id(request), path_id(request, "seq", limit=MAX_SEQ),
        client_address(request),
    )
    if image is None:
        raise api_error(404, "not_found")
    return web.Response(body=image, content_type="image/jpeg")


@requires(*AGENT_ROLES)
async def claim(request: web.Request) -> web.Response:
    """Take a waiting chat; 409 when someone else was faster."""
    who = actor(request)
    conv = await request.app[CORE].helpdesk_cases.claim(who, _id(request), client_address(request))
    return respond(Conversation.of_chat(conv, Holder.of(who)))


@requires(*AGENT_ROLES)
async def post_message(request: web.Request) -> web.Response:
    """Send the citizen a text, canned answer or photo, or add an internal note."""
    fields, photo = await _read_fields(request)
    try:
        body = validate(ChatMessageRequest, fields)
    except BadRequest:
        raise BadRequest(422, "invalid_message") from None
    message = AgentMessage(body.text, photo, body.canned_id, bool(body.note))
    sent = await request.app[CORE].helpdesk_cases.send(
        actor(request), _id(request), client_address(request), message
    )
    return respond(ChatMessageSent(seq=sent.seq, direction=sent.direction), status=201)


@requires(*AGENT_ROLES)
async def transfer(request: web.Request) -> web.Response:
    """Hand a held chat to another agent (``{"to": "<username>"}``)."""
    fields, _photo = await _read_fields(request)
    try:
        to = validate(TransferRequest, fields).to
    except BadRequest:
        raise BadRequest(422, "no_such_agent") from None
    if not to.strip():
        raise BadRequest(422, "no_such_agent")
    who = actor(request)
    conv = await request.app[CORE].helpdesk_cases.transfer(
        who, _id(request), client_address(request), to
    )
    return respond(Conversation.of_chat(conv, Holder.of(who)))


@requires(*AGENT_ROLES)
async def release(request: web.Request) -> web.Response:
    """Give the chat back to the bot, which asks the citizen's current step again."""
    who = actor(request)
    conv = await request.app[CORE].helpdesk_cases.hand_back(
        who, _id(request), client_address(request)
    )
    return respond(Conversation.of_chat(conv, Holder.of(who)))


@requires(*AGENT_ROLES)
async def close(request: web.Request) -> web.Response:
    """End the chat; the citizen is asked for a 1–5 rating."""
    who = actor(request)
    conv = await request.app[CORE].helpdesk_cases.close(who, _id(request), client_address(request))
    return respond(Conversation.of_chat(conv, Holder.of(who)))


async def _read_fields(request: web.Request) -> tuple[dict[str, Any], bytes | None]:
    """Read a JSON object, or a multipart form with a ``photo`` (streamed within its limit)."""
    if not request.content_type.startswith("multipart/"):
        try:
            body = await request.json()
        except ValueError:
            raise BadRequest(400, "invalid_json") from None
        if not isinstance(body, dict):
            raise BadRequest(400, "invalid_json")
        return body, None
    upload = await read_upload(request, max_photo=MAX_PHOTO_BYTES)
    if upload.too_large:
        raise BadRequest(422, "photo_too_large")
    fields: dict[str, Any] = dict(upload.fields)
    if "note" in fields:
        fields["note"] = fields["note"].lower() in ("1", "true", "yes")
    return fields, upload.photo


def _action(path: str, operation: str, summary: str, description: str) -> Endpoint:
    return Endpoint(
        "POST", f"/conversations/{{id}}/{path}", operation, summary, description,
        response=Conversation, response_description="The chat after the action",
        path_params=_ID, errors={**_NOT_FOUND, **_CONFLICT},
    )  # fmt: skip


def add_routes(spec: ApiSpec, r: web.UrlDispatcher) -> None:
    """Route and document the conversation endpoints."""
    spec.add(r, Endpoint(
        "GET", "/conversations", "listConversations",
        "The helpdesk queue: waiting chats and the caller's own",
        "Own chats first, then waiting ones (oldest first); admin tokens also see chats other "
        "agents hold.", query=ConversationQuery, response=ConversationList,
        response_description="Chats", errors={400: "Invalid mode."},
    ), list_conversations)  # fmt: skip
    spec.add(r, Endpoint(
        "GET", "/conversations/{id}", "getConversation",
        "One chat with its history and the citizen's state (audited)",
        response=ConversationDetail, response_description="The chat", path_params=_ID,
        errors={**_NOT_FOUND, 409: "Held by someone else, or not with the helpdesk."},
    ), get_conversation)  # fmt: skip
    spec.add(r, Endpoint(
        "GET", "/conversations/{id}/media/{seq}", "getConversationMedia",
        "The photo of one chat message (audited, never cached)", path_params={**_ID, **_SEQ},
        raw_response=_JPEG, errors={404: "No such message photo."},
    ), get_media)  # fmt: skip
    spec.add(r, _action(
        "claim", "claimConversation", "Take a waiting chat",
        "One holder at a time: of several callers racing, one gets 200, the others 409 taken. "
        "The bot stays silent while the chat is held; the citizen is told a person joined.",
    ), claim)  # fmt: skip
    spec.add(r, Endpoint(
        "POST", "/conversations/{id}/messages", "postConversationMessage",
        "Reply to the citizen (text, canned answer, photo) or add a note",
        "Delivered on the citizen's channel; on WhatsApp outside the 24-hour window as the "
        "agent-reply template.", body=ChatMessageRequest, response=ChatMessageSent,
        response_description="Stored in the history (and queued for the channel)",
        response_status=201, path_params=_ID,
        errors={400: "Body is not a JSON object.", **_NOT_FOUND, **_CONFLICT,
                422: "Empty message, unreadable photo or unknown canned answer."},
    ), post_message)  # fmt: skip
    spec.add(r, Endpoint(
        "POST", "/conversations/{id}/transfer", "transferConversation",
        "Hand a held chat to another agent", "Body: {\"to\": \"<username>\"}, an active agent "
        "or admin.", body=TransferRequest, response=Conversation,
        response_description="The chat after the action", path_params=_ID,
        errors={**_NOT_FOUND, **_CONFLICT, 422: "No such active agent."},
    ), transfer)  # fmt: skip
    spec.add(r, _action(
        "release", "releaseConversation", "Hand the chat back to the bot",
        "The bot resumes where the citizen was (it asks the current step again).",
    ), release)  # fmt: skip
    spec.add(r, _action(
        "close", "closeConversation", "Close the chat",
        "The citizen is asked to rate the help (1–5).",
    ), close)  # fmt: skip
