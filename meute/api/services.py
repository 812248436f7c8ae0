"""Writes on personal access tokens: make one (its secret returned once), revoke one, use one."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import User
from meute.api.models import AccessToken, Scope

TOKEN_PREFIX = "meute"
#: Longest life a token may be given (days); the form offers shorter ones.
MAX_DAYS = 365
#: Tokens one account may hold at once (not revoked, not expired).
MAX_LIVE_TOKENS = 20


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(
    *, user: User, name: str, scope: str, days: int, now: dt.datetime | None = None
) -> tuple[AccessToken, str]:
    """Make a token for ``user``; returns the row and the secret, which is never shown again."""
    now = now or timezone.now()
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Donnez un nom au jeton, pour le reconnaître.")
    if scope not in Scope.values:
        errors["scope"] = _("Droits inconnus : %(s)s") % {"s": scope}
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = _("Un jeton vit de 1 à %(n)s jours.") % {"n": MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        live = AccessToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).count()
        if live >= MAX_LIVE_TOKENS:
            raise ValidationError(_("Vous avez déjà %(n)s jetons valides : révoquez-en un.") % {"n": live})
        prefix = secrets.token_hex(6)
        raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        token = AccessToken.objects.create(
            user=user,
            name=name[:100],
            prefix=prefix,
            digest=digest_of(raw),
            scope=scope,
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
    return token, raw


def token_revoke(*, token: AccessToken, now: dt.datetime | None = None) -> AccessToken:
    """Revoke a token at once; revoking twice keeps the first date."""
    with transaction.atomic():
        token = AccessToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = now or timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str, *, now: dt.datetime | None = None) -> AccessToken | None:
    """The valid token ``raw`` is, with an active account, or None; notes when it was last used."""
    now = now or timezone.now()
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1].isascii() or len(parts[1]) > 16:
        return None
    token = AccessToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, digest_of(raw)):
        return None
    if not token.is_valid(now) or not token.user.is_active:
        return None
    # At most one write a minute per token: the date is for the owner, not an access log.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
