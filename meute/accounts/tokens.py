"""Sign-up links and the keyed digest of an address: what both the sign-up service and its e-mail task need.

Kept apart from :mod:`meute.accounts.services` so that the task module
(:mod:`meute.accounts.tasks`) needs only this one, and services may queue the
task without an import circle.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

SIGNUP_SALT = "meute.accounts.signup"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_digest(email: str) -> str:
    """A keyed hash of the e-mail: counts requests for one address without keeping it."""
    return salted_hmac(SIGNUP_SALT, normalise_email(email), algorithm="sha256").hexdigest()


def signup_token_make(*, email: str) -> str:
    """The signed, dated token of a sign-up link: it names the address it was sent to."""
    return signing.dumps({"email": normalise_email(email)}, salt=SIGNUP_SALT)


def signup_token_email(*, token: str) -> str | None:
    """The address a sign-up token was sent to, or None if forged or older than SIGNUP_LINK_MAX_AGE."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=settings.SIGNUP_LINK_MAX_AGE)
    except signing.BadSignature:  # expired tokens raise SignatureExpired, a subclass
        return None
    email = data.get("email") if isinstance(data, dict) else None
    return email if isinstance(email, str) and email else None
