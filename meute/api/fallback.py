"""Any other address under /api/ answers a problem detail, not the site's HTML 404 page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from meute.api.problems import problem


def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem(request, 404, "No such API address; the schema is at /api/openapi.json.")
