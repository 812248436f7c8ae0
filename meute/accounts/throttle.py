"""Login throttling (django-axes) and the client address it counts by.

Failures are counted three ways, each with its own ceiling in 15 minutes:

- per e-mail *and* client address together (``AXES_FAILURE_LIMIT``, 5): a
  stranger who types wrong passwords for someone else's e-mail locks out only
  themselves;
- per client address across e-mails (``LOGIN_IP_CEILING``, 20): one address
  trying one password on 30 e-mails (password spraying) was never slowed;
- per e-mail across addresses (``LOGIN_ACCOUNT_CEILING``, 20): many addresses
  trying one account.

The answer is the same lockout page whichever ceiling is reached, and whether
the e-mail has an account or not. The counts hold only if the client address is
the visitor's, not the reverse proxy's: behind a proxy, `REMOTE_ADDR` is the
proxy for every visitor.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

log = logging.getLogger(__name__)


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The e-mail tried, stripped and lower-cased: `Camille@…` and `camille@…` share one counter."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


@functools.cache
def _warn_forwarded_for_ignored() -> None:
    # Once per process: a proxy is probably in front, and every visitor shares its address.
    log.warning(
        "X-Forwarded-For received but MEUTE_TRUSTED_PROXY_COUNT is 0: login throttling "
        "counts every visitor under the proxy's address (see docs/operations.md)."
    )


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address, read through exactly `TRUSTED_PROXY_COUNT` reverse proxies.

    With no trusted proxy (the default) this is `REMOTE_ADDR` and X-Forwarded-For
    is ignored: anyone can write that header. With N trusted proxies, each one
    appends the address it received the request from to X-Forwarded-For, so the
    visitor is the N-th entry from the right; whatever the visitor wrote
    themselves stands to its left and is never read. A header with fewer entries
    than N (a request that did not come through the proxies) falls back to
    `REMOTE_ADDR`.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count: int = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0:
        if forwarded:
            _warn_forwarded_for_ignored()
        return _valid_ip(remote) if remote else None
    hops = [h for h in (part.strip() for part in forwarded.split(",")) if h]
    if len(hops) >= count:
        found = _valid_ip(hops[-count])
        if found:
            return found
    return _valid_ip(remote) if remote else None


def _ceiling(parameter: str | list[str], limit: int) -> int:
    """The failures allowed for one of AXES_LOCKOUT_PARAMETERS' combinations."""
    names = frozenset([parameter] if isinstance(parameter, str) else parameter)
    if names == {"ip_address"}:
        return int(settings.LOGIN_IP_CEILING)
    if names == {"username"}:
        return int(settings.LOGIN_ACCOUNT_CEILING)
    return limit


class CeilingHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """django-axes' database handler with a ceiling of its own for each lockout combination.

    django-axes compares every combination's failures with one limit. Here each
    count is scaled to that limit (``failures x limit // ceiling``, which reaches
    the limit exactly when the failures reach their ceiling), so axes' own
    lockout check, signal and page are used unchanged.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            worst = max(worst, failures * limit // max(1, _ceiling(parameter, limit)))
        return worst

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """After a successful log-in, forget the failures on that e-mail, never the address's on others.

        Otherwise a sprayer with an account of their own would log into it
        every 19 tries and start the address's count again.
        """
        parameters = get_lockout_parameters(request, credentials)
        count = 0
        for parameter, attempts in zip(
            parameters, self.filter_user_attempts(request, credentials), strict=True
        ):
            if "username" in ([parameter] if isinstance(parameter, str) else parameter):
                count += attempts.delete()[0]
        return count
