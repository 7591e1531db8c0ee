"""The OpenAPI 3.1 description of ``/api/v1`` (served at ``/api/v1/openapi.json``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bot.api import faq_openapi
from bot.api.schema import ApiSpec
from bot.services.registration import RejectReason

_JSON = "application/json"


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _ok(description: str, schema: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {_JSON: {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


_AUTH_ERRORS = {
    "401": _error("Missing, unknown or revoked bearer token."),
    "403": _error("The token's role may not use this endpoint (needs verifier or admin)."),
}
_ID_PARAM = {
    "name": "id", "in": "path", "required": True, "description": "Registration id.",
    "schema": {"type": "integer", "minimum": 1},
}  # fmt: skip
_TIME = {"type": ["string", "null"], "format": "date-time"}
_TEXT = {"type": ["string", "null"]}


def _schemas() -> dict[str, Any]:
    reasons = [reason.value for reason in RejectReason]
    registration = {
        "type": "object",
        "required": ["id", "reference", "status", "channel", "nik_masked", "flags"],
        "properties": {
            "id": {"type": "integer"},
            "reference": {"type": "string", "examples": ["TL-7KQ4M9"]},
            "status": {"type": "string", "enum": ["submitted", "approved", "rejected"]},
            "channel": {"type": "string", "examples": ["web", "telegram", "whatsapp"]},
            "kecamatan": _TEXT, "kelurahan": _TEXT,
            "document_type": {"type": ["string", "null"], "enum": ["ktp", "resi", None]},
            "age_group": _TEXT,
            "nik_masked": {"type": "string", "examples": ["3671••••••••0001"]},
            "flags": {
                "type": "object",
                "description": "Checks for the verifier: nik_outside_city, birth_date_mismatch, "
                "ocr_nik_mismatch, ktp_warnings, selfie_warnings.",
            },
            "submitted_at": _TIME,
            "deadline": {**_TIME, "description": "submitted_at + TLIVE_VERIFICATION_SLA_HOURS"},
            "overdue": {"type": "boolean"},
            "decided_at": _TIME, "decided_by": _TEXT,
            "reject_reason": {"type": ["string", "null"], "enum": [*reasons, None]},
            "resubmission_of": {"type": ["integer", "null"]},
        },
    }  # fmt: skip
    detail = {
        "allOf": [
            {"$ref": "#/components/schemas/Registration"},
            {
                "type": "object",
                "properties": {
                    "full_name": _TEXT, "nik": _TEXT,
                    "birth_date": {"type": ["string", "null"], "format": "date"},
                    "phone": _TEXT, "decision_note": _TEXT,
                    "documents": {"type": "array", "items": {"type": "object", "properties": {
                        "kind": {"type": "string", "enum": ["ktp", "selfie"]},
                        "available": {"type": "boolean"}, "mime": {"type": "string"},
                        "width": {"type": "integer"}, "height": {"type": "integer"},
                        "url": {"type": "string"},
                    }}},
                    "earlier": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "integer"}, "reference": {"type": "string"},
                        "status": {"type": "string"},
                        "reject_reason": {"type": ["string", "null"]}, "submitted_at": _TIME,
                    }}},
                },
            },
        ]
    }  # fmt: skip
    return {
        "Registration": registration,
        "RegistrationDetail": detail,
        "RegistrationList": {
            "type": "object",
            "required": ["items", "total", "page", "pages", "per_page"],
            "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Registration"}},
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
                "per_page": {"type": "integer"},
            },
        },
        "DecisionRequest": {
            "type": "object",
            "required": ["decision"],
            "properties": {
                "decision": {"type": "string", "enum": ["approve", "reject"]},
                "reason": {
                    "type": "string",
                    "enum": reasons,
                    "description": "Required when rejecting: the SOP's reason.",
                },
                "note": {
                    "type": "string",
                    "maxLength": 500,
                    "description": "Shown to the citizen; required with reason 'other'.",
                },
            },
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {"type": "string", "examples": ["already_decided", "invalid_reason"]},
                "status": {"type": "string", "description": "Current status (on 409)."},
            },
        },
    }


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}  # fmt: skip


def _paths() -> dict[str, Any]:
    return {
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "operationId": "getOpenapi",
                "security": [],
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1 document",
                        "content": {_JSON: {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/registrations": {
            "get": {
                "summary": "List registrations (NIK masked)",
                "description": "Waiting requests oldest first; decided ones newest first.",
                "operationId": "listRegistrations",
                "parameters": [
                    _query(
                        "status",
                        "Which requests (default submitted).",
                        {
                            "type": "string",
                            "enum": ["submitted", "approved", "rejected", "all"],
                            "default": "submitted",
                        },
                    ),
                    _query("kecamatan", "Only this kecamatan.", {"type": "string"}),
                    _query(
                        "channel",
                        "Only this channel.",
                        {"type": "string", "enum": ["web", "telegram", "whatsapp"]},
                    ),
                    _query(
                        "from",
                        "Submitted on or after this date (WIB).",
                        {"type": "string", "format": "date"},
                    ),
                    _query(
                        "to",
                        "Submitted on or before this date (WIB).",
                        {"type": "string", "format": "date"},
                    ),
                    _query("page", "Page number.", {"type": "integer", "minimum": 1, "default": 1}),
                    _query(
                        "per_page",
                        "Items per page.",
                        {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
                    ),
                ],
                "responses": {
                    "200": _ok("A page of registrations", "RegistrationList"),
                    "400": _error("Invalid query parameter."),
                    **_AUTH_ERRORS,
                },
            }
        },
        "/registrations/{id}": {
            "get": {
                "summary": "One registration with its personal data (audited)",
                "operationId": "getRegistration",
                "parameters": [_ID_PARAM],
                "responses": {
                    "200": _ok("The registration", "RegistrationDetail"),
                    **_AUTH_ERRORS,
                    "404": _error("No such registration."),
                },
            }
        },
        "/registrations/{id}/decision": {
            "post": {
                "summary": "Approve or reject (the citizen is notified at once)",
                "description": "Recorded once: a repeated or concurrent decision answers 409 and "
                "notifies nobody.",
                "operationId": "decideRegistration",
                "parameters": [_ID_PARAM],
                "requestBody": {
                    "required": True,
                    "content": {
                        _JSON: {
                            "schema": {"$ref": "#/components/schemas/DecisionRequest"},
                            "examples": {
                                "reject": {"value": {"decision": "reject", "reason": "ktp_blurry"}}
                            },
                        }
                    },
                },
                "responses": {
                    "200": _ok("The decided registration", "Registration"),
                    "400": _error("Body is not a JSON object."),
                    **_AUTH_ERRORS,
                    "404": _error("No such registration."),
                    "409": _error(
                        "Already decided, not submitted, or being reviewed in the console."
                    ),
                    "422": _error(
                        "Invalid decision, reason or note (error: invalid_decision, "
                        "invalid_reason, note_required, invalid_note)."
                    ),
                },
            }
        },
        "/registrations/{id}/documents/{kind}": {
            "get": {
                "summary": "The KTP/resi photo or the selfie (audited, never cached)",
                "operationId": "getRegistrationDocument",
                "parameters": [
                    _ID_PARAM,
                    {
                        "name": "kind",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": ["ktp", "selfie"]},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "JPEG image",
                        "headers": {
                            "Cache-Control": {
                                "schema": {"type": "string"},
                                "description": "no-store",
                            }
                        },
                        "content": {
                            "image/jpeg": {
                                "schema": {"type": "string", "contentMediaType": "image/jpeg"}
                            }
                        },
                    },
                    **_AUTH_ERRORS,
                    "404": _error(
                        "No such registration or document, or the image was deleted "
                        "after the retention period."
                    ),
                },
            }
        },
    }


_AUTH_DESCRIPTIONS = {
    401: "Missing, unknown or revoked bearer token.",
    403: "The token's role may not use this endpoint.",
}
_INFO = {
    "title": "Asisten Tangerang LIVE API",
    "version": "1.0.0",
    "description": "Verification requests of the Tangerang LIVE app (SOP-TLIVE-01) for "
    "the city's systems. Create a token with `tlive-bot token create NAME --role "
    "verifier|agent|admin` and send it as `Authorization: Bearer <token>`. Every read of "
    "personal data or a document is written to the audit log.",
}


def new_spec() -> ApiSpec:
    """Return an empty spec for the endpoints declared with pydantic models."""
    return ApiSpec(
        title=_INFO["title"], version=_INFO["version"], description=_INFO["description"],
        auth_errors=_AUTH_DESCRIPTIONS,
    )  # fmt: skip


def document(spec: ApiSpec) -> dict[str, Any]:
    """Return the OpenAPI document: the hand-written part plus what ``spec`` generates."""
    base, generated = _hand_written(), spec.document()
    components = base["components"]
    return {
        **base,
        "components": {
            **components,
            "schemas": {**components["schemas"], **generated["components"]["schemas"]},
        },
        "paths": {**base["paths"], **generated["paths"]},
    }


@lru_cache(maxsize=1)
def _hand_written() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": _INFO,
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {**_schemas(), **faq_openapi.schemas()},
        },
        "paths": {**_paths(), **faq_openapi.paths()},
    }
