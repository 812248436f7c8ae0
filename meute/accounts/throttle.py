"""Login throttling (django-axes) and the client address it counts by.

Failures are counted per e-mail *and* client address together, so a stranger
who types wrong passwords for someone else's e-mail locks out only themselves.
That only holds if the client address is the visitor's, not the reverse
proxy's: behind a proxy, `REMOTE_ADDR` is the proxy for every visitor.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
from typing import Any

from django.conf import settings
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
