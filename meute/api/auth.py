"""Who calls the API: a personal access token (``Authorization: Bearer meute_…``) or the site's session.

A token sets ``request.user`` to its owner, so every endpoint asks the apps'
``permissions.py`` exactly as the pages do. A read-only token may not write
(403). The session serves the site's own pages: unsafe methods then need the
CSRF token, as forms do.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import UserRateThrottle
from ninja.utils import check_csrf

from meute.api.services import token_authenticate

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ScopeError(Exception):
    """A read-only token used to write."""


class TokenAuth(HttpBearer):
    """A personal access token; an unknown, expired or revoked one answers 401 at once."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_authenticate(token)
        if found is None:
            raise AuthenticationError
        if request.method not in SAFE_METHODS and not found.can_write:
            raise ScopeError
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class SessionAuth(APIKeyCookie):
    """The site's own session, with Django's CSRF check on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request):
            raise HttpError(403, "CSRF")
        return user

    def authenticate(
        self, request: HttpRequest, key: str | None
    ) -> Any:  # pragma: no cover - __call__ does it
        return None


#: Added to the security of public operations in the schema: a token, the session, or nothing at all.
PUBLIC_SECURITY: dict[str, Any] = {"security": [{}]}


def anonymous(request: HttpRequest) -> Any:
    """For public reads: nobody authenticated is still let in, as an anonymous visitor."""
    request.user = AnonymousUser()
    return request.user


#: Endpoints that need an account.
AUTH = [TokenAuth(), SessionAuth()]
#: Public endpoints: a token or a session still widens what is seen (members' events).
OPTIONAL_AUTH = [TokenAuth(), SessionAuth(), anonymous]


class ApiThrottle(UserRateThrottle):
    """Requests per account (or per client address when anonymous), rate read from ``API_THROTTLE_RATE``."""

    def __init__(self) -> None:
        super().__init__(rate="1/s")

    def allow_request(self, request: HttpRequest) -> bool:
        self.num_requests, self.duration = self.parse_rate(settings.API_THROTTLE_RATE)
        return super().allow_request(request)
