"""The OpenAPI description of ``/api/v1/conversations`` (merged into ``openapi.json``)."""

from __future__ import annotations

from typing import Any

_JSON = "application/json"
_TIME = {"type": ["string", "null"], "format": "date-time"}
_TEXT = {"type": ["string", "null"]}
_ID = {
    "name": "id", "in": "path", "required": True, "description": "Conversation id.",
    "schema": {"type": "integer", "minimum": 1},
}  # fmt: skip
_AUTH = {
    "401": {"description": "Missing, unknown or revoked bearer token.",
            "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}},
    "403": {"description": "The token's role may not use this endpoint (needs agent or admin).",
            "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}},
}  # fmt: skip


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _ok(description: str, schema: str, status: str = "200") -> dict[str, Any]:
    return {
        status: {
            "description": description,
            "content": {_JSON: {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }
    }


_CONFLICT = _error(
    "The chat is not in the state this needs (error: taken — another agent holds it; not_queued; "
    "not_held; not_holder; same_agent)."
)


def schemas() -> dict[str, Any]:
    """Return the component schemas of the conversation endpoints."""
    summary = {
        "type": "object",
        "required": ["id", "channel", "mode", "mine", "last_seq"],
        "properties": {
            "id": {"type": "integer"},
            "channel": {"type": "string", "examples": ["web", "telegram", "whatsapp"]},
            "mode": {"type": "string", "enum": ["bot", "queued", "agent"]},
            "reason": {"type": ["string", "null"], "enum": ["asked", "faq", "failures", "voice",
                                                              None]},
            "queued_at": _TIME,
            "wait_seconds": {"type": ["integer", "null"]},
            "holder": {**_TEXT, "description": "Name of the agent or token holding the chat."},
            "mine": {"type": "boolean", "description": "Held by the calling token."},
            "last_inbound_at": _TIME,
            "last_seq": {"type": "integer", "description": "Sequence of the newest message."},
        },
    }  # fmt: skip
    message = {
        "type": "object",
        "properties": {
            "seq": {"type": "integer"},
            "direction": {"type": "string", "enum": ["in", "out", "note"]},
            "author": {"type": "string", "enum": ["citizen", "bot", "agent", "system"]},
            "author_name": _TEXT,
            "kind": {"type": "string", "examples": ["text", "button", "photo", "voice"]},
            "text": {"type": "string", "description": "NIK-like numbers are masked."},
            "buttons": {"type": "array", "items": {"type": "string"}},
            "created_at": _TIME,
            "media_url": {**_TEXT, "description": "The message's photo (JPEG), if any."},
            "delivery": {
                "type": ["object", "null"],
                "description": "Push channels only: how far the message got.",
                "properties": {
                    "state": {"type": "string",
                              "enum": ["pending", "sent", "delivered", "read", "failed"]},
                    "error": _TEXT,
                },
            },
        },
    }  # fmt: skip
    detail = {
        "allOf": [
            {"$ref": "#/components/schemas/Conversation"},
            {
                "type": "object",
                "properties": {
                    "citizen": {"type": "object", "properties": {
                        "flow": _TEXT, "step": _TEXT, "reference": _TEXT, "status": _TEXT,
                        "full_name": _TEXT, "nik_masked": _TEXT, "kecamatan": _TEXT,
                        "kelurahan": _TEXT,
                        "documents": {"type": "array", "items": {"type": "string"}},
                    }},
                    "messages": {"type": "array",
                                 "items": {"$ref": "#/components/schemas/ChatMessage"}},
                },
            },
        ]
    }  # fmt: skip
    return {
        "Conversation": summary,
        "ConversationDetail": detail,
        "ChatMessage": message,
        "ConversationList": {
            "type": "object",
            "required": ["items", "total"],
            "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Conversation"}},
                "total": {"type": "integer"},
            },
        },
        "ChatMessageRequest": {
            "type": "object",
            "description": "JSON, or multipart/form-data with the same fields and a `photo` file "
            "(JPEG, PNG or WebP, at most 10 MB). Give text, canned_id or a photo.",
            "properties": {
                "text": {"type": "string", "maxLength": 2000},
                "canned_id": {"type": "integer", "description": "Send this canned answer."},
                "note": {"type": "boolean", "description": "An internal note, never sent."},
            },
        },
    }


def _action(summary: str, operation: str, description: str) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary, "description": description, "operationId": operation,
            "parameters": [_ID],
            "responses": {**_ok("The chat after the action", "Conversation"), **_AUTH,
                          "404": _error("No such conversation."), "409": _CONFLICT},
        }
    }  # fmt: skip


def paths() -> dict[str, Any]:
    """Return the path items of the conversation endpoints."""
    return {
        "/conversations": {
            "get": {
                "summary": "The helpdesk queue: waiting chats and the caller's own",
                "description": "Own chats first, then waiting ones (oldest first); admin tokens "
                "also see chats other agents hold.",
                "operationId": "listConversations",
                "parameters": [{
                    "name": "mode", "in": "query", "required": False,
                    "schema": {"type": "string", "enum": ["open", "queued", "agent"],
                               "default": "open"},
                }],
                "responses": {**_ok("Chats", "ConversationList"),
                              "400": _error("Invalid mode."), **_AUTH},
            }
        },
        "/conversations/{id}": {
            "get": {
                "summary": "One chat with its history and the citizen's state (audited)",
                "operationId": "getConversation",
                "parameters": [_ID],
                "responses": {**_ok("The chat", "ConversationDetail"), **_AUTH,
                              "404": _error("No such conversation."),
                              "409": _error("Held by someone else, or not with the helpdesk.")},
            }
        },
        "/conversations/{id}/media/{seq}": {
            "get": {
                "summary": "The photo of one chat message (audited, never cached)",
                "operationId": "getConversationMedia",
                "parameters": [_ID, {"name": "seq", "in": "path", "required": True,
                                     "schema": {"type": "integer", "minimum": 1}}],
                "responses": {
                    "200": {"description": "JPEG image", "content": {"image/jpeg": {
                        "schema": {"type": "string", "contentMediaType": "image/jpeg"}}}},
                    **_AUTH, "404": _error("No such message photo."),
                },
            }
        },
        "/conversations/{id}/claim": _action(
            "Take a waiting chat", "claimConversation",
            "One holder at a time: of several callers racing, one gets 200, the others 409 "
            "taken. The bot stays silent while the chat is held; the citizen is told a person "
            "joined.",
        ),
        "/conversations/{id}/messages": {
            "post": {
                "summary": "Reply to the citizen (text, canned answer, photo) or add a note",
                "description": "Delivered on the citizen's channel; on WhatsApp outside the "
                "24-hour window as the agent-reply template.",
                "operationId": "postConversationMessage",
                "parameters": [_ID],
                "requestBody": {"required": True, "content": {
                    _JSON: {"schema": {"$ref": "#/components/schemas/ChatMessageRequest"}},
                    "multipart/form-data": {
                        "schema": {"$ref": "#/components/schemas/ChatMessageRequest"}},
                }},
                "responses": {
                    "201": {"description": "Stored in the history (and queued for the channel)",
                            "content": {_JSON: {"schema": {"type": "object", "properties": {
                                "seq": {"type": "integer"}, "direction": {"type": "string"}}}}}},
                    "400": _error("Body is not a JSON object."), **_AUTH,
                    "404": _error("No such conversation."), "409": _CONFLICT,
                    "422": _error("Empty message, unreadable photo or unknown canned answer."),
                },
            }
        },
        "/conversations/{id}/transfer": {
            "post": {
                **_action("Hand a held chat to another agent", "transferConversation",
                          "Body: {\"to\": \"<username>\"}, an active agent or admin.")["post"],
                "requestBody": {"required": True, "content": {_JSON: {"schema": {
                    "type": "object", "required": ["to"],
                    "properties": {"to": {"type": "string"}}}}}},
            }
        },
        "/conversations/{id}/release": _action(
            "Hand the chat back to the bot", "releaseConversation",
            "The bot resumes where the citizen was (it asks the current step again).",
        ),
        "/conversations/{id}/close": _action(
            "Close the chat", "closeConversation",
            "The citizen is asked to rate the help (1–5).",
        ),
    }  # fmt: skip
