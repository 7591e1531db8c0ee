"""One source of truth for ``/api/v1``: pydantic models parse requests and make the OpenAPI.

Each endpoint is declared once as an :class:`Endpoint` (its models, parameters and documented
errors) and added with :meth:`ApiSpec.add`, which registers the route *and* its description, so
the document served at ``/api/v1/openapi.json`` cannot drift from what the handlers accept.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

_JSON = "application/json"
_REF = "#/components/schemas/{model}"
Model = TypeVar("Model", bound=BaseModel)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ApiError(BaseModel):
    """The body of every error answer."""

    error: str
    status: str | None = None


class BadRequest(Exception):
    """A request the API cannot parse; ``code`` is the ``error`` of the 400/422 answer."""

    def __init__(self, status: int, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.extra = extra


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One operation of the API, as routed and as documented."""

    method: str
    path: str
    operation_id: str
    summary: str
    description: str = ""
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    response_description: str = "OK"
    query: type[BaseModel] | None = None
    path_params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    errors: Mapping[int, str] = field(default_factory=dict)
    # For answers that are not a JSON model (images, the document itself): the raw response.
    raw_response: Mapping[str, Any] | None = None
    public: bool = False
    examples: Mapping[str, Any] = field(default_factory=dict)
    # When the operation may also create (201), the description of that answer (same model).
    created: str | None = None
    response_status: int = 200


class ApiSpec:
    """Collect endpoints while routing them; render the OpenAPI 3.1 document from them."""

    def __init__(
        self, *, title: str, version: str, description: str, auth_errors: Mapping[int, str]
    ) -> None:
        self._info = {"title": title, "version": version, "description": description}
        self._auth_errors = dict(auth_errors)
        self._endpoints: list[Endpoint] = []
        self._document: dict[str, Any] | None = None

    def add(self, router: web.UrlDispatcher, endpoint: Endpoint, handler: Handler) -> None:
        """Route ``handler`` at the endpoint's method and path and document it."""
        path = _aiohttp_path(endpoint)
        if endpoint.method.upper() == "GET":
            router.add_get(path, handler)  # answers HEAD too, like every aiohttp GET route
        else:
            router.add_route(endpoint.method.upper(), path, handler)
        self._endpoints.append(endpoint)
        self._document = None

    @property
    def endpoints(self) -> tuple[Endpoint, ...]:
        """Return every documented endpoint."""
        return tuple(self._endpoints)

    def document(self) -> dict[str, Any]:
        """Return the OpenAPI 3.1 document (built once)."""
        if self._document is None:
            self._document = self._build()
        return self._document

    def _build(self) -> dict[str, Any]:
        models: dict[type[BaseModel], None] = {ApiError: None}
        for ep in self._endpoints:
            for model in (ep.body, ep.response):
                if model is not None:
                    models[model] = None
        _, defs = models_json_schema([(m, "serialization") for m in models], ref_template=_REF)
        paths: dict[str, Any] = {}
        for ep in self._endpoints:
            paths.setdefault(ep.path, {})[ep.method.lower()] = self._operation(ep)
        return {
            "openapi": "3.1.0",
            "info": self._info,
            "servers": [{"url": "/api/v1"}],
            "security": [{"bearerAuth": []}],
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
                "schemas": defs.get("$defs", {}),
            },
            "paths": paths,
        }

    def _operation(self, ep: Endpoint) -> dict[str, Any]:
        op: dict[str, Any] = {"summary": ep.summary, "operationId": ep.operation_id}
        if ep.description:
            op["description"] = ep.description
        if ep.public:
            op["security"] = []
        params = [
            {"name": name, "in": "path", "required": True, **dict(spec)}
            for name, spec in ep.path_params.items()
        ]
        if ep.query is not None:
            params += _query_parameters(ep.query)
        if params:
            op["parameters"] = params
        if ep.body is not None:
            content: dict[str, Any] = {"schema": {"$ref": _REF.format(model=ep.body.__name__)}}
            if ep.examples:
                content["examples"] = {k: {"value": v} for k, v in ep.examples.items()}
            op["requestBody"] = {"required": True, "content": {_JSON: content}}
        responses: dict[str, Any] = {}
        if ep.raw_response is not None:
            responses["200"] = dict(ep.raw_response)
        elif ep.response is not None:
            responses[str(ep.response_status)] = {
                "description": ep.response_description,
                "content": {_JSON: {"schema": {"$ref": _REF.format(model=ep.response.__name__)}}},
            }
        else:
            responses["204"] = {"description": ep.response_description}
        if ep.created is not None and ep.response is not None:
            responses["201"] = {**responses[str(ep.response_status)], "description": ep.created}
        errors = dict(ep.errors) if ep.public else {**self._auth_errors, **ep.errors}
        for status, text in sorted(errors.items()):
            responses[str(status)] = {
                "description": text,
                "content": {_JSON: {"schema": {"$ref": _REF.format(model="ApiError")}}},
            }
        op["responses"] = responses
        return op


SPEC = web.AppKey("api_spec", ApiSpec)
"""The API's one spec, set by ``bot.api.build_api``; the OpenAPI handler serves its document."""


def _aiohttp_path(ep: Endpoint) -> str:
    path = ep.path
    for name, spec in ep.path_params.items():
        schema = spec.get("schema", {})
        if schema.get("type") == "integer":
            path = path.replace("{" + name + "}", "{" + name + r":\d+}")
        elif "enum" in schema:
            path = path.replace("{" + name + "}", "{" + name + ":" + "|".join(schema["enum"]) + "}")
    return path


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=_REF)
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        description = prop.pop("description", None)
        prop.pop("title", None)
        param: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
        if description:
            param["description"] = description
        param["schema"] = prop
        params.append(param)
    return params


async def read_body(request: web.Request, model: type[Model]) -> Model:
    """Parse the JSON body into ``model``: 400 when it is not a JSON object, 422 when invalid."""
    try:
        raw = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest(400, "invalid_json") from None
    if not isinstance(raw, dict):
        raise BadRequest(400, "invalid_json")
    return validate(model, raw)


def read_query(request: web.Request, model: type[Model]) -> Model:
    """Parse the query string into ``model`` (400 on a bad parameter)."""
    try:
        return model.model_validate(dict(request.query))
    except ValidationError as exc:
        raise BadRequest(400, "invalid_query", fields=_fields(exc)) from None


def validate(model: type[Model], raw: Mapping[str, Any]) -> Model:
    """Validate ``raw`` as ``model``; 422 naming the first invalid field's error code."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        code = str(first.get("ctx", {}).get("code") or _code_of(first))
        raise BadRequest(422, code, fields=_fields(exc)) from None


def _code_of(error: Mapping[str, Any]) -> str:
    loc = error.get("loc") or ()
    name = str(loc[0]) if loc else "body"
    return f"invalid_{name}"


def _fields(exc: ValidationError) -> list[str]:
    return sorted({".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()})


def respond(model: BaseModel, *, status: int = 200) -> web.Response:
    """Answer with ``model`` as JSON."""
    return web.json_response(model.model_dump(mode="json"), status=status)
