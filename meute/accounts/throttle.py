"""Login throttling (django-axes) keyed on the e-mail as log-in reads it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The e-mail tried, stripped and lower-cased: `Camille@…` and `camille@…` share one counter."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()
