"""The OpenAPI description of ``/api/v1/faq`` (merged into ``bot.api.openapi``)."""

from __future__ import annotations

from typing import Any

from bot.services import faq_admin as fa

_JSON = "application/json"
_ERROR = {"$ref": "#/components/schemas/FaqError"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {_JSON: {"schema": _ERROR}}}


def _ok(description: str, schema: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {_JSON: {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


_AUTH = {"401": _error("Missing, unknown or revoked bearer token.")}
_READ_403 = {"403": _error("Never for verifier, agent or admin tokens.")}
_WRITE_403 = {"403": _error("Only admin tokens may change the FAQ.")}
_ID = {
    "name": "id", "in": "path", "required": True,
    "description": "Entry id: 1–64 of a–z, 0–9, '-' and '_' (checked when creating).",
    "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$",
               "examples": ["cara-daftar"]},
}  # fmt: skip


def schemas() -> dict[str, Any]:
    """Return the FAQ component schemas."""
    entry_fields: dict[str, Any] = {
        "category": {"type": "string", "maxLength": 32, "examples": ["pendaftaran"]},
        "question": {"type": "string", "maxLength": fa.MAX_QUESTION},
        "paraphrases": {
            "type": "array", "maxItems": fa.MAX_PARAPHRASES,
            "items": {"type": "string", "maxLength": fa.MAX_PARAPHRASE},
            "description": "Other ways citizens ask it; duplicates are dropped.",
        },
        "answer": {"type": "string", "maxLength": fa.MAX_ANSWER},
        "published": {"type": "boolean", "default": True,
                      "description": "Only published entries are answered by the bot."},
    }  # fmt: skip
    return {
        "FaqEntry": {
            "type": "object",
            "required": ["id", "category", "question", "paraphrases", "answer", "published",
                         "version"],
            "properties": {
                "id": {"type": "string"}, **entry_fields,
                "version": {"type": "integer", "description": "Grows by one on every change."},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "updated_by": {"type": ["string", "null"]},
            },
        },
        "FaqEntryPut": {
            "type": "object",
            "required": ["category", "question", "answer"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "description": "If present, must equal the path id."},
                **entry_fields,
                "version": {
                    "type": "integer",
                    "description": "The version the change is based on: if the entry has "
                    "another version now, nothing is saved and the answer is 409.",
                },
            },
        },
        "FaqList": {
            "type": "object",
            "required": ["items", "total"],
            "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/FaqEntry"}},
                "total": {"type": "integer"},
            },
        },
        "FaqError": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {"type": "string", "examples": ["answer_empty", "version_conflict"]},
                "field": {"type": "string", "examples": ["answer"]},
                "message": {"type": "string", "description": "What to fix, in Indonesian."},
                "version": {"type": "integer", "description": "The current version (on 409)."},
            },
        },
    }  # fmt: skip


def paths() -> dict[str, Any]:
    """Return the FAQ paths."""
    item_errors = {**_AUTH, "404": _error("No such entry.")}
    return {
        "/faq": {
            "get": {
                "summary": "List FAQ entries (any token role)",
                "operationId": "listFaq",
                "parameters": [
                    {"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
                     "description": "Text to look for in id, question, paraphrases and answer."},
                    {"name": "category", "in": "query", "required": False,
                     "schema": {"type": "string"}},
                    {"name": "published", "in": "query", "required": False,
                     "schema": {"type": "string", "enum": ["true", "false"]}},
                ],
                "responses": {
                    "200": _ok("Entries by category, then id", "FaqList"),
                    "400": _error("Invalid query parameter."),
                    **_AUTH, **_READ_403,
                },
            }
        },
        "/faq/{id}": {
            "get": {
                "summary": "One FAQ entry (any token role)",
                "operationId": "getFaq",
                "parameters": [_ID],
                "responses": {"200": _ok("The entry", "FaqEntry"), **item_errors, **_READ_403},
            },
            "put": {
                "summary": "Create or replace an FAQ entry (admin; versioned, audited)",
                "description": "The bot answers with the change within seconds on every "
                "worker. The whole entry is replaced; `published` defaults to true.",
                "operationId": "putFaq",
                "parameters": [_ID],
                "requestBody": {"required": True, "content": {_JSON: {
                    "schema": {"$ref": "#/components/schemas/FaqEntryPut"},
                    "examples": {"entry": {"value": {
                        "category": "pendaftaran", "question": "Bisa daftar pakai paspor?",
                        "paraphrases": ["daftar pake paspor bisa ga"],
                        "answer": "Belum bisa. Pendaftaran memakai KTP-el atau resi KTP-el.",
                    }}},
                }}},
                "responses": {
                    "200": _ok("Replaced (or unchanged)", "FaqEntry"),
                    "201": _ok("Created", "FaqEntry"),
                    "400": _error("Body is not a JSON object."),
                    **_AUTH, **_WRITE_403,
                    "409": _error("`version` is not the current version (error "
                                  "version_conflict, with the current `version`)."),
                    "422": _error("Invalid entry; `error` names the rule, `field` the field and "
                                  "`message` says what to fix (e.g. answer_empty, id_invalid, "
                                  "category_invalid, question_long, unknown_field, id_mismatch)."),
                },
            },
            "delete": {
                "summary": "Delete an FAQ entry (admin; its history is kept and restorable)",
                "operationId": "deleteFaq",
                "parameters": [_ID],
                "responses": {
                    "200": {"description": "Deleted", "content": {_JSON: {"schema": {
                        "type": "object",
                        "properties": {"id": {"type": "string"}, "deleted": {"const": True},
                                       "version": {"type": "integer"}},
                    }}}},
                    **item_errors, **_WRITE_403,
                },
            },
        },
    }  # fmt: skip
