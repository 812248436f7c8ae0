"""The REST API: ``/api/v1/…``, its OpenAPI 3 schema at ``/api/openapi.json`` and docs at ``/api/docs``.

django-ninja builds the schema from the typed endpoints (docs/architecture.md
says why). Endpoints call the apps' selectors, services and permissions only;
errors are RFC 9457 problem details (:mod:`meute.api.problems`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from meute.api.auth import AUTH, ApiThrottle, ScopeError
from meute.api.problems import CONTENT_TYPE, problem
from meute.api.v1 import events, manage, me, networks

VERSION = "1"


class MeuteAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """The schema, with error answers documented as ``application/problem+json``."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        response["content"] = {CONTENT_TYPE: content["application/json"]}
        return schema


api = MeuteAPI(
    title="Meute API",
    version=VERSION,
    description=(
        "Networks, events, registrations and memberships of Meute. Authenticate with a personal "
        "access token (`Authorization: Bearer meute_…`, made in « Mon compte ») or the site's session. "
        "Errors are RFC 9457 problem details. Paths carry the version (`/api/v1/…`); this schema "
        "stays at `/api/openapi.json`."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=AUTH,
    throttle=[ApiThrottle()],
)
api.add_router(f"/v{VERSION}/", networks.router)
api.add_router(f"/v{VERSION}/", events.router)
api.add_router(f"/v{VERSION}/", me.router)
api.add_router(f"/v{VERSION}/", manage.router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(request, 404, "Not found, or not visible to you.")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = problem(request, 401, "A valid access token or session is needed.")
    response["WWW-Authenticate"] = 'Bearer realm="meute"'
    return response


@api.exception_handler(ScopeError)
def read_only(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(request, 403, "This token is read-only.")


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(request, 429, "Too many requests: slow down.")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(request, exc.status_code, str(exc))


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path")),
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return problem(request, 422, "The request is not valid.", errors=errors)


@api.exception_handler(DjangoValidationError)
def refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service refused: a field at fault is 422, a rule of the current state 409."""
    if hasattr(exc, "error_dict"):
        errors = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
        return problem(request, 422, " ".join(e["message"] for e in errors), errors=errors)
    return problem(request, 409, " ".join(exc.messages))
