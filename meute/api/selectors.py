"""Reads on personal access tokens."""

from __future__ import annotations

from meute.accounts.models import User
from meute.api.models import AccessToken


def user_tokens(user: User) -> list[AccessToken]:
    """The account's tokens, newest first (revoked and expired ones too, for the record)."""
    return list(AccessToken.objects.filter(user=user).order_by("-created_at", "-id"))


def user_token(user: User, pk: int) -> AccessToken | None:
    """One of the account's own tokens; another account's answers None."""
    return AccessToken.objects.filter(user=user, pk=pk).first()
