"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API answers has ``type``, ``title``, ``status`` and ``detail``;
a validation error adds ``errors``, one entry per field at fault.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema

PROBLEM_TYPE = "https://meute.example/problemes/"
CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    422: "Unprocessable Content",
    429: "Too Many Requests",
}
SLUGS = {
    400: "requete-invalide",
    401: "authentification",
    403: "interdit",
    404: "introuvable",
    405: "methode",
    409: "conflit",
    422: "validation",
    429: "trop-de-requetes",
}


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    """An RFC 9457 problem detail."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


def problem(
    request: HttpRequest | None, status: int, detail: str, *, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + SLUGS.get(status, "erreur"),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE)


#: The error answers every operation may give, documented so clients (and schemathesis) know them.
ERRORS: dict[int, type[Problem]] = {code: Problem for code in (400, 401, 403, 404, 409, 422, 429)}
