"""Any other address under /api/, and any method an address does not take, answer a problem detail."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver

from meute.api.problems import problem


def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem(request, 404, "No such API address; the schema is at /api/openapi.json.")


def problem_on_405(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """``view``, answering a method it does not take with a problem detail (and its ``Allow`` header)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        allowed = response.get("Allow", "")
        answer = problem(request, 405, f"{request.method} is not allowed here; allowed: {allowed}.")
        answer["Allow"] = allowed
        return answer

    return wrapped


def with_problems(patterns: Iterable[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API's URL patterns with :func:`problem_on_405` around every view (ninja answers 405 in plain text)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            with_problems(pattern.url_patterns)
        else:
            pattern.callback = problem_on_405(pattern.callback)
    return list(patterns)
